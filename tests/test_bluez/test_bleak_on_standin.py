"""bleak's BlueZ backend against the stand-in, in this process: the GATT operations calfload's link uses
and the ones around them (AcquireNotify, descriptors, filters, BlueZ's refusals), with their bytes checked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from bleak import BleakClient, BleakScanner
from bleak.exc import BleakGATTProtocolError

from calfload.errors import DeviceError
from calfload.ingest import gatt
from calfload.ingest.heart_rate import decode_heart_rate
from calfload.ingest.link import BleakConnector, scan
from calfload.ingest.witmotion import rate_command

from ._bluez_standin import BlueZStandIn, DeviceSpec


def _into(queue: asyncio.Queue[bytes]) -> Callable[[object, bytearray], None]:
    def put(_char: object, data: bytearray) -> None:
        queue.put_nowait(bytes(data))

    return put


async def _connected(address: str) -> BleakClient:
    device = await BleakScanner.find_device_by_address(address, timeout=10.0)
    assert device is not None
    client = BleakClient(device, timeout=20.0)
    await client.connect()
    return client


async def test_a_uuid_filter_reports_only_devices_advertising_that_service(bluez: BlueZStandIn) -> None:
    pod = bluez.add(DeviceSpec("footpod"))
    bluez.add(DeviceSpec("witmotion"))
    found = await BleakScanner.discover(timeout=1.0, service_uuids=[gatt.RSC_SERVICE])
    assert [d.address for d in found] == [pod]


async def test_heart_rate_arrives_through_acquire_notify_and_start_notify_alike(bluez: BlueZStandIn) -> None:
    address = bluez.add(DeviceSpec("heart_rate"))
    client = await _connected(address)
    try:
        for use_start_notify in (False, True):
            got: asyncio.Queue[bytes] = asyncio.Queue()
            await client.start_notify(
                gatt.HEART_RATE_MEASUREMENT, _into(got), bluez={"use_start_notify": use_start_notify}
            )
            beat = decode_heart_rate(await asyncio.wait_for(got.get(), timeout=10.0))
            # The strap's model (virtual.peripherals.heart_rate_loop): 75-95 bpm with one RR interval.
            assert 75 <= beat.heart_rate_bpm <= 95
            assert len(beat.rr_intervals_ms) == 1
            await client.stop_notify(gatt.HEART_RATE_MEASUREMENT)
        assert await client.read_gatt_char(gatt.sig_uuid(0x2A38)) == b"\x01"  # body sensor location: chest
    finally:
        await client.disconnect()
    assert not bluez.snapshot(address).connected


async def test_bluez_refusals_reach_bleak_as_gatt_errors(bluez: BlueZStandIn) -> None:
    address = bluez.add(DeviceSpec("witmotion"))
    client = await _connected(address)
    try:
        with pytest.raises(BleakGATTProtocolError):  # NotPermitted "Read not permitted"
            await client.read_gatt_char(gatt.WITMOTION_NOTIFY)
        with pytest.raises(BleakGATTProtocolError):  # NotPermitted "Write not permitted"
            await client.write_gatt_char(gatt.WITMOTION_NOTIFY, b"\x00", response=True)
        await client.write_gatt_char(gatt.WITMOTION_WRITE, rate_command(50.0), response=False)
        await client.write_gatt_char(gatt.WITMOTION_WRITE, rate_command(50.0), response=True)
        got: asyncio.Queue[bytes] = asyncio.Queue()
        await client.start_notify(gatt.WITMOTION_NOTIFY, _into(got))
        assert (await asyncio.wait_for(got.get(), timeout=10.0))[:2] == b"\x55\x61"  # a WitMotion packet
        char = client.services.get_characteristic(gatt.WITMOTION_NOTIFY)
        assert char is not None
        (cccd,) = char.descriptors
        assert await client.read_gatt_descriptor(cccd) == b"\x01\x00"  # notifications on
        await client.stop_notify(gatt.WITMOTION_NOTIFY)
        assert await client.read_gatt_descriptor(cccd) == b"\x00\x00"
    finally:
        await client.disconnect()


async def test_the_link_turns_bleak_errors_into_one_line_device_errors(bluez: BlueZStandIn) -> None:
    address = bluez.add(DeviceSpec("witmotion"))
    connector = BleakConnector(address, scan_timeout_s=10.0)
    dropped = asyncio.Event()
    link = await connector.connect(dropped.set)
    assert connector.pinned_address == address
    with pytest.raises(DeviceError) as failed:
        await link.read(gatt.WITMOTION_NOTIFY)
    assert "\n" not in str(failed.value)
    bluez.drop_link(address, 0.5)
    await asyncio.wait_for(dropped.wait(), timeout=10.0)
    with pytest.raises(DeviceError):
        await link.write(gatt.WITMOTION_WRITE, rate_command(50.0), response=False)
    await link.disconnect()  # never raises, also when the link is gone


async def test_a_device_removed_during_a_scan_is_not_listed(bluez: BlueZStandIn) -> None:
    keep = bluez.add(DeviceSpec("footpod"))
    gone = bluez.add(DeviceSpec("polar"))
    scanning = asyncio.ensure_future(scan(2.0))
    await asyncio.sleep(1.0)
    bluez.drop_link(gone, 60.0, forget=True)
    found = await scanning
    assert [r.address for r in found] == [keep]
