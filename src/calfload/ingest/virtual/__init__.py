"""Virtual wearables (``sim:footpod``, ``sim:polar``, ``sim:witmotion``) for demos and tests.

They speak the same GATT protocol as the real devices, produce spec-correct bytes from simulated
motion, and run through the same recorder as hardware; only the
:class:`~calfload.ingest.link.Connector` differs. Faults (``--fault``) are injected on the link.
"""

from __future__ import annotations

from calfload.errors import CalfloadError
from calfload.ingest.clock import Clock
from calfload.ingest.virtual.faults import FaultPlan, FaultSpecError, parse_faults
from calfload.ingest.virtual.link import VirtualConnector, VirtualLink
from calfload.ingest.virtual.motion import (
    FootpodState,
    MotionSource,
    footpod_run_model,
    standin_calf_raises,
    standin_run,
)
from calfload.ingest.virtual.peripherals import VirtualFootpod, VirtualPeripheral, VirtualPolar, VirtualWitMotion
from calfload.ingest.virtual.sessions import virtual_motion

VIRTUAL_KINDS = ("footpod", "polar", "witmotion")


class UnknownVirtualDeviceError(CalfloadError):
    """``sim:KIND`` names no virtual device (exit code 2)."""

    exit_code = 2


def virtual_connector(
    kind: str,
    *,
    clock: Clock,
    motion: MotionSource | None = None,
    faults: FaultPlan | None = None,
    running: bool = False,
) -> VirtualConnector:
    """Make the connector of a virtual device.

    Parameters
    ----------
    kind
        ``footpod``, ``polar`` or ``witmotion``.
    clock
        The clock the recorder uses.
    motion
        Motion for the IMUs (default: :func:`standin_calf_raises`).
    faults
        Faults to inject (default none).
    running
        For the foot pod: run (True) or stand still.

    Raises
    ------
    UnknownVirtualDeviceError
        If ``kind`` is not a virtual device.
    """
    motion = motion or standin_calf_raises()
    faults = faults or FaultPlan()
    peripheral: VirtualPeripheral
    if kind == "polar":
        peripheral = VirtualPolar(clock, motion)
    elif kind == "witmotion":
        peripheral = VirtualWitMotion(clock, motion)
    elif kind == "footpod":
        peripheral = VirtualFootpod(clock, running=running)
    else:
        choices = ", ".join(f"sim:{k}" for k in VIRTUAL_KINDS)
        raise UnknownVirtualDeviceError(f"there is no virtual device sim:{kind}; use {choices}")
    return VirtualConnector(kind, peripheral, faults, clock)


__all__ = [
    "VIRTUAL_KINDS",
    "FaultPlan",
    "FaultSpecError",
    "FootpodState",
    "MotionSource",
    "UnknownVirtualDeviceError",
    "VirtualConnector",
    "VirtualFootpod",
    "VirtualLink",
    "VirtualPeripheral",
    "VirtualPolar",
    "VirtualWitMotion",
    "footpod_run_model",
    "parse_faults",
    "standin_calf_raises",
    "standin_run",
    "virtual_connector",
    "virtual_motion",
]
