"""Step 5 of the mapping in :mod:`calfload.ingest.fit`: the device and the session totals.

The creator device becomes the recording's :class:`~calfload.schema.SensorInfo`; a Stryd file or
an ANT+ stride sensor among the devices makes the placement ``foot``. The session totals and
averages (stride total, cadence, distance, timer time, running dynamics) go into the metadata's
``device_summary`` (:class:`~calfload.schema.FitDeviceSummary`) in calfload's units, so the
analysis can compare itself with the device.

References
----------
Garmin FIT SDK, Profile.xlsx (messages ``session``, ``device_info``, ``file_id``), profile 21.x.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final

from calfload._recording_facts import FitDeviceSummary
from calfload.ingest.fit_messages import SPORTS, FitMessages, number, numbers
from calfload.schema import SensorInfo

#: ANT+ device type of a stride-based speed and distance monitor (a foot pod).
_FOOT_POD_DEVICE_TYPE: Final = 124


def fit_sensor(decoded: FitMessages) -> SensorInfo:
    """The device that wrote the file: manufacturer and product, serial number, firmware."""
    creator = decoded.file_id
    manufacturer = str(creator.get("manufacturer", "unknown"))
    product = creator.get("garmin_product") or creator.get("product")
    creator_device = next((d for d in decoded.devices if d.get("device_index") == "creator"), {})
    firmware = creator_device.get("software_version")
    serial = creator.get("serial_number")
    return SensorInfo(
        model=f"{manufacturer} {product}" if product is not None else manufacturer,
        address=None if serial is None else str(serial),
        firmware=None if firmware is None else str(firmware),
    )


def has_foot_pod(decoded: FitMessages) -> bool:
    """Whether a foot pod measured the steps (a Stryd file, or an ANT+ stride sensor among the devices)."""
    if str(decoded.file_id.get("manufacturer", "")) == "stryd":
        return True
    return any(d.get("device_type") == _FOOT_POD_DEVICE_TYPE for d in decoded.devices)


def session_summary(decoded: FitMessages, sport: str) -> FitDeviceSummary:
    """Session totals and averages in calfload's units (step 5); absent values are None."""
    sessions = [s for s in decoded.sessions if str(s.get("sport", "")) in SPORTS] or decoded.sessions
    devices = sorted(
        {
            f"{d.get('manufacturer', '?')} {d.get('garmin_product') or d.get('product') or ''}".strip()
            for d in decoded.devices
        }
    )
    summary = FitDeviceSummary(
        sport=sport, cadence_source="foot_pod" if has_foot_pod(decoded) else "device", devices=tuple(devices)
    )
    if not sessions:
        return summary
    s = sessions[0]

    def value(name: str, scale: float = 1.0, *, total: bool = False) -> float | None:
        """A field of the first session in calfload's unit; a total sums the sessions when every one has it."""
        values = numbers(x.get(name) for x in sessions) if total and len(sessions) > 1 else []
        if values and len(values) == len(sessions):
            return round(sum(values) * scale, 3)
        found = number(s.get(name, s.get("avg_speed") if name == "enhanced_avg_speed" else None))
        return None if found is None else round(found * scale, 4)

    def cadence(name: str, fractional: str) -> float | None:
        """A cadence field (strides per minute) with its fraction, as steps per minute."""
        strides = number(s.get(name))
        return None if strides is None else round(2.0 * (strides + (number(s.get(fractional)) or 0.0)), 2)

    strides = numbers(x.get("total_strides", x.get("total_cycles")) for x in sessions)
    return dataclasses.replace(
        summary,
        total_strides=int(sum(strides)) if len(strides) == len(sessions) else None,
        avg_cadence_spm=cadence(_first_of(s, _AVG_CADENCE), "avg_fractional_cadence"),
        max_cadence_spm=cadence(_first_of(s, _MAX_CADENCE), "max_fractional_cadence"),
        total_timer_time_s=value("total_timer_time", total=True),
        total_elapsed_time_s=value("total_elapsed_time", total=True),
        total_distance_m=value("total_distance", total=True),
        avg_speed_mps=value("enhanced_avg_speed"),
        avg_ground_contact_ms=value("avg_stance_time"),
        avg_step_length_m=value("avg_step_length", 1e-3),
        avg_power_w=value("avg_power"),
        avg_heart_rate_bpm=value("avg_heart_rate"),
        max_heart_rate_bpm=value("max_heart_rate"),
        avg_vertical_oscillation_mm=value("avg_vertical_oscillation"),
        avg_vertical_ratio_pct=value("avg_vertical_ratio"),
        avg_contact_balance_left_pct=value("avg_stance_time_balance"),
    )


#: Where a session's average and maximum cadence are, in order of preference.
_AVG_CADENCE: Final = ("avg_running_cadence", "avg_walking_cadence", "avg_cadence")
_MAX_CADENCE: Final = ("max_running_cadence", "max_cadence")


def _first_of(message: Mapping[str, object], names: tuple[str, ...]) -> str:
    """The first of ``names`` that ``message`` holds (the last when it holds none)."""
    return next((n for n in names if n in message), names[-1])


__all__ = ["fit_sensor", "has_foot_pod", "session_summary"]
