"""Recorder CPU per sensor through the real Bluetooth stack: ``python -m benchmarks.recorder_bluez``.

``calfload record --device ADDRESS --rate 416`` runs in its own process against a Polar of the
BlueZ stand-in (``tests/test_bluez``: a private ``dbus-daemon`` and the ``org.bluez`` service in
this process), so the recorder's figure holds bleak's BlueZ backend, the D-Bus messages and the
live calf-raise analysis, and not the device side. Start-up and finalising are removed by
subtracting the median short run from the median long run. Needs ``dbus-daemon``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.test_bluez._bluez_standin import BlueZStandIn, DeviceSpec
from tests.test_bluez._private_bus import private_system_bus

SHORT_S, LONG_S, RUNS = 6.0, 36.0, 2


def _cpu_s(command: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, check=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    """Print the recorder's CPU share (% of one core) per sensor at 416 Hz six-axis."""
    folder = Path(tempfile.mkdtemp(prefix="calfload-bench-"))
    with private_system_bus(folder / "bus") as address:
        os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = address
        standin = BlueZStandIn(address)
        standin.start()
        try:
            env = {**os.environ, "CALFLOAD_HOME": str(folder / "no-journal")}
            cpu: dict[float, list[float]] = {SHORT_S: [], LONG_S: []}
            for run in range(RUNS):
                for seconds in (SHORT_S, LONG_S):
                    standin.reset()
                    device = standin.add(DeviceSpec("polar"))
                    out = folder / f"rec-{run}-{seconds:g}"
                    command = [sys.executable, "-m", "calfload", "-q", "record", "--device", device, "--rate", "416"]
                    cpu[seconds].append(_cpu_s([*command, "--duration", f"{seconds:g}s", "--out", str(out)], env))
        finally:
            standin.stop()
    share = 100.0 * (statistics.median(cpu[LONG_S]) - statistics.median(cpu[SHORT_S])) / (LONG_S - SHORT_S)
    load = os.getloadavg()[0]
    print(f"recorder CPU per sensor through bleak and D-Bus, 416 Hz six-axis: {share:.1f} % of a core", end="")
    print(f" (load average {load:.1f})")


if __name__ == "__main__":
    main()
