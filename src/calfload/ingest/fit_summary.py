"""Step 5 of the mapping in :mod:`calfload.ingest.fit`: the device and the session totals.

The creator device becomes the recording's :class:`~calfload.schema.SensorInfo`; a Stryd file or
an ANT+ stride sensor among the devices makes the placement ``foot``. The session totals and
averages (stride total, cadence, distance, timer time, running dynamics) go into the metadata
``extra["fit"]`` in calfload's units, so the analysis can compare itself with the device.

References
----------
Garmin FIT SDK, Profile.xlsx (messages ``session``, ``device_info``, ``file_id``), profile 21.x.
"""

from __future__ import annotations

from typing import Any, Final

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


def session_summary(decoded: FitMessages, sport: str) -> dict[str, Any]:
    """Session totals and averages in calfload's units (step 5); absent values are left out."""
    sessions = [s for s in decoded.sessions if str(s.get("sport", "")) in SPORTS] or decoded.sessions
    out: dict[str, Any] = {"sport": sport, "cadence_source": "foot_pod" if has_foot_pod(decoded) else "device"}
    devices = sorted(
        {
            f"{d.get('manufacturer', '?')} {d.get('garmin_product') or d.get('product') or ''}".strip()
            for d in decoded.devices
        }
    )
    out["devices"] = devices
    if not sessions:
        return out
    s = sessions[0]
    strides = numbers(x.get("total_strides", x.get("total_cycles")) for x in sessions)
    if len(strides) == len(sessions):
        out["total_strides"] = int(sum(strides))
    cadence = number(s.get("avg_running_cadence", s.get("avg_walking_cadence", s.get("avg_cadence"))))
    if cadence is not None:
        out["avg_cadence_spm"] = round(2.0 * (cadence + (number(s.get("avg_fractional_cadence")) or 0.0)), 2)
    max_cadence = number(s.get("max_running_cadence", s.get("max_cadence")))
    if max_cadence is not None:
        out["max_cadence_spm"] = round(2.0 * (max_cadence + (number(s.get("max_fractional_cadence")) or 0.0)), 2)
    scalar = {
        "total_timer_time_s": ("total_timer_time", 1.0),
        "total_elapsed_time_s": ("total_elapsed_time", 1.0),
        "total_distance_m": ("total_distance", 1.0),
        "avg_speed_mps": ("enhanced_avg_speed", 1.0),
        "avg_ground_contact_ms": ("avg_stance_time", 1.0),
        "avg_step_length_m": ("avg_step_length", 1e-3),
        "avg_power_w": ("avg_power", 1.0),
        "avg_heart_rate_bpm": ("avg_heart_rate", 1.0),
        "max_heart_rate_bpm": ("max_heart_rate", 1.0),
        "avg_vertical_oscillation_mm": ("avg_vertical_oscillation", 1.0),
        "avg_vertical_ratio_pct": ("avg_vertical_ratio", 1.0),
        "avg_contact_balance_left_pct": ("avg_stance_time_balance", 1.0),
    }
    for key, (name, scale) in scalar.items():
        value = number(s.get(name, s.get("avg_speed") if name == "enhanced_avg_speed" else None))
        if value is not None:
            out[key] = round(value * scale, 4)
    if len(sessions) > 1:
        for key in ("total_timer_time_s", "total_elapsed_time_s", "total_distance_m"):
            name = scalar[key][0]
            values = numbers(x.get(name) for x in sessions)
            if len(values) == len(sessions):
                out[key] = round(sum(values), 3)
    return out


__all__ = ["fit_sensor", "has_foot_pod", "session_summary"]
