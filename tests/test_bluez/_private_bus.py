"""A private D-Bus system bus for the BlueZ stand-in: its own ``dbus-daemon``, config and socket.

The daemon runs with a configuration written here (a unix socket in a temporary folder, every
name ownable and every message allowed: nothing else listens on it), is told to print its
address, and is stopped (SIGTERM, then waited for) when the session ends, so no process stays
behind. :func:`daemon_problem` says why a daemon cannot run here, for the skip reason.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Final

DAEMON_NAMES: Final = ("dbus-daemon",)
STARTUP_TIMEOUT_S: Final = 30.0

_CONFIG: Final = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
"""


def daemon_path() -> str | None:
    """Return the ``dbus-daemon`` executable, or None."""
    for name in DAEMON_NAMES:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
        if found:
            return found
    return None


@contextlib.contextmanager
def private_system_bus(folder: Path) -> Iterator[str]:
    """Run a private ``dbus-daemon`` while the context lasts; yield its address.

    Raises
    ------
    RuntimeError
        If no daemon is installed or it does not start (the message says why).
    """
    daemon = daemon_path()
    if daemon is None:
        raise RuntimeError("dbus-daemon is not installed (Debian/Ubuntu: apt-get install dbus)")
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "bus.conf"
    config.write_text(_CONFIG.format(socket=folder / "system_bus_socket"), encoding="utf-8")
    proc = subprocess.Popen(
        [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("DBUS_")},
    )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        if not address:
            proc.wait(timeout=STARTUP_TIMEOUT_S)
            error = proc.stderr.read().strip() if proc.stderr is not None else ""
            raise RuntimeError(f"dbus-daemon did not start: {error or 'no address printed'}")
        yield address
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STARTUP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
