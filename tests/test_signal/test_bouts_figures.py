"""A bout's own figures (:mod:`calfload.signal._bouts_figures`) are the whole analysis' arithmetic on the bout alone.

The bouts compute only what they show (no Hampel-filtered cadence series, no stride-length
percentiles or speed series): these tests hold those lean paths to the full ones, bit for bit,
on random instants and strides, so a change to the analysis' cadence or distance that is not
made to the bouts' fails here.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._stats import median
from calfload.signal._bouts_figures import _cadences, _medians, _Sorted, _speeds_distances, bout_cadence
from calfload.signal._gait import _imu_cadence
from calfload.signal._gait_params import GaitParams
from calfload.signal._stride_summary import stride_speed_distance, summarise_strides
from calfload.signal._trajectory_types import Stride, StrideTable

#: Step or stride gaps: mostly steady, some odd ones (a stumble, a missed stride) and pauses.
_GAPS = st.lists(st.one_of(st.floats(0.3, 1.3), st.floats(0.05, 0.3), st.floats(1.3, 6.0)), min_size=0, max_size=40)


def _instants(gaps: list[float], start: float) -> np.ndarray:
    return start + np.cumsum(np.asarray(gaps, dtype=np.float64))


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@settings(max_examples=25, deadline=None)
@given(_GAPS, _GAPS, st.floats(0.0, 2.0), st.sampled_from(["one foot", "two feet", "trunk"]))
def test_bout_cadence_is_the_analysis_cadence(first: list[float], second: list[float], lag: float, kind: str) -> None:
    a, b = _instants(first, 0.0), _instants(second, lag)
    instants = [a] if kind == "one foot" else [a, b]
    if kind == "trunk" and a.size + b.size == 0:
        return  # the analysis never asks for the cadence of no instants at all
    per_foot = kind != "trunk"
    params = GaitParams()
    full = _imu_cadence(instants, per_foot, params)
    median_spm, mean_spm = bout_cadence(instants, per_foot, params)
    assert _same(median_spm, full.median_spm)
    assert _same(mean_spm, full.mean_spm)


_STRIDE = st.builds(
    lambda side, start, duration, length, valid: Stride(
        side=side,
        start_s=start,
        end_s=start + duration,
        duration_s=duration,
        length_m=length,
        speed_mps=length / duration,
        rise_m=0.0,
        valid=valid,
    ),
    st.sampled_from(["left", "right"]),
    st.floats(0.0, 600.0),
    st.floats(0.6, 1.6),
    st.floats(0.5, 2.5),
    st.booleans(),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(_STRIDE, max_size=30))
def test_stride_speed_and_distance_are_the_summarys(strides: list[Stride]) -> None:
    strides.sort(key=lambda s: s.start_s)
    full = summarise_strides(strides)
    lean = stride_speed_distance(strides)
    if full is None:
        assert lean is None
        return
    assert lean is not None
    assert _same(lean[0], full.speed_mps)
    assert _same(lean[1], full.distance_m)


@settings(max_examples=25, deadline=None)
@given(st.lists(_STRIDE, min_size=2, max_size=30), st.sampled_from(["left", "right"]))
def test_one_foots_distance_and_speed_are_its_strides_sums(strides: list[Stride], side: str) -> None:
    """Every stride valid, one foot: the distance is the lengths' np.sum, the time the durations' sum in order."""
    strides = sorted((dataclasses.replace(s, side=side, valid=True) for s in strides), key=lambda s: s.start_s)
    lengths = np.array([s.length_m for s in strides])
    moving = sum(s.duration_s for s in strides)
    assert stride_speed_distance(strides) == (float(np.sum(lengths)) / moving, float(np.sum(lengths)))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from([0.0, 1.0, 2.5, math.nan]), st.floats(-5.0, 5.0)), max_size=30),
    st.lists(st.tuples(st.floats(-6.0, 6.0), st.floats(0.0, 4.0)), min_size=1, max_size=8),
)
def test_each_bouts_events_are_those_a_mask_picks(x: list[float], ranges: list[tuple[float, float]]) -> None:
    """Sorted once and bisected per bout: the same entries as ``(x >= lo) & (x <= hi)``, ties and NaN included."""
    values = np.asarray(x, dtype=np.float64)
    lo = np.array([a for a, _ in ranges])
    hi = lo + np.array([w for _, w in ranges])
    found = _Sorted(values)
    for rows, inside, a, b in zip(found.rows(lo, hi), found.values_in(lo, hi), lo, hi, strict=True):
        mask = (values >= a) & (values <= b)
        np.testing.assert_array_equal(np.sort(rows), np.flatnonzero(mask))
        np.testing.assert_array_equal(inside, np.sort(values[mask]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.floats(0.0, 2.0), st.sampled_from([0.5, 1.0, math.nan])), min_size=0, max_size=60),
    st.lists(st.integers(0, 12), min_size=1, max_size=8),
    st.integers(0, 2**31),
)
def test_each_bouts_median_is_the_median_of_its_values(values: list[float], sizes: list[int], seed: int) -> None:
    """Medians of many groups at once (ties, NaN, empty groups, rows in any order) as ``median`` of each."""
    x = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    rows = [rng.permutation(x.size)[: min(size, x.size)] for size in sizes]
    got = _medians(x, rows)
    for r, m in zip(rows, got, strict=True):
        expected = float(median(x[r])) if r.size else None
        assert m is None if expected is None else (m is not None and _same(m, expected))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 100.0), max_size=60),
    st.lists(st.tuples(st.floats(0.0, 100.0), st.floats(0.0, 30.0)), max_size=8),
    st.integers(0, 2**31),
)
def test_each_cadence_bouts_median_is_its_intervals(
    ends: list[float], bouts: list[tuple[float, float]], seed: int
) -> None:
    """``_gait._bouts``: the median cadence of the intervals ending in ``(start, end]``, as a mask picks them."""
    from calfload.signal._gait import _bouts
    from calfload.signal._gait_cadence import Cadence

    rng = np.random.default_rng(seed)
    end_s = np.sort(np.round(np.asarray(ends, dtype=np.float64), 1))  # ties, and ends on a bout's edges
    cadence = rng.choice([100.0, 110.0, 120.5, 170.0], end_s.size) + rng.normal(0, 1, end_s.size)
    spans = tuple((round(a, 1), round(a + w, 1), 3) for a, w in bouts)
    cad = Cadence(0, (), spans, end_s, cadence, math.nan, math.nan, 0.0)
    for bout, (start, end, _) in zip(_bouts(cad), spans, strict=True):
        inside = (end_s > start) & (end_s <= end)
        assert bout.cadence_spm == (float(median(cadence[inside])) if inside.any() else None)


@settings(max_examples=60, deadline=None)
@given(
    _GAPS,
    _GAPS,
    st.sampled_from(["one foot", "two feet", "trunk"]),
    st.lists(st.tuples(st.floats(-1.0, 80.0), st.floats(0.0, 40.0)), max_size=10),
)
def test_every_bouts_cadence_at_once_is_its_own(
    first: list[float], second: list[float], kind: str, ranges: list[tuple[float, float]]
) -> None:
    """``_cadences`` (one foot's bouts without a break at once) is ``bout_cadence`` of each bout's instants."""
    sources = [_instants(first, 0.0)] if kind == "one foot" else [_instants(first, 0.0), _instants(second, 0.3)]
    lo = np.array([a for a, _ in ranges])
    hi = lo + np.array([w for _, w in ranges])
    per_foot, params = kind != "trunk", GaitParams()
    sorted_sources = [_Sorted(x) for x in sources]
    got = _cadences(sorted_sources, lo, hi, per_foot=per_foot, params=params)
    inside = [x.values_in(lo, hi) for x in sorted_sources]
    for k, (median_spm, mean_spm) in enumerate(got):
        expected = bout_cadence([v[k] for v in inside], per_foot, params)
        assert _same(median_spm, expected[0])
        assert _same(mean_spm, expected[1])


@settings(max_examples=60, deadline=None)
@given(st.lists(_STRIDE, max_size=40), st.booleans(), st.integers(0, 2**31))
def test_every_bouts_speed_and_distance_at_once_are_its_strides(
    strides: list[Stride], one_foot: bool, seed: int
) -> None:
    """``_speeds_distances`` (one foot's runs of valid strides summed in place) is each bout's own."""
    if one_foot:
        strides = [dataclasses.replace(s, side="left") for s in strides]
    rng = np.random.default_rng(seed)
    if rng.random() < 0.5:  # mostly valid, so that runs of valid strides are common
        strides = [dataclasses.replace(s, valid=bool(rng.random() < 0.9)) for s in strides]
    table = StrideTable.of(sorted(strides, key=lambda s: s.start_s))
    count = len(table)
    rows = []
    for _ in range(8):  # runs of rows (as bouts take them), random sets, and none, in any order
        a = int(rng.integers(0, count + 1))
        b = int(rng.integers(a, count + 1))
        run = np.arange(a, b) if rng.random() < 0.7 else np.flatnonzero(rng.random(count) < 0.5)
        rows.append(rng.permutation(run))
    got = _speeds_distances(table, rows)
    for found, r in zip(got, rows, strict=True):
        expected = stride_speed_distance(table.take(np.sort(r)))
        if expected is None:
            assert found is None
        else:
            assert found is not None
            assert _same(found[0], expected[0])
            assert _same(found[1], expected[1])


def test_long_runs_of_one_foots_strides_keep_the_sums_order() -> None:
    """Long runs (NumPy's pairwise sum and Python's in-order sum part ways after 8 values): still each bout's own."""
    rng = np.random.default_rng(5)
    start = np.cumsum(rng.uniform(0.9, 1.3, 200))
    duration = rng.uniform(0.9, 1.3, 200)
    strides = [
        Stride("left", float(a), float(a + d), float(d), float(length), float(length / d), 0.0, True)
        for a, d, length in zip(start, duration, rng.uniform(1.0, 1.6, 200), strict=True)
    ]
    table = StrideTable.of(strides)
    rows = [np.arange(a, a + int(rng.integers(9, 60))) for a in range(0, 140, 20)]
    got = _speeds_distances(table, rows)
    assert got == [stride_speed_distance(table.take(r)) for r in rows]
    assert any(sum(duration[r].tolist()) != float(np.sum(duration[r])) for r in rows)  # the orders differ here


def test_a_bouts_own_figures_keep_its_other_fields() -> None:
    """``own_figures`` writes each of Bout's fields out: the figures new, the bout's span, part and reps kept."""
    from calfload.signal._bouts_figures import own_figures
    from calfload.signal._bouts_types import Bout
    from calfload.signal._gait import analyze_gait
    from calfload.sim import RunSpec, simulate_run

    figures = {"activity", "steps", "cadence_median_spm", "cadence_mean_spm", "ground_contact_median_ms"}
    figures |= {"duty_factor", "speed_mps", "distance_m"}
    kept = {"start_s", "end_s", "part", "reps"}
    assert {f.name for f in dataclasses.fields(Bout)} == figures | kept  # a new field: write it in own_figures
    analysis = analyze_gait(simulate_run(RunSpec(duration_s=30.0, seed=2)).recordings[0])
    times = np.sort(analysis.step_times_s)
    per_instant = 2 if analysis.steps_doubled_from_one_foot else 1
    stand = Bout(activity="stand", start_s=0.0, end_s=float(times[0]))
    first = Bout(activity="walk", start_s=float(times[0]), end_s=float(times[20]), part="warm-up", reps=3)
    second = Bout(activity="run", start_s=float(times[21]), end_s=float(times[-1]), part="interval")
    out = own_figures([stand, first, second], analysis, times, per_instant)
    assert out[0] is stand
    for before, after in zip((first, second), out[1:], strict=True):
        assert {name: getattr(after, name) for name in kept} == {name: getattr(before, name) for name in kept}
        assert after.steps == per_instant * (21 if before is first else times.size - 21)
        assert after.cadence_median_spm is not None
        assert after.duty_factor is not None
        assert after.activity == "run"  # a running foot's duty factor decides, whatever the bout said
