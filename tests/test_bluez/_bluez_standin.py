"""A BlueZ stand-in: the parts of ``org.bluez`` that bleak uses, served on a private D-Bus.

Behind each device sits one of calfload's virtual peripherals (:mod:`calfload.ingest.virtual`),
so the bytes a test records travel from the peripheral through D-Bus (``PropertiesChanged`` of a
characteristic's ``Value``, or an ``AcquireNotify`` socket), bleak's BlueZ backend and the
recorder, exactly as from a real sensor through ``bluetoothd``.

What is modelled, after BlueZ (``doc/org.bluez.*.rst``, ``src/device.c``, ``src/gatt-client.c``):

- discovery sessions per client, with the ``UUIDs`` filter; while any session runs, every
  device that advertises is reported every :data:`ADVERTISE_INTERVAL_S` (``InterfacesAdded`` the
  first time, then an ``RSSI`` change); connected and off-air devices do not advertise;
- ``Connect``: ``Connected`` true, then the GATT objects are exported (``InterfacesAdded``) and
  ``ServicesResolved`` becomes true; ``Disconnect`` and a lost link remove them again and set
  ``ServicesResolved`` and ``Connected`` false; a device off the air fails with
  ``le-connection-timeout``; ``Disconnect`` of an unconnected device is ``NotConnected``;
- scripted connect faults (:meth:`BlueZStandIn.script_connect`): ``in-progress``
  (``org.bluez.Error.InProgress``), ``abort`` (connected for a moment, then ``org.bluez.Error.Failed:
  le-connection-abort-by-local``, which bleak retries itself), ``drop-in-discovery`` (the link is
  lost before ``ServicesResolved``), ``stale-cache`` (an outdated GATT table lacking the last
  characteristic of each service is exported first; a Service Changed replaces it shortly after);
- a link loss (:meth:`BlueZStandIn.drop_link`) takes the device off the air for a while.

The stand-in runs its own event loop in a thread of the test process; its public methods are
thread-safe and wait for the loop to carry them out.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import select
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from dbus_fast import BusType, DBusError, Message, MessageType
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface

from calfload.ingest import gatt
from calfload.ingest.virtual import VirtualPeripheral

from ._bluez_objects import FAILED, IN_PROGRESS, Adapter, Characteristic, Descriptor, Device, Service
from ._standin_devices import ADVERTISED, SERVICE_TABLE, DeviceSnapshot, DeviceSpec, make_peripheral

__all__ = ["CONNECT_FAULTS", "BlueZStandIn", "DeviceSnapshot", "DeviceSpec"]

T = TypeVar("T")

ADAPTER_PATH: Final = "/org/bluez/hci0"
ADVERTISE_INTERVAL_S: Final = 0.1
CONNECT_LATENCY_S: Final = 0.05
DISCOVERY_LATENCY_S: Final = 0.1
PAGE_TIMEOUT_S: Final = 1.0
SERVICE_CHANGED_AFTER_S: Final = 0.3
CALL_TIMEOUT_S: Final = 60.0
FD_HANDOVER_S: Final = 2.0
CCCD: Final = gatt.sig_uuid(0x2902)
GAP_GATT: Final = (gatt.sig_uuid(0x1800), gatt.sig_uuid(0x1801))
CONNECT_FAULTS: Final = ("in-progress", "abort", "drop-in-discovery", "stale-cache")


@dataclass(eq=False)
class _State:
    spec: DeviceSpec
    peripheral: VirtualPeripheral
    device: Device
    advertised: tuple[str, ...]
    exported: bool = False
    connecting: bool = False
    off_air_until: float = 0.0
    objects: list[tuple[str, ServiceInterface]] = field(default_factory=list)
    chars: dict[str, Characteristic] = field(default_factory=dict)
    script: collections.deque[str] = field(default_factory=collections.deque)
    drop_plan: tuple[float, float, bool] | None = None
    connects: int = 0
    notifications: int = 0
    first_notified_s: float | None = None
    generation: int = 0


class BlueZStandIn:
    """The stand-in service; :meth:`start` it with ``DBUS_SYSTEM_BUS_ADDRESS`` pointing at a private bus."""

    def __init__(self, bus_address: str) -> None:
        self._bus_address = bus_address
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bluez-standin", daemon=True)
        self._bus: MessageBus | None = None
        self._adapter = Adapter(self, "00:1A:7D:DA:71:13")
        self._states: dict[str, _State] = {}
        self._sessions: set[str] = set()
        self._filters: dict[str, list[str]] = {}
        self._sender = ""
        self._advertiser: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sent_fds: dict[int, int] = {}

    # ------------------------------------------------------------------ thread-safe test API

    def start(self) -> None:
        """Start the loop thread, connect, own ``org.bluez`` and export ``hci0``."""
        self._thread.start()
        self._run(self._setup())

    def stop(self) -> None:
        """Take every device off, disconnect from the bus, and end the loop thread."""
        if not self._thread.is_alive():
            return
        with contextlib.suppress(Exception):
            self._run(self._teardown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(CALL_TIMEOUT_S)
        self._loop.close()

    def add(self, spec: DeviceSpec) -> str:
        """Switch a device on (it advertises while discovery runs); return its address."""
        return self._run(self._add(spec))

    def reset(self) -> None:
        """Switch every device off and forget it (between tests)."""
        self._run(self._reset())

    def remove(self, address: str) -> None:
        """The device disappears: link lost, off the air, and its object removed from BlueZ."""
        self._run(self._remove(address))

    def drop_link(self, address: str, off_air_s: float, *, forget: bool = False) -> None:
        """Lose the link now and keep the device off the air for ``off_air_s``.

        With ``forget`` BlueZ also removes the device object (``InterfacesRemoved``), as it does
        with a temporary device that stops advertising; it reappears when heard again.
        """
        self._run(self._drop(self._states[address], off_air_s, forget=forget))

    def drop_after_streaming(self, address: str, after_s: float, off_air_s: float, *, forget: bool = False) -> None:
        """Lose the link ``after_s`` after the next connection's first notification."""
        self._call(lambda: setattr(self._states[address], "drop_plan", (after_s, off_air_s, forget)))

    def script_connect(self, address: str, *faults: str) -> None:
        """Make the next ``Connect`` calls fail, one fault each (see :data:`CONNECT_FAULTS`)."""
        assert all(f in CONNECT_FAULTS for f in faults), faults
        self._call(lambda: self._states[address].script.extend(faults))

    def snapshot(self, address: str) -> DeviceSnapshot:
        """The device's state and counters."""

        def take() -> DeviceSnapshot:
            s = self._states[address]
            now_s = s.peripheral.now_s()
            streamed_s = 0.0 if s.first_notified_s is None else now_s - s.first_notified_s
            return DeviceSnapshot(s.device.connected, s.connects, s.notifications, s.exported, now_s, streamed_s)

        return self._call(take)

    def wait_for(self, address: str, condition: Callable[[DeviceSnapshot], bool], timeout_s: float = 60.0) -> None:
        """Wait until ``condition`` holds for the device (polling its snapshot)."""
        deadline = time.monotonic() + timeout_s
        while not condition(self.snapshot(address)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{address}: still {self.snapshot(address)} after {timeout_s} s")
            time.sleep(0.05)

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(CALL_TIMEOUT_S)

    def _call(self, fn: Callable[[], T]) -> T:
        async def call() -> T:
            return fn()

        return self._run(call())

    # ---------------------------------------------------------------------- loop-side setup

    async def _setup(self) -> None:
        bus = MessageBus(bus_address=self._bus_address, bus_type=BusType.SYSTEM, negotiate_unix_fd=True)
        await bus.connect()
        bus.add_message_handler(self._on_message)
        rule = "type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'"
        await bus.call(
            Message(
                destination="org.freedesktop.DBus",
                path="/org/freedesktop/DBus",
                interface="org.freedesktop.DBus",
                member="AddMatch",
                signature="s",
                body=[rule],
            )
        )
        bus.export(ADAPTER_PATH, self._adapter)
        await bus.request_name("org.bluez")
        self._bus = bus
        self._advertiser = asyncio.create_task(self._advertise())

    async def _teardown(self) -> None:
        await self._reset()
        if self._advertiser is not None:
            self._advertiser.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._advertiser
        for task in list(self._tasks):
            task.cancel()
        if self._bus is not None:
            self._bus.disconnect()
            with contextlib.suppress(Exception):
                await self._bus.wait_for_disconnect()

    def _on_message(self, msg: Message) -> bool | None:
        """Note who calls (BlueZ keeps discovery and notify sessions per client); forget clients that leave."""
        if msg.message_type == MessageType.METHOD_CALL:
            self._sender = msg.sender or ""
        elif msg.member == "NameOwnerChanged" and msg.body and msg.body[2] == "":
            self._client_left(str(msg.body[0]))
        return None

    def _client_left(self, name: str) -> None:
        self._filters.pop(name, None)
        if name in self._sessions:
            self.stop_discovery(name)
        for state in self._states.values():
            for char in state.chars.values():
                if name in char.notify_clients:
                    self.stop_notify(char, name)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def bus(self) -> MessageBus:
        assert self._bus is not None
        return self._bus

    # ------------------------------------------------------------------ devices and discovery

    async def _add(self, spec: DeviceSpec) -> str:
        peripheral = make_peripheral(spec)
        path = f"{ADAPTER_PATH}/dev_{peripheral.address.upper().replace(':', '_')}"
        device = Device(self, path, ADAPTER_PATH, peripheral.address, peripheral.name)
        device.rssi = spec.rssi_dbm
        advertised = ADVERTISED[spec.kind] if spec.advertised is None else spec.advertised
        device.uuids_ = list(advertised)
        self._states[peripheral.address] = _State(spec, peripheral, device, advertised)
        return peripheral.address

    async def _reset(self) -> None:
        for address in list(self._states):
            await self._remove(address)

    async def _remove(self, address: str) -> None:
        state = self._states.pop(address)
        state.off_air_until = float("inf")
        if state.device.connected:
            self._link_down(state)
        state.peripheral.detach()
        if state.exported:
            self.bus.unexport(state.device.path)

    def current_sender(self) -> str:
        """The client whose call is being handled."""
        return self._sender

    def start_discovery(self, sender: str) -> None:
        """Add the client's discovery session."""
        if sender in self._sessions:
            raise DBusError(IN_PROGRESS, "Operation already in progress")
        self._sessions.add(sender)
        self._set_discovering()

    def stop_discovery(self, sender: str) -> None:
        """End the client's discovery session."""
        if sender not in self._sessions:
            raise DBusError(FAILED, "No discovery started")
        self._sessions.discard(sender)
        self._set_discovering()

    def set_discovery_filter(self, sender: str, uuids: list[str]) -> None:
        """Keep the client's UUID filter (an empty list clears it)."""
        self._filters[sender] = uuids

    def remove_device(self, path: str) -> None:
        """``RemoveDevice``: forget a device that is not connected."""
        for state in self._states.values():
            if state.device.path == path and state.exported:
                if state.device.connected:
                    self._link_down(state)
                self.bus.unexport(path)
                state.exported = False
                return
        raise DBusError("org.bluez.Error.DoesNotExist", "Does Not Exist")

    def _set_discovering(self) -> None:
        on = bool(self._sessions)
        if on != self._adapter.discovering:
            self._adapter.discovering = on
            self._adapter.emit_properties_changed({"Discovering": on})

    def _wanted(self, state: _State) -> bool:
        filters = [self._filters.get(s, []) for s in self._sessions]
        if any(not f for f in filters):
            return True
        advertised = {u.lower() for u in state.advertised}
        return any(advertised & set(f) for f in filters)

    async def _advertise(self) -> None:
        jitter = 0
        while True:
            await asyncio.sleep(ADVERTISE_INTERVAL_S)
            if not self._sessions:
                continue
            jitter ^= 1
            now = time.monotonic()
            for state in list(self._states.values()):
                if state.device.connected or state.connecting or now < state.off_air_until or not self._wanted(state):
                    continue
                if not state.exported:
                    self.bus.export(state.device.path, state.device)
                    state.exported = True
                else:
                    state.device.rssi = state.spec.rssi_dbm - jitter
                    state.device.emit_properties_changed({"RSSI": state.device.rssi})

    # ------------------------------------------------------------------------- connections

    def _set_device(self, device: Device, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(device, {"Connected": "connected", "ServicesResolved": "services_resolved"}[name], value)
        device.emit_properties_changed(changes)

    async def connect(self, device: Device) -> None:
        """``Device1.Connect`` with the scripted faults (see the module docstring)."""
        state = next(s for s in self._states.values() if s.device is device)
        if device.connected:
            return
        if state.connecting:
            raise DBusError(IN_PROGRESS, "In Progress")
        fault = state.script.popleft() if state.script else None
        if fault == "in-progress":
            raise DBusError(IN_PROGRESS, "In Progress")
        state.connecting = True
        try:
            await asyncio.sleep(CONNECT_LATENCY_S)
            if time.monotonic() < state.off_air_until:
                await asyncio.sleep(PAGE_TIMEOUT_S)
                raise DBusError(FAILED, "le-connection-timeout")
            self._set_device(device, Connected=True)
            if fault == "abort":
                await asyncio.sleep(CONNECT_LATENCY_S)
                self._set_device(device, Connected=False)
                raise DBusError(FAILED, "le-connection-abort-by-local")
            state.connects += 1
            state.generation += 1
        finally:
            state.connecting = False
        self._spawn(self._resolve(state, fault, state.generation))

    async def _resolve(self, state: _State, fault: str | None, generation: int) -> None:
        await asyncio.sleep(DISCOVERY_LATENCY_S)
        if state.generation != generation or not state.device.connected:
            return
        if fault == "drop-in-discovery":
            self._link_down(state)
            return
        self._export_gatt(state, stale=fault == "stale-cache")
        services = sorted(state.peripheral.services)
        state.device.uuids_ = sorted({*state.advertised, *GAP_GATT, *services})
        state.device.emit_properties_changed({"UUIDs": state.device.uuids_})
        self._set_device(state.device, ServicesResolved=True)
        state.peripheral.attach(lambda uuid, data: self._deliver(state, uuid, data))
        if fault == "stale-cache":
            await asyncio.sleep(SERVICE_CHANGED_AFTER_S)
            if state.generation == generation and state.device.connected:
                self._unexport_gatt(state)
                self._export_gatt(state, stale=False)

    def _export_gatt(self, state: _State, *, stale: bool) -> None:
        handle = 0x000C if stale else 0x000A
        for service_uuid in sorted(state.peripheral.services):
            table = SERVICE_TABLE[service_uuid]
            table = table[:-1] if stale else table
            service_path = f"{state.device.path}/service{handle:04x}"
            self._export(state, service_path, Service(service_uuid, state.device.path, handle))
            handle += 1
            for char_uuid, flags in table:
                char_path = f"{service_path}/char{handle:04x}"
                char = Characteristic(self, char_path, char_uuid, service_path, flags)
                self._export(state, char_path, char)
                state.chars[char_uuid] = char
                handle += 2
                if char.can_notify:
                    self._export(state, f"{char_path}/desc{handle:04x}", Descriptor(CCCD, char))
                    handle += 1

    def _export(self, state: _State, path: str, interface: ServiceInterface) -> None:
        self.bus.export(path, interface)
        state.objects.append((path, interface))

    def _unexport_gatt(self, state: _State) -> None:
        for char in state.chars.values():
            self._close_notify_socket(char)
        for path, interface in reversed(state.objects):
            self.bus.unexport(path, interface)
        state.objects.clear()
        state.chars.clear()

    def _link_down(self, state: _State) -> None:
        state.generation += 1
        state.peripheral.detach()
        self._unexport_gatt(state)
        if state.device.services_resolved:
            self._set_device(state.device, ServicesResolved=False)
        if state.device.connected:
            self._set_device(state.device, Connected=False)

    async def disconnect(self, device: Device) -> None:
        """``Device1.Disconnect``."""
        state = next(s for s in self._states.values() if s.device is device)
        await asyncio.sleep(CONNECT_LATENCY_S / 5)
        self._link_down(state)

    async def _drop(self, state: _State, off_air_s: float, *, forget: bool) -> None:
        state.off_air_until = time.monotonic() + off_air_s
        if state.device.connected:
            self._link_down(state)
        if forget and state.exported:
            self.bus.unexport(state.device.path)
            state.exported = False

    # ------------------------------------------------------------------------------- GATT

    async def read(self, char: Characteristic) -> bytes:
        """Answer a read from the peripheral."""
        state = self._owner(char)
        return bytes(await state.peripheral.on_read(char.uuid_))

    async def write(self, char: Characteristic, data: bytes, *, response: bool) -> None:
        """Hand a write to the peripheral."""
        state = self._owner(char)
        await state.peripheral.on_write(char.uuid_, data)

    def start_notify(self, char: Characteristic, sender: str) -> None:
        """Add the client's notify session; the first one subscribes at the peripheral."""
        first = not char.notify_clients
        char.notify_clients.add(sender)
        if first:
            char.emit_properties_changed({"Notifying": True})
            self._spawn(self._owner(char).peripheral.on_subscribe(char.uuid_))

    def stop_notify(self, char: Characteristic, sender: str) -> None:
        """End the client's notify session."""
        char.notify_clients.discard(sender)
        if not char.notify_clients:
            char.emit_properties_changed({"Notifying": False})

    async def acquire_notify(self, char: Characteristic) -> int:
        """A SOCK_SEQPACKET pair: the client's end is returned, ours carries the notifications."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        char.notify_socket = ours
        # BlueZ watches the socket: the client closing its end releases the acquisition.
        asyncio.get_running_loop().add_reader(ours.fileno(), self._release_notify, char)
        char.emit_properties_changed({"NotifyAcquired": True, "Notifying": True})
        self._spawn(self._owner(char).peripheral.on_subscribe(char.uuid_))
        # Our copy of the client's end must be closed once the reply has carried it, or the
        # client closing its own would never show here: soon after, or at the client's next call.
        fd = theirs.detach()
        self._sent_fds[id(char)] = fd
        asyncio.get_running_loop().call_later(FD_HANDOVER_S, self._forget_sent_fd, char)
        return fd

    def _forget_sent_fd(self, char: Characteristic) -> None:
        fd = self._sent_fds.pop(id(char), None)
        if fd is not None:
            _close_quietly(fd)

    def release_if_closed(self, char: Characteristic) -> None:
        """Release an acquired notify socket whose client end is already closed."""
        self._forget_sent_fd(char)  # the client calls again: it has the reply, and the fd with it
        sock = char.notify_socket
        if sock is not None and select.select([sock], [], [], 0)[0]:
            self._release_notify(char)

    def _release_notify(self, char: Characteristic) -> None:
        sock = char.notify_socket
        if sock is None:
            return
        with contextlib.suppress(OSError):
            if sock.recv(1):
                return  # (a client never writes; ignore it)
        self._close_notify_socket(char)
        char.emit_properties_changed({"NotifyAcquired": False, "Notifying": bool(char.notify_clients)})

    def _close_notify_socket(self, char: Characteristic) -> None:
        sock = char.notify_socket
        if sock is not None:
            with contextlib.suppress(ValueError, RuntimeError):
                asyncio.get_running_loop().remove_reader(sock.fileno())
            sock.close()
            char.notify_socket = None

    def _owner(self, char: Characteristic) -> _State:
        for state in self._states.values():
            if state.chars.get(char.uuid_) is char:
                return state
        raise DBusError(FAILED, "Not connected")

    def _deliver(self, state: _State, uuid: str, data: bytes) -> None:
        char = state.chars.get(uuid)
        if char is None or not state.device.connected:
            return
        if char.notify_socket is not None:
            try:
                char.notify_socket.send(data)
            except OSError:
                self._close_notify_socket(char)
                return
        elif char.notify_clients:
            char.value = data
            char.emit_properties_changed({"Value": data})
        else:
            return
        state.notifications += 1
        if state.first_notified_s is None:
            state.first_notified_s = state.peripheral.now_s()
        if state.drop_plan is not None:
            after_s, off_air_s, forget = state.drop_plan
            state.drop_plan = None
            self._loop.call_later(after_s, lambda: self._spawn(self._drop(state, off_air_s, forget=forget)))


def _close_quietly(fd: int) -> None:
    import os

    with contextlib.suppress(OSError):
        os.close(fd)
