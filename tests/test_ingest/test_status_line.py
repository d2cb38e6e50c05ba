"""The live status line of ``record`` at 40, 80 and 160 columns (``--json``: test_cli_record)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from calfload.cli._record_output import status_line
from calfload.ingest.recorder import RecorderStatus

RunCalfload = Callable[..., subprocess.CompletedProcess[str]]


LIVE = "set 2 rep 7 · last lowering 3.1 s (ok) · 83% of reps lowered slowly enough"
STATUS = RecorderStatus(
    elapsed_s=3725.0,
    samples_per_s=416.0,
    samples=1_000_000,
    bad=2,
    dropped=0,
    reconnects=1,
    connected=True,
    live=LIVE,
    cadence_spm=None,
)


@pytest.mark.parametrize("columns", [40, 80, 160])
def test_status_line_fits_the_terminal(columns: int) -> None:
    line = status_line(STATUS, columns)
    assert len(line) <= columns - 1
    assert line.startswith("1:02:05 | 416 samples/s | set 2 rep 7")


def test_a_wide_terminal_shows_every_field_and_a_narrow_one_the_important_ones() -> None:
    wide = status_line(STATUS, 160)
    assert wide.endswith("reconnects 1 | bad 2 | dropped 0")
    assert LIVE in wide
    narrow = status_line(STATUS, 80)
    assert "dropped" not in narrow
    assert narrow.count("…") == 1 or "reconnects" not in narrow
    lost = status_line(RecorderStatus(61.0, 0.0, 10, 0, 0, 3, False), 80)
    assert lost == "0:01:01 | reconnecting… | reconnects 3 | bad 0 | dropped 0"


@pytest.mark.parametrize("columns", [40, 80])
def test_a_foot_pod_shows_its_cadence_and_packets(columns: int) -> None:
    """Was: "0:05:00 | 1 samples/s | cadence 172 spm …": a foot pod sends one measurement a second."""
    pod = RecorderStatus(300.0, 1.0, 300, 0, 0, 0, True, cadence_spm=172.4, footpod=True)
    line = status_line(pod, columns)
    assert line.startswith("0:05:00 | cadence 172 spm | 1 packet/s")
    assert "samples" not in line
    assert line.count("cadence") == 1
    waiting = status_line(RecorderStatus(2.0, 0.0, 0, 0, 0, 0, True, footpod=True), columns)
    assert waiting.startswith("0:00:02 | cadence – | 0 packets/s")
