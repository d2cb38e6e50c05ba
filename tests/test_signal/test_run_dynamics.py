"""Running dynamics from real FIT files, checked against the devices' own session and lap summaries.

The devices computed their session averages from every internal sample; calfload computes its
figures from the records the file kept. Where both exist they must agree: heart rate within
2.5 bpm, power within 1 %, ground contact within 1 ms on the files whose records hold the
watch's own stance time, vertical oscillation within 1 mm, balance within 0.5 percentage points,
step length within 2 %, and the laps must add up to the session's timer time and distance.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from calfload.ingest import load_recordings
from calfload.loadmodel import Athlete, SessionInput, session_load
from calfload.signal import GaitAnalysis, analyze
from calfload.signal._record import from_record, to_record

#: Files (under fit_public_repos) that carry running dynamics, each a different device or app.
FILES = (
    "goldencheetah/Garmin920_withFirstbeat.fit",  # FR920XT + HRM-Run + Stryd app: balance, step length
    "goldencheetah/Fr955v19.28andStryd.fit",  # FR955 + Stryd pod: native and developer fields, 7 laps
    "activitylog2/920xt-run.fit",  # FR920XT: stance time and vertical oscillation, 13 laps
    "goldencheetah/IpBike-HRV-Data.fit",  # IpBike (Android) with a foot pod: native power
    "goldencheetah/3386684871.fit",  # vivoactive HR + Stryd app: dynamics only as developer fields
)


def _analysis(validation_dir: Path, name: str) -> GaitAnalysis:
    path = validation_dir / "fit_public_repos" / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    main = next(r for r in load_recordings(path) if r.meta.kind == "footpod")
    result = analyze(main)
    assert isinstance(result, GaitAnalysis)
    return result


@pytest.fixture(scope="module")
def analyses(validation_dir: Path) -> dict[str, GaitAnalysis]:
    return {name: _analysis(validation_dir, name) for name in FILES}


def _close(ours: float | None, device: float | None, tolerance: float) -> bool:
    return device is None or (ours is not None and abs(ours - device) <= tolerance)


@pytest.mark.parametrize("name", FILES)
def test_run_figures_agree_with_the_devices_session_averages(analyses: dict[str, GaitAnalysis], name: str) -> None:
    a = analyses[name]
    assert a.dynamics is not None
    assert a.footpod is not None
    assert a.footpod.device_summary is not None
    d, s = a.dynamics, a.footpod.device_summary
    assert _close(d.heart_rate_mean_bpm, s.avg_heart_rate_bpm, 2.5)
    assert _close(d.power_mean_w, s.avg_power_w, 0.01 * (s.avg_power_w or 0.0))
    assert _close(d.ground_contact_mean_ms, s.avg_ground_contact_ms, 1.0)
    assert _close(d.vertical_oscillation_mean_mm, s.avg_vertical_oscillation_mm, 1.0)
    assert _close(d.contact_balance_left_pct, s.avg_contact_balance_left_pct, 0.5)
    assert _close(d.step_length_mean_m, s.avg_step_length_m, 0.02 * (s.avg_step_length_m or 0.0))
    assert _close(d.speed_mean_mps, s.avg_speed_mps, 0.03 * (s.avg_speed_mps or 0.0))


def test_each_file_gives_the_fields_it_carries(analyses: dict[str, GaitAnalysis]) -> None:
    garmin = analyses["goldencheetah/Garmin920_withFirstbeat.fit"].dynamics
    assert garmin is not None
    assert garmin.contact_balance_left_pct == pytest.approx(47.99, abs=0.5)
    assert garmin.leg_stiffness_mean_knpm is not None
    assert 5 < garmin.leg_stiffness_mean_knpm < 20
    stryd = analyses["goldencheetah/Fr955v19.28andStryd.fit"].dynamics
    assert stryd is not None
    assert dict(stryd.sources)["power_w"] == "Stryd developer field"
    assert dict(stryd.sources)["ground_contact_ms"] == "record"  # the watch's own wins
    assert stryd.air_power_mean_w is not None
    assert stryd.form_power_mean_w is not None
    # Developer fields only: Stryd's ground time (ms) and vertical oscillation (written in cm).
    vivo = analyses["goldencheetah/3386684871.fit"]
    assert vivo.dynamics is not None
    assert dict(vivo.dynamics.sources)["ground_contact_ms"] == "Stryd developer field"
    assert vivo.ground_contact_median_ms is not None
    assert 200 < vivo.ground_contact_median_ms < 320
    assert vivo.dynamics.vertical_oscillation_mean_mm is not None
    assert 50 < vivo.dynamics.vertical_oscillation_mean_mm < 120
    pod = analyses["goldencheetah/IpBike-HRV-Data.fit"].dynamics
    assert pod is not None
    assert pod.contact_balance_left_pct is None
    assert pod.ground_contact_mean_ms is None


@pytest.mark.parametrize("name", FILES)
def test_laps_add_up_to_the_session(analyses: dict[str, GaitAnalysis], name: str, validation_dir: Path) -> None:
    a = analyses[name]
    assert a.dynamics is not None
    refs = json.loads((validation_dir / "fit_public_repos" / "refs.json").read_text(encoding="utf-8"))["files"]
    laps = a.dynamics.laps
    assert laps, "every one of these files has laps"
    assert [lap.index for lap in laps] == list(range(1, len(laps) + 1))
    assert all(b.start_s >= a_.start_s for a_, b in itertools.pairwise(laps))
    timer = next(r["device"].get("timer_s") for r in refs if r["file"] == name)
    if isinstance(timer, int | float):
        assert sum(lap.timer_s for lap in laps) == pytest.approx(timer, abs=2.0)
    if a.distance_m is not None and all(lap.distance_m is not None for lap in laps):
        assert sum(lap.distance_m or 0.0 for lap in laps) == pytest.approx(a.distance_m, rel=0.005)


def test_dynamics_survive_the_journal_record(analyses: dict[str, GaitAnalysis]) -> None:
    for a in analyses.values():
        back = from_record(json.loads(json.dumps(to_record(a))))
        assert isinstance(back, GaitAnalysis)
        assert back.dynamics is not None
        assert a.dynamics is not None
        assert back.dynamics.to_dict() == a.dynamics.to_dict()
        assert back.footpod == a.footpod


def test_developer_ground_time_gives_the_load_model_its_contact_impulse(analyses: dict[str, GaitAnalysis]) -> None:
    a = analyses["goldencheetah/3386684871.fit"]
    day = dt.date(2020, 1, 1)
    session = SessionInput(start_utc=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), local_date=day, activity="run", analysis=a)
    load = session_load(session, Athlete())
    assert load.impulse_bw_s is not None
    assert load.impulse_bw_s > 0
