"""A journal written by calfload at commit c0389ac (before typed results) opens and reviews unchanged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from calfload.journal import Journal
from calfload.pipeline import review_journal
from calfload.signal import CalfRaiseAnalysis, GaitAnalysis, HopAnalysis
from calfload.signal._record import UNKNOWN_VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
TODAY = dt.date(2026, 3, 12)


def old_journal(tmp_path: Path) -> Path:
    """A copy of the fixture database (tests/fixtures/journal_c0389ac.py says how it was made)."""
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copyfile(FIXTURES / "journal_c0389ac.sqlite3", folder / "journal.sqlite3")
    return folder


def test_old_sessions_read_as_typed_results(tmp_path):
    with Journal(old_journal(tmp_path), today=TODAY, create=False) as journal:
        sessions = journal.sessions()
    kinds = [type(s.analysis) for s in sessions]
    assert kinds == [CalfRaiseAnalysis, CalfRaiseAnalysis, GaitAnalysis, HopAnalysis]
    assert all(s.analysis.calfload_version == UNKNOWN_VERSION for s in sessions)
    calf = sessions[0].analysis
    assert isinstance(calf, CalfRaiseAnalysis)
    assert (calf.rep_count, len(calf.sets)) == (36, 3)


#: What the rule table decides: re-derived on purpose since c0389ac (issue 13), so not compared here.
RULE_OUTPUT = ("flag", "reasons", "rules", "next_step")


#: Keys the review gained since c0389ac (issue 13): an old journal has nothing to put in them.
NEW_KEYS = ("visa_a", "heel_rise_change", "cadence_alerts")


def _without_rules(review: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in review.items() if k not in (*RULE_OUTPUT, *NEW_KEYS, "programme")}
    out["days"] = [{k: v for k, v in day.items() if k != "flag"} for day in review["days"]]
    # Each heel-rise test became its own record, logged or measured (issue 13 item 4).
    out["baseline"] = [{k: v for k, v in b.items() if k != "source"} for b in review["baseline"]]
    # The calf dose per week (issue 13 item 3) is new; its figures are checked against the sessions below.
    out["weeks"] = [{k: v for k, v in w.items() if k != "calf"} for w in review["weeks"]]
    # Pain per session (issue 13 item 5): an old journal has none.
    out["sessions"] = [
        {k: v for k, v in s.items() if k not in ("pain_during", "pain_after")} for s in review["sessions"]
    ]
    return out


def test_old_journal_reviews_as_the_old_release_did(tmp_path):
    """The review the c0389ac code printed for this journal: every load, trend, week and session figure."""
    with Journal(old_journal(tmp_path), today=TODAY, create=False) as journal:
        review = json.loads(json.dumps(review_journal(journal, TODAY).to_dict()))
    expected = json.loads((SNAPSHOTS / "review_journal_c0389ac.json").read_text(encoding="utf-8"))
    assert len(review["sessions"]) == 4
    assert all(review[k] == [] for k in NEW_KEYS)
    assert review["programme"] == "default"  # an old journal names none (issue 13 item 8)
    assert [b["source"] for b in review["baseline"]] == ["measured", "measured"]  # the old test's rows
    assert {s["pain_during"] for s in review["sessions"]} == {None}
    calf_reps = sum(s["sets"] * s["reps_per_set"] for s in review["sessions"] if s["activity"] == "calf_raise")
    assert sum(w["calf"]["reps"] for w in review["weeks"]) == calf_reps
    assert _without_rules(review) == _without_rules(expected)
