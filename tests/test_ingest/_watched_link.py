"""A connector that shows the test every notification the recorder receives.

Real-time recorder tests end or break a recording on what the device has sent (a count of
frames, a sample's own timestamp), not on how long the host waited: on a busy machine a scaled
clock runs on while the event loop waits, so "after 5 s" may come before any data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from calfload.ingest import gatt
from calfload.ingest.link import Connector, GattLink, NotifyCallback
from calfload.ingest.virtual.peripherals import DEVICE_CLOCK_START_NS, DEVICE_DRIFT

#: ``watch(link, uuid, payload)``, called for each notification after the recorder's callback.
Watch = Callable[["WatchedLink", str, bytes], None]


class WatchedLink:
    """A :class:`GattLink` passing every notification through ``watch`` first."""

    def __init__(self, inner: GattLink, watch: Watch) -> None:
        self.inner = inner
        self.watch = watch

    @property
    def name(self) -> str:
        """The device's name."""
        return self.inner.name

    @property
    def address(self) -> str:
        """The device's address."""
        return self.inner.address

    @property
    def service_uuids(self) -> frozenset[str]:
        """The device's services."""
        return self.inner.service_uuids

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None:
        """Subscribe, watching each notification."""

        def watched(payload: bytes) -> None:
            callback(payload)
            self.watch(self, uuid, payload)

        await self.inner.start_notify(uuid, watched)

    async def read(self, uuid: str) -> bytes:
        """Read."""
        return await self.inner.read(uuid)

    async def write(self, uuid: str, data: bytes, *, response: bool) -> None:
        """Write."""
        await self.inner.write(uuid, data, response=response)

    async def disconnect(self) -> None:
        """Disconnect."""
        await self.inner.disconnect()

    def drop(self) -> None:
        """Lose the radio link now (a virtual link's ``drop``)."""
        getattr(self.inner, "drop")()  # noqa: B009 - GattLink has no drop


class WatchedConnector:
    """Connects through ``inner``; the links it returns are :class:`WatchedLink`."""

    def __init__(self, inner: Connector, watch: Watch) -> None:
        self.inner = inner
        self.watch = watch

    @property
    def label(self) -> str:
        """The inner connector's label."""
        return self.inner.label

    async def connect(self, on_disconnect: Callable[[], None]) -> GattLink:
        """Connect through the inner connector."""
        return WatchedLink(await self.inner.connect(on_disconnect), self.watch)

    async def aclose(self) -> None:
        """Close the inner connector."""
        await getattr(self.inner, "aclose")()  # noqa: B009 - Connector has no aclose


def pmd_frame_device_s(payload: bytes) -> float:
    """A virtual Polar's PMD frame: its last sample's time in device seconds since switch-on."""
    stamp_ns = int.from_bytes(payload[1:9], "little")
    return (stamp_ns - DEVICE_CLOCK_START_NS) / 1e9 / (1 + DEVICE_DRIFT)


class DropAfterFrames:
    """A watch that drops the first link once the accelerometer and gyroscope sent ``frames`` each.

    A virtual Polar sends a frame per stream at most every 0.1 device seconds, each up to its
    send time, so ``frames`` frames hold at least ``0.1 * (frames - 1)`` seconds of samples.
    With ``stop``, it sets ``stop`` once a later link has sent ``frames_after`` frames of each.
    """

    def __init__(self, frames: int, *, stop: asyncio.Event | None = None, frames_after: int = 10) -> None:
        self.frames = frames
        self.stop = stop
        self.frames_after = frames_after
        self.counts: dict[int, int] = {}
        self.first: WatchedLink | None = None
        self.dropped = False

    def __call__(self, link: WatchedLink, uuid: str, payload: bytes) -> None:
        """Count a PMD frame; drop the first link after its last frame needed, then stop."""
        if uuid != gatt.PMD_DATA or not payload:
            return
        if self.first is None:
            self.first = link
        elif link is self.first and self.dropped:
            return  # a notification after the drop
        self.counts[payload[0]] = self.counts.get(payload[0], 0) + 1
        enough = len(self.counts) == 2 and min(self.counts.values()) >= self.frames
        if enough and not self.dropped:
            self.dropped = True
            link.drop()
            self.counts.clear()
            self.frames = self.frames_after
        elif enough and self.stop is not None:
            self.stop.set()
