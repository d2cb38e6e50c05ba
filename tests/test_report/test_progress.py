"""The progress bar: drawn for a person at a terminal, silent when piped, with --json or --quiet."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from calfload.report import Progress, progress_enabled

from .conftest import Cli


class FakeTerminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _no_env_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CALFLOAD_NO_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(3, "working", stream=stream, delay_s=0.0) as bar:
        for _ in range(3):
            bar.advance()
    assert stream.getvalue() == ""
    assert bar.done == 3


def test_draws_and_erases_on_a_terminal() -> None:
    stream = FakeTerminal()
    with Progress(4, "importing", stream=stream, delay_s=0.0) as bar:
        bar.advance(detail="a.parquet")
        time.sleep(0.12)
        bar.advance(2, detail="b.parquet")
    text = stream.getvalue()
    assert "importing" in text
    assert "3/4" in text
    assert "b.parquet" in text
    last = text.rsplit("\r", 2)
    assert last[-1] == ""  # the last thing written blanks the line and returns to its start
    assert last[-2].strip() == ""
    assert "\x1b" not in text  # no escape sequence: the CLI's terminal filter would print it
    assert "\n" not in text  # one line, redrawn in place


def test_quick_work_shows_nothing() -> None:
    stream = FakeTerminal()
    with Progress(2, "analysing", stream=stream) as bar:  # default delay
        bar.advance()
        bar.advance()
    assert stream.getvalue() == ""


def test_a_single_long_step_still_shows_time_passing() -> None:
    stream = FakeTerminal()
    with Progress(1, "analysing", stream=stream, delay_s=0.0):
        # One blocking step (the work never calls the bar): the ticker redraws meanwhile. On a busy
        # machine the ticker thread may wait long for its turn, so wait for its second drawing
        # rather than a fixed time; without a ticker there is never one, and the test fails.
        deadline = time.monotonic() + 60.0
        while stream.getvalue().count("analysing") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert stream.getvalue().count("analysing") >= 2


@pytest.mark.parametrize(
    ("quiet", "env", "expected"),
    [
        (False, {}, True),
        (True, {}, False),
        (False, {"CALFLOAD_NO_PROGRESS": "1"}, False),
        (False, {"TERM": "dumb"}, False),
    ],
)
def test_progress_enabled(monkeypatch: pytest.MonkeyPatch, quiet: bool, env: dict[str, str], expected: bool) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert progress_enabled(FakeTerminal(), quiet=quiet) is expected
    assert progress_enabled(io.StringIO()) is False


def test_a_broken_terminal_never_fails_the_work() -> None:
    stream = FakeTerminal()
    stream.close()
    with Progress(2, "working", stream=stream, delay_s=0.0, enabled=True) as bar:
        bar.advance()
        bar.advance()
    assert bar.enabled is False


def test_json_output_stays_clean_on_a_terminal(cli: Cli, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    cli.json("analyze", sample_dir / "calf_tempo_3x12_104hz.parquet")
    cli.json("import", sample_dir / "calf_tempo_3x12_104hz.parquet")
    assert terminal.getvalue() == ""


def test_a_warning_printed_while_the_bar_is_drawn_starts_on_a_clear_line() -> None:
    """Was: "importing ███░ 0/1  SensorLogger-2026-11-30calfload: warning: ..." on one line (walking
    the README's phone import on a fresh clone at 80 columns)."""
    from calfload.cli import _warning_printer

    stream = FakeTerminal()
    show = _warning_printer(stream, quiet=False)
    with Progress(2, "importing", stream=stream, delay_s=0.0) as bar:
        bar.advance(detail="SensorLogger-2026-11-30")
        show("assumed acceleration without gravity")
        bar.advance(detail="next")
    text = stream.getvalue()
    before, after = text.split("calfload: warning:", 1)
    assert before.rsplit("\r", 1)[-1] == ""  # the bar was blanked and the cursor is at the line's start
    assert "importing" in before
    assert "importing" in after.split("\n", 1)[1]  # drawn again below the warning
