"""``calfload roster``: three athletes built through the CLI, ranked with the right reasons in text, JSON and HTML."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_cli_journal.conftest import MONDAY, Athlete, Cli, _d


class AthleteCli(Cli):
    """The folder's CLI with ``--athlete NAME`` before every command."""

    def __init__(self, cli: Cli, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        super().__init__(cli.data_dir, capsys)
        self.name = name

    def __call__(self, *args: str | os.PathLike[str]) -> tuple[int, str, str]:
        return super().__call__("--athlete", self.name, *args)


REVIEW_DAY = _d(1, 3)  # Thursday of the second week


@pytest.fixture
def three_athletes(cli: Cli, calf_file: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> Cli:
    """Ann progresses (Mon/Thu calm weeks), Bob has a morning pain of 7 today, Cy stopped after week one."""
    for name in ("Cy", "Bob"):
        cli.ok("athlete", "add", name)
    cli.ok("athlete", "add", "Ann", "--side-affected", "right")
    ann = Athlete(AthleteCli(cli, "Ann", capsys), calf_file)
    days = [_d(w, wd) for w in range(2) for wd in (0, 3)]
    ann.calf(days)
    ann.mornings(MONDAY, REVIEW_DAY)
    for side, reps in (("left", "24"), ("right", "18")):
        ann.cli.ok("log", "baseline", "--side", side, "--heel-rise-reps", reps, "--date", MONDAY.isoformat())
    bob = Athlete(AthleteCli(cli, "Bob", capsys), calf_file)
    bob.workout(_d(1, 0), "--activity", "calf_raise", "--sets-reps", "3x12")
    bob.mornings(_d(1, 0), REVIEW_DAY, lambda d: 7 if d == REVIEW_DAY else 1)
    cy = Athlete(AthleteCli(cli, "Cy", capsys), calf_file)
    cy.workout(_d(0, 0), "--activity", "calf_raise", "--sets-reps", "2x12")
    cy.mornings(MONDAY, _d(0, 1))
    return cli


def test_roster_ranks_back_off_then_progress_then_stopped_logging(three_athletes: Cli, tmp_path: Path) -> None:
    cli = three_athletes
    rows = json.loads(cli.ok("roster", "--date", REVIEW_DAY.isoformat(), "--json"))
    assert [r["name"] for r in rows] == ["Bob", "Ann", "Cy"]
    bob, ann, cy = rows
    assert (bob["flag"], bob["rule"]) == ("back_off", "R11")
    assert "morning pain 7/10" in bob["reason"]
    assert (ann["flag"], ann["rule"]) == ("progress", "R9")
    assert ann["adherence"] == {"sessions": 4, "target": "4-6"}
    assert ann["days_since_last_session"] == 0
    assert ann["morning_pain_trend"] == {"last_7d_mean": 0.0, "previous_7d_mean": 0.0, "direction": "steady"}
    assert (ann["heel_rise_lsi"], ann["heel_rise_date"]) == (75.0, MONDAY.isoformat())  # right 18 / left 24
    assert bob["heel_rise_lsi"] is None
    assert cy["stopped_logging"] is True
    assert cy["days_since_last_session"] == 10
    assert cy["reason"] == "stopped logging: no session or pain entry for 9 days"
    assert cy["adherence"] == {"sessions": 1, "target": "4-6"}
    assert bob["morning_pain_trend"]["last_7d_mean"] == pytest.approx((1 * 3 + 7) / 4, abs=0.05)

    text = cli.ok("roster", "--date", REVIEW_DAY.isoformat())
    order = [line.split()[1] for line in text.splitlines()[2:] if line[:2].strip().isdigit()]
    assert order == ["Bob", "Ann", "Cy"]
    assert "BACK OFF" in text
    assert "stopped logging: no session or pain entry for 9 days" in text
    assert max(len(line) for line in text.splitlines()) <= 80

    page = tmp_path / "pages" / "roster.html"
    page.parent.mkdir()
    cli.ok("roster", "--date", REVIEW_DAY.isoformat(), "--html", page)
    parsed = _Rows()
    text = page.read_text(encoding="utf-8")
    parsed.feed(text)
    assert all(html.escape(row["reason"]) in text for row in rows)
    assert parsed.athletes == ["Bob", "Ann", "Cy"]
    assert parsed.flags == ["back_off", "progress", "hold"]
    for href in parsed.links:
        report = page.parent / href
        assert report.is_file()
        assert 'data-report="period"' in report.read_text(encoding="utf-8")
    assert len(parsed.links) == 3


def test_roster_of_a_folder_without_athletes_lists_its_one_athlete(cli: Cli) -> None:
    cli.ok("log", "pain", "--morning", "1")
    rows = json.loads(cli.ok("roster", "--json"))
    assert [(r["name"], r["days_since_last_session"], r["heel_rise_lsi"]) for r in rows] == [("default", None, None)]


def test_roster_refuses_an_existing_page_before_any_work(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "roster.html"
    page.write_text("mine", encoding="utf-8")
    code, out, err = cli("roster", "--html", page)
    assert code == 6
    assert err.count("\n") == 1
    assert page.read_text(encoding="utf-8") == "mine"
    assert out == ""


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.athletes: list[str] = []
        self.flags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and "data-athlete" in a:
            self.athletes.append(a["data-athlete"] or "")
            self.flags.append(a["data-flag"] or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


def test_roster_makes_the_pages_folder_privately(cli: Cli, tmp_path: Path) -> None:
    """The README's ``roster --html clinic/roster.html`` in a folder without ``clinic/``. Was: exit 6,
    "create it"; now the folders are made, owner-only like the pages (health data)."""
    cli.ok("log", "pain", "--morning", "1")
    page = tmp_path / "clinic" / "2026" / "roster.html"
    cli.ok("roster", "--html", page)
    assert page.is_file()
    assert [(p.stat().st_mode & 0o777) for p in (page.parent, page.parent.parent)] == [0o700, 0o700]


def test_roster_pages_below_a_file_are_refused_in_one_line_before_any_work(cli: Cli, tmp_path: Path) -> None:
    cli.ok("log", "pain", "--morning", "1")
    blocker = tmp_path / "clinic"
    blocker.write_text("mine", encoding="utf-8")
    code, out, err = cli("roster", "--html", blocker / "sub" / "roster.html")
    assert (code, out, err.count("\n")) == (6, "", 1)
    assert "which is a file" in err
    assert "give --html another path" in err
    assert blocker.read_text(encoding="utf-8") == "mine"
