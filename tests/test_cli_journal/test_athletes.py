"""Many athletes in one data folder: ``athlete add|list|set`` and ``--athlete`` on journal commands."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from calfload.cli import main
from calfload.cli._athlete import select_athlete
from calfload.journal import SCHEMA_VERSION
from tests.test_cli_journal.conftest import Cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OLD_TODAY = "2026-03-12"


def _names(cli: Cli) -> list[str]:
    return [a["name"] for a in json.loads(cli.ok("athlete", "list", "--json"))]


def _folder_state(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its content hash (SQLite's shared-memory index and empty logs aside)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


def _old_journal(cli: Cli) -> None:
    cli.data_dir.mkdir()
    shutil.copyfile(FIXTURES / "journal_c0389ac.sqlite3", cli.data_dir / "journal.sqlite3")


def test_a_new_folder_holds_one_athlete_that_answers_to_its_name(cli: Cli) -> None:
    assert _names(cli) == ["default"]
    cli.ok("--athlete", "default", "log", "pain", "--morning", "2")
    cli.ok("log", "pain", "--after", "1", "--athlete", "Default")
    today = json.loads(cli.ok("review", "--json"))["days"][-1]
    assert (today["pain_morning"], today["pain_after"]) == (2, 1)


def test_a_journal_from_the_previous_release_keeps_its_athlete(cli: Cli) -> None:
    _old_journal(cli)
    assert _names(cli) == ["default"]
    before = cli.ok("review", "--date", OLD_TODAY, "--json")
    assert cli.ok("--athlete", "default", "review", "--date", OLD_TODAY, "--json") == before
    cli.ok("athlete", "add", "Bob", "--programme", "hsr")
    assert _names(cli) == ["default", "Bob"]
    assert cli.ok("review", "--athlete", "default", "--date", OLD_TODAY, "--json") == before
    bob = json.loads(cli.ok("review", "--athlete", "bob", "--date", OLD_TODAY, "--json"))
    assert bob["sessions"] == []
    with sqlite3.connect(cli.data_dir / "journal.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM session").fetchone()[0] == 4


def test_the_first_add_names_the_athlete_of_an_unused_folder(cli: Cli) -> None:
    cli.ok("athlete", "add", "Ann", "--side-affected", "left", "--body-mass-kg", "61")
    cli.ok("athlete", "add", "Bob", "--foot-length-cm", "19")
    assert _names(cli) == ["Ann", "Bob"]
    assert (cli.data_dir / "athletes" / "bob" / "journal.sqlite3").is_file()
    listed = {a["name"]: a for a in json.loads(cli.ok("athlete", "list", "--json"))}
    assert listed["Ann"]["side_affected"] == "left"
    assert listed["Bob"]["foot_length_cm"] == 19.0
    cli.ok("athlete", "set", "ann", "--units", "imperial")
    assert json.loads(cli.ok("athlete", "list", "--json"))[0]["units"] == "imperial"


def test_each_athlete_has_their_own_journal(cli: Cli) -> None:
    for name in ("Ann", "Bob"):
        cli.ok("athlete", "add", name)
    cli.ok("--athlete", "Ann", "log", "pain", "--morning", "6")
    cli.ok("log", "pain", "--morning", "1", "--athlete", "Bob")
    cli.ok("log", "mass", "80", "--athlete", "Bob")
    ann = json.loads(cli.ok("--athlete", "Ann", "review", "--json"))
    bob = json.loads(cli.ok("--athlete", "Bob", "review", "--json"))
    assert ann["days"][-1]["pain_morning"] == 6
    assert bob["days"][-1]["pain_morning"] == 1
    assert (ann["body_mass_kg"], bob["body_mass_kg"]) == (None, 80.0)
    assert ann["flag"] == "back_off"
    assert bob["flag"] != "back_off"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("log", "pain", "--morning", "1"), "say which with --athlete"),
        (("--athlete", "Cy", "log", "pain", "--morning", "1"), "no athlete 'Cy'"),
        (("athlete", "add", "ann"), "already has an athlete called 'Ann'"),
        (("athlete", "add", "  "), "needs a name"),
        (("athlete", "add", "Eve\x1b]0;x\x07"), "control characters"),
        (("athlete", "set", "Cy", "--units", "metric"), "no athlete 'Cy'"),
        (("athlete", "set", "Ann"), "give at least one"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(cli: Cli, args: tuple[str, ...], says: str) -> None:
    cli.ok("athlete", "add", "Ann")
    cli.ok("athlete", "add", "Bob")
    cli.ok("--athlete", "Ann", "log", "pain", "--morning", "2")
    before = _folder_state(cli.data_dir)
    code, out, err = cli(*args)
    assert code == 5
    assert says in err
    assert err.count("\n") == 1
    assert out == ""
    assert _folder_state(cli.data_dir) == before


def test_config_names_the_folders_athlete_and_the_profile_fills_options(cli: Cli) -> None:
    cli.data_dir.mkdir()
    (cli.data_dir / "config.toml").write_text('athlete = "Sam"\nfoot_length_cm = 24.0\n', encoding="utf-8")
    assert _names(cli) == ["Sam"]
    cli.ok("athlete", "set", "sam", "--side-affected", "right", "--foot-length-cm", "26")
    cli.ok("athlete", "add", "Kim")
    assert _names(cli) == ["Sam", "Kim"]

    def chosen(*argv: str) -> argparse.Namespace:
        args = argparse.Namespace(
            command="test", data_dir=str(cli.data_dir), athlete=None, affected=None, foot_length_cm=None
        )
        for key, value in zip(argv[::2], argv[1::2], strict=True):
            setattr(args, key, value)
        select_athlete(args)
        return args

    sam = chosen()  # config.toml's athlete is the default --athlete
    assert (sam.data_dir, sam.affected, sam.foot_length_cm) == (str(cli.data_dir), "right", 26.0)
    kim = chosen("athlete", "KIM", "affected", "left")
    assert kim.data_dir == str(cli.data_dir / "athletes" / "kim")
    assert (kim.affected, kim.foot_length_cm) == ("left", None)  # a flag wins; config.toml comes later


def test_every_journal_command_uses_the_chosen_athletes_journal(cli: Cli) -> None:
    """Commands added after athletes (corrections here) need no list to follow --athlete."""
    for name in ("Ann", "Bob"):
        cli.ok("athlete", "add", name)
        cli.ok("--athlete", name, "log", "pain", "--morning", "2", "--date", "2024-05-06")
    cli.ok("--athlete", "Bob", "delete", "entry", "pain", "--date", "2024-05-06")
    ann = json.loads(cli.ok("--athlete", "Ann", "review", "--date", "2024-05-06", "--json"))
    bob = json.loads(cli.ok("--athlete", "Bob", "review", "--date", "2024-05-06", "--json"))
    assert (ann["days"][-1]["pain_morning"], bob["days"][-1]["pain_morning"]) == (2, None)
    assert "2024-05-06" in cli.ok("undelete", "--athlete", "Bob")


def test_athlete_is_a_global_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--athlete NAME" in capsys.readouterr().out
