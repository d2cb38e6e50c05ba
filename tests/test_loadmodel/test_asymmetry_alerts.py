"""Left/right alerts against simulated feet with a known asymmetry, and against a watch's GCT balance.

Truth: the running simulator (:mod:`calfload.sim._running`) lengthens the left foot's contact by
``contact_asymmetry`` (duty factors ``D·(1 ± a/2)``, so a true GCT balance of ``50·(1 + a/2)`` %)
and places the left landing at ``left_step_share`` of the right foot's stride (the steps ending
on the left foot last ``share·T``). The limit is 52.2 % (Garmin's "poor" zone,
:mod:`calfload.loadmodel._asymmetry`): 0 % asymmetry must give no alert; 12 % contact asymmetry
(53 %) and a 55 % step share must give exactly their own alert; a watch's balance is judged the
same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calfload.cli import main
from calfload.journal import Journal
from calfload.loadmodel._asymmetry import check_asymmetry
from calfload.loadmodel._cadence import check_cadence
from calfload.pipeline import import_files, review_journal
from calfload.recording import make_recording, write_parquet
from calfload.schema import CADENCE_SPM, CONTACT_BALANCE_LEFT_PCT, SPEED_MPS, T_S, RecordingMeta
from calfload.signal import GaitAnalysis, analyze
from calfload.sim import simulate_run
from calfload.sim._running import RunSpec

TODAY = dt.date(2026, 11, 20)


def _feet(asymmetry: float = 0.0, share: float = 0.5, seed: int = 1) -> GaitAnalysis:
    spec = RunSpec(
        duration_s=30.0, feet=("left", "right"), contact_asymmetry=asymmetry, left_step_share=share, seed=seed
    )
    result = analyze(list(simulate_run(spec).recordings))
    assert isinstance(result, GaitAnalysis)
    return result


def test_symmetric_feet_raise_nothing() -> None:
    run = _feet(0.0, seed=11)
    assert check_asymmetry(run) == ()
    assert check_cadence(run, None) is None  # a 30 s run: no cadence windows, and nothing left/right


@pytest.mark.parametrize(("asymmetry", "side"), [(0.12, "left"), (-0.12, "right")])
def test_a_contact_asymmetry_is_the_only_alert(asymmetry: float, side: str) -> None:
    run = _feet(asymmetry, seed=12)
    alerts = check_asymmetry(run)
    assert [(a.measure, a.source, a.longer_side) for a in alerts] == [("contact time", "both feet", side)]
    assert alerts[0].left_share_pct == pytest.approx(50.0 * (1.0 + asymmetry / 2.0), abs=1.0)
    check = check_cadence(run, None)
    assert check is not None
    assert check.reference == "not judged"
    assert check.alerts == ()
    assert check.asymmetry == alerts


def test_a_step_time_asymmetry_is_its_own_alert() -> None:
    alerts = check_asymmetry(_feet(0.0, share=0.55, seed=13))
    assert [(a.measure, a.longer_side) for a in alerts] == [("step time", "left")]
    assert alerts[0].left_share_pct == pytest.approx(55.0, abs=1.0)


def _pod_run(balance_pct: float, folder: Path | None = None, day: dt.date = TODAY) -> GaitAnalysis | Path:
    """Ten minutes of a watch's 1 Hz records at 3.3 m/s and 166 spm with a steady GCT balance."""
    n = 600
    rng = np.random.default_rng(4)
    data = pd.DataFrame(
        {
            T_S: np.arange(n, dtype=float),
            SPEED_MPS: np.full(n, 3.3),
            CADENCE_SPM: 166.0 + rng.normal(0.0, 2.0, n),
            CONTACT_BALANCE_LEFT_PCT: balance_pct + rng.normal(0.0, 0.3, n),
        }
    )
    start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
    meta = RecordingMeta(kind="footpod", sample_rate_hz=1.0, start_utc=start, placement="foot", activity="run")
    rec = make_recording(data, meta, source=f"watch {balance_pct}")
    if folder is not None:
        return write_parquet(rec, folder / f"run-{balance_pct}.parquet")
    result = analyze(rec)
    assert isinstance(result, GaitAnalysis)
    return result


def test_the_watchs_balance_is_judged_like_the_feet() -> None:
    uneven, fair = _pod_run(47.0), _pod_run(51.0)
    assert isinstance(uneven, GaitAnalysis)
    assert isinstance(fair, GaitAnalysis)
    alerts = check_asymmetry(uneven)
    assert [(a.measure, a.source, a.longer_side) for a in alerts] == [("contact time", "device", "right")]
    assert check_asymmetry(fair) == ()
    unmeasured = dataclasses.replace(uneven, dynamics=None)
    assert check_asymmetry(unmeasured) == ()


def test_review_and_analyze_show_the_alert(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _pod_run(53.5, tmp_path, TODAY - dt.timedelta(days=1))
    assert isinstance(run, Path)
    with Journal(tmp_path / "journal", today=TODAY) as journal:
        import_files(journal, [run])
        review = review_journal(journal, TODAY)
    says = [line for item in review.cadence_alerts for line in item.describe()]
    assert len(says) == 1
    assert "left foot takes 53.5 % of the contact time" in says[0]
    assert review.to_dict()["cadence_alerts"][0]["asymmetry"][0]["longer_side"] == "left"
    assert main(["--data-dir", str(tmp_path / "none"), "analyze", str(run), "--json"]) == 0
    check = json.loads(capsys.readouterr().out)["cadence_check"]
    assert [a["measure"] for a in check["asymmetry"]] == ["contact time"]
    assert main(["--data-dir", str(tmp_path / "none"), "analyze", str(run)]) == 0
    assert "left/right: the left foot takes 53.5 %" in capsys.readouterr().out


def test_the_run_report_shows_the_alert(tmp_path: Path) -> None:
    run = _pod_run(46.5, tmp_path)
    assert isinstance(run, Path)
    out = tmp_path / "run.html"
    assert main(["--data-dir", str(tmp_path / "none"), "report", str(run), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert 'data-message="asymmetry-0"' in page
    assert "Left/right contact time: right foot 53.5 %" in page
