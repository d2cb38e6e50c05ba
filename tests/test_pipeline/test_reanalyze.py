"""``calfload reanalyze`` on journals written by earlier releases: c0389ac (schema 1, before typed results)
and 7b81524 (schema 8, the release before this one: typed, versioned records).

Both were made by tests/fixtures/journal_c0389ac.py run with that release's code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from calfload.cli import main
from calfload.journal import Journal
from calfload.pipeline import apply_reanalysis, reanalyze
from calfload.recording import write_parquet
from calfload.signal import RECORD_VERSION, CalfRaiseAnalysis, GaitAnalysis, HopAnalysis

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _fixture_recipe() -> Any:
    """tests/fixtures/journal_c0389ac.py, the recipe the fixture journal was made with."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("journal_c0389ac", FIXTURES / "journal_c0389ac.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fixture_streams():
    return _fixture_recipe().recordings()


@pytest.fixture(params=["c0389ac", "7b81524"])
def old_journal(request, tmp_path, fixture_streams):
    """A journal of an earlier release with its recordings put back where its database says they are."""
    folder = tmp_path / "old"
    (folder / "recordings").mkdir(parents=True)
    shutil.copyfile(FIXTURES / f"journal_{request.param}.sqlite3", folder / "journal.sqlite3")
    db = sqlite3.connect(folder / "journal.sqlite3")
    rows = db.execute("SELECT s.source_name, t.path FROM stream t JOIN session s ON s.id = t.session_id").fetchall()
    db.close()
    for name, rel in rows:
        write_parquet(fixture_streams[name], folder / rel)
    return folder


def _content(folder: Path) -> str:
    """A digest of everything the journal database holds (its tables' rows)."""
    db = sqlite3.connect(folder / "journal.sqlite3")
    digest = hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()
    db.close()
    return digest


def test_a_dry_run_reports_every_recorded_session_and_changes_nothing(old_journal):
    with Journal(old_journal, create=False) as journal:
        before = _content(old_journal)
        changes = reanalyze(journal)
        after = _content(old_journal)
    assert before == after
    assert [c.activity for c in changes] == ["calf_raise", "calf_raise", "run", "hops"]
    assert all(c.error is None for c in changes)
    calf = changes[0]
    assert calf.before.reps == 36
    assert calf.after is not None
    assert calf.after.reps == 36  # the tempo sample: 3 x 12 reps, as the simulator made them
    assert isinstance(calf.analysis, CalfRaiseAnalysis)
    assert (calf.analysis.params.target_eccentric_s, calf.analysis.params.tolerance_s) == (3.0, 0.5)
    assert isinstance(changes[2].analysis, GaitAnalysis)
    assert isinstance(changes[3].analysis, HopAnalysis)
    assert changes[2].after is not None
    assert changes[2].after.steps == changes[2].analysis.steps


def test_apply_stores_versioned_records_and_a_second_run_finds_nothing(old_journal):
    with Journal(old_journal, create=False) as journal:
        changes = reanalyze(journal)
        # Store all of them, changed or not, so every record is rewritten with its version.
        for c in changes:
            object.__setattr__(c, "before", dataclasses_replace_loads(c.before))
        applied = apply_reanalysis(journal, changes)
        assert applied == len(changes)
        again = reanalyze(journal)
    assert not any(c.changed for c in again)
    db = sqlite3.connect(old_journal / "journal.sqlite3")
    stored = [json.loads(t) for (t,) in db.execute("SELECT analysis_json FROM session ORDER BY id")]
    edits = db.execute("SELECT count(*) FROM session_edit WHERE field = 'analysis'").fetchone()[0]
    db.close()
    assert all(doc["record_version"] == RECORD_VERSION for doc in stored)
    assert edits == applied


def dataclasses_replace_loads(figures):
    """Figures that differ from any re-analysis (forces ``changed``), to store every session."""
    import dataclasses

    return dataclasses.replace(figures, load_au=-1.0)


def test_an_apply_interrupted_midway_leaves_the_journal_as_it_was(old_journal, monkeypatch):
    import calfload.journal._journal as journal_module
    from calfload.journal._records import analysis_record

    calls = []
    real = analysis_record

    def failing(analysis):
        calls.append(analysis)
        if len(calls) == 2:  # the first session's update is already written inside the transaction
            raise KeyboardInterrupt
        return real(analysis)

    with Journal(old_journal, create=False) as journal:
        changes = reanalyze(journal)
        for c in changes:
            object.__setattr__(c, "before", dataclasses_replace_loads(c.before))
        before = _content(old_journal)
        monkeypatch.setattr(journal_module, "analysis_record", failing)
        with pytest.raises(KeyboardInterrupt):
            apply_reanalysis(journal, changes)
    assert len(calls) == 2
    assert _content(old_journal) == before


def test_the_command_shows_the_differences_and_changes_nothing_without_apply(old_journal, capsys):
    with Journal(old_journal, create=False):
        pass  # opening migrates the old schema (as every command does); only that may change
    before = _content(old_journal)
    assert main(["--data-dir", str(old_journal), "reanalyze", "--since", "2026-03-05"]) == 0
    out = capsys.readouterr().out
    assert _content(old_journal) == before
    assert "run" in out
    assert "hops" in out
    assert "calf_raise" not in out  # before --since
    assert ("nothing was changed" in out) or ("Nothing would change" in out)
    assert main(["--data-dir", str(old_journal), "reanalyze", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [s["activity"] for s in doc["sessions"]] == ["calf_raise", "calf_raise", "run", "hops"]
    assert doc["applied"] == 0


def test_a_missing_recording_is_reported_not_fatal(old_journal):
    for f in (old_journal / "recordings").glob("*.parquet"):
        f.unlink()
        break
    with Journal(old_journal, create=False) as journal:
        changes = reanalyze(journal, until=dt.date(2026, 3, 31))
    errors = [c for c in changes if c.error]
    assert len(errors) == 1
    assert "missing" in (errors[0].error or "")
    assert errors[0].after is None
    assert not errors[0].changed


def test_a_range_that_ends_before_it_starts_is_refused_in_the_library_s_words(tmp_path):
    from calfload.cli._errors import cli_message
    from calfload.errors import JournalError

    with Journal(tmp_path) as journal, pytest.raises(JournalError) as info:
        reanalyze(journal, since=dt.date(2026, 3, 9), until=dt.date(2026, 3, 2))
    assert info.value.parameter == "since"
    assert cli_message(info.value) == "--since 2026-03-09 is after --until 2026-03-02; give the earlier day first"
