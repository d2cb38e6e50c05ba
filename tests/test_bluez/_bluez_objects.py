"""The D-Bus objects of the BlueZ stand-in: Adapter1, Device1, GattService1/Characteristic1/Descriptor1.

Interfaces, property names and types, method signatures and error names follow BlueZ's API
documents (``doc/org.bluez.Adapter.rst``, ``Device.rst``, ``GattService.rst``,
``GattCharacteristic.rst``, ``GattDescriptor.rst``) and, for which error a method returns when,
``src/device.c`` and ``src/gatt-client.c``. These classes only hold state and translate calls;
:mod:`._bluez_standin` decides what happens (connections, notifications, faults) through the
:class:`Controller` protocol.
"""

from typing import Annotated, Any, Protocol

from dbus_fast import DBusError, Variant
from dbus_fast.annotations import (
    DBusBool,
    DBusBytes,
    DBusDict,
    DBusInt16,
    DBusObjectPath,
    DBusSignature,
    DBusStr,
    DBusUInt16,
    DBusUInt32,
)
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property

StrList = Annotated[list[str], DBusSignature("as")]
PathList = Annotated[list[str], DBusSignature("ao")]
ManufacturerData = Annotated[dict[int, Variant], DBusSignature("a{qv}")]
FdAndMtu = Annotated[list[Any], DBusSignature("hq")]

READ = PropertyAccess.READ

#: BlueZ's error names (src/error.c).
FAILED = "org.bluez.Error.Failed"
IN_PROGRESS = "org.bluez.Error.InProgress"
NOT_PERMITTED = "org.bluez.Error.NotPermitted"
NOT_CONNECTED = "org.bluez.Error.NotConnected"
NOT_SUPPORTED = "org.bluez.Error.NotSupported"
INVALID_ARGUMENTS = "org.bluez.Error.InvalidArguments"
DOES_NOT_EXIST = "org.bluez.Error.DoesNotExist"


class Controller(Protocol):
    """What the D-Bus objects ask of the stand-in."""

    def current_sender(self) -> str:
        """The unique bus name of the client whose call is being handled."""
        ...

    def start_discovery(self, sender: str) -> None: ...
    def stop_discovery(self, sender: str) -> None: ...
    def set_discovery_filter(self, sender: str, uuids: list[str]) -> None: ...
    def remove_device(self, path: str) -> None: ...
    async def connect(self, device: "Device") -> None: ...
    async def disconnect(self, device: "Device") -> None: ...
    async def read(self, char: "Characteristic") -> bytes: ...
    async def write(self, char: "Characteristic", data: bytes, *, response: bool) -> None: ...
    def start_notify(self, char: "Characteristic", sender: str) -> None: ...
    def stop_notify(self, char: "Characteristic", sender: str) -> None: ...
    def release_if_closed(self, char: "Characteristic") -> None: ...
    async def acquire_notify(self, char: "Characteristic") -> int: ...


class Adapter(ServiceInterface):
    """``org.bluez.Adapter1`` of ``hci0``: discovery sessions are kept per client, as BlueZ does."""

    def __init__(self, controller: Controller, address: str) -> None:
        super().__init__("org.bluez.Adapter1")
        self._controller = controller
        self._address = address
        self.discovering = False

    @dbus_method(name="StartDiscovery")
    def start_discovery(self) -> None:
        """Start a discovery session for the calling client."""
        self._controller.start_discovery(self._controller.current_sender())

    @dbus_method(name="StopDiscovery")
    def stop_discovery(self) -> None:
        """End the calling client's discovery session (Failed when it has none, as in BlueZ)."""
        self._controller.stop_discovery(self._controller.current_sender())

    @dbus_method(name="SetDiscoveryFilter")
    def set_discovery_filter(self, properties: DBusDict) -> None:
        """Set the calling client's filter; only ``UUIDs`` changes what is reported here."""
        uuids = properties.get("UUIDs")
        self._controller.set_discovery_filter(
            self._controller.current_sender(), [] if uuids is None else [str(u).lower() for u in uuids.value]
        )

    @dbus_method(name="GetDiscoveryFilters")
    def get_discovery_filters(self) -> StrList:
        """The filter keys BlueZ supports."""
        return ["UUIDs", "RSSI", "Pathloss", "Transport", "DuplicateData", "Discoverable", "Pattern"]

    @dbus_method(name="RemoveDevice")
    def remove_device(self, device: DBusObjectPath) -> None:
        """Forget a device (InterfacesRemoved)."""
        self._controller.remove_device(device)

    @dbus_property(READ, name="Address")
    def address(self) -> DBusStr:
        return self._address

    @dbus_property(READ, name="AddressType")
    def address_type(self) -> DBusStr:
        return "public"

    @dbus_property(READ, name="Name")
    def name_property(self) -> DBusStr:
        return "calfload-standin"

    @dbus_property(READ, name="Alias")
    def alias(self) -> DBusStr:
        return "calfload-standin"

    @dbus_property(READ, name="Class")
    def class_(self) -> DBusUInt32:
        return 0

    @dbus_property(READ, name="Powered")
    def powered(self) -> DBusBool:
        return True

    @dbus_property(READ, name="Discoverable")
    def discoverable(self) -> DBusBool:
        return False

    @dbus_property(READ, name="Pairable")
    def pairable(self) -> DBusBool:
        return True

    @dbus_property(READ, name="Discovering")
    def discovering_(self) -> DBusBool:
        return self.discovering

    @dbus_property(READ, name="UUIDs")
    def uuids(self) -> StrList:
        return []

    @dbus_property(READ, name="Roles")
    def roles(self) -> StrList:
        return ["central", "peripheral"]


class Device(ServiceInterface):
    """``org.bluez.Device1``: advertisement data, connection state and Connect/Disconnect."""

    def __init__(self, controller: Controller, path: str, adapter: str, address: str, name: str) -> None:
        super().__init__("org.bluez.Device1")
        self._controller = controller
        self.path = path
        self.adapter = adapter
        self.address_ = address
        self.name_ = name
        self.rssi = -60
        self.uuids_: list[str] = []
        self.manufacturer_data: dict[int, bytes] = {}
        self.connected = False
        self.services_resolved = False

    @dbus_method(name="Connect")
    async def connect(self) -> None:
        """Connect (see the stand-in for the scripted failures)."""
        await self._controller.connect(self)

    @dbus_method(name="Disconnect")
    async def disconnect(self) -> None:
        """Disconnect; NotConnected when the device is not connected."""
        if not self.connected:
            raise DBusError(NOT_CONNECTED, "Not Connected")
        await self._controller.disconnect(self)

    @dbus_method(name="Pair")
    def pair(self) -> None:
        """Pairing is not modelled: the supported sensors need none on Linux."""
        raise DBusError(FAILED, "Pairing is not supported by the stand-in")

    @dbus_property(READ, name="Address")
    def address(self) -> DBusStr:
        return self.address_

    @dbus_property(READ, name="AddressType")
    def address_type(self) -> DBusStr:
        return "random"

    @dbus_property(READ, name="Name")
    def name_property(self) -> DBusStr:
        return self.name_

    @dbus_property(READ, name="Alias")
    def alias(self) -> DBusStr:
        return self.name_ or self.address_.replace(":", "-")

    @dbus_property(READ, name="Paired")
    def paired(self) -> DBusBool:
        return False

    @dbus_property(READ, name="Bonded")
    def bonded(self) -> DBusBool:
        return False

    @dbus_property(READ, name="Trusted")
    def trusted(self) -> DBusBool:
        return False

    @dbus_property(READ, name="Blocked")
    def blocked(self) -> DBusBool:
        return False

    @dbus_property(READ, name="LegacyPairing")
    def legacy_pairing(self) -> DBusBool:
        return False

    @dbus_property(READ, name="RSSI")
    def rssi_(self) -> DBusInt16:
        return self.rssi

    @dbus_property(READ, name="Connected")
    def connected_(self) -> DBusBool:
        return self.connected

    @dbus_property(READ, name="UUIDs")
    def uuids(self) -> StrList:
        return list(self.uuids_)

    @dbus_property(READ, name="Adapter")
    def adapter_(self) -> DBusObjectPath:
        return self.adapter

    @dbus_property(READ, name="ManufacturerData")
    def manufacturer_data_(self) -> ManufacturerData:
        return {k: Variant("ay", v) for k, v in self.manufacturer_data.items()}

    @dbus_property(READ, name="ServiceData")
    def service_data(self) -> DBusDict:
        return {}

    @dbus_property(READ, name="ServicesResolved")
    def services_resolved_(self) -> DBusBool:
        return self.services_resolved


class Service(ServiceInterface):
    """``org.bluez.GattService1``."""

    def __init__(self, uuid: str, device: str, handle: int) -> None:
        super().__init__("org.bluez.GattService1")
        self.uuid_, self.device_, self.handle_ = uuid, device, handle

    @dbus_property(READ, name="UUID")
    def uuid(self) -> DBusStr:
        return self.uuid_

    @dbus_property(READ, name="Primary")
    def primary(self) -> DBusBool:
        return True

    @dbus_property(READ, name="Device")
    def device(self) -> DBusObjectPath:
        return self.device_

    @dbus_property(READ, name="Includes")
    def includes(self) -> PathList:
        return []

    @dbus_property(READ, name="Handle")
    def handle(self) -> DBusUInt16:
        return self.handle_


class Characteristic(ServiceInterface):
    """``org.bluez.GattCharacteristic1`` (StartNotify sessions are per client, as in BlueZ)."""

    def __init__(self, controller: Controller, path: str, uuid: str, service: str, flags: tuple[str, ...]) -> None:
        super().__init__("org.bluez.GattCharacteristic1")
        self._controller = controller
        self.path, self.uuid_, self.service_, self.flags_ = path, uuid, service, flags
        self.value = b""
        self.notify_clients: set[str] = set()
        self.notify_socket: Any = None
        self.mtu = 247

    @property
    def can_notify(self) -> bool:
        """Whether the characteristic notifies or indicates."""
        return "notify" in self.flags_ or "indicate" in self.flags_

    @dbus_method(name="ReadValue")
    async def read_value(self, options: DBusDict) -> DBusBytes:
        """Read (NotPermitted "Read not permitted" without the read flag)."""
        if "read" not in self.flags_:
            raise DBusError(NOT_PERMITTED, "Read not permitted")
        self.value = await self._controller.read(self)
        return self.value

    @dbus_method(name="WriteValue")
    async def write_value(self, value: DBusBytes, options: DBusDict) -> None:
        """Write with response (``type`` request) or without (``command``)."""
        kind = options["type"].value if "type" in options else "request"
        needed = "write-without-response" if kind == "command" else "write"
        if needed not in self.flags_:
            raise DBusError(NOT_PERMITTED, "Write not permitted")
        await self._controller.write(self, bytes(value), response=kind != "command")

    @dbus_method(name="StartNotify")
    def start_notify(self) -> None:
        """Start a notify session for the calling client."""
        sender = self._controller.current_sender()
        self._controller.release_if_closed(self)
        if self.notify_socket is not None:
            raise DBusError(NOT_PERMITTED, "Notify acquired")
        if not self.can_notify:
            raise DBusError(NOT_SUPPORTED, "Operation is not supported")
        self._controller.start_notify(self, sender)

    @dbus_method(name="StopNotify")
    def stop_notify(self) -> None:
        """End the calling client's notify session."""
        sender = self._controller.current_sender()
        if sender not in self.notify_clients:
            raise DBusError(FAILED, "No notify session started")
        self._controller.stop_notify(self, sender)

    @dbus_method(name="AcquireNotify")
    async def acquire_notify(self, options: DBusDict) -> FdAndMtu:
        """Hand out a socket that carries the notifications (one value per packet)."""
        self._controller.release_if_closed(self)
        if self.notify_socket is not None:
            raise DBusError(NOT_PERMITTED, "Notify acquired")
        if self.notify_clients:
            raise DBusError(IN_PROGRESS, "In Progress")
        if not self.can_notify:
            raise DBusError(NOT_SUPPORTED, "Operation is not supported")
        return [await self._controller.acquire_notify(self), self.mtu]

    @dbus_property(READ, name="UUID")
    def uuid(self) -> DBusStr:
        return self.uuid_

    @dbus_property(READ, name="Service")
    def service(self) -> DBusObjectPath:
        return self.service_

    @dbus_property(READ, name="Value")
    def value_(self) -> DBusBytes:
        return self.value

    @dbus_property(READ, name="Notifying")
    def notifying(self) -> DBusBool:
        return bool(self.notify_clients) or self.notify_socket is not None

    @dbus_property(READ, name="NotifyAcquired")
    def notify_acquired(self) -> DBusBool:
        return self.notify_socket is not None

    @dbus_property(READ, name="Flags")
    def flags(self) -> StrList:
        return list(self.flags_)

    @dbus_property(READ, name="MTU")
    def mtu_(self) -> DBusUInt16:
        return self.mtu


class Descriptor(ServiceInterface):
    """``org.bluez.GattDescriptor1`` (the Client Characteristic Configuration of a notifying one)."""

    def __init__(self, uuid: str, characteristic: Characteristic) -> None:
        super().__init__("org.bluez.GattDescriptor1")
        self.uuid_, self.characteristic_ = uuid, characteristic

    @dbus_method(name="ReadValue")
    def read_value(self, options: DBusDict) -> DBusBytes:
        """The CCCD: notifications (1) or indications (2) enabled, or 0."""
        char = self.characteristic_
        on = bool(char.notify_clients) or char.notify_socket is not None
        bit = 2 if "indicate" in self.characteristic_.flags_ else 1
        return bytes([bit if on else 0, 0])

    @dbus_method(name="WriteValue")
    def write_value(self, value: DBusBytes, options: DBusDict) -> None:
        """BlueZ refuses CCCD writes through D-Bus: StartNotify is the way."""
        raise DBusError(NOT_PERMITTED, "Write not permitted")

    @dbus_property(READ, name="UUID")
    def uuid(self) -> DBusStr:
        return self.uuid_

    @dbus_property(READ, name="Characteristic")
    def characteristic(self) -> DBusObjectPath:
        return self.characteristic_.path

    @dbus_property(READ, name="Value")
    def value(self) -> DBusBytes:
        return b""

    @dbus_property(READ, name="Flags")
    def flags(self) -> StrList:
        return ["read", "write"]
