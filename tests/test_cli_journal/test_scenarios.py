"""Scenarios through the command line: log mass, import, log pain, review --date D --json.

Each scenario builds a journal from simulated calf sessions (analysed by the real pipeline on
import) and checks the day's flag, its reasons and the next step.
"""

from __future__ import annotations

import datetime as dt
import re

MONDAY = dt.date(2024, 5, 6)
WEDNESDAY, FRIDAY = MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)
WEEK = dt.timedelta(days=7)


def _week(cli, calf_file, *, tempo="good", days=(MONDAY, WEDNESDAY, FRIDAY), mornings=True):
    cli.ok("log", "mass", "72", "--date", MONDAY.isoformat())
    cli.ok("import", *[calf_file(d, tempo) for d in days])
    for d in days:
        cli.ok("log", "pain", "--date", d.isoformat(), "--during", "1", "--after", "1")
    if mornings:
        for i in range((days[-1] - MONDAY).days + 1):
            cli.ok("log", "pain", "--date", (MONDAY + dt.timedelta(days=i)).isoformat(), "--morning", "0")


def _two_weeks(cli, calf_file):
    _week(cli, calf_file)
    days = [d + WEEK for d in (MONDAY, WEDNESDAY, FRIDAY)]
    cli.ok("import", *[calf_file(d) for d in days])
    for i in range(5, 12):
        cli.ok("log", "pain", "--date", (MONDAY + dt.timedelta(days=i)).isoformat(), "--morning", "0")
    for d in days:
        cli.ok("log", "pain", "--date", d.isoformat(), "--during", "1", "--after", "1")


def test_calm_weeks_with_good_tempo_progress(cli, calf_file):
    _two_weeks(cli, calf_file)
    review = cli.review(FRIDAY + WEEK)
    assert review["flag"] == "progress"
    assert review["rules"] == ["R9"]
    assert review["reasons"]
    assert all(isinstance(r, str) for r in review["reasons"])
    assert review["next_step"].startswith("2 × 12 → 3 × 12 single-leg raises")
    assert [w["sessions"] for w in review["weeks"]] == [0, 0, 3, 3]
    assert review["weeks"][-1]["tempo_pass_rate"] == 1.0
    assert review["weeks"][-1]["pain"]["morning_entries"] == 7
    assert len(review["days"]) == 28
    assert [s["reps_per_set"] for s in review["sessions"]] == [12] * 6


def test_one_calm_week_is_not_yet_progress(cli, calf_file):
    _week(cli, calf_file)
    review = cli.review(FRIDAY)
    assert review["flag"] == "hold"
    assert review["reasons"][0].startswith("sessions: 0 and 3")


def test_fast_lowering_holds_with_a_tempo_reason(cli, calf_file):
    _week(cli, calf_file, tempo="fast")
    review = cli.review(FRIDAY)
    assert review["flag"] == "hold"
    assert any("tempo" in r for r in review["reasons"])
    assert review["next_step"].startswith("repeat 2 × 12 single-leg raises, lowering over 3 s")


def test_pain_seven_during_a_session_backs_off(cli, calf_file):
    _week(cli, calf_file)
    cli.ok("log", "pain", "--date", FRIDAY.isoformat(), "--during", "7")
    review = cli.review(FRIDAY)
    assert review["flag"] == "back_off"
    assert review["reasons"][0].startswith("pain during training was 7/10")
    assert "cut the volume by 30%" in review["next_step"]


def test_morning_pain_spike_backs_off(cli, calf_file):
    _week(cli, calf_file)
    saturday = FRIDAY + dt.timedelta(days=1)
    cli.ok("log", "pain", "--date", saturday.isoformat(), "--morning", "4")
    review = cli.review(saturday)
    assert review["flag"] == "back_off"
    assert review["reasons"][0].startswith("morning pain 4/10")


def test_no_morning_entries_means_no_progress(cli, calf_file):
    _week(cli, calf_file, mornings=False)
    review = cli.review(FRIDAY)
    assert review["flag"] == "hold"
    assert any("morning pain" in r and "never counts as fine" in r for r in review["reasons"])


def test_sessions_on_consecutive_days_hold(cli, calf_file):
    thursday = MONDAY + dt.timedelta(days=3)
    _week(cli, calf_file, days=(MONDAY, WEDNESDAY, thursday))
    review = cli.review(thursday)
    assert review["flag"] == "hold"
    assert review["reasons"][0].startswith("spacing:")
    assert (
        f"next strength or plyometric session on {(thursday + dt.timedelta(days=2)).isoformat()}"
        in (review["next_step"])
    )


def test_exercise_and_load_can_be_set_after_the_fact(cli, calf_file):
    cli.ok("log", "mass", "70", "--date", MONDAY.isoformat())
    cli.ok("import", calf_file(MONDAY))
    (session,) = cli.review(MONDAY)["sessions"]
    assert session["peak_force_bw"] == 2.5
    cli.ok("log", "session", str(session["id"]), "--exercise", "single_leg_bent_knee", "--added-load-kg", "7")
    (session,) = cli.review(MONDAY)["sessions"]
    assert session["exercise"] == "single_leg_bent_knee"
    assert session["added_load_kg"] == 7.0
    assert session["peak_force_bw"] == 2.75


def test_text_review_has_tables_with_units(cli, calf_file, monkeypatch):
    _two_weeks(cli, calf_file)
    monkeypatch.setenv("COLUMNS", "200")  # wide enough for every column of every table
    out = cli.ok("review", "--date", (FRIDAY + WEEK).isoformat())
    assert out.startswith(f"Review for {(FRIDAY + WEEK).isoformat()}: PROGRESS")
    for header in ("load (AU)", "under tension", "peak force (BW)", "morning pain mean", "Next step:"):
        assert header in out
    assert "relative index" in out
    assert re.search(r"  0:0\d:\d\d  ", out), "time under tension reads h:mm:ss"
    assert max(len(line) for line in out.splitlines()) > 160, "a 200-column terminal shows the wide tables"
    assert "(not shown at" not in out


def test_text_review_fits_80_columns(cli, calf_file, monkeypatch):
    _two_weeks(cli, calf_file)
    monkeypatch.setenv("COLUMNS", "80")
    out = cli.ok("review", "--date", (FRIDAY + WEEK).isoformat())
    assert max(len(line) for line in out.splitlines()) <= 80
    for kept in ("load", "tempo", "morning", "Next step:", "relative index"):
        assert kept in out
    # The columns left out are named, and a sentence is never broken inside a word.
    assert "(not shown at 80 columns: " in out
    assert "peak force (BW)" not in out.split("Sessions", 1)[1].split("(not shown", 1)[0]
    flowing = " ".join(out.split())
    for reason in cli.review(FRIDAY + WEEK)["reasons"]:
        assert " ".join(reason.split()) in flowing, "wrapped at spaces only"
