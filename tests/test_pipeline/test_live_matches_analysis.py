"""The live figures of ``calfload record`` agree with ``calfload analyze`` of the finished file.

The recorder runs in this process against each virtual device on a clock 8 times faster than
real time, with the same live hook as ``calfload record``; what the status line showed is compared
with the analysis of what was written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from calfload.ingest.clock import ScaledClock
from calfload.ingest.finalize import finalize_session
from calfload.ingest.rawlog import SessionHeader
from calfload.ingest.recorder import RecorderStatus, capture
from calfload.ingest.virtual import virtual_connector, virtual_motion
from calfload.pipeline import live_hook
from calfload.recording import Recording, make_recording
from calfload.schema import T_S
from calfload.signal import analyze_calf_raises, analyze_gait
from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, SensorModel, simulate_calf_session

SCALE = 8.0
#: The issue's promise: within 2 spm of the final analysis once 20 s are recorded.
SETTLED_S = 20.0


async def _record_run(kind: str, folder: Path, duration_s: float) -> list[RecorderStatus]:
    clock = ScaledClock(SCALE)
    motion = None if kind == "footpod" else virtual_motion("run")
    connector = virtual_connector(kind, clock=clock, motion=motion, running=True)
    header = SessionHeader(
        device=f"sim:{kind}",
        activity="run",
        start_utc=dt.datetime.now(dt.UTC),
        start_monotonic_ns=clock.monotonic_ns(),
        time_scale=SCALE,
    )
    statuses: list[RecorderStatus] = []
    try:
        await capture(
            connector,
            folder,
            header,
            clock=clock,
            duration_s=duration_s,
            on_status=statuses.append,
            live_hook=live_hook("run"),
        )
    finally:
        await connector.aclose()
    return statuses


def _live_cadence(status: RecorderStatus) -> float | None:
    if status.cadence_spm is not None:  # a foot pod's own cadence
        return status.cadence_spm
    m = re.search(r"cadence ~(\d+) spm", status.live or "")
    return None if m is None else float(m.group(1))


@pytest.mark.parametrize("kind", ["polar", "witmotion", "footpod"])
async def test_live_cadence_agrees_with_the_analysis_after_20_s(kind: str, tmp_path: Path) -> None:
    statuses = await _record_run(kind, tmp_path / "rec", 27.0)
    (rec,) = [r for r in finalize_session(tmp_path / "rec").recordings if r.meta.kind != "heart_rate"]
    final = analyze_gait(rec, activity="run").cadence_median_spm
    assert final is not None
    live = [c for s in statuses if s.elapsed_s >= SETTLED_S and (c := _live_cadence(s)) is not None]
    assert live, f"no live cadence after {SETTLED_S:g} s"
    # 174 spm simulated (the IMUs' stride rate 1.45 Hz doubled; the pod's 150 + 8 x 3 m/s).
    assert final == pytest.approx(174.0, abs=2.0)
    assert max(abs(c - final) for c in live) <= 2.0


def _cut(rec: Recording, end_s: float) -> Recording:
    data = rec.data[rec.data[T_S] <= end_s].reset_index(drop=True)
    return make_recording(data, rec.meta, source="cut")


def _session(eccentric_s: tuple[float, ...]) -> tuple[Recording, list[float]]:
    spec = CalfSessionSpec(
        blocks=(Rest(5.0), RaiseSet(reps=tuple(RaiseSpec(eccentric_s=e) for e in eccentric_s)), Rest(8.0)),
        sensor=SensorModel(sample_rate_hz=52.0),
        seed=4,
    )
    sim = simulate_calf_session(spec)
    return sim.recording, [r.end_s for r in sim.truth.reps]


@pytest.mark.parametrize("before_end_s", [0.3, 1.0, 2.5])
def test_a_rep_cut_by_the_end_of_the_recording_is_incomplete_and_not_scored(before_end_s: float) -> None:
    """Was: stopped 0.3 s before the heel was down, the cut lowering scored 2.3 s, "too fast"."""
    rec, ends_s = _session((3.0, 3.0, 3.0))
    analysis = analyze_calf_raises(_cut(rec, ends_s[-1] - before_end_s))
    assert analysis.rep_count == 2
    assert analysis.pass_rate == 1.0
    (cut,) = analysis.incomplete_reps
    assert cut.end_s == pytest.approx(ends_s[-1] - before_end_s, abs=0.05)
    assert not cut.eccentric_pass
    assert analysis.to_dict()["incomplete_reps"][0]["start_s"] == pytest.approx(cut.start_s, abs=1e-3)
    # The whole recording has no incomplete rep, and the same first two reps (to a few ms: the
    # rest, gravity and axis are estimated from a little less data).
    whole = analyze_calf_raises(rec)
    assert whole.incomplete_reps == ()
    assert [r.eccentric_s for r in analysis.reps] == pytest.approx([r.eccentric_s for r in whole.reps[:2]], abs=0.02)


def test_live_reps_and_last_lowering_are_those_of_the_analysis() -> None:
    """Every rep the live counter showed, and its lowering, as ``analyze`` of the whole file gives them.

    (A 3.0 s lowering motion measures 2.7 s by DESIGN.md's 10 % threshold, live and afterwards alike.)
    """
    from calfload.ingest.live import LiveWindow
    from calfload.pipeline import CalfRaiseCounter
    from calfload.schema import ACC_MPS2, GYR_DPS

    rec, _ = _session((3.0, 1.6, 3.0, 2.2))
    final = analyze_calf_raises(rec)
    t = rec.data[T_S].to_numpy()
    acc, gyr = rec.data[list(ACC_MPS2)].to_numpy(float), rec.data[list(GYR_DPS)].to_numpy(float)
    counter = CalfRaiseCounter()
    shown: list[float] = []
    for end in range(1, int(t[-1]) + 1):  # once a second, the recorder's last 30 s
        keep = (t > end - 30.0) & (t <= end)
        before = counter.count
        counter(LiveWindow(t[keep], acc[keep], gyr[keep], 52.0))
        if counter.count > before:
            assert counter.last_eccentric_s is not None
            shown.append(counter.last_eccentric_s)
    assert counter.count == final.rep_count == 4
    assert shown == pytest.approx([r.eccentric_s for r in final.reps], abs=0.05)
