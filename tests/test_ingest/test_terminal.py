"""Control characters from files and devices never reach the terminal raw."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from calfload.cli._terminal import SafeStream, terminal_safe

#: Sets the terminal window's title (OSC 0), then rings the bell.
SET_TITLE = "\x1b]0;pwned\x07"


def test_the_title_sequence_is_escaped() -> None:
    assert terminal_safe(f"Polar {SET_TITLE}H10") == "Polar \\x1b]0;pwned\\x07H10"
    assert terminal_safe("a\u202eb\nc") == "a\\u202eb\\x0ac"
    assert terminal_safe("line\r\n\tok", keep_layout=True) == "line\r\n\tok"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    safe = terminal_safe(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in safe)
    assert "\u202e" not in safe


@given(st.text())
def test_json_through_the_safe_stream_stays_json(text: str) -> None:
    out = io.StringIO()
    SafeStream(out).write(json.dumps({"model": text}, ensure_ascii=False))
    assert json.loads(out.getvalue()) == {"model": text}
    assert "\x1b" not in out.getvalue()


def test_a_hostile_folder_name_is_printed_escaped(
    tmp_path: Path,
    run_calfload: Callable[..., subprocess.CompletedProcess[str]],
    sim_record_args: Callable[..., list[str]],
) -> None:
    plain = tmp_path / "rec"
    done = run_calfload(sim_record_args(plain, "--duration", "6s"))
    assert done.returncode == 0, done.stderr
    hostile = tmp_path / f"rec{SET_TITLE}"
    shutil.copytree(plain, hostile)
    for f in hostile.glob("*.parquet"):
        f.unlink()
    done = run_calfload(["recover", str(hostile)])
    assert done.returncode == 0, done.stderr
    assert "\\x1b]0;pwned\\x07" in done.stderr  # the name is shown, escaped
    assert "\x1b" not in done.stderr + done.stdout
    assert "\x07" not in done.stderr + done.stdout
