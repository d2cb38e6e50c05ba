"""Walk or run along each stretch (:mod:`calfload.signal._bouts`, step 2): stretches that never change, at once.

``_gait_bouts`` makes a stretch whose smoothed cadence never leaves its first state one bout
without the hysteresis and ``_runs`` (issue 15: most of an hour's 90-120 stretches). The reference
is ``_gait_bouts`` as it was, every stretch through ``hysteresis_loop`` and ``_runs``, on
hypothesis-drawn instants whose cadences stay walking, stay running, cross the band, sit on its
edges or hold NaN. A run that is a whole stretch is cut into fast and easy parts from the
stretch's smoothed cadence, not smoothed again: the reference smooths every run bout's instants
again (``_split_pace`` without the stretches' cadences). The hysteresis of a whole series at once
is the rule applied value by value (``hysteresis_loop``).
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal._bouts import _gait_bouts, _runs, _smoothed_cadences, _steady
from calfload.signal._bouts_hysteresis import hysteresis, hysteresis_loop
from calfload.signal._bouts_types import Bout, BoutParams

_PARAMS = BoutParams()


def _gait_bouts_each(times: np.ndarray, per_instant: int, params: BoutParams) -> list[Bout]:
    """Steps 1-2 as before the shortcut: every stretch through ``hysteresis_loop`` and ``_runs``."""
    breaks = np.flatnonzero(np.diff(times) > params.max_pause_s)
    out: list[Bout] = []
    chunks = [c for c in np.split(times, breaks + 1) if c.size * per_instant >= params.min_bout_steps]
    for chunk, (mid, smooth) in zip(
        chunks, _smoothed_cadences(chunks, per_instant, params.cadence_smooth_s), strict=True
    ):
        running = hysteresis_loop(smooth, params.walk_below_spm, params.run_above_spm)
        for a, b, is_run in _runs(mid, running, float(chunk[0]), float(chunk[-1]), params.min_part_s):
            out.append(Bout(activity="run" if is_run else "walk", start_s=a, end_s=b))
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(2, 40),
            st.sampled_from([0.9, 1.0, 0.8, 0.7, 0.6]),  # stride times (s): 133-200 steps/min from one foot
            st.floats(0.0, 0.2),
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([1, 2]),
)
def test_stretches_are_the_bouts_hysteresis_and_runs_make(
    parts: list[tuple[int, float, float]], per_instant: int
) -> None:
    rng = np.random.default_rng(len(parts))
    times, t = [], 0.0
    for count, step, jitter in parts:  # stretches apart by pauses, some changing pace inside
        gaps = step * (1.0 + jitter * rng.uniform(-1.0, 1.0, count))
        gaps[count // 2 :] *= rng.choice([1.0, 1.0, 0.75, 1.3])
        times.extend((t + np.cumsum(gaps)).tolist())
        t = times[-1] + 10.0
    x = np.asarray(times)
    params = _PARAMS
    got = _gait_bouts(x, per_instant, params)
    assert [(b.activity, b.start_s, b.end_s, b.part) for b in got] == [
        (b.activity, b.start_s, b.end_s, b.part) for b in _split(x, per_instant, params)
    ]


def _split(times: np.ndarray, per_instant: int, params: BoutParams) -> list[Bout]:
    from calfload.signal._bouts import _split_pace

    return _split_pace(_gait_bouts_each(times, per_instant, params), times, per_instant, params)


_CADENCE = st.one_of(
    st.floats(100.0, 129.0),
    st.floats(146.0, 200.0),
    st.sampled_from([130.0, 145.0, 137.5, math.nan, math.nextafter(145.0, math.inf), math.nextafter(130.0, 0.0)]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CADENCE, max_size=12), min_size=1, max_size=6))
def test_a_stretch_is_steady_where_hysteresis_never_changes(stretches: list[list[float]]) -> None:
    smooth = np.asarray([v for s in stretches for v in s], dtype=np.float64)
    last = np.cumsum([len(s) for s in stretches])
    low, high = _PARAMS.walk_below_spm, _PARAMS.run_above_spm
    for k, state in enumerate(_steady(smooth, last, low, high)):
        x = smooth[last[k] - len(stretches[k]) : last[k]]
        flags = hysteresis_loop(x, low, high)
        if not x.size:
            assert state is None
        elif state is None:
            assert flags.any()  # it changes state along the stretch
            assert not flags.all()
        else:
            assert np.array_equal(flags, np.full(x.size, state))


_VALUE = st.one_of(
    _CADENCE,
    st.sampled_from([100.0, 137.0, 138.0, 140.0, 200.0, math.nextafter(137.5, 0.0), math.nextafter(137.5, math.inf)]),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_VALUE, max_size=40),
    st.sampled_from([(130.0, 145.0), (137.5, 137.5), (136.0, 139.0), (145.0, 130.0), (140.0, 140.0)]),
)
def test_hysteresis_at_once_is_the_rule_value_by_value(values: list[float], band: tuple[float, float]) -> None:
    """Values on the band's edges and its middle, NaN, a band of no width and one upside down (the loop's path)."""
    x = np.asarray(values, dtype=np.float64)
    low, high = band
    assert np.array_equal(hysteresis(x, low, high), hysteresis_loop(x, low, high))


def test_a_run_bout_of_two_instants_keeps_its_place_among_the_split_ones() -> None:
    """A run bout with too few instants to smooth is kept whole, and the next run bout is split with its own cadence.

    The cadences were queued for the bouts that had them and taken in turn for every run bout: a
    short bout first took the next bout's cadence, and the last run bout raised StopIteration.
    """
    from calfload.signal._bouts import _split_pace

    step_s = np.concatenate([np.full(200, 60.0 / 186.0), np.full(200, 60.0 / 158.0)] * 3)
    long_run = 20.0 + np.cumsum(step_s)
    times = np.concatenate(([0.0, 0.33], long_run))
    short = Bout(activity="run", start_s=0.0, end_s=0.33)
    run = Bout(activity="run", start_s=float(long_run[0]), end_s=float(long_run[-1]))
    alone = _split_pace([run], times, 1, _PARAMS)
    assert any(b.part == "interval" for b in alone)  # the long run alone is cut into fast and easy parts
    assert _split_pace([short, run], times, 1, _PARAMS) == [short, *alone]
