"""Many writers on one athlete's journal: every entry arrives, the journal stays whole, a waiting command says so."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import subprocess
import sys
import warnings
from multiprocessing.synchronize import Event
from pathlib import Path

from calfload.journal import Journal
from calfload.journal._journal import JournalBusyWarning

WRITERS = 4
ENTRIES_EACH = 15
FIRST_DAY = dt.date(2024, 1, 1)
TODAY = dt.date(2024, 6, 1)


def _writer(data_dir: str, index: int, start: Event) -> None:
    """Log ``ENTRIES_EACH`` pain and body-mass entries on this writer's own days, one transaction each."""
    warnings.simplefilter("ignore", JournalBusyWarning)  # waiting is expected here; the CLI test checks the words
    start.wait()
    for k in range(ENTRIES_EACH):
        day = FIRST_DAY + dt.timedelta(days=index * ENTRIES_EACH + k)
        with Journal(data_dir, today=TODAY) as journal:
            journal.log_pain(day, morning=index % 11, after=k % 11)
            journal.log_mass(60.0 + index + k / 100, day)


def test_parallel_writer_processes_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    Journal(data, today=TODAY).close()
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(str(data), i, start)) for i in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    with Journal(data, today=TODAY, create=False) as journal:
        pain = journal.pain_entries()
        masses = journal.body_mass_entries()
    assert len(pain) == len(masses) == WRITERS * ENTRIES_EACH
    for entry in pain:
        index, k = divmod((entry.day - FIRST_DAY).days, ENTRIES_EACH)
        assert (entry.morning, entry.after) == (index % 11, k % 11)
    for day, mass_kg in masses:
        index, k = divmod((day - FIRST_DAY).days, ENTRIES_EACH)
        assert mass_kg == 60.0 + index + k / 100
    with sqlite3.connect(data / "journal.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_command_waits_for_another_writer_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "journal"
    with Journal(data) as holder, holder.transaction() as conn:
        conn.execute("INSERT INTO setting (key, value) VALUES ('holder', 'yes')")
        proc = subprocess.Popen(
            [sys.executable, "-m", "calfload", "--data-dir", str(data), "log", "pain", "--morning", "3"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        line = proc.stderr.readline()  # blocks until the command says it waits: no clock involved
        assert "another calfload command is writing the journal" in line
        assert "waiting" in line
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "morning 3/10" in out
    with Journal(data, create=False) as journal:
        assert journal.settings()["holder"] == "yes"
        assert journal.pain_entries()[-1].morning == 3
