"""``calfload export`` and ``restore``: DuckDB reads the dataset as it is; export -> restore -> export is identical."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.test_cli_journal.conftest import MONDAY, Cli, _d

REVIEW_DAY = _d(1, 4)
PAIN_FLAGS = ("--morning", "2", "--after", "1", "--stiffness", "3", "--swelling")


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def clinic(cli: Cli, calf_file: Callable[..., Path]) -> Cli:
    """Two athletes, built through the CLI: imported sessions, hand-logged workouts, pain, mass, tests, VISA-A."""
    cli.ok("athlete", "add", "Ann Lee", "--side-affected", "left", "--foot-length-cm", "18")
    cli.ok("athlete", "add", "Bob", "--programme", "hsr")
    ann = ("--athlete", "Ann Lee")
    cli.ok(*ann, "import", calf_file(MONDAY), calf_file(_d(0, 3), "fast"))
    cli.ok(*ann, "log", "workout", "--activity", "calf_raise", "--sets-reps", "3x10", "--date", _d(1, 0).isoformat())
    cli.ok(*ann, "log", "pain", "--date", _d(0, 3).isoformat(), *PAIN_FLAGS)
    cli.ok(*ann, "log", "mass", "61.5", "--date", MONDAY.isoformat())
    cli.ok(*ann, "log", "baseline", "--side", "left", "--heel-rise-reps", "18", "--date", MONDAY.isoformat())
    cli.ok(*ann, "log", "baseline", "--side", "right", "--heel-rise-reps", "25", "--date", MONDAY.isoformat())
    cli.ok(*ann, "log", "visa-a", "5", "6", "7", "5", "4", "3", "4", "14", "--date", _d(1, 0).isoformat())
    cli.ok(*ann, "log", "session", "1", "--added-load-kg", "5")
    bob = ("--athlete", "Bob")
    cli.ok(*bob, "import", calf_file(_d(1, 1)))
    cli.ok(*bob, "log", "workout", "--activity", "run", "--distance-km", "8", "--date", _d(1, 2).isoformat())
    cli.ok(*bob, "log", "pain", "--morning", "0", "--date", REVIEW_DAY.isoformat())
    return cli


def _reviews(cli: Cli, data_dir: Path) -> dict[str, str]:
    return {
        name: Cli(data_dir, cli._capsys).ok("--athlete", name, "review", "--date", REVIEW_DAY.isoformat(), "--json")
        for name in ("Ann Lee", "Bob")
    }


def test_duckdb_counts_the_sessions_review_lists(clinic: Cli, tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "export"
    clinic.ok("export", out)
    dataset = str(out / "sessions" / "**" / "*.parquet")
    counted = dict(
        duckdb.sql(
            f"SELECT athlete, count(*) FROM read_parquet('{dataset}', hive_partitioning = true) GROUP BY athlete"
        ).fetchall()
    )
    reviews = {k: json.loads(v) for k, v in _reviews(clinic, clinic.data_dir).items()}
    assert counted == {name: len(review["sessions"]) for name, review in reviews.items()} == {"Ann Lee": 3, "Bob": 2}
    days = duckdb.sql(
        f"SELECT DISTINCT CAST(date AS VARCHAR) FROM read_parquet('{dataset}', hive_partitioning = true) "
        "WHERE athlete = 'Ann Lee' ORDER BY 1"
    ).fetchall()
    assert [d for (d,) in days] == [MONDAY.isoformat(), _d(0, 3).isoformat(), _d(1, 0).isoformat()]
    pain = duckdb.sql(
        f"SELECT morning, stiffness, swelling FROM read_parquet('{out}/pain/**/*.parquet', hive_partitioning = true) "
        "WHERE athlete = 'Ann Lee'"
    ).fetchall()
    assert pain == [(2, 3, 1)]
    header = (out / "sessions.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:3] == ["athlete", "id", "content_sha256"]
    assert "analysis_json" in header
    assert (out / "daily.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "athlete,date,load_au,acute_au,chronic_au,flag,rules"
    )


def test_export_restore_export_gives_identical_files(clinic: Cli, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    clinic.ok("export", first)
    restored = tmp_path / "restored"
    again = Cli(restored, clinic._capsys)
    again.ok("restore", first)
    again.ok("export", second)
    assert _tree(first) == _tree(second)
    assert len(list((first / "recordings").rglob("*.parquet"))) == 3
    assert _reviews(clinic, restored) == _reviews(clinic, clinic.data_dir)
    names = [a["name"] for a in json.loads(again.ok("athlete", "list", "--json"))]
    assert names == ["Ann Lee", "Bob"]
    assert json.loads(again.ok("athlete", "list", "--json"))[0]["foot_length_cm"] == 18.0
    for name in ("Ann Lee", "Bob"):
        code, out, err = again("--athlete", name, "check")
        assert code == 0, out + err


@pytest.fixture
def small(cli: Cli) -> Cli:
    """A folder of two athletes with one entry each (what bad input is tried on)."""
    cli.ok("athlete", "add", "Ann")
    cli.ok("athlete", "add", "Bob")
    cli.ok("--athlete", "Ann", "log", "pain", "--morning", "2", "--date", MONDAY.isoformat())
    cli.ok("--athlete", "Bob", "log", "mass", "80", "--date", MONDAY.isoformat())
    return cli


def test_export_of_one_athlete_restores_as_that_athlete(small: Cli, tmp_path: Path) -> None:
    out = tmp_path / "bob"
    small.ok("export", out, "--athlete", "bob")
    assert (out / "athletes.csv").read_text(encoding="utf-8") == "name\nBob\n"
    assert not (out / "pain").exists()
    restored = Cli(tmp_path / "restored", small._capsys)
    restored.ok("restore", out)
    assert _names_of(restored) == ["Bob"]
    assert json.loads(restored.ok("review", "--date", MONDAY.isoformat(), "--json"))["body_mass_kg"] == 80.0


def _names_of(cli: Cli) -> list[str]:
    return [a["name"] for a in json.loads(cli.ok("athlete", "list", "--json"))]


@pytest.mark.parametrize("case", ["export-not-empty", "restore-not-empty", "restore-not-an-export"])
def test_bad_input_is_one_line_and_writes_nothing(small: Cli, tmp_path: Path, case: str) -> None:
    clinic = small
    target = tmp_path / "target"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    if case == "export-not-empty":
        args: tuple[str | Path, ...] = ("export", target)
        runner = clinic
    else:
        source = tmp_path / "export"
        if case == "restore-not-empty":
            clinic.ok("export", source)
            runner = Cli(target, clinic._capsys)
        else:
            source.mkdir()
            runner = Cli(tmp_path / "new-home", clinic._capsys)
        args = ("restore", source)
    before = (_tree(target), _tree(clinic.data_dir))
    code, out, err = runner(*args)
    assert code in (5, 6)
    assert err.count("\n") == 1
    assert out == ""
    assert (_tree(target), _tree(clinic.data_dir)) == before
    assert not (tmp_path / "new-home").exists()
