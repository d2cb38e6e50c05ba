"""GATT services and characteristics of the supported wearables, and how to recognise them.

Sources: Bluetooth SIG assigned numbers (RSC 0x1814, Heart Rate 0x180D), the Polar BLE SDK's
online-measurement document (PMD service), WitMotion's BLE 5.0 protocol page (note its UUID
base ends in ``9a34fb``, not the SIG's ``9b34fb``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Final


def sig_uuid(short: int) -> str:
    """Expand a 16-bit SIG-assigned number into its 128-bit UUID string (lower case)."""
    return f"0000{short:04x}-0000-1000-8000-00805f9b34fb"


RSC_SERVICE: Final = sig_uuid(0x1814)
RSC_MEASUREMENT: Final = sig_uuid(0x2A53)
RSC_FEATURE: Final = sig_uuid(0x2A54)

HEART_RATE_SERVICE: Final = sig_uuid(0x180D)
HEART_RATE_MEASUREMENT: Final = sig_uuid(0x2A37)

PMD_SERVICE: Final = "fb005c80-02e7-f387-1cad-8acd2d8df0c8"
PMD_CONTROL_POINT: Final = "fb005c81-02e7-f387-1cad-8acd2d8df0c8"
PMD_DATA: Final = "fb005c82-02e7-f387-1cad-8acd2d8df0c8"

WITMOTION_SERVICE: Final = "0000ffe5-0000-1000-8000-00805f9a34fb"
WITMOTION_NOTIFY: Final = "0000ffe4-0000-1000-8000-00805f9a34fb"
WITMOTION_WRITE: Final = "0000ffe9-0000-1000-8000-00805f9a34fb"


class DeviceKind(enum.StrEnum):
    """The device families the collector can record."""

    FOOTPOD = "footpod"
    POLAR = "polar"
    WITMOTION = "witmotion"


class Channel(enum.IntEnum):
    """What a raw-log record carries: one value per characteristic role, plus recorder events.

    The numbers are part of the raw-log format; never renumber them.
    """

    EVENT = 0
    PMD_CONTROL_POINT = 1
    PMD_DATA = 2
    RSC_MEASUREMENT = 3
    HEART_RATE_MEASUREMENT = 4
    WITMOTION_DATA = 5


#: Characteristic UUID each notification channel listens on.
CHANNEL_UUIDS: Final[dict[Channel, str]] = {
    Channel.PMD_CONTROL_POINT: PMD_CONTROL_POINT,
    Channel.PMD_DATA: PMD_DATA,
    Channel.RSC_MEASUREMENT: RSC_MEASUREMENT,
    Channel.HEART_RATE_MEASUREMENT: HEART_RATE_MEASUREMENT,
    Channel.WITMOTION_DATA: WITMOTION_NOTIFY,
}


def recognise(service_uuids: Iterable[str], name: str | None = None) -> DeviceKind | None:
    """Tell which supported family a device belongs to from its services (and name).

    Parameters
    ----------
    service_uuids
        Advertised or discovered service UUIDs (any case).
    name
        The advertised name, used when a device advertises no service (WitMotion names start
        with ``WT``, Polar names with ``Polar``).

    Returns
    -------
    DeviceKind or None
        The family, or None when the device is none of the supported ones.

    Examples
    --------
    >>> recognise(["0000180d-0000-1000-8000-00805f9b34fb", PMD_SERVICE.upper()])
    <DeviceKind.POLAR: 'polar'>
    >>> recognise([], "WT901BLE68") is DeviceKind.WITMOTION
    True
    """
    uuids = {u.lower() for u in service_uuids}
    if PMD_SERVICE in uuids:
        return DeviceKind.POLAR
    if WITMOTION_SERVICE in uuids:
        return DeviceKind.WITMOTION
    if RSC_SERVICE in uuids:
        return DeviceKind.FOOTPOD
    if name:
        if name.startswith("Polar"):
            return DeviceKind.POLAR
        if name.startswith("WT"):
            return DeviceKind.WITMOTION
    return None


__all__ = [
    "CHANNEL_UUIDS",
    "HEART_RATE_MEASUREMENT",
    "HEART_RATE_SERVICE",
    "PMD_CONTROL_POINT",
    "PMD_DATA",
    "PMD_SERVICE",
    "RSC_FEATURE",
    "RSC_MEASUREMENT",
    "RSC_SERVICE",
    "WITMOTION_NOTIFY",
    "WITMOTION_SERVICE",
    "WITMOTION_WRITE",
    "Channel",
    "DeviceKind",
    "recognise",
    "sig_uuid",
]
