"""Library errors carry typed fields and never name command-line flags; the CLI names the flag."""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest

import calfload
from calfload.cli import build_parser, main
from calfload.cli._errors import FLAGS, cli_message, cli_text
from calfload.errors import AnalysisError, DataError, JournalError, RecordError, SchemaError
from calfload.loadmodel._workout import Workout, check_workout
from calfload.signal import CalfRaiseParams

SRC = Path(calfload.__file__).parent
FLAG = re.compile(r"(?<![\w-])--[a-z]")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_library_text_names_a_flag() -> None:
    """Every string outside cli/ (docstrings aside) is free of ``--flag``; report/ renders for the CLI."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] in ("cli", "report"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) and id(node) not in docs else None
            if isinstance(text, str) and FLAG.search(text):
                offenders.append(f"{rel}:{getattr(node, 'lineno', 0)}: {text[:60]!r}")
    assert not offenders, offenders


def test_placement_error_has_fields_and_library_wording() -> None:
    with pytest.raises(AnalysisError) as info:
        CalfRaiseParams.for_placement("wrist")
    exc = info.value
    assert (exc.parameter, exc.value, exc.expected) == ("placement", "wrist", "foot or shank")
    assert "`placement`" in str(exc)
    assert "--" not in str(exc)
    assert cli_message(exc).endswith("give --placement foot or shank")


def test_workout_errors_name_the_argument() -> None:
    import datetime as dt

    with pytest.raises(JournalError) as info:
        check_workout(Workout(activity="run", day=dt.date(2026, 11, 2), distance_km=400.0))
    exc = info.value
    assert (exc.parameter, exc.value, exc.expected) == ("distance_km", 400.0, "above 0 and at most 300 km")
    assert cli_message(exc) == "--distance-km must be above 0 and at most 300, got 400"


def test_file_and_column_fields() -> None:
    exc = SchemaError("no column acc_x_mps2", source="a.csv", table="imu", column="acc_x_mps2")
    assert (exc.file, exc.source, exc.column, exc.table) == ("a.csv", "a.csv", "acc_x_mps2", "imu")
    assert str(exc) == "a.csv: no column acc_x_mps2"
    record = RecordError("bad", source="session 3", key="reps[0]", expected="a number")
    assert (record.file, record.key, record.expected) == ("session 3", "reps[0]", "a number")


def test_errors_survive_pickling() -> None:
    """Batch workers send errors across processes."""
    exc = pickle.loads(pickle.dumps(DataError("bad", source="a.csv", parameter="columns")))
    assert str(exc) == "a.csv: bad"


def test_cli_text_maps_only_known_names() -> None:
    assert cli_text("give `activity` or run `calfload check`; `t_s` stays") == (
        "give --activity or run `calfload check`; `t_s` stays"
    )
    assert cli_text("`duration_min` and `rate_hz`") == "--duration and --rate"


def _all_flags() -> set[str]:
    flags: set[str] = set()
    pending = [build_parser()]
    while pending:
        parser = pending.pop()
        for action in parser._actions:
            flags.update(s for s in action.option_strings if s.startswith("--"))
            if action.choices and isinstance(action.choices, dict):
                pending.extend(p for p in action.choices.values() if hasattr(p, "_actions"))
    return flags


def test_every_mapped_flag_exists() -> None:
    assert set(FLAGS.values()) <= _all_flags()


def test_cli_prints_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = str(tmp_path / "journal")
    code = main(["--data-dir", home, "log", "workout", "--activity", "calf_raise"])
    err = capsys.readouterr().err
    assert code == JournalError.exit_code
    assert err == "calfload: error: a calf_raise workout needs --sets-reps, e.g. 3x12\n"


def test_a_tempo_tolerance_as_long_as_the_target_is_refused_by_the_analysis() -> None:
    """Every rep would pass such an audit; the command line refused it, a library caller got the passes."""
    from calfload.ingest import load_recording
    from calfload.signal import analyze

    recording = load_recording(SRC / "sample_data" / "calf_endurance_52hz.csv")
    with pytest.raises(AnalysisError) as info:
        analyze(recording, target_eccentric_s=0.5)  # the default tolerance is 0.5 s
    assert (info.value.parameter, info.value.value) == ("tolerance_s", 0.5)
    assert cli_message(info.value) == "--tolerance (0.5 s) must be smaller than --target-eccentric (0.5 s)"
