"""Running dynamics and laps of a FIT activity: the fields beyond steps, cadence and speed.

:mod:`calfload.ingest.fit` maps a FIT file onto the ``footpod`` stream; this module supplies the
mapping of the running-dynamics fields and of the ``lap`` messages:

1. **Native record fields** (FIT profile, message ``record``): ``heart_rate`` (bpm), ``power``
   (W), ``stance_time`` (ms), ``stance_time_balance`` (%), ``vertical_oscillation`` (mm),
   ``vertical_ratio`` (%), ``step_length`` (mm).
2. **Developer fields** written by Stryd's Connect IQ app and pod (``Power``, ``Ground Time``,
   ``Vertical Oscillation``, ``Form Power``, ``Air Power``, ``Leg Spring Stiffness``). Their
   units are declared in the file's field description and differ between app versions
   (``Centimeters`` for vertical oscillation, ``Milliseconds`` for ground time); a value whose
   unit is not one listed here is left out rather than guessed. A native field wins over the
   developer field of the same quantity; the source of each is reported.
3. **Laps** (message ``lap``): start, timer time, distance, average speed, heart rate, cadence,
   power and stance time as the device summarised them, at most :data:`MAX_LAPS`.

``stance_time_balance`` is the left foot's share of the ground-contact time: Garmin's watches show
it as "GCT balance L xx.x %", and 50 % is symmetric (Garmin, *Running Dynamics* owner's manual).

References
----------
Garmin FIT SDK, Profile.xlsx (messages ``record``, ``lap``), profile 21.x.
Stryd, "Stryd Connect IQ data fields" (developer field names and units as written into FIT files).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Final

from calfload._recording_facts import FitLap
from calfload.schema import (
    AIR_POWER_W,
    FORM_POWER_W,
    GROUND_CONTACT_MS,
    LEG_STIFFNESS_KNPM,
    POWER_W,
    VERTICAL_OSCILLATION_MM,
)

#: Native record fields kept besides those of the steps and cadence mapping.
NATIVE_DYNAMICS_FIELDS: Final = ("stance_time_balance", "vertical_oscillation", "vertical_ratio")

#: Developer field name -> (kept key, {unit as written, lower case: factor to calfload's unit}).
DEVELOPER_FIELDS: Final[dict[str, tuple[str, dict[str, float]]]] = {
    "Power": ("dev_power_w", {"watts": 1.0, "w": 1.0}),
    "Ground Time": ("dev_ground_contact_ms", {"milliseconds": 1.0, "ms": 1.0}),
    "Vertical Oscillation": ("dev_vertical_oscillation_mm", {"centimeters": 10.0, "cm": 10.0, "mm": 1.0}),
    "Form Power": ("dev_form_power_w", {"watts": 1.0, "w": 1.0}),
    "Air Power": ("dev_air_power_w", {"watts": 1.0, "w": 1.0}),
    "Leg Spring Stiffness": ("dev_leg_stiffness_knpm", {"kn/m": 1.0}),
}

#: The keys developer fields are kept under (record frame columns).
DEVELOPER_KEYS: Final = tuple(key for key, _ in DEVELOPER_FIELDS.values())

#: Most laps kept in the metadata (a lap is about 200 bytes; metadata is capped at 64 KB).
MAX_LAPS: Final = 100

#: Quantity -> (native column, developer column) in the record frame, native first.
PREFERRED: Final[dict[str, tuple[str, str | None]]] = {
    POWER_W: ("power", "dev_power_w"),
    GROUND_CONTACT_MS: ("stance_time", "dev_ground_contact_ms"),
    VERTICAL_OSCILLATION_MM: ("vertical_oscillation", "dev_vertical_oscillation_mm"),
    FORM_POWER_W: ("dev_form_power_w", None),
    AIR_POWER_W: ("dev_air_power_w", None),
    LEG_STIFFNESS_KNPM: ("dev_leg_stiffness_knpm", None),
}


def developer_value(name: str, value: object, units: object) -> tuple[str, float] | None:
    """The kept key and the value in calfload's unit of a Stryd developer field, else None (step 2)."""
    spec = DEVELOPER_FIELDS.get(name)
    if spec is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    key, factors = spec
    factor = factors.get(str(units).strip().lower())
    if factor is None or not math.isfinite(float(value)):
        return None
    return key, float(value) * factor


def lap_row(values: Mapping[str, object], t0_s: float) -> FitLap | None:
    """One ``lap`` message in calfload's names and units, its start in seconds from ``t0_s`` (POSIX s; step 3)."""
    start = values.get("start_time")
    if isinstance(start, dt.datetime):
        start_s = start.timestamp() - t0_s
    elif (seconds := number(start)) is not None:
        start_s = seconds - t0_s
    else:
        return None
    timer = number(values.get("total_timer_time"))
    if timer is None or timer <= 0:
        return None
    cadence = number(values.get("avg_running_cadence", values.get("avg_cadence")))
    trigger, intensity = values.get("lap_trigger"), values.get("intensity")
    return FitLap(
        start_s=round(start_s, 3),
        timer_s=round(timer, 3),
        distance_m=number(values.get("total_distance")),
        speed_mps=number(values.get("enhanced_avg_speed", values.get("avg_speed"))),
        heart_rate_bpm=number(values.get("avg_heart_rate")),
        cadence_spm=None
        if cadence is None
        else round(2.0 * (cadence + (number(values.get("avg_fractional_cadence")) or 0.0)), 2),
        power_w=number(values.get("avg_power")),
        ground_contact_ms=number(values.get("avg_stance_time")),
        trigger=trigger if isinstance(trigger, str) else None,
        intensity=intensity if isinstance(intensity, str) else None,
    )


def number(value: object) -> float | None:
    """Return ``value`` as a finite float, or None if it is anything else.

    Every FIT value read goes through here: a damaged file with a valid checksum can decode a
    field as a tuple, a string or an out-of-range number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        as_float = float(value)
    except OverflowError:
        return None
    return as_float if math.isfinite(as_float) else None


__all__ = [
    "DEVELOPER_FIELDS",
    "DEVELOPER_KEYS",
    "MAX_LAPS",
    "NATIVE_DYNAMICS_FIELDS",
    "PREFERRED",
    "developer_value",
    "lap_row",
    "number",
]
