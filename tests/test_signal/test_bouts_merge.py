"""Short stops inside a run are not rows of the bouts table (FIT and foot-pod records)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from calfload.ingest import load_recordings
from calfload.signal import GaitAnalysis, analyze
from calfload.signal._bouts_merge import SHORT_STOP_S, merge_short_stops
from calfload.signal._bouts_pod import segment_pod
from calfload.signal._bouts_types import Bout


def _run(start: float, end: float, steps: int, cadence: float, distance: float, part: str | None = None) -> Bout:
    return Bout(
        activity="run",
        start_s=start,
        end_s=end,
        part=part,
        steps=steps,
        cadence_median_spm=cadence,
        cadence_mean_spm=cadence,
        distance_m=distance,
        speed_mps=distance / (end - start),
    )


def test_a_short_stop_joins_the_same_gait_around_it() -> None:
    bouts = [
        Bout(activity="stand", start_s=0.0, end_s=10.0),
        _run(10.0, 110.0, 300, 180.0, 300.0),
        Bout(activity="stand", start_s=110.0, end_s=110.0 + SHORT_STOP_S - 1.0),
        _run(139.0, 239.0, 100, 160.0, 200.0),
        Bout(activity="stand", start_s=239.0, end_s=239.0 + SHORT_STOP_S),  # a real stop stays
        _run(269.0, 369.0, 250, 150.0, 250.0),
    ]
    stand, joined, stop, last = merge_short_stops(bouts)
    assert (stand, stop, last) == (bouts[0], bouts[4], bouts[5])
    assert (joined.start_s, joined.end_s, joined.steps, joined.distance_m) == (10.0, 239.0, 400, 500.0)
    assert joined.cadence_median_spm == pytest.approx((300 * 180.0 + 100 * 160.0) / 400)
    assert joined.speed_mps == pytest.approx(500.0 / 200.0)  # over the time in motion, not the stop


def test_a_short_stop_between_different_gaits_is_left_out_and_they_stay_apart() -> None:
    walk = Bout(activity="walk", start_s=0.0, end_s=60.0, steps=100, cadence_median_spm=100.0)
    bouts = [walk, Bout(activity="stand", start_s=60.0, end_s=70.0), _run(70.0, 170.0, 300, 170.0, 300.0, "interval")]
    assert merge_short_stops(bouts) == (bouts[0], bouts[2])


def test_the_public_run_with_many_stops_reads_as_its_real_stops(validation_dir: Path) -> None:
    path = validation_dir / "fit_public_repos" / "workoutizer" / "2019-09-18-16-02-35.fit"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/validation")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (pod, *_) = load_recordings(path)
        result = analyze(pod)
    assert isinstance(result, GaitAnalysis)
    raw = segment_pod(pod, result, max_sample_gap_s=result.params.max_sample_gap_s)
    assert len(raw) == 58  # 26 stops, 23 of them under 30 s
    assert len(result.segments) <= 30
    assert not [b for b in result.segments[1:-1] if b.activity == "stand" and b.duration_s < SHORT_STOP_S]
    # Nothing is lost: the steps and the distance of the gait bouts add up as before.
    for figure in ("steps", "distance_m"):
        before = sum(getattr(b, figure) or 0 for b in raw if b.is_gait)
        assert sum(getattr(b, figure) or 0 for b in result.segments if b.is_gait) == pytest.approx(before)
