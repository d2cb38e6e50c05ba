"""``calfload report --athlete NAME --share``: the one-page summary, checked in headless Chromium, and its PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from calfload.journal import today_local
from calfload.report.share import KNOWN_ERROR, NOT_A_DIAGNOSIS, find_chromium
from tests.test_report.conftest import Browser, Cli
from tests.test_report.test_pages import assert_clean_page, assert_numbers_match


def _days_ago(n: int) -> str:
    return (today_local() - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def bob(cli: Cli) -> Cli:
    """Two athletes; Bob has three weeks of hand-logged calf sessions, pain and a heel-rise test of both sides."""
    cli.ok("athlete", "add", "Ann")
    cli.ok("athlete", "add", "Bob", "--side-affected", "left")
    for n in (20, 17, 13, 10, 6, 3):
        cli.ok(
            "--athlete",
            "Bob",
            "log",
            "workout",
            "--activity",
            "calf_raise",
            "--sets-reps",
            "3x12",
            "--date",
            _days_ago(n),
        )
        cli.ok("--athlete", "Bob", "log", "pain", "--during", "2", "--after", "1", "--date", _days_ago(n))
    for n in range(0, 21, 3):
        cli.ok("--athlete", "Bob", "log", "pain", "--morning", "1", "--date", _days_ago(n))
    for side, reps in (("left", "18"), ("right", "25")):
        args = ("log", "baseline", "--side", side, "--heel-rise-reps", reps, "--date", _days_ago(3))
        cli.ok("--athlete", "Bob", *args)
    return cli


@pytest.fixture
def light(cli: Cli) -> Cli:
    """Two athletes, Bob with one pain entry: enough for the page's refusals."""
    cli.ok("athlete", "add", "Ann")
    cli.ok("athlete", "add", "Bob")
    cli.ok("--athlete", "Bob", "log", "pain", "--morning", "1", "--date", _days_ago(1))
    return cli


def _pages(tmp_path: Path) -> tuple[Path, Path]:
    html = tmp_path / "bob-share.html"
    return html, html.with_suffix(".pdf")


def test_share_page_in_chromium_and_its_one_page_pdf(browser: Browser, bob: Cli, tmp_path: Path) -> None:
    if find_chromium() is None:
        pytest.skip("no Chromium to print the PDF with")
    html, pdf = _pages(tmp_path)
    bob.ok("--athlete", "Bob", "report", "--share", "--out", html)
    review = bob.json("--athlete", "Bob", "review")

    page = browser.render(html)
    assert_clean_page(page, "share")
    data = page.data
    assert data["athlete"] == "Bob"
    assert data["review"] == review
    assert assert_numbers_match(page, data) >= 4 * 4 + 3
    assert data["heel_rise"]["reps"] == {"left": 18, "right": 25}
    assert data["heel_rise"]["lsi_pct"] == 72.0  # the profile's affected left: 18 / 25
    text = page.probe["text"]
    assert "Bob: Achilles loading summary" in text
    assert review["next_step"] in text
    assert all(reason in text for reason in review["reasons"])
    assert " ".join(NOT_A_DIAGNOSIS.split()) in " ".join(text.split())
    assert all(" ".join(line.split()) in " ".join(text.split()) for line in KNOWN_ERROR)
    assert "below the 90 % return-to-running criterion" in text

    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", content)) == 1, "the summary must print on one page"


def test_without_chromium_the_page_is_written_and_the_pdf_named(
    light: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = light
    monkeypatch.setenv("CALFLOAD_CHROMIUM", "no-such-chromium")
    html, pdf = _pages(tmp_path)
    code, out, err = bob("--athlete", "Bob", "report", "--share", "--out", html)
    assert code == 0
    assert out.strip() == str(html.resolve())
    assert "no Chromium found" in err
    assert err.count("\n") == 1
    assert html.is_file()
    assert not pdf.exists()


def test_share_refuses_a_file_and_an_existing_pdf(light: Cli, tmp_path: Path) -> None:
    bob = light
    html, pdf = _pages(tmp_path)
    pdf.write_bytes(b"mine")
    code, _, err = bob("--athlete", "Bob", "report", "--share", "--out", html)
    assert code == 6
    assert err.count("\n") == 1
    assert "already exists" in err
    assert not html.exists()
    assert pdf.read_bytes() == b"mine"
    code, _, err = bob("--athlete", "Bob", "report", "--share", "some.parquet")
    assert code == 3
    assert err.count("\n") == 1
