"""The devices the BlueZ stand-in puts on the air: specs, GATT tables and their virtual peripherals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload.ingest import gatt
from calfload.ingest.clock import MonotonicClock
from calfload.ingest.virtual import VirtualFootpod, VirtualPeripheral, VirtualPolar, VirtualWitMotion

#: Service UUIDs each kind advertises: foot pods and heart-rate sensors their SIG service, a
#: WitMotion only its name.
ADVERTISED: Final[dict[str, tuple[str, ...]]] = {
    "polar": (gatt.HEART_RATE_SERVICE,),
    "heart_rate": (gatt.HEART_RATE_SERVICE,),
    "footpod": (gatt.RSC_SERVICE,),
    "witmotion": (),
}
#: Each service's characteristics and their flags, in handle order.
SERVICE_TABLE: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    gatt.HEART_RATE_SERVICE: ((gatt.HEART_RATE_MEASUREMENT, ("notify",)), (gatt.sig_uuid(0x2A38), ("read",))),
    gatt.PMD_SERVICE: ((gatt.PMD_CONTROL_POINT, ("read", "write", "indicate")), (gatt.PMD_DATA, ("notify",))),
    gatt.WITMOTION_SERVICE: (
        (gatt.WITMOTION_NOTIFY, ("notify",)),
        (gatt.WITMOTION_WRITE, ("write-without-response", "write")),
    ),
    gatt.RSC_SERVICE: (
        (gatt.RSC_MEASUREMENT, ("notify",)),
        (gatt.RSC_FEATURE, ("read",)),
        (gatt.sig_uuid(0x2A55), ("write", "indicate")),
    ),
}


class HeartRateStrap(VirtualPeripheral):
    """A heart-rate-only chest strap (a Polar H9 offers nothing else): one measurement a second."""

    name = "Polar H9 5C3D2E1F"
    address = "A0:9E:1A:00:00:09"
    services = frozenset({gatt.HEART_RATE_SERVICE})

    async def on_subscribe(self, uuid: str) -> None:
        """Start the heart rate."""
        if uuid == gatt.HEART_RATE_MEASUREMENT:
            self.start_task("hr", self.heart_rate_loop)

    async def on_read(self, uuid: str) -> bytes:
        """Body sensor location: chest."""
        return b"\x01" if uuid == gatt.sig_uuid(0x2A38) else b""

    async def on_write(self, uuid: str, data: bytes) -> None:
        """The strap takes no commands."""

    def garbage(self, real: bytes, rng: np.random.Generator) -> bytes:
        """A measurement cut after its flags."""
        return real[:1]


@dataclass(frozen=True, slots=True)
class DeviceSpec:
    """A device to put on the air.

    Parameters
    ----------
    kind
        ``polar``, ``witmotion``, ``footpod`` or ``heart_rate`` (a heart-rate-only strap).
    name, address
        Override the peripheral's own (to make two devices share a name, say).
    activity, seed
        The motion the IMUs play, as ``calfload record --device sim:KIND --activity --seed`` does.
    advertised
        Service UUIDs in the advertisement (default :data:`ADVERTISED`: what such sensors advertise).
    """

    kind: str
    name: str | None = None
    address: str | None = None
    activity: str = "calf_raise"
    seed: int = 0
    advertised: tuple[str, ...] | None = None
    rssi_dbm: int = -60


@dataclass(frozen=True, slots=True)
class DeviceSnapshot:
    """What happened to a device so far."""

    connected: bool
    connects: int
    notifications: int
    exported: bool
    #: Seconds of the device's clock since it was switched on.
    device_s: float = 0.0
    #: Device seconds from its first notification to now (0 before it): how long it has streamed.
    streamed_s: float = 0.0


def make_peripheral(spec: DeviceSpec) -> VirtualPeripheral:
    """The virtual peripheral of a spec, on the real clock, with ``calfload record``'s motion."""
    from calfload.ingest.virtual import virtual_motion

    clock = MonotonicClock()
    peripheral: VirtualPeripheral
    if spec.kind == "polar":
        peripheral = VirtualPolar(clock, virtual_motion(spec.activity, seed=spec.seed))
    elif spec.kind == "witmotion":
        peripheral = VirtualWitMotion(clock, virtual_motion(spec.activity, seed=spec.seed))
    elif spec.kind == "footpod":
        peripheral = VirtualFootpod(clock, running=spec.activity == "run")
    elif spec.kind == "heart_rate":
        peripheral = HeartRateStrap(clock)
    else:
        raise ValueError(f"no stand-in device kind {spec.kind!r}")
    peripheral.name = spec.name or peripheral.name
    peripheral.address = spec.address or peripheral.address
    return peripheral
