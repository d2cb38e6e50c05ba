"""The foot events' sign vote (``signal._gait_foot_sign``, issue 15): settled from bounds, the calm test read locally.

The vote used to read ``| |acc| - 1 g |`` over the whole piece and test every calm minimum; now it
tests the largest votes first until the rest cannot change the sign, and puts the acceleration on
the grid only around the minima it tests. These tests hold it to the whole computation it replaced.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._stats import percentile
from calfload.signal._chunks import Chunks, chunked_peaks
from calfload.signal._gait_foot_front import (
    CALM_LOWPASS_HZ,
    GridColumns,
    GridRows,
    _zero_phase_response,
    filtered_at,
    read_away,
)
from calfload.signal._gait_foot_sign import FLAT_LIMIT_MPS2, calm_away, plantarflexion_sign, settled_sign
from calfload.signal._gait_steps import _piece_grid
from calfload.signal._preprocess import grid_plan, imu_columns, lowpass
from calfload.sim import RunSpec, SensorModel, simulate_run


def _sign_of_every_passing_vote(votes: np.ndarray, values: np.ndarray) -> float:
    return 1.0 if float(np.sum(votes[values < FLAT_LIMIT_MPS2])) >= 0 else -1.0


class _Asked:
    """The values of given votes, counting what was asked."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        self.asked: list[np.ndarray] = []

    def __call__(self, which: np.ndarray) -> np.ndarray:
        self.asked.append(np.asarray(which))
        return np.asarray(self.values[which])


_VOTE = st.one_of(st.just(0.0), st.floats(-1e4, 1e4), st.floats(-1e-3, 1e-3))
_VALUE = st.one_of(st.floats(0.0, 2 * FLAT_LIMIT_MPS2), st.just(FLAT_LIMIT_MPS2), st.just(np.nan))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_VOTE, _VALUE), min_size=1, max_size=300))
def test_the_settled_sign_is_the_sign_of_every_passing_vote(pairs: list[tuple[float, float]]) -> None:
    votes = np.array([v for v, _ in pairs])
    values = np.array([x for _, x in pairs])
    asked = _Asked(values)
    assert settled_sign(votes, asked) == _sign_of_every_passing_vote(votes, values)
    seen = np.concatenate(asked.asked)
    assert seen.size == np.unique(seen).size or asked.asked[-1].size == votes.size  # each once, or all at the end


def test_a_few_large_votes_settle_the_sign_without_testing_the_rest() -> None:
    """Ten strides' push-offs against a thousand standing minima: the standing ones are never tested."""
    votes = np.full(1010, 0.01)
    votes[::101] = -1000.0
    asked = _Asked(np.full(votes.size, 0.5))
    assert settled_sign(votes, asked) == -1.0
    assert sum(a.size for a in asked.asked) <= 16
    assert set(np.concatenate(asked.asked)) >= set(np.flatnonzero(votes < 0))


def test_votes_that_fail_their_test_are_made_up_by_more_tests() -> None:
    """The largest votes fail the calm test: the smaller ones of the other sign decide."""
    rng = np.random.default_rng(3)
    votes = np.concatenate((np.full(40, -50.0), rng.uniform(0.5, 1.0, 400)))
    values = np.where(votes < 0, 2 * FLAT_LIMIT_MPS2, 0.1)
    asked = _Asked(values)
    assert settled_sign(votes, asked) == 1.0 == _sign_of_every_passing_vote(votes, values)
    assert len(asked.asked) >= 2


@pytest.mark.parametrize("off", [0.0, 1e-12, -1e-12])
def test_a_value_on_the_line_reads_every_value(off: float) -> None:
    """Within 1e-9 of the line, bounds are not trusted: every value is read and the whole vote taken."""
    votes = np.array([-5.0, 1.0, 2.0, 3.0])
    values = np.array([FLAT_LIMIT_MPS2 * (1 + off), 0.0, 0.0, 0.0])
    asked = _Asked(values)
    assert settled_sign(votes, asked) == _sign_of_every_passing_vote(votes, values)
    assert asked.asked[-1].tolist() == [0, 1, 2, 3]


def test_a_vote_near_zero_is_the_whole_sum() -> None:
    """Votes that cancel to rounding are never settled from bounds: the sum of every passing vote decides."""
    votes = np.array([0.1, 0.2, -0.3, 1e-17])
    asked = _Asked(np.zeros(4))
    assert settled_sign(votes, asked) == _sign_of_every_passing_vote(votes, np.zeros(4))
    assert sum(a.size for a in asked.asked) == 4


def _piece(rate_hz: float, seed: int, duration_s: float) -> tuple[int, float, GridRows, GridColumns]:
    sensor = SensorModel(sample_rate_hz=rate_hz, timestamp_jitter_s=0.1 / rate_hz)
    (rec,) = simulate_run(RunSpec(duration_s=duration_s, cadence_spm=170.0, sensor=sensor, seed=seed)).recordings
    t, acc, gyr = imu_columns(rec)
    plan = grid_plan(t, max_rate_hz=200.0, max_bridged_gap_s=0.5)

    rows, columns = _piece_grid(t, acc, gyr, plan, 0)  # the foot path's readers of a piece from row 0

    return int(plan.segment_ends[0]), plan.fs_hz, rows, columns


@pytest.mark.parametrize(("rate_hz", "duration_s"), [(100.0, 60.0), (200.0, 60.0), (400.0, 30.0), (200.0, 12.0)])
def test_the_calm_test_read_around_its_samples_is_the_whole_pieces(rate_hz: float, duration_s: float) -> None:
    """The bits of the whole piece's ``| |acc| - 1 g |`` filtered: from rows or columns, at both ends, short pieces."""
    n, fs, rows, columns = _piece(rate_hz, 11, duration_s)
    chunks = Chunks.of(n, fs, 20.0)
    rng = np.random.default_rng(5)
    index = np.concatenate(([n - 1, 0, 3, n - 5], rng.integers(0, n, 30), [7, 7]))
    for source in (None, columns):
        away = read_away(rows, chunks, source)  # held: its memory is not the next array's
        whole = filtered_at(away, index, CALM_LOWPASS_HZ, fs)
        np.testing.assert_array_equal(calm_away(rows, chunks, source, index, fs), whole)
        np.testing.assert_array_equal(calm_away(rows, chunks, source, index[6:10], fs), whole[6:10])


def _whole_vote(omega: np.ndarray, away: np.ndarray, fs: float, chunks: Chunks) -> float:
    """The vote as it was made before: every calm minimum tested on the whole piece's acceleration."""
    envelope = np.empty(omega.size)
    for w in chunks.windows():
        envelope[w.start : w.end] = lowpass(np.abs(omega[w.lo : w.hi, None]), CALM_LOWPASS_HZ, fs)[w.core, 0]
    calm = chunked_peaks(-envelope, chunks, distance=max(1, round(0.25 * fs)))
    calm = calm[envelope[calm] < 0.35 * float(percentile(envelope, 90))]
    calm = calm[filtered_at(away, calm, CALM_LOWPASS_HZ, fs) < FLAT_LIMIT_MPS2]
    if calm.size == 0:
        return 1.0
    cum = np.concatenate(([0.0], np.cumsum(omega)))
    vote = float(np.sum(cum[np.minimum(calm + round(0.25 * fs), omega.size)] - cum[calm]))
    return 1.0 if vote >= 0 else -1.0


@pytest.mark.parametrize(("rate_hz", "seed"), [(100.0, 1), (200.0, 2), (200.0, 3), (52.0, 4)])
def test_the_sign_is_the_whole_votes_on_simulated_runs_in_any_mounting(rate_hz: float, seed: int) -> None:
    """Random mountings, ``ω`` about each sensor axis and reversed: the whole vote's sign, and both signs occur."""
    n, fs, rows, columns = _piece(rate_hz, seed, 60.0)
    chunks = Chunks.of(n, fs, 25.0)
    gyr = rows(0, n).gyr_dps
    away = read_away(rows, chunks, columns)
    signs = set()
    for axis in range(3):
        for omega in (gyr[:, axis].copy(), -gyr[:, axis]):
            got = plantarflexion_sign(omega, lambda i: calm_away(rows, chunks, columns, i, fs), fs, chunks)
            assert got == _whole_vote(omega, away, fs, chunks)
            signs.add(got)
    assert signs == {1.0, -1.0}


@pytest.mark.parametrize("rate_hz", [100.0, 200.0])
def test_the_calm_test_puts_on_the_grid_each_samples_reach_and_little_else(rate_hz: float) -> None:
    """Every sample the filter's response reaches around each index is read (with the piece's ends); no more."""
    n, fs, rows, columns = _piece(rate_hz, 12, 120.0)
    read: list[tuple[int, int]] = []

    def counted(lo: int, hi: int, which: Literal["acc", "gyr"]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        read.append((lo, hi))
        return columns(lo, hi, which)

    index = np.array([5, n // 3, n // 3 + 40, n // 2, n - 2])
    calm_away(rows, Chunks.of(n, fs, 20.0), counted, index, fs)
    covered = np.zeros(n, dtype=bool)
    for lo, hi in read:
        covered[lo:hi] = True
    half = _zero_phase_response(CALM_LOWPASS_HZ, fs).size // 2
    for i in index:
        assert covered[max(0, i - half) : i + half + 1].all()
    assert covered[0]
    assert covered[-1]
    assert covered.sum() == sum(hi - lo for lo, hi in read) < 4 * (2 * half + 1) + 2 < n // 2
