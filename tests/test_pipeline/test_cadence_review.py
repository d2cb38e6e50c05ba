"""Cadence alerts through the journal: ``review`` lists them as their own items, ``analyze`` shows them.

The runs are the simulated foot-pod runs of ``tests/test_loadmodel/test_cadence_alerts.py``
(cadence = 120 + 14 · speed, 2 spm noise, 1 Hz records), stored through the import path.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calfload.cli import main
from calfload.journal import Journal
from calfload.journal._cadence_read import CADENCE_TARGET_SETTING
from calfload.pipeline import import_files, review_journal
from calfload.recording import make_recording, write_parquet
from calfload.schema import CADENCE_SPM, SPEED_MPS, T_S, RecordingMeta

TODAY = dt.date(2026, 11, 20)


def _write(folder: Path, day: dt.date, speed: np.ndarray, factor: np.ndarray | float, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    cadence = (120.0 + 14.0 * speed) * factor + rng.normal(0.0, 2.0, speed.size)
    data = pd.DataFrame({T_S: np.arange(speed.size, dtype=float), SPEED_MPS: speed, CADENCE_SPM: cadence})
    start = dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC)
    meta = RecordingMeta(kind="footpod", sample_rate_hz=1.0, start_utc=start, placement="foot", activity="run")
    return write_parquet(make_recording(data, meta, source=f"run {seed}"), folder / f"run-{day.isoformat()}.parquet")


@pytest.fixture(scope="module")
def journal_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("runs")
    files = [
        _write(folder, TODAY - dt.timedelta(days=10 - 2 * i), np.full(20 * 60, v), 1.0, i)
        for i, v in enumerate((2.8, 3.3, 3.8))
    ]
    drop = np.where(np.arange(40 * 60) >= 30 * 60, 0.94, 1.0)
    tired = _write(folder, TODAY - dt.timedelta(days=1), np.full(40 * 60, 3.3), drop, 9)
    data = tmp_path_factory.mktemp("journal")
    with Journal(data, today=TODAY) as journal:
        import_files(journal, [*files, tired])
    return data, tired


def test_review_lists_the_tired_run_beside_the_load_flags(journal_dir: tuple[Path, Path]) -> None:
    data, _ = journal_dir
    with Journal(data, today=TODAY) as journal:
        review = review_journal(journal, TODAY)
    assert len(review.cadence_alerts) == 1
    item = review.cadence_alerts[0]
    assert item.day == TODAY - dt.timedelta(days=1)
    assert [a.kind for a in item.check.alerts] == ["below_habitual"]
    assert item.check.alerts[0].start_s == pytest.approx(30 * 60, abs=60)
    doc = review.to_dict()
    assert doc["cadence_alerts"][0]["says"][0].startswith(f"{item.day.isoformat()} run: cadence")
    assert doc["flag"] in {"back off", "hold", "progress"}  # the load flag is still its own decision


def test_a_chosen_target_is_reported_for_each_recent_run(journal_dir: tuple[Path, Path]) -> None:
    data, _ = journal_dir
    with Journal(data, today=TODAY) as journal:
        journal.set_setting(CADENCE_TARGET_SETTING, "5")
        review = review_journal(journal, TODAY)
        journal.set_setting(CADENCE_TARGET_SETTING, "")
    shares = [c.check.target_met_share for c in review.cadence_alerts]
    assert shares
    assert all(s is not None and s < 0.2 for s in shares)  # these runs ran at their habitual cadence


def test_analyze_shows_the_alert_against_the_journal(
    journal_dir: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, tired = journal_dir
    assert main(["--data-dir", str(data), "analyze", str(tired), "--json", "--cadence-target", "5"]) == 0
    check = json.loads(capsys.readouterr().out)["cadence_check"]
    assert check["reference"] == "habitual relation"
    assert len(check["alerts"]) == 1
    assert check["target_increase_pct"] == 5.0
    assert main(["--data-dir", str(data), "analyze", str(tired)]) == 0
    assert "cadence alert:" in capsys.readouterr().out
