"""pipeline.import_into_journal: the library call behind ``calfload import``, cleanup included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from calfload.cli._errors import cli_message
from calfload.errors import DataError, JournalError
from calfload.journal import Journal
from calfload.pipeline import import_into_journal


def test_a_failed_first_import_leaves_no_journal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ax,ay,az\n1,2,3\n4,5,6\n")
    with pytest.raises(DataError, match="no time column") as info:
        import_into_journal(tmp_path / "new" / "athlete", [bad])
    assert info.value.parameter == "columns"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_import_into_a_folder(tmp_path: Path, sample_dir: Path) -> None:
    sample = sample_dir / "calf_endurance_52hz.csv"
    (first,) = import_into_journal(tmp_path / "journal", [sample])
    assert (first.created, first.activity) == (True, "calf_raise")
    with pytest.raises(DataError):
        import_into_journal(tmp_path / "journal", [tmp_path / "absent.csv"])
    with Journal(tmp_path / "journal", create=False) as journal:  # an existing journal stays
        assert [s.session_id for s in journal.sessions()] == [first.session_id]


def test_one_start_time_for_several_files_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    from calfload.pipeline import ImportOverrides, import_files

    start = dt.datetime(2026, 3, 2, 7, 30, tzinfo=dt.UTC)
    with Journal(tmp_path) as journal, pytest.raises(JournalError) as info:
        import_files(
            journal,
            [tmp_path / "missing-a.csv", tmp_path / "missing-b.csv"],
            overrides=ImportOverrides(start_utc=start),
        )
    assert info.value.parameter == "start"
    assert cli_message(info.value).startswith("--start applies to one file")
