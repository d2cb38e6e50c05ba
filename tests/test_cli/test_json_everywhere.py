"""``--json`` on every command that prints results: one object on stdout that parses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calfload.cli import main


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["mass", "71.5"], {"logged": "mass", "mass_kg": 71.5}),
        (["pain", "--during", "2", "--after", "3"], {"logged": "pain"}),
        (["workout", "--activity", "calf_raise", "--sets-reps", "3x12"], {"logged": "workout"}),
        (["visa-a", *["10"] * 7, "30"], {"logged": "visa-a", "score": 100}),
        (["baseline", "--side", "left", "--heel-rise-reps", "22"], {"logged": "baseline"}),
    ],
)
def test_log_json(
    tmp_path: Path, args: list[str], expect: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "j"), "log", *args, "--json", "--date", "2026-11-30"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert expect.items() <= doc.items()
    assert "2026-11-30" in json.dumps(doc)  # the day, as ISO text


def test_log_session_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = ["--data-dir", str(tmp_path / "j")]
    assert main([*home, "log", "workout", "--activity", "calf_raise", "--sets-reps", "3x12"]) == 0
    capsys.readouterr()
    assert main([*home, "log", "session", "1", "--added-load-kg", "10", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["logged"] == "session"
    assert doc["session_id"] == 1
    assert doc["added_load_kg"] == 10.0


def test_json_is_written_in_one_piece_as_json_dump_lays_it_out(capsys: pytest.CaptureFixture[str]) -> None:
    # An indented object with a NaN (written null), nested lists and text beyond ASCII, written
    # once; a value that cannot be encoded leaves nothing half-written on stdout.
    from calfload.cli._common import print_json

    doc = {"a": [1.5, float("nan"), {"b": "Grüße", "c": []}], "d": {}, "e": (2, 3)}
    print_json(doc)
    expected = {"a": [1.5, None, {"b": "Grüße", "c": []}], "d": {}, "e": [2, 3]}
    assert capsys.readouterr().out == json.dumps(expected, indent=1, ensure_ascii=False) + "\n"
    with pytest.raises(TypeError):
        print_json({"first": 1, "bad": object()})
    assert capsys.readouterr().out == ""
