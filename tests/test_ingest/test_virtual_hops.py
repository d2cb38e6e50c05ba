"""``record --activity hops`` on a virtual device streams hop series that ``analyze --activity hops`` finds.

The virtual IMU plays the hop simulator (:mod:`calfload.sim._hops`): two sets of 10 ankle hops
with 0.3 s flights and 0.18 s rebound contacts, 12 s apart. The recording at 416 Hz must show
them with the simulated timing.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

RunCalfload = Callable[..., subprocess.CompletedProcess[str]]


def test_hops_on_a_virtual_polar_are_hop_sets_with_the_simulated_timing(
    tmp_path: Path, run_calfload: RunCalfload
) -> None:
    out = tmp_path / "rec"
    args = ["-q", "record", "--device", "sim:polar", "--activity", "hops", "--rate", "416"]
    # The first set ends about 10 s in (5 s standing, 10 hops of 0.48 s): 14 s hold it whole.
    done = run_calfload([*args, "--out", str(out), "--duration", "14s", "--time-scale", "8"])
    assert done.returncode == 0, done.stderr
    done = run_calfload(["analyze", str(out / "imu.parquet"), "--activity", "hops", "--json"])
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    full = [s for s in result["sets"] if s["hops"] == 10]
    assert len(full) >= 1
    for hop_set in full:
        assert hop_set["mean_flight_ms"] == pytest.approx(300.0, abs=15.0)
        assert hop_set["mean_contact_ms"] == pytest.approx(180.0, abs=15.0)
