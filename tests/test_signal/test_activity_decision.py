"""Step 4 of the activity detection on window features measured on real 5 m walks.

The feature values are those of real recordings (the Marpino walking data set: six IMUs on feet,
shanks and thighs; no licence, so not in ../shared/validation and read here only as numbers
printed by ``tools/validate_legs.py``'s windows). A 5 m walk gives two or three moving windows,
and the one that straddles the standing start is half standing, half walking.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal._activity import _time_shares, decide
from calfload.signal._activity_types import WindowFeatures
from calfload.signal._activity_windows import ActivityParams, _classify

PARAMS = ActivityParams()


def _window(start_s: float, label: str, *, gyr_p95_dps: float = 300.0) -> WindowFeatures:
    return WindowFeatures(start_s, start_s + 8.0, 1.2, 0.7, 1.2, 0.6, gyr_p95_dps, 0.85, 0.7, 3.0, label)


def test_a_window_straddling_the_standing_start_does_not_outvote_the_walk() -> None:
    # Additional/Marzia/7 left foot: 0-8 s unclear (standing, then the first steps), 4-12 s gait.
    guess = decide([_window(0.0, "unclear", gyr_p95_dps=265.0), _window(4.0, "gait")], PARAMS)
    assert guess.activity == "gait"
    assert dict(guess.shares)["gait"] == pytest.approx(2 / 3)  # 4-12 s of 0-12 s
    # The same after stillness (Elderly/20180403_10: three still windows, then these two).
    still: list[WindowFeatures | None] = [None, None, None]
    later = decide([*still, _window(12.0, "unclear"), _window(16.0, "gait")], PARAMS)
    assert later.activity == "gait"


def test_the_window_before_one_aligned_with_the_end_holds_the_stop_and_is_at_the_edge() -> None:
    # A 17.5 s file: a walk from 4 s on, slowing to a stop near the end. The grid's last window
    # (8-16 s) straddles the slowing and is unclear; the window aligned with the file's end
    # (9.5-17.5 s) still found the walk. Both neighbours of 8-16 s overlap it, so the rule before
    # f03111c (an edge is a window with a still or missing neighbour) kept its share: gait 70 %.
    # It ends 1.5 s before the stretch does, under half a window: it holds the stop.
    windows = [None, _window(4.0, "gait"), _window(8.0, "unclear"), _window(9.5, "gait")]
    guess = decide(windows, PARAMS)
    assert guess.activity == "gait"
    assert dict(guess.shares)["gait"] == pytest.approx(1.0)


def test_an_unclear_window_aligned_with_the_end_adds_nothing() -> None:
    # Elderly/20180417_4 right thigh (23.2 s): 8-16 s unclear (the standing start), 12-20 s gait,
    # and the window aligned with the file's end, 15.2-23.2 s, unclear (the stop and standing after).
    end = WindowFeatures(15.2, 23.2, 2.18, 0.28, 1.0, 0.2, 136.0, 0.85, 0.7, 1.5, "unclear")
    guess = decide([None, None, _window(8.0, "unclear"), _window(12.0, "gait"), end], PARAMS)
    assert guess.activity == "gait"
    assert dict(guess.shares)["gait"] == pytest.approx(8.0 / 12.0)  # 12-20 s of 8-20 s, as without that window


def test_unclear_movement_between_walks_still_counts_against_them() -> None:
    # Daily living: an unclear window inside a stretch of movement keeps its share.
    unclear = [_window(4.0 * i, "unclear", gyr_p95_dps=80.0) for i in (1, 2, 3)]
    guess = decide([_window(0.0, "gait"), *unclear, _window(16.0, "gait")], PARAMS)
    assert dict(guess.shares)["unclear"] == pytest.approx(0.5)  # 8-16 s and half of 4-8 and 16-20 s, of 0-24 s
    assert guess.activity is None


def test_calf_raises_win_over_walking_only_with_a_set() -> None:
    # Elderly/20180605_1 shank: the shuffle before the walk looks like a slow calf raise.
    shuffle = decide([None, _window(4.0, "calf_raise", gyr_p95_dps=41.0), _window(8.0, "gait")], PARAMS)
    assert shuffle.activity == "gait"
    # Three windows of calf raises (16 s: a set) between walking: a calf-raise session.
    calf = [_window(4.0 * i, "calf_raise", gyr_p95_dps=60.0) for i in range(3)]
    session = decide([*calf, _window(12.0, "gait"), _window(16.0, "gait")], PARAMS)
    assert session.activity == "calf_raise"


def test_a_walking_shank_beating_twice_a_stride_is_not_hopping() -> None:
    # Elderly/20180417_2 right shank 24-32 s: the angular rate's cycle is a stride (1.08 s), the
    # acceleration's a step (0.54 s), with flight-like troughs and impacts.
    walking = WindowFeatures(24.0, 32.0, 1.08, 0.70, 0.54, 0.45, 255.0, 0.82, 0.34, 2.26, "unclear")
    assert _classify(walking, "shank", PARAMS) == "gait"
    # A simulated hop session (seed 15, shank): the acceleration beats twice a hop, the ankle
    # turns slowly (no swing): still hops.
    hopping = WindowFeatures(32.0, 40.0, 0.54, 0.73, 0.26, 0.59, 76.0, 1.0, 0.17, 3.90, "unclear")
    assert _classify(hopping, "shank", PARAMS) == "hops"


def test_standing_and_shifting_weight_before_a_walk_counts_as_still() -> None:
    # Young/20180518_2 left thigh (17.9 s): 0-8 s standing with small weight shifts (18 deg/s,
    # 0.98-1.02 g), 4-12 s the walk's start (75 deg/s), then the walk. The weight shifts kept
    # the start window inside the stretch of movement: 44 % gait, cannot tell.
    windows = [
        WindowFeatures(0.0, 8.0, 0.90, 0.26, 4.18, 0.29, 18.0, 0.95, 0.98, 1.02, "unclear"),
        WindowFeatures(4.0, 12.0, 0.38, 0.53, 0.52, 0.21, 75.0, 0.71, 0.72, 1.33, "unclear"),
        WindowFeatures(8.0, 16.0, 1.18, 0.69, 1.18, 0.77, 149.0, 0.74, 0.61, 1.85, "gait"),
        WindowFeatures(9.9, 17.9, 1.18, 0.50, 1.18, 0.76, 149.0, 0.73, 0.61, 1.85, "gait"),
    ]
    guess = decide(windows, PARAMS, placement="thigh")
    assert guess.activity == "gait"
    assert dict(guess.shares)["gait"] == pytest.approx(9.9 / 13.9)  # 8-17.9 s of 4-17.9 s
    # On the lower back the same small movement is daily living (sitting down, reaching).
    assert decide(windows, PARAMS, placement="lower_back").activity is None
    # Faster, or with a landing or a dip below 1 g, it is movement that counts against the walk.
    for changed in ({"gyr_p95_dps": 60.0}, {"acc_p99_g": 1.3}, {"acc_p01_g": 0.7}):
        moving = [dataclasses.replace(windows[0], **changed), *windows[1:]]  # type: ignore[arg-type]
        assert decide(moving, PARAMS, placement="thigh").activity is None


def test_a_thigh_whose_acceleration_beats_once_a_step_is_walking() -> None:
    # Elderly/20180403_9 right thigh: a 0.9 s stride; the angular rate's norm repeats every
    # 0.32 s (its first clear peak, not the stride), the acceleration's every step (0.46 s).
    window = WindowFeatures(0.0, 8.0, 0.32, 0.68, 0.46, 0.51, 193.0, 0.70, 0.53, 3.63, "unclear")
    assert _classify(window, "thigh", PARAMS) == "gait"
    # Not periodic enough, or not swinging: no stride seen.
    assert _classify(dataclasses.replace(window, acc_periodicity=0.2), "thigh", PARAMS) == "unclear"
    assert _classify(dataclasses.replace(window, gyr_p95_dps=60.0), "thigh", PARAMS) == "unclear"


def test_an_older_adults_walking_shank_turns_too_fast_for_hops() -> None:
    # Elderly/20180403_9 left shank: one beat a stride (0.9 s) in both norms, troughs at 0.4 g
    # and heel strikes at 3.5 g, but a swing at 337 deg/s; simulated hops stay under 261.
    walking = WindowFeatures(0.0, 8.0, 0.90, 0.75, 0.90, 0.48, 337.0, 0.90, 0.39, 3.50, "unclear")
    assert _classify(walking, "shank", PARAMS) == "gait"
    assert _classify(dataclasses.replace(walking, gyr_p95_dps=261.0), "shank", PARAMS) == "hops"


def _shares_by_definition(windows: list[WindowFeatures]) -> dict[str, float]:
    """Every stretch between window edges split among the labels of all the windows over it."""
    edges = sorted({t for w in windows for t in (w.start_s, w.end_s)})
    time: dict[str, float] = {}
    for lo, hi in itertools.pairwise(edges):
        over = {w.label for w in windows if w.start_s < hi and w.end_s > lo}
        for name in over:
            time[name] = time.get(name, 0.0) + (hi - lo) / len(over)
    total = sum(time.values())
    return {k: v / total for k, v in time.items()}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.integers(1, 16), st.sampled_from(["gait", "hops", "calf_raise", "unclear"])),
        min_size=1,
        max_size=40,
    )
)
def test_time_shares_follow_their_definition_on_any_windows(spans: list[tuple[int, int, str]]) -> None:
    # The shares are swept in one pass over the windows (a 10-hour file has 9,000 of them); any
    # order, overlap, gap or length gives what the stretch-by-stretch definition gives.
    windows = [
        WindowFeatures(a / 2, a / 2 + n / 2, 1.0, 0.5, 1.0, 0.5, 100.0, 0.5, 0.9, 1.1, label) for a, n, label in spans
    ]
    swept = {k: v for k, v in _time_shares(windows, lambda w: w.label) if v > 0}
    assert swept == pytest.approx(_shares_by_definition(windows), abs=1e-12)
