"""The seam between the collector and Bluetooth: a small GATT-link protocol and its bleak adapter.

The recorder talks to a :class:`Connector` (finds the device and connects) that hands back a
:class:`GattLink` (notify, read, write, disconnect). :class:`BleakConnector` implements them with
bleak for real devices; :mod:`calfload.ingest.virtual` implements them for virtual devices, so
both run through the same recorder code.

bleak practice followed here (see shared/reference/ingest.md): the device is discovered with a
scan and the :class:`bleak.backends.device.BLEDevice` is passed to ``BleakClient`` (a bare address
triggers a hidden scan on some platforms); the disconnect callback only sets an event; every
bleak exception is turned into a :class:`~calfload.errors.DeviceError` with a one-line message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from calfload._logger import package_logger
from calfload.errors import DeviceError
from calfload.ingest import gatt
from calfload.ingest.gatt import DeviceKind, recognise

logger = package_logger(__name__)

NotifyCallback = Callable[[bytes], None]


class LinkLostError(DeviceError):
    """The connection failed or dropped; the recorder reconnects."""


class DeviceRefusedError(DeviceError):
    """The device refused the requested configuration; reconnecting will not help."""


class GattLink(Protocol):
    """A connected GATT client, reduced to what the collector needs."""

    @property
    def name(self) -> str:
        """The device's name."""
        ...

    @property
    def address(self) -> str:
        """The device's address (a UUID on macOS)."""
        ...

    @property
    def service_uuids(self) -> frozenset[str]:
        """Lower-case UUIDs of the services the device offers."""
        ...

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None:
        """Subscribe to notifications or indications of a characteristic."""
        ...

    async def read(self, uuid: str) -> bytes:
        """Read a characteristic."""
        ...

    async def write(self, uuid: str, data: bytes, *, response: bool) -> None:
        """Write a characteristic."""
        ...

    async def disconnect(self) -> None:
        """Disconnect (never raises)."""
        ...


class Connector(Protocol):
    """Finds a device and connects to it."""

    @property
    def label(self) -> str:
        """What the user asked for (address, name or ``sim:KIND``)."""
        ...

    async def connect(self, on_disconnect: Callable[[], None]) -> GattLink:
        """Find the device, connect, and return the link.

        Raises
        ------
        LinkLostError
            If the device cannot be found or connected to now (the caller may retry).
        DeviceError
            If Bluetooth itself is unusable.
        """
        ...


# ----------------------------------------------------------------------------------------- bleak


#: D-Bus error names meaning Bluetooth itself is unusable (no bluetoothd, adapter off or not ready).
#: Every other BlueZ error (``org.bluez.Error.Failed``, ``InProgress``, ``le-connection-abort-by-local``
#: ...) is routine while (re)connecting and counts as a lost link.
UNAVAILABLE_DBUS_ERRORS: Final = frozenset({"org.freedesktop.DBus.Error.ServiceUnknown", "org.bluez.Error.NotReady"})


class BluetoothUnavailableError(DeviceError):
    """Bluetooth itself is unusable (off, no adapter, no bluetoothd)."""


def _bleak_error(exc: BaseException, doing: str) -> DeviceError:
    """Classify a bleak (or backend) exception: Bluetooth unavailable, or a lost link to retry."""
    from bleak.exc import BleakBluetoothNotAvailableError

    if isinstance(exc, BleakBluetoothNotAvailableError):
        return BluetoothUnavailableError(
            f"Bluetooth is not available ({exc.reason.name.lower().replace('_', ' ')}); "
            "turn Bluetooth on and check this program may use it"
        )
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    dbus_name = str(getattr(exc, "dbus_error", "") or "")
    unready = dbus_name == "org.bluez.Error.NotReady" or "org.bluez.Error.NotReady" in text
    if (
        isinstance(exc, FileNotFoundError)
        or unready
        or dbus_name in UNAVAILABLE_DBUS_ERRORS
        or any(name in text for name in UNAVAILABLE_DBUS_ERRORS)
    ):
        # said in words, not as the backend's errno or D-Bus name (a missing system bus socket is "[Errno 2]")
        why = (
            "no system D-Bus to reach it through"
            if isinstance(exc, FileNotFoundError)
            else "the adapter is off or not ready"
            if unready
            else "bluetoothd is not running"
        )
        return BluetoothUnavailableError(
            f"Bluetooth is not available ({why}); turn Bluetooth on and check bluetoothd is running"
        )
    return LinkLostError(f"{doing} failed ({text})")


class BleakLink:
    """:class:`GattLink` over a connected ``bleak.BleakClient``."""

    def __init__(self, client: Any, name: str) -> None:
        self._client = client
        self._name = name

    @property
    def name(self) -> str:
        """The advertised name."""
        return self._name

    @property
    def address(self) -> str:
        """The client's address."""
        return str(self._client.address)

    @property
    def service_uuids(self) -> frozenset[str]:
        """Discovered service UUIDs."""
        return frozenset(s.uuid.lower() for s in self._client.services)

    async def start_notify(self, uuid: str, callback: NotifyCallback) -> None:
        """Subscribe; the bleak callback only forwards the bytes."""

        def forward(_sender: object, data: bytearray) -> None:
            callback(bytes(data))

        try:
            await self._client.start_notify(uuid, forward)
        except Exception as exc:  # noqa: BLE001 - bleak raises backend-specific errors
            raise _bleak_error(exc, f"subscribing to {uuid}") from None

    async def read(self, uuid: str) -> bytes:
        """Read a characteristic."""
        try:
            return bytes(await self._client.read_gatt_char(uuid))
        except Exception as exc:  # noqa: BLE001
            raise _bleak_error(exc, f"reading {uuid}") from None

    async def write(self, uuid: str, data: bytes, *, response: bool) -> None:
        """Write a characteristic."""
        try:
            await self._client.write_gatt_char(uuid, data, response=response)
        except Exception as exc:  # noqa: BLE001
            raise _bleak_error(exc, f"writing {uuid}") from None

    async def disconnect(self) -> None:
        """Disconnect, ignoring errors (the link may already be gone)."""
        try:
            await self._client.disconnect()
        except Exception as exc:  # noqa: BLE001
            logger.debug("disconnect: %s", exc)


class DeviceInUseError(DeviceRefusedError):
    """The device is already connected to this computer (another recording or app uses it)."""


#: Services whose connected devices may be a supported sensor (for the in-use check).
_SENSOR_SERVICES: Final = (
    gatt.PMD_SERVICE,
    gatt.WITMOTION_SERVICE,
    gatt.RSC_SERVICE,
    gatt.HEART_RATE_SERVICE,
)


class BleakConnector:
    """Find a device by address or name with a scan, then connect with ``BleakClient``.

    The first successful connection pins the device's address: every reconnection of the
    session looks for that address only, so another device advertising the same name never
    joins the recording.

    Parameters
    ----------
    identifier
        Address (``AA:BB:...``, or the platform UUID on macOS) or advertised name.
    scan_timeout_s
        How long one scan looks for the device.
    connect_timeout_s
        bleak's connect timeout.
    pair
        Pair before connecting (Windows needs it for the Polar PMD control point).
    """

    def __init__(
        self, identifier: str, *, scan_timeout_s: float = 10.0, connect_timeout_s: float = 20.0, pair: bool = False
    ) -> None:
        self.identifier = identifier
        self.scan_timeout_s = scan_timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.pair = pair
        self._pinned: str | None = None

    @property
    def label(self) -> str:
        """The identifier."""
        return self.identifier

    @property
    def pinned_address(self) -> str | None:
        """The address fixed by the first connection (None before it)."""
        return self._pinned

    def _matches(self, device: Any, adv: Any) -> bool:
        address = str(device.address).lower()
        if self._pinned is not None:
            return address == self._pinned.lower()
        wanted = self.identifier.lower()
        name = device.name or getattr(adv, "local_name", None) or ""
        return address == wanted or name.lower() == wanted

    async def _refuse_if_in_use(self) -> None:
        """Refuse a device this computer is already connected to (best effort, bleak >= 3.1)."""
        import bleak

        adapter_type = getattr(bleak, "BleakAdapter", None)
        if adapter_type is None:
            return
        try:
            adapter = await adapter_type.get()
            connected = await adapter.get_connected_devices(list(_SENSOR_SERVICES))
        except NotImplementedError:
            return
        except Exception as exc:  # noqa: BLE001 - backend-specific errors
            raise _bleak_error(exc, "checking connected devices") from None
        for device in connected:
            if self._matches(device, None):
                name = device.name or self.identifier
                raise DeviceInUseError(
                    f"{name} ({device.address}) is already connected to this computer: another recording or app "
                    "is using it; stop that first (if nothing is, `bluetoothctl disconnect "
                    f"{device.address}` frees it)"
                )

    async def connect(self, on_disconnect: Callable[[], None]) -> GattLink:
        """Scan for the device, connect, and return a :class:`BleakLink`.

        Raises
        ------
        DeviceInUseError
            If, before the first connection, the device is already connected to this computer.
        LinkLostError
            If the device is not found or the connection fails (the caller may retry).
        BluetoothUnavailableError
            If Bluetooth itself is unusable.
        """
        from bleak import BleakClient, BleakScanner

        if self._pinned is None:
            await self._refuse_if_in_use()
        try:
            device = await BleakScanner.find_device_by_filter(self._matches, timeout=self.scan_timeout_s)
        except Exception as exc:  # noqa: BLE001
            raise _bleak_error(exc, "scanning") from None
        if device is None:
            raise LinkLostError(
                f"no device called or at {self._pinned or self.identifier!r} answered within "
                f"{self.scan_timeout_s:g} s; check it is switched on and near, or run `calfload scan`"
            )
        # bleak reports the brief connections of its own le-connection-abort-by-local retries as
        # disconnects too: only a link that was handed out can be lost.
        handed_out = asyncio.Event()

        def disconnected(_client: object) -> None:
            if handed_out.is_set():
                on_disconnect()

        client = BleakClient(
            device,
            disconnected_callback=disconnected,
            timeout=self.connect_timeout_s,
            pair=self.pair,
        )
        try:
            await client.connect()
        except Exception as exc:  # noqa: BLE001
            raise _bleak_error(exc, f"connecting to {self.identifier}") from None
        if self._pinned is None:
            self._pinned = str(device.address)
            logger.info("%s is %s; reconnections look for this address only", self.identifier, self._pinned)
        handed_out.set()
        if not client.is_connected:  # lost between connecting and now
            on_disconnect()
        return BleakLink(client, device.name or self.identifier)


@dataclass(frozen=True, slots=True)
class ScanResult:
    """One device seen during a scan."""

    name: str
    address: str
    rssi_dbm: int
    kind: DeviceKind | None


async def scan(timeout_s: float = 5.0) -> list[ScanResult]:
    """Scan for nearby BLE devices, strongest first, recognising the supported families.

    Raises
    ------
    DeviceError
        If Bluetooth is unavailable.
    """
    from bleak import BleakScanner

    try:
        found = await BleakScanner.discover(timeout=timeout_s, return_adv=True)
    except Exception as exc:  # noqa: BLE001
        raise _bleak_error(exc, "scanning") from None
    results = [
        ScanResult(
            name=device.name or adv.local_name or "",
            address=str(device.address),
            rssi_dbm=int(adv.rssi),
            kind=recognise(adv.service_uuids, device.name or adv.local_name),
        )
        for device, adv in found.values()
    ]
    return sorted(results, key=lambda r: (r.kind is None, -r.rssi_dbm))


__all__ = [
    "BleakConnector",
    "BleakLink",
    "BluetoothUnavailableError",
    "Connector",
    "DeviceInUseError",
    "DeviceRefusedError",
    "GattLink",
    "LinkLostError",
    "NotifyCallback",
    "ScanResult",
    "scan",
]
