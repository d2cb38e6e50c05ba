"""``calfload record`` adds the session to the journal the athlete keeps, and never creates one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess


def test_a_recording_joins_an_existing_journal(
    tmp_path: Path,
    run_calfload: Callable[..., CompletedProcess[str]],
    sim_record_args: Callable[..., list[str]],
) -> None:
    journal = tmp_path / "journal"
    assert run_calfload(["--data-dir", str(journal), "log", "mass", "70"]).returncode == 0
    done = run_calfload(["--data-dir", str(journal), *sim_record_args(tmp_path / "rec", "--duration", "30s")])
    assert done.returncode == 0, done.stderr
    assert "journal: imported imu.parquet as session 1: calf raises" in done.stderr
    review = run_calfload(["--data-dir", str(journal), "review", "--json"])
    doc = json.loads(review.stdout)
    assert doc["flag"] in {"back_off", "hold", "progress"}
    assert any("session 1" in note for note in doc["notes"])


def test_without_a_journal_nothing_is_created(
    tmp_path: Path,
    run_calfload: Callable[..., CompletedProcess[str]],
    sim_record_args: Callable[..., list[str]],
) -> None:
    journal = tmp_path / "none"
    done = run_calfload(["--data-dir", str(journal), *sim_record_args(tmp_path / "rec", "--duration", "20s")])
    assert done.returncode == 0, done.stderr
    assert "calfload: journal:" not in done.stderr
    assert not journal.exists()
    assert (tmp_path / "rec" / "imu.parquet").is_file()
