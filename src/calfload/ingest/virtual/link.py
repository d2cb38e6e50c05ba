"""A :class:`~calfload.ingest.link.Connector` for virtual devices, with fault injection.

The recorder cannot tell a :class:`VirtualConnector` from the bleak one: it connects, subscribes,
reads and writes through the same :class:`~calfload.ingest.link.GattLink` protocol. Faults act
where they would on a real radio link: off-air windows make connecting fail and drop a live
link (the disconnect callback fires); stalls, garbage and duplicates act on notifications in
flight. Fault times count from the recorder's first attempt to connect (:meth:`VirtualConnector.plan_s`),
not from the device's switch-on, so a slow start-up on a busy host cannot let a window pass
before the streams start.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Final

import numpy as np

from calfload._logger import package_logger
from calfload.ingest import gatt
from calfload.ingest.clock import Clock
from calfload.ingest.link import GattLink, LinkLostError, NotifyCallback
from calfload.ingest.pmd import OP_START, MeasurementType
from calfload.ingest.virtual.faults import FaultPlan
from calfload.ingest.virtual.peripherals import VirtualPeripheral

logger = package_logger(__name__)

CONNECT_LATENCY_S: Final = 0.05
FAULT_POLL_S: Final = 0.02


class VirtualLink:
    """One connection to a virtual peripheral."""

    def __init__(self, connector: VirtualConnector, on_disconnect: Callable[[], None]) -> None:
        self._connector = connector
        self._peripheral = connector.peripheral
        self._on_disconnect = on_disconnect
        self._callbacks: dict[str, NotifyCallback] = {}
        self.connected = True
        self.connected_at_s = connector.plan_s()
        self._peripheral.attach(self._deliver)

    @property
    def name(self) -> str:
        """The peripheral's name."""
        return self._peripheral.name

    @property
    def address(self) -> str:
        """The peripheral's address."""
        return self._peripheral.address

    @property
    def service_uuids(self) -> frozenset[str]:
        """The peripheral's services."""
        return self._peripheral.services

    def _check(self) -> None:
        if not self.connected:
            raise LinkLostError("the virtual device is not connected")

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None:
        """Subscribe."""
        self._check()
        self._callbacks[uuid] = callback
        await self._peripheral.on_subscribe(uuid)

    async def read(self, uuid: str) -> bytes:
        """Read."""
        self._check()
        return await self._peripheral.on_read(uuid)

    async def write(self, uuid: str, data: bytes, *, response: bool) -> None:  # noqa: ARG002 - protocol
        """Write (with or without response alike)."""
        self._check()
        await self._peripheral.on_write(uuid, bytes(data))

    async def disconnect(self) -> None:
        """Disconnect (idempotent)."""
        self._close()

    def drop(self) -> None:
        """Lose the radio link: close and tell the central, as bleak's callback would."""
        if self.connected:
            self._close()
            self._on_disconnect()

    def _close(self) -> None:
        if self.connected:
            self.connected = False
            self._peripheral.detach()
            self._connector.forget(self)

    def _deliver(self, uuid: str, data: bytes) -> None:
        callback = self._callbacks.get(uuid)
        if callback is None or not self.connected:
            return
        connector = self._connector
        faults, rng, plan_s = connector.faults, connector.rng, connector.plan_s()
        # PMD frames carry device-timed samples: the peripheral already left out those a stall
        # lost (by their sample times). Every other notification is lost if sent in a stall.
        if uuid != gatt.PMD_DATA and faults.stalled(plan_s):
            return
        if uuid == gatt.PMD_CONTROL_POINT and connector.lose_reply(data, plan_s):
            return
        if faults.garbage_fraction and rng.random() < faults.garbage_fraction:
            callback(self._peripheral.garbage(data, rng))
        callback(data)
        if faults.duplicate_fraction and rng.random() < faults.duplicate_fraction:
            callback(data)


class VirtualConnector:
    """Connects to a virtual peripheral, honouring its fault plan.

    Parameters
    ----------
    kind
        ``footpod``, ``polar`` or ``witmotion`` (for the label ``sim:KIND``).
    peripheral
        The virtual device.
    faults
        Faults to inject.
    clock
        The clock shared with the recorder.
    """

    def __init__(self, kind: str, peripheral: VirtualPeripheral, faults: FaultPlan, clock: Clock) -> None:
        self.kind = kind
        self.peripheral = peripheral
        self.faults = faults
        self._replies_to_lose = list(faults.lost_replies)
        self.clock = clock
        self.rng = np.random.default_rng(faults.seed)
        self._link: VirtualLink | None = None
        self._disconnects_due = sorted(faults.disconnects)
        #: Device seconds (since switch-on) of the first attempt to connect: the fault plan's zero.
        self.first_attempt_s: float | None = None
        peripheral.sample_lost = self._sample_lost
        self._watch: asyncio.Task[None] | None = None

    @property
    def label(self) -> str:
        """``sim:KIND``."""
        return f"sim:{self.kind}"

    def plan_s(self) -> float:
        """Seconds on the fault plan's clock: since the first attempt to connect (0 before it)."""
        if self.first_attempt_s is None:
            return 0.0
        return self.peripheral.now_s() - self.first_attempt_s

    def _sample_lost(self, device_s: float) -> bool:
        """Whether a sample the device took at ``device_s`` (since switch-on) falls in a stall."""
        return self.first_attempt_s is not None and self.faults.stalled(device_s - self.first_attempt_s)

    async def connect(self, on_disconnect: Callable[[], None]) -> GattLink:
        """Connect unless the device is off the air."""
        if self.first_attempt_s is None:
            self.first_attempt_s = self.peripheral.now_s()
        await self.clock.sleep(CONNECT_LATENCY_S)
        if self.faults.off_air(self.plan_s()):
            raise LinkLostError(f"{self.label} is out of range")
        if self._link is not None:
            self._link.drop()
        link = VirtualLink(self, on_disconnect)
        self._link = link
        if self.faults.disconnects and (self._watch is None or self._watch.done()):
            self._watch = asyncio.ensure_future(self._watch_air())
        return link

    def lose_reply(self, data: bytes, now_s: float) -> bool:
        """Whether to drop this control-point notification (the ``lost-reply`` fault)."""
        due = self._replies_to_lose and now_s >= self._replies_to_lose[0]
        if due and data[:3] == bytes([0xF0, OP_START, MeasurementType.GYRO]):
            self._replies_to_lose.pop(0)
            return True
        return False

    def forget(self, link: VirtualLink) -> None:
        """Forget a link that closed."""
        if self._link is link:
            self._link = None

    async def _watch_air(self) -> None:
        """Drop the link when a disconnect window begins.

        A window is never missed: on a busy host this loop may wake after the window has ended,
        and a link made before the window's end still drops then (it would have, on the air).
        """
        while True:
            await self.clock.sleep(FAULT_POLL_S)
            now_s = self.plan_s()
            link = self._link
            while self._disconnects_due and self._disconnects_due[0][0] <= now_s:
                start_s, duration_s = self._disconnects_due.pop(0)
                if link is not None and link.connected_at_s < start_s + duration_s:
                    logger.info("%s: link dropped (fault)", self.label)
                    link.drop()
                    link = None
            if link is not None and self.faults.off_air(now_s):
                link.drop()

    async def aclose(self) -> None:
        """Stop the fault watcher and the peripheral."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        self.peripheral.detach()


__all__ = ["VirtualConnector", "VirtualLink"]
