"""Fixtures and options for the ingest tests.

``--hardware`` enables the tests marked ``hardware``, which talk to real BLE wearables (see
docs/recording.md, "Testing with real hardware"). Without it they are skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from calfload.recording import Recording
from calfload.schema import RecorderFacts


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("calfload hardware")
    group.addoption(
        "--hardware",
        action="store_true",
        default=False,
        help="run the tests that need a real BLE device (foot pod, Polar, WitMotion)",
    )
    group.addoption(
        "--device",
        action="store",
        default=None,
        help="address or name of the device for the hardware tests (default: the first one found)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--hardware"):
        return
    skip = pytest.mark.skip(reason="needs a real BLE device; run with --hardware")
    for item in items:
        if "hardware" in item.keywords:
            item.add_marker(skip)


#: Virtual devices in the subprocess tests run this many times faster than real time.
TEST_TIME_SCALE = 4.0


@pytest.fixture
def sim_record_args() -> Callable[..., list[str]]:
    """Arguments of ``calfload record`` against a fast virtual device."""

    def args(out: Path, *extra: str, device: str = "sim:polar") -> list[str]:
        return ["-q", "record", "--device", device, "--out", str(out), "--time-scale", str(TEST_TIME_SCALE), *extra]

    return args


def recorder_facts(recording: Recording) -> RecorderFacts:
    """What the recorder counted, from a recorded stream's metadata (every recorded stream has it)."""
    assert recording.meta.recorder is not None, "a recorded stream says what the recorder counted"
    return recording.meta.recorder
