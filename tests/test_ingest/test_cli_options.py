"""``record`` options are checked before anything connects; ``recover`` saves a session with a bad header."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
from pathlib import Path

import pytest

from calfload.cli import _record, main
from calfload.ingest.clock import ScaledClock
from calfload.ingest.finalize import finalize_session
from calfload.ingest.rawlog import SESSION_FILE, SessionHeader
from calfload.ingest.recorder import capture
from calfload.ingest.virtual import standin_calf_raises, virtual_connector

SCALE = 10.0


def _record_args(out: Path, *extra: str, device: str = "sim:polar") -> list[str]:
    scale = ["--time-scale", str(SCALE)] if device.startswith("sim:") else []
    return ["-q", "record", "--device", device, "--out", str(out), *scale, "--duration", "3s", *extra]


@pytest.mark.parametrize(
    "extra",
    [
        ["--added-load-kg", "-5"],
        ["--added-load-kg", "nan"],
        ["--added-load-kg", "inf"],
        ["--added-load-kg", "201"],
        ["--rate", "-5"],
        ["--rate", "0"],
        ["--rate", "nan"],
        ["--rate", "inf"],
        ["--seed", "-1"],
        ["--seed", "1" * 30],
        ["--seed", "x"],
        ["--time-scale", "1e300"],
        ["--time-scale", "0"],
        ["--time-scale", "-3"],
        ["--time-scale", "nan"],
    ],
)
def test_bad_numbers_are_refused_by_the_parser(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    assert main(_record_args(tmp_path / "rec", *extra)) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert "internal error" not in err
    assert not (tmp_path / "rec").exists()


@pytest.mark.parametrize(
    ("device", "rate", "listed"),
    [
        ("sim:polar", "100000", "416"),
        ("sim:polar", "333", "208"),
        ("sim:witmotion", "333", "200"),
        ("AA:BB:CC:DD:EE:FF", "100000", "416"),  # a real device: no family can do it
    ],
)
def test_a_rate_the_device_cannot_do_is_one_line_before_connecting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], device: str, rate: str, listed: str
) -> None:
    code = main(_record_args(tmp_path / "rec", "--rate", rate, device=device))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("calfload: error:")
    assert "send at" in err[-1]
    assert listed in err[-1]
    assert not (tmp_path / "rec").exists()


@pytest.mark.parametrize("extra", [["--fault", "disconnect@5s:3s"], ["--time-scale", "5"]])
def test_virtual_device_options_are_refused_for_a_real_device_before_connecting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    code = main(_record_args(tmp_path / "rec", *extra, device="AA:BB:CC:DD:EE:FF"))
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("calfload: error:")
    assert "only apply to virtual devices" in err[-1]
    assert not (tmp_path / "rec").exists()


async def test_recover_saves_a_session_whose_header_is_invalid(tmp_path: Path) -> None:
    clock = ScaledClock(SCALE)
    connector = virtual_connector("polar", clock=clock, motion=standin_calf_raises())
    header = SessionHeader(
        device="sim:polar", start_utc=dt.datetime.now(dt.UTC), start_monotonic_ns=clock.monotonic_ns()
    )
    await capture(connector, tmp_path / "rec", header, clock=clock, duration_s=6.0)
    await connector.aclose()
    # As an older version wrote it, with the value the metadata refuses.
    path = tmp_path / "rec" / SESSION_FILE
    doc = json.loads(path.read_text())
    doc["added_load_kg"] = -5.0
    path.write_text(json.dumps(doc))
    result = finalize_session(tmp_path / "rec")
    imu = next(r for r in result.recordings if r.meta.kind == "imu")
    assert imu.meta.added_load_kg is None
    assert any("added_load_kg" in note for note in result.notes)


async def test_ctrl_c_works_where_the_loop_has_no_signal_handlers(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()

    def unsupported(*_: object) -> None:
        raise NotImplementedError  # as on Windows

    monkeypatch.setattr(loop, "add_signal_handler", unsupported)
    before = signal.getsignal(signal.SIGINT)
    stop = asyncio.Event()
    restore = _record._install_stop_handlers(loop, stop)
    try:
        signal.raise_signal(signal.SIGINT)
        await asyncio.wait_for(stop.wait(), timeout=5.0)
    finally:
        restore()
    assert stop.is_set()
    assert signal.getsignal(signal.SIGINT) is before
