"""docs/api.md: every Python block runs, in order, in one namespace, and prints what the page implies."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_examples() -> None:
    assert len(_blocks()) >= 8


def test_every_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CALFLOAD_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    namespace: dict[str, object] = {"__name__": "docs_api"}
    out = io.StringIO()
    for i, block in enumerate(_blocks()):
        with contextlib.redirect_stdout(out):
            exec(compile(block, f"docs/api.md block {i + 1}", "exec"), namespace)
    lines = out.getvalue().splitlines()
    assert lines[0] == "36 [12, 12, 12] 67%"  # the sample's truth: 3 x 12 reps (and the snapshot's pass rate)
    assert lines[1] == "3.0 10.0 True"
    strict_pct = int(lines[2].split("%")[0])
    assert 0 <= strict_pct < 67  # a longer target passes fewer reps
    assert lines[3].startswith("['set', 'index', 'start_s'")
    assert lines[6] == "True"  # the same reps from NumPy arrays as from the file
    assert lines[7] == "True"  # and from a DataFrame
    assert lines[8].endswith(", 7)")  # the recording as a DataFrame: time and six sensor columns
    assert lines[9] == "placement wrist -> foot or shank"
    assert lines[10] == "True calf_raise"
    assert lines[11].split()[0] in ("back_off", "hold", "progress")
    assert lines[11].split()[1] == "1"
    assert lines[12] == "True"  # the journal keeps the typed analysis
    assert lines[13] == "True 3 3.0"  # a stored session's page data; the pain and walk as stored
    assert lines[14] == "31"  # March, both ends included
