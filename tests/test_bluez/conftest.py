"""Fixtures: a private D-Bus system bus with the BlueZ stand-in on it, shared by the session.

``DBUS_SYSTEM_BUS_ADDRESS`` points at the private bus for the whole session, so bleak (in this
process and in every ``calfload`` subprocess) talks to the stand-in and never to a real
``bluetoothd``. Each test starts with no device on the air. Where ``dbus-daemon`` cannot run the
tests skip, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._bluez_standin import BlueZStandIn
from ._private_bus import private_system_bus


@pytest.fixture(scope="session")
def standin_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BlueZStandIn]:
    """Start ``dbus-daemon`` and the stand-in once; stop both (no process left) at the end."""
    folder = tmp_path_factory.mktemp("dbus")
    try:
        bus = private_system_bus(folder)
        address = bus.__enter__()
    except (RuntimeError, OSError) as exc:
        pytest.skip(f"no private D-Bus for the BlueZ stand-in: {exc}")
    previous = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")
    os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = address
    standin = BlueZStandIn(address)
    try:
        standin.start()
        yield standin
    finally:
        standin.stop()
        if previous is None:
            os.environ.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SYSTEM_BUS_ADDRESS"] = previous
        bus.__exit__(None, None, None)


@pytest.fixture
def bluez(standin_session: BlueZStandIn) -> Iterator[BlueZStandIn]:
    """The stand-in, with no device on the air before and after the test."""
    standin_session.reset()
    yield standin_session
    standin_session.reset()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Where a test's recording goes."""
    return tmp_path / "rec"
