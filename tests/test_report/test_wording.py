"""Wording defects found by trying calfload as a new user (issue 17), each pinned by a test."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from calfload.errors import DataError
from calfload.ingest import load_recording
from calfload.loadmodel import _prescription
from calfload.loadmodel._params import DEFAULT_PARAMETERS
from calfload.pipeline._import import _describe
from calfload.recording import make_recording, write_csv
from calfload.report import render_calf_text
from calfload.report._gait_text import render_gait_text
from calfload.report._words import ordinal, sensor_place
from calfload.signal import CalfRaiseAnalysis, GaitAnalysis, analyze
from calfload.signal._heel_rise import analyze_heel_rise_test
from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, random_calf_session, simulate_calf_session
from calfload.units import plural


def test_unknown_placement_is_not_a_body_part(tmp_path: Path) -> None:
    """Was: "sensor on the unknown" for a CSV without metadata."""
    session = simulate_calf_session(random_calf_session(np.random.default_rng(5), sample_rate_hz=52.0))
    path = tmp_path / "plain.csv"
    session.recording.data.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = analyze(load_recording(path))
    assert isinstance(result, CalfRaiseAnalysis)
    text = render_calf_text(result, source="plain.csv")
    assert "on the unknown" not in text
    assert "sensor placement not recorded" in text
    assert sensor_place("shank") == "sensor on the shank"


def test_ordinals() -> None:
    """Was: "every 3th row"."""
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "111th",
    ]  # fmt: skip


def test_gait_series_says_every_third_row() -> None:
    result = GaitAnalysis(
        activity="run",
        activity_detected=False,
        duration_s=600.0,
        steps=1700,
        steps_doubled_from_one_foot=False,
        strides=None,
        cadence_mean_spm=170.0,
        cadence_median_spm=170.0,
        series=tuple((10.0 * i, 170.0) for i in range(60)),
        ground_contact_median_ms=None,
        bouts=(),
        source="x",
        placement="foot",
        device="",
    )
    text = render_gait_text(result)
    assert "(every 3rd row)" in text
    assert "3th" not in text


def test_import_summary_counts_in_words() -> None:
    """Was: "1 reps in 1 set(s)"."""
    spec = CalfSessionSpec(blocks=(Rest(6.0), RaiseSet((RaiseSpec(),)), Rest(6.0)), seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = analyze(simulate_calf_session(spec).recording)
    assert _describe(one) == "calf raises, 1 rep in 1 set"
    assert plural(0, "set") == "0 sets"
    assert plural(24, "rep") == "24 reps"


def test_missing_foot_length_is_asked_for_not_reported_as_none(tmp_path: Path) -> None:
    """Was: "... got None" when no foot length was stored or given."""
    session = simulate_calf_session(random_calf_session(np.random.default_rng(6), sample_rate_hz=52.0))
    rec = session.recording
    with pytest.raises(DataError) as err:
        analyze_heel_rise_test(rec, foot_length_cm=None)
    assert "None" not in str(err.value)
    assert "`foot_length_cm`" in str(err.value)
    assert err.value.parameter == "foot_length_cm"
    with pytest.raises(DataError, match="not 2 cm"):
        analyze_heel_rise_test(rec, foot_length_cm=2.0)
    write_csv(rec, tmp_path / "unused.csv")  # the recording stays writable: nothing was changed


@pytest.mark.parametrize(("km", "minutes"), [(None, 0.0), (0.0, None)])
def test_no_long_run_cap_of_zero(monkeypatch: pytest.MonkeyPatch, km: float | None, minutes: float | None) -> None:
    """Was: "keep the long run under 0 min" when the longest recent run had no duration."""
    base = SimpleNamespace(distance_km=km, duration_min=minutes, spikes=())
    monkeypatch.setattr(_prescription, "long_run_base", lambda *a, **k: base)
    for flag in ("hold", "back_off", "progress"):
        assert _prescription._run_cap(flag, None, dt.date(2026, 11, 30), DEFAULT_PARAMETERS) is None  # type: ignore[arg-type]
    base.duration_min, base.distance_km = (30.0, None)
    assert _prescription._run_cap("hold", None, dt.date(2026, 11, 30), DEFAULT_PARAMETERS) == (  # type: ignore[arg-type]
        f"keep the long run under 30 min ({DEFAULT_PARAMETERS.trend.spike_window_days}-day longest 30 min)"
    )


def test_the_cut_rep_line_fits_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Was: "  The rep from 15.9 s was cut by the end of the recording: not counted or scored." (81
    characters) wrapped mid-line at 80 columns (found walking the README on a fresh clone)."""
    monkeypatch.setenv("COLUMNS", "80")
    spec = CalfSessionSpec(
        blocks=(Rest(5.0), RaiseSet(reps=tuple(RaiseSpec(eccentric_s=3.0) for _ in range(3))), Rest(8.0)),
        seed=4,
    )
    sim = simulate_calf_session(spec)
    cut_s = sim.truth.reps[-1].end_s - 1.0
    data = sim.recording.data
    result = analyze(make_recording(data[data["t_s"] <= cut_s].reset_index(drop=True), sim.recording.meta, source="x"))
    assert isinstance(result, CalfRaiseAnalysis)
    assert len(result.incomplete_reps) == 1
    text = render_calf_text(result, source="x")
    assert "was cut by the end of the recording" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_number_and_its_unit_are_never_split_by_wrapping() -> None:
    """Was: "... (the programme asks for 60–90\\n  s); ..." in the demo at 80 columns."""
    from calfload.report._table import wrap_line

    text = (
        "Set 1 is an endurance set: 64 s under tension (the programme asks for 60–90 s); its fast lowering is expected."
    )
    for width in range(30, 100):
        lines = wrap_line(text, width=width)
        assert all(not line.strip().startswith(("s)", "s ")) for line in lines), (width, lines)
        assert " ".join(line.strip() for line in lines) == text


def _texts_with_a_bracketed_plural(path: Path) -> list[str]:
    """The string literals of a module (docstrings left out) with a word ending in "(s)"."""
    import ast
    import re

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and re.search(r"[a-z]\(s\)", node.value)
    ]


def test_no_message_or_help_says_a_plural_in_brackets() -> None:
    """Was: "1 reps in 1 set(s)", "2 week(s) on this rung", "no walk session(s)", "recording file(s)"."""
    import calfload

    root = Path(calfload.__file__).parent
    found = {str(p.relative_to(root)): t for p in root.rglob("*.py") if (t := _texts_with_a_bracketed_plural(p))}
    assert found == {}


def test_the_review_sessions_header_keeps_sets_times_reps_together_at_80_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: "sets", "×", "reps" on three header lines, "×" alone, for a journal of runs only."""
    from calfload.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    home = ["--data-dir", str(tmp_path), "--quiet"]
    assert main([*home, "log", "workout", "--activity", "run", "--distance-km", "16", "--date", "2024-05-06"]) == 0
    assert main(["--data-dir", str(tmp_path), "review", "--date", "2024-05-06"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[next(i for i, line in enumerate(lines) if line.strip() == "Sessions") + 1 :][:4]
    column = [line[header[0].index("sets") :].split("  ")[0].strip() for line in header[:3]]
    assert column[:2] == ["sets", "× reps"], header
    assert max(len(line) for line in lines) <= 80
