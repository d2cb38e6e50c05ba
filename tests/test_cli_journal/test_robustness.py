"""Bad input, repeated imports and interrupted commands leave the journal as it was."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest

from calfload.journal import Journal

MONDAY = dt.date(2024, 5, 6)


def _snapshot(cli):
    with Journal(cli.data_dir) as j:
        return j.counts(), [(p.day, p.during, p.after, p.morning) for p in j.pain_entries()], j.body_mass_entries()


def test_importing_the_same_file_twice_changes_nothing(cli, calf_file):
    path = calf_file(MONDAY)
    first = cli.ok("import", path)
    assert "as session 1" in first
    before = _snapshot(cli)
    again = cli.ok("import", path, path)
    assert again.count("already in the journal as session 1; nothing changed") == 2
    assert _snapshot(cli) == before


@pytest.mark.parametrize(
    "args",
    [
        ("log", "pain", "--date", "2024-05-06", "--during", "11"),
        ("log", "pain", "--date", "2999-01-01", "--morning", "1"),
        ("log", "mass", "0"),
        ("log", "mass", "-3"),
        ("log", "session", "99", "--exercise", "seated"),
        ("log", "session", "1", "--exercise", "pogo_jumps"),
        ("log", "baseline", "--side", "left", "--knee-to-wall-cm", "45"),
        ("review", "--date", "2999-01-01"),
    ],
)
def test_out_of_range_input_is_one_line_and_changes_nothing(cli, calf_file, args):
    cli.ok("import", calf_file(MONDAY))
    cli.ok("log", "pain", "--date", "2024-05-06", "--morning", "1")
    before = _snapshot(cli)
    code, out, err = cli(*args)
    assert code == 5
    assert out == ""
    assert err.startswith("calfload: error: ")
    assert err.count("\n") == 1
    assert _snapshot(cli) == before


def test_import_refuses_an_exercise_of_another_activity(cli, calf_file, base_sessions, tmp_path):
    """``import --exercise ankle_hops`` on a calf session was stored; ``log session`` refused the same."""
    cli.ok("log", "pain", "--date", "2024-05-06", "--morning", "1")
    before = _snapshot(cli)
    code, out, err = cli("import", calf_file(MONDAY), "--exercise", "ankle_hops")
    assert code == 5
    assert out == ""
    assert "'ankle_hops' is a hops exercise, not one for a calf_raise session" in err
    assert err.count("\n") == 1
    # The same check covers an exercise written in the file's own metadata.
    from calfload.recording import Recording, write_parquet

    base = base_sessions["good"]
    start = dt.datetime.combine(MONDAY, dt.time(7, 30), tzinfo=dt.UTC)
    rec = Recording(base.data, base.meta.replace(start_utc=start, exercise="pogo_jumps"), base.source)
    path = write_parquet(rec, tmp_path / "calf_labelled_pogo.parquet")
    code, _, err = cli("import", path)
    assert code == 5
    assert err.startswith("calfload: error: calf_labelled_pogo.parquet: 'pogo_jumps' is a hops exercise")
    assert _snapshot(cli) == before
    # An unknown name is refused before anything is analysed.
    code, _, err = cli("import", calf_file(MONDAY), "--exercise", "skipping")
    assert code == 5
    assert "unknown exercise 'skipping'" in err
    assert _snapshot(cli) == before


def test_a_bad_file_in_a_batch_is_named_and_the_good_ones_are_stored(cli, calf_file, tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet")
    good = calf_file(MONDAY)
    code, out, err = cli("import", good, broken)
    assert code == 3
    assert "broken.parquet" in err
    assert len(err.strip().splitlines()) == 1
    assert "as session 1" in out
    stored = _snapshot(cli)
    assert stored[0]["session"] == 1
    code, _, _ = cli("import", good, broken)  # the same command again stores nothing more
    assert code == 3
    assert _snapshot(cli) == stored


def test_start_time_for_files_without_one(cli, calf_file):
    code, _, err = cli("import", calf_file(MONDAY), "--start", "2024-05-08T18:00")
    assert code == 0, err
    (session,) = cli.review(MONDAY + dt.timedelta(days=2))["sessions"]
    assert session["date"] == "2024-05-08"
    assert session["start_utc"].startswith("2024-05-08T18:00")


def test_interrupt_during_the_transaction_rolls_back(cli, calf_file, monkeypatch):
    files = [calf_file(MONDAY + dt.timedelta(days=2 * i)) for i in range(3)]
    calls = []
    original = Journal.add_prepared

    def interrupted(self, prepared):
        calls.append(prepared.source_name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(self, prepared)

    monkeypatch.setattr(Journal, "add_prepared", interrupted)
    code, _, err = cli("import", *files)
    assert code == 130
    assert "interrupted" in err
    assert len(calls) == 3  # two sessions were inserted before the interrupt ...
    assert _snapshot(cli)[0]["session"] == 0  # ... and rolled back with it


def test_killing_a_large_import_leaves_the_journal_as_it_was(cli, calf_file, tmp_path):
    cli.ok("log", "mass", "70", "--date", MONDAY.isoformat())
    before = _snapshot(cli)
    files = [calf_file(MONDAY + dt.timedelta(days=i), hour=h) for i in range(12) for h in (7, 18)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "calfload", "--data-dir", str(cli.data_dir), "import", *map(str, files)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    recordings = cli.data_dir / "recordings"
    deadline = time.monotonic() + 60.0
    try:
        # Kill once the import is under way: its first recording files are being written.
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list(recordings.glob("*.parquet"))) >= 2:
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the import finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert _snapshot(cli) == before
    # The next import completes and reuses the recording files the killed one left behind.
    out = cli.ok("import", *files)
    assert out.count("imported ") == len(files)
    assert _snapshot(cli)[0]["session"] == len(files)


@pytest.mark.parametrize(
    "args",
    [
        ("review", "--json"),
        ("report", "--since", "2w"),
        ("report", "--session", "1"),
        ("test", "heel-rise", "--left", "{file}", "--no-save"),
    ],
)
def test_read_only_commands_never_create_a_journal(cli, calf_file, tmp_path, capsys, args):
    """A mistyped --data-dir got a new, empty journal and confident advice from it."""
    from calfload.cli import main

    typo = tmp_path / "jounral"
    argv = [a.replace("{file}", str(calf_file(MONDAY))) for a in args]
    code = main(["--data-dir", str(typo), *argv])
    err = capsys.readouterr().err
    assert code == 5
    assert err == f"calfload: error: no journal in {typo}; check --data-dir (or start one with calfload log / import)\n"
    assert not typo.exists()


def test_killing_an_import_inside_its_transaction_leaves_the_journal_as_it_was(cli, calf_file, tmp_path):
    """SIGKILL after two sessions were inserted, before COMMIT: SQLite's WAL drops them on the next open."""
    cli.ok("log", "mass", "70", "--date", MONDAY.isoformat())
    before = _snapshot(cli)
    files = [calf_file(MONDAY + dt.timedelta(days=2 * i)) for i in range(3)]
    marker = tmp_path / "inside-transaction"
    # A test hook in the child only: pause after the second insert, inside the open transaction.
    code = (
        "import sys, time, pathlib\n"
        "from calfload.journal import Journal\n"
        "from calfload.cli import main\n"
        "original, calls = Journal.add_prepared, []\n"
        "def paused(self, prepared):\n"
        "    out = original(self, prepared)\n"
        "    calls.append(out)\n"
        "    if len(calls) == 2:\n"
        "        assert self._conn.in_transaction\n"
        f"        pathlib.Path({str(marker)!r}).write_text('2')\n"
        "        time.sleep(60)\n"
        "    return out\n"
        "Journal.add_prepared = paused\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    argv = [sys.executable, "-c", code, "--data-dir", str(cli.data_dir), "-q", "import", *map(str, files)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60.0
        while time.monotonic() < deadline and proc.poll() is None and not marker.exists():
            time.sleep(0.01)
        why = proc.stderr.read().decode() if proc.poll() is not None and proc.stderr else "no pause"
        assert marker.exists(), why
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(cli) == before
    assert cli.ok("import", *files).count("imported ") == 3
