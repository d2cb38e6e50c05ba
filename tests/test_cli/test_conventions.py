"""Command-line conventions: options after the command, "did you mean", the config file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from calfload.cli import main


def test_data_dir_and_quiet_work_after_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: `calfload log mass 70 --data-dir X` was "unrecognized arguments"."""
    home = tmp_path / "after"
    assert main(["log", "mass", "70", "--data-dir", str(home), "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert (home / "journal.sqlite3").is_file()
    assert main(["review", "--data-dir", str(home), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["flag"] in {"back_off", "hold", "progress"}
    # Before the command still works, and the same option after it wins.
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "log", "mass", "71", "--data-dir", str(home)]) == 0
    assert not other.exists()


@pytest.mark.parametrize(
    ("typed", "suggested"), [("analize", "'analyze'"), ("reveiw", "'review'"), ("imprt", "'import'")]
)
def test_mistyped_command_gets_did_you_mean(typed: str, suggested: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([typed, "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"unknown command '{typed}'; did you mean {suggested}" in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["review", "--nope"], "unrecognized arguments: --nope"),
        (["log", "pain", "--during", "abc"], "argument --during: invalid int value: 'abc'"),
        (["analyze"], "the following arguments are required: FILE"),
        (["log", "pain", "--session", "3", "--activity", "run"], "not allowed with argument"),
    ],
)
def test_usage_errors_are_one_line_that_points_to_help(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: argparse printed its usage block (up to 9 lines) above the error."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert says in err
    assert "--help` shows the options" in err
    assert "usage:" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "pain", "--morning", "11"],
        ["log", "visa-a", "1", "2", "3", "4", "5", "6", "7", "99"],
        ["log", "workout", "--activity", "calf_raise", "--date", "2999-01-01", "--sets-reps", "3x12"],
        ["delete", "session", "3"],
    ],
)
def test_a_failed_command_in_a_new_folder_leaves_no_journal(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: `log pain --morning 11` in a new (or mistyped) data folder left an empty journal behind."""
    home = tmp_path / "new" / "folder"
    assert main(["--data-dir", str(home), *argv]) == 5
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert not (tmp_path / "new").exists()
    # In a folder that has a journal, the same failure leaves it exactly as it was.
    assert main(["--data-dir", str(home), "log", "mass", "70", "-q"]) == 0
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    assert main(["--data-dir", str(home), *argv]) == 5
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before


def test_a_broken_pipe_after_a_first_entry_keeps_the_new_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the command's own failure undoes a journal it started, never a reader that went away."""
    import builtins

    home = tmp_path / "new"
    real_print = builtins.print

    def broken_stdout(*args: object, **kwargs: object) -> None:
        if kwargs.get("file") is None:
            raise BrokenPipeError
        real_print(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "print", broken_stdout)
    assert main(["--data-dir", str(home), "log", "mass", "70"]) == 0
    monkeypatch.undo()
    capsys.readouterr()
    with sqlite3.connect(home / "journal.sqlite3") as db:
        assert db.execute("SELECT mass_kg FROM body_mass").fetchall() == [(70.0,)]


def test_british_spelling_is_an_alias(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Was: `analyse` (the spelling the help text uses) was rejected."""
    assert main(["analyse", str(sample_dir / "calf_endurance_52hz.csv"), "--json", "--no-reps"]) == 0
    assert json.loads(capsys.readouterr().out)["rep_count"] == 38


def test_config_file_sets_defaults_and_flags_win(
    tmp_path: Path, sample_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "j"
    home.mkdir()
    (home / "config.toml").write_text('athlete = "Sam"\ntarget_eccentric_s = 4.0\nunits = "metric"\n')
    path = str(sample_dir / "calf_endurance_52hz.csv")
    assert main(["--data-dir", str(home), "analyze", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tempo"]["target_eccentric_s"] == 4.0
    assert main(["--data-dir", str(home), "analyze", path, "--json", "--target-eccentric", "2.5"]) == 0
    assert json.loads(capsys.readouterr().out)["tempo"]["target_eccentric_s"] == 2.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'red'\n", "unknown key 'colour'"),
        ("side = 'middle'\n", "side is 'middle'; it must be left or right"),
        ("units = 'US'\n", 'units is \'US\'; it must be "metric" or "imperial"'),
        ("side = \n", "not a TOML file"),
    ],
)
def test_bad_config_is_one_line(
    tmp_path: Path, sample_dir: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "j"
    home.mkdir()
    (home / "config.toml").write_text(text)
    assert main(["--data-dir", str(home), "analyze", str(sample_dir / "calf_endurance_52hz.csv")]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert message in err


@pytest.mark.parametrize("command", [["review"], ["log", "mass", "70"], ["check"]])
def test_every_command_reads_the_config(tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A mistake in config.toml is one line whichever command runs, and nothing is written."""
    home = tmp_path / "j"
    home.mkdir()
    (home / "config.toml").write_text("colour = 'red'\n")
    assert main(["--data-dir", str(home), *command]) == 3
    assert "unknown key 'colour'" in capsys.readouterr().err
    assert sorted(p.name for p in home.iterdir()) == ["config.toml"]


def test_imperial_units_from_config_and_the_flag_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "j"
    home.mkdir()
    (home / "config.toml").write_text('units = "imperial"\n')
    run = ["--data-dir", str(home), "log", "workout", "--activity", "run", "--distance-km", "16", "--duration", "80"]
    assert main(run) == 0
    assert "logged run 9.94 mi, 1:20:00" in capsys.readouterr().out  # 16 km / 1.609344
    assert main([*run, "--units", "metric"]) == 0
    assert "logged run 16.00 km, 1:20:00" in capsys.readouterr().out
    assert main([*run, "--json"]) == 0  # JSON keeps SI names and values whatever the display units
    assert json.loads(capsys.readouterr().out)["workout"]["distance_km"] == 16.0


def test_config_folder_follows_the_journal_rule(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """config.toml is read from the journal's folder: --data-dir, else $CALFLOAD_HOME (one rule, the journal's)."""
    import argparse

    from calfload.cli._config import apply_config

    home, given = tmp_path / "home", tmp_path / "given"
    for folder, units in ((home, "imperial"), (given, "metric")):
        folder.mkdir()
        (folder / "config.toml").write_text(f'units = "{units}"\n')
    monkeypatch.setenv("CALFLOAD_HOME", str(home))
    for data_dir, expected in ((None, "imperial"), (str(given), "metric")):
        args = argparse.Namespace(data_dir=data_dir, units=None)
        apply_config(args)
        assert args.units == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["calfload", "ana"], {"analyze", "analyse"}),
        (["calfload", "log", "pa"], {"pain"}),
        (["calfload", "analyze", "--js"], {"--json"}),
        (["calfload", "--data-dir", "x", "test", "heel-rise", "--aff"], {"--affected"}),
    ],
)
@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_shell_completion(shell: str, words: list[str], expected: set[str], tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    made = subprocess.run(
        [sys.executable, "-m", "calfload", "completion", shell], capture_output=True, text=True, check=True
    )
    (tmp_path / "c.sh").write_text(made.stdout)
    array = " ".join(f"'{w}'" for w in words)
    probe = f"source {tmp_path / 'c.sh'}; COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; _calfload; "
    probe += 'printf "%s\\n" "${COMPREPLY[@]}"'
    done = subprocess.run([shell, "-c", probe], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert expected <= set(done.stdout.split())


def test_long_messages_wrap_at_spaces_on_a_terminal_and_stay_one_line_in_a_pipe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from calfload.cli._terminal import fit_message

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "80")
    text = "calfload: error: Bluetooth is not available; " + "turn Bluetooth on and check bluetoothd is running; " * 4
    wrapped = fit_message(text, Terminal()).splitlines()
    assert len(wrapped) > 1
    assert max(len(line) for line in wrapped) <= 80
    assert " ".join(" ".join(wrapped).split()) == " ".join(text.split())  # broken at spaces only
    assert fit_message(text, io.StringIO()) == text
