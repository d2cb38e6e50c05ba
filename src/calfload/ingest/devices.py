"""Configure each supported device family's streams on a fresh connection, and stop them.

Polar (PMD)
    Subscribe to the control point (indications) and the data characteristic first, read the
    feature bitmask, then start the accelerometer and, when offered, the gyroscope, each with
    rate, 16-bit resolution, range and 3 channels (the H10 takes no channel setting and only
    streams the accelerometer at 25-200 Hz). A stream the sensor reports as already running is
    stopped and started again. On stop the streams are stopped explicitly: the H10 keeps streaming
    otherwise.
WitMotion
    Subscribe to ``ffe4`` and write the output-rate command to ``ffe9``.
Foot pod (RSC)
    Subscribe to the RSC Measurement and read the RSC Feature.

Heart rate is subscribed to as an extra stream on any device that offers the service. Every step
is written into the raw log as an event before it is sent, so decoding the log later knows each
stream's settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from calfload._logger import package_logger
from calfload.errors import DecodeError
from calfload.ingest import gatt
from calfload.ingest.gatt import Channel, DeviceKind
from calfload.ingest.link import DeviceRefusedError, GattLink, LinkLostError
from calfload.ingest.pmd import (
    OP_START,
    OP_STOP,
    ControlPointResponse,
    Features,
    MeasurementType,
    StreamSettings,
    decode_control_point,
    start_request,
    stop_request,
)
from calfload.ingest.witmotion import RATE_CODES, rate_command

logger = package_logger(__name__)

#: Default rates when ``--rate`` is not given.
DEFAULT_RATE_HZ: Final[dict[DeviceKind, float]] = {DeviceKind.POLAR: 52.0, DeviceKind.WITMOTION: 50.0}
H10_DEFAULT_RATE_HZ: Final = 200.0
ACC_RANGE_G: Final = 8
GYR_RANGE_DPS: Final = 2000
CONTROL_POINT_TIMEOUT_S: Final = 10.0
#: Accelerometer and gyroscope rates of the Polar Verity Sense, and of the H10 (accelerometer only).
VERITY_RATES_HZ: Final = (26.0, 52.0, 104.0, 208.0, 416.0)
H10_RATES_HZ: Final = (25.0, 50.0, 100.0, 200.0)
#: Rates each family can be set to (a foot pod notifies at its own pace).
RATES_HZ: Final[dict[DeviceKind, tuple[float, ...]]] = {
    DeviceKind.POLAR: tuple(sorted({*VERITY_RATES_HZ, *H10_RATES_HZ})),
    DeviceKind.WITMOTION: tuple(RATE_CODES),
}
_ALREADY_IN_STATE: Final = 6
_SERVICE_NAMES: Final = {DeviceKind.POLAR: "Polar PMD", DeviceKind.WITMOTION: "WitMotion", DeviceKind.FOOTPOD: "RSC"}


class DeviceIO(Protocol):
    """What configuring a device needs from the recorder."""

    def notify_callback(self, channel: Channel) -> Callable[[bytes], None]:
        """Return the (enqueue-only) callback for a channel's notifications."""
        ...

    def event(self, kind: str, /, **fields: Any) -> None:
        """Put an event into the raw log (in order with the notifications)."""
        ...

    async def control_point_response(self, opcode: int, measurement: int, timeout_s: float) -> ControlPointResponse:
        """Wait for the control-point response to a request."""
        ...


@dataclass(frozen=True, slots=True)
class StartedDevice:
    """What was started on a connection."""

    kind: DeviceKind
    streams: tuple[str, ...]
    model: str


def _rates_text(rates: tuple[float, ...]) -> str:
    return ", ".join(f"{r:g}" for r in rates)


def rate_problem(rate_hz: float | None, kind: DeviceKind | None) -> str | None:
    """Say why ``--rate`` cannot work on a device family (None: it can, or no rate was asked for).

    ``kind`` None (a real device before connecting) accepts any rate some family supports.
    """
    if rate_hz is None:
        return None
    if not (math.isfinite(rate_hz) and rate_hz > 0):
        return f"`rate_hz` {rate_hz:g} is not a sample rate; give a positive number of Hz"
    if kind is None:
        if any(rate_hz in rates for rates in RATES_HZ.values()):
            return None
        listed = "; ".join(f"{k} {_rates_text(r)}" for k, r in RATES_HZ.items())
        return f"no supported sensor can send at {rate_hz:g} Hz; choose a rate of your sensor ({listed})"
    if kind is DeviceKind.FOOTPOD:
        return None
    rates = RATES_HZ[kind]
    if kind is DeviceKind.POLAR:
        listed = f"Verity Sense {_rates_text(VERITY_RATES_HZ)}; H10 {_rates_text(H10_RATES_HZ)}"
    else:
        listed = _rates_text(rates)
    if rate_hz not in rates:
        return f"a {kind} sensor cannot send at {rate_hz:g} Hz; choose one of {listed}"
    return None


def device_kind(link: GattLink) -> DeviceKind:
    """Tell the family of a connected device.

    Raises
    ------
    DeviceRefusedError
        If the device offers none of the supported services.
    """
    kind = gatt.recognise(link.service_uuids)
    if kind is not None:
        return kind
    by_name = gatt.recognise((), link.name)
    if by_name is not None:
        raise DeviceRefusedError(
            f"{link.name or link.address} is named like a {by_name} sensor but offers no {_SERVICE_NAMES[by_name]} "
            "service (a heart-rate-only model?); calfload records its motion streams only"
        )
    raise DeviceRefusedError(
        f"{link.name or link.address} offers no supported service (foot pod RSC, Polar PMD, WitMotion); "
        "run `calfload scan` to see which devices are supported"
    )


async def start_device(link: GattLink, io: DeviceIO, rate_hz: float | None) -> StartedDevice:
    """Subscribe to and start every stream the device offers.

    Raises
    ------
    DeviceRefusedError
        If the device refuses the configuration.
    LinkLostError
        If the link fails meanwhile.
    """
    kind = device_kind(link)
    problem = rate_problem(rate_hz, kind)
    if problem is not None:
        raise DeviceRefusedError(problem)
    io.event("connected", name=link.name, address=link.address, kind=str(kind))
    if gatt.HEART_RATE_SERVICE in link.service_uuids:
        await link.start_notify(gatt.HEART_RATE_MEASUREMENT, io.notify_callback(Channel.HEART_RATE_MEASUREMENT))
    if kind is DeviceKind.POLAR:
        return await _start_polar(link, io, rate_hz)
    if kind is DeviceKind.WITMOTION:
        rate = rate_hz if rate_hz is not None else DEFAULT_RATE_HZ[kind]
        try:
            command = rate_command(rate)
        except DecodeError as exc:
            raise DeviceRefusedError(str(exc)) from None
        io.event("witmotion_rate", rate_hz=rate)
        await link.start_notify(gatt.WITMOTION_NOTIFY, io.notify_callback(Channel.WITMOTION_DATA))
        await link.write(gatt.WITMOTION_WRITE, command, response=False)
        return StartedDevice(kind, ("imu",), f"WitMotion {link.name}".strip())
    await link.start_notify(gatt.RSC_MEASUREMENT, io.notify_callback(Channel.RSC_MEASUREMENT))
    try:
        io.event("rsc_feature", value=(await link.read(gatt.RSC_FEATURE)).hex())
    except LinkLostError as exc:
        logger.info("RSC feature not readable: %s", exc)
    return StartedDevice(kind, ("footpod",), link.name or "foot pod")


async def _start_polar(link: GattLink, io: DeviceIO, rate_hz: float | None) -> StartedDevice:
    await link.start_notify(gatt.PMD_CONTROL_POINT, io.notify_callback(Channel.PMD_CONTROL_POINT))
    await link.start_notify(gatt.PMD_DATA, io.notify_callback(Channel.PMD_DATA))
    try:
        features = decode_control_point(await link.read(gatt.PMD_CONTROL_POINT))
    except DecodeError as exc:
        raise DeviceRefusedError(f"the Polar sensor's feature list is unreadable ({exc})") from None
    offered = features.measurements if isinstance(features, Features) else frozenset()
    if MeasurementType.ACC not in offered:
        raise DeviceRefusedError("this Polar sensor offers no accelerometer stream")
    has_gyro = MeasurementType.GYRO in offered
    default = DEFAULT_RATE_HZ[DeviceKind.POLAR] if has_gyro else H10_DEFAULT_RATE_HZ
    rate = round(rate_hz) if rate_hz is not None else round(default)
    allowed = VERITY_RATES_HZ if has_gyro else H10_RATES_HZ
    if rate not in allowed:
        raise DeviceRefusedError(
            f"this {'Polar Verity Sense' if has_gyro else 'Polar H10'} cannot send at {rate} Hz; "
            f"choose one of {_rates_text(allowed)}"
        )
    channels = 3 if has_gyro else None
    streams = [(MeasurementType.ACC, StreamSettings(sample_rate_hz=rate, range=ACC_RANGE_G, channels=channels))]
    if has_gyro:
        streams.append((MeasurementType.GYRO, StreamSettings(sample_rate_hz=rate, range=GYR_RANGE_DPS)))
    for measurement, settings in streams:
        await _start_pmd_stream(link, io, measurement, settings)
    model = "Polar Verity Sense" if has_gyro else "Polar H10"
    if link.name.startswith("Polar"):
        model = " ".join(link.name.split()[:-1]) or link.name
    return StartedDevice(DeviceKind.POLAR, ("imu",), model)


async def _start_pmd_stream(link: GattLink, io: DeviceIO, measurement: int, settings: StreamSettings) -> None:
    name = MeasurementType(measurement).name
    io.event(
        "pmd_start",
        measurement=int(measurement),
        rate_hz=settings.sample_rate_hz,
        resolution_bits=settings.resolution_bits,
        channels=settings.channels or 3,
        range=settings.range,
    )
    for _attempt in range(2):
        await link.write(gatt.PMD_CONTROL_POINT, start_request(MeasurementType(measurement), settings), response=True)
        reply = await io.control_point_response(OP_START, measurement, CONTROL_POINT_TIMEOUT_S)
        if reply.ok:
            return
        if reply.status != _ALREADY_IN_STATE:
            raise DeviceRefusedError(
                f"the Polar sensor refused to start {name} at {settings.sample_rate_hz} Hz ({reply.status_text}); "
                "try another `rate_hz` (Verity Sense: 26, 52, 104, 208, 416; H10: 25, 50, 100, 200)",
                value=settings.sample_rate_hz,
                parameter="rate_hz",
            )
        logger.info("%s stream was already running; restarting it", name)
        await link.write(gatt.PMD_CONTROL_POINT, stop_request(MeasurementType(measurement)), response=True)
        await io.control_point_response(OP_STOP, measurement, CONTROL_POINT_TIMEOUT_S)
    raise DeviceRefusedError(f"the Polar sensor keeps reporting {name} as already running; switch it off and on")


async def stop_device(link: GattLink, kind: DeviceKind, io: DeviceIO) -> None:
    """Stop the device's streams where the protocol has a stop command (best effort)."""
    if kind is not DeviceKind.POLAR:
        return
    for measurement in (MeasurementType.ACC, MeasurementType.GYRO):
        try:
            await link.write(gatt.PMD_CONTROL_POINT, stop_request(measurement), response=True)
            await io.control_point_response(OP_STOP, measurement, 2.0)
        except (LinkLostError, TimeoutError) as exc:
            logger.debug("stopping %s: %s", measurement.name, exc)


__all__ = [
    "DEFAULT_RATE_HZ",
    "RATES_HZ",
    "DeviceIO",
    "StartedDevice",
    "device_kind",
    "rate_problem",
    "start_device",
    "stop_device",
]
