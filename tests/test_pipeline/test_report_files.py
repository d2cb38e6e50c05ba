"""pipeline's report files: names, refusals and writes, as a library; the command line only names its flags.

Truth: the file system (what exists before and after), and the error contract of
:mod:`calfload.errors` (fields, arguments in backticks, no command-line flag in a library message).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calfload.cli._errors import cli_message
from calfload.errors import JournalError, StorageError
from calfload.journal import Journal
from calfload.pipeline import athlete_pages, check_report_path, free_name, review_journal, write_report
from calfload.pipeline._days import past_day

PAGE = "<!DOCTYPE html><p>page</p>"


def _refusal(path: Path, *, force: bool = False, argument: str = "out") -> StorageError:
    with pytest.raises(StorageError) as info:
        write_report(PAGE, path, force=force, argument=argument)
    exc = info.value
    assert (exc.file, exc.parameter) == (str(path), argument)
    assert "--" not in str(exc)
    assert f"`{argument}`" in str(exc)
    return exc


def test_a_report_never_replaces_a_folder_a_non_html_file_or_without_force_a_page(tmp_path: Path) -> None:
    notes, page = tmp_path / "notes.csv", tmp_path / "mine.html"
    notes.write_text("t_s,acc\n")
    page.write_text("my notes")
    assert cli_message(_refusal(tmp_path)).endswith("give --out a file name such as report.html")
    assert "give --out a name ending in .html" in cli_message(_refusal(notes))
    exists = _refusal(page, argument="html")
    assert cli_message(exists).endswith("give --html another name, or add --force to replace it")
    assert (notes.read_text(), page.read_text()) == ("t_s,acc\n", "my notes")
    assert write_report(PAGE, page, force=True) == page.resolve()
    assert page.read_text() == PAGE
    with pytest.raises(StorageError):
        check_report_path(notes, force=True)  # force replaces pages only


def test_default_names_are_made_free_and_pages_of_one_slug_are_numbered(tmp_path: Path) -> None:
    first = tmp_path / "r.html"
    first.write_text("kept")
    assert free_name(first) == tmp_path / "r-2.html"
    assert free_name(tmp_path / "new.html") == tmp_path / "new.html"
    pages = athlete_pages(tmp_path / "roster.html", ["Zoë", "zoe", "Ann Lee", "!!"], force=False)
    assert [p.name for p in pages.values()] == [
        "roster-zoe.html",
        "roster-zoe-2.html",
        "roster-ann-lee.html",
        "roster-athlete.html",
    ]
    assert athlete_pages(tmp_path / "no" / "roster.html", ["Zoë"], force=False) == {
        "Zoë": tmp_path / "no" / "roster-zoe.html"
    }
    assert not (tmp_path / "no").exists()  # made when the pages are written, not before the work
    with pytest.raises(StorageError, match="which is a file") as info:
        athlete_pages(first / "no" / "roster.html", ["Zoë"], force=False)
    assert cli_message(info.value).endswith("give --html another path")


def test_a_future_day_is_refused_by_the_library_with_its_argument(tmp_path: Path) -> None:
    today = dt.date(2026, 3, 12)
    assert past_day(today, today) == today
    with pytest.raises(JournalError) as info:
        past_day(today + dt.timedelta(days=1), today)
    assert (info.value.parameter, info.value.value) == ("day", today + dt.timedelta(days=1))
    assert cli_message(info.value) == "2026-03-13 is in the future; give a --date of today or earlier"
    with Journal(tmp_path, today=today) as journal, pytest.raises(JournalError, match="is in the future"):
        review_journal(journal, today + dt.timedelta(days=1))
