"""Time columns of CSV files: which column, which unit, which origin.

The unit is stated by the column's name (``t_ms``, ``Time (s)``, ``timestamp [ns]``) or judged from
the values: seconds, milliseconds, microseconds or nanoseconds since 1970 (which also gives the
start time), a sample step that only one unit makes a plausible sensor rate (5-2000 Hz), or ISO 8601
text. A step that fits no unit, or several, is refused with the ``--columns`` name to use.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

import numpy as np
import pandas as pd

from calfload._stats import median
from calfload.errors import DataError

#: Time-unit names accepted in ``--columns`` and their factor to seconds.
TIME_UNITS: Final[dict[str, float]] = {"t_s": 1.0, "t_ms": 1e-3, "t_us": 1e-6, "t_ns": 1e-9}
#: Plausible sensor sample rates when judging a time unit from the step.
_RATE_RANGE_HZ: Final = (5.0, 2000.0)
#: First instants of 2000 and 2100 in seconds since 1970: epoch times fall in between.
_EPOCH_RANGE_S: Final = (946_684_800.0, 4_102_444_800.0)


def normalise_name(name: str) -> tuple[str, str]:
    """``"Acceleration x (m/s^2)"`` -> ``("acceleration_x", "m/s^2")``."""
    unit = ""
    m = re.search(r"[(\[]([^)\]]*)[)\]]", name)
    if m:
        unit = m.group(1).strip().lower()
        name = name[: m.start()] + name[m.end() :]
    key = re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
    return key, unit


_TIME_KEYS: Final = (
    "t_s",
    "t_ms",
    "t_us",
    "t_ns",
    "time",
    "timestamp",
    "t",
    "seconds_elapsed",
    "datetime",
    "time_s",
    "time_ms",
    "time_us",
    "time_ns",
    "timestamp_s",
    "timestamp_ms",
    "timestamp_us",
    "timestamp_ns",
    "elapsed",
    "elapsed_s",
    "epoch",
    "epoch_ms",
    "date_time",
    "loggingtime",
    "sample_time",
    "utc",
    "ts",
)
_UNIT_WORDS: Final[dict[str, float]] = {
    "s": 1.0,
    "sec": 1.0,
    "seconds": 1.0,
    "ms": 1e-3,
    "msec": 1e-3,
    "milliseconds": 1e-3,
    "us": 1e-6,
    "µs": 1e-6,
    "microseconds": 1e-6,
    "ns": 1e-9,
    "nanoseconds": 1e-9,
}


def find_time_column(columns: list[str]) -> str | None:
    """The column that holds time (an absolute one preferred over ``seconds_elapsed``)."""
    keyed = {c: normalise_name(c)[0] for c in columns}
    for key in _TIME_KEYS:
        for col, k in keyed.items():
            if k == key:
                return col
    return next((c for c, k in keyed.items() if k.startswith(("time", "timestamp"))), None)


def time_unit_of(name: str) -> float | None:
    """The factor to seconds a time column's name states, or None."""
    key, unit = normalise_name(name)
    if unit in _UNIT_WORDS:
        return _UNIT_WORDS[unit]
    suffix = key.rsplit("_", 1)[-1] if "_" in key else ""
    if key == "seconds_elapsed":
        return 1.0
    return _UNIT_WORDS.get(suffix) if suffix in {"s", "ms", "us", "ns"} else None


def to_seconds(
    values: pd.Series, name: str, *, factor: float | None, source: str
) -> tuple[np.ndarray, dt.datetime | None, str | None]:
    """Convert a time column to seconds since its first sample.

    Returns
    -------
    t_s, start_utc, assumption
        Times from 0; the wall-clock time of the first sample when known; what was assumed
        (None when the name stated the unit).
    """
    if not pd.api.types.is_numeric_dtype(values.dtype):
        return _iso_times(values, name, source=source)
    raw = values.to_numpy()
    if raw.size < 2 or not np.all(np.isfinite(raw.astype(np.float64))):
        raise DataError(f"time column {name!r} is empty or has missing values; every row needs a time", source=source)
    rel = (raw - raw[0]).astype(np.float64)  # integer nanoseconds stay exact until here
    first = float(raw[0])
    assumption = None
    if factor is None:
        factor, assumption = _guess_unit(first, rel, name, source=source)
    t_s = rel * factor
    epoch_s = first * factor
    start = None
    if _EPOCH_RANGE_S[0] <= epoch_s <= _EPOCH_RANGE_S[1]:
        start = dt.datetime.fromtimestamp(epoch_s, tz=dt.UTC)
    return t_s, start, assumption


def _guess_unit(first: float, rel: np.ndarray, name: str, *, source: str) -> tuple[float, str]:
    steps = np.diff(rel)
    steps = steps[steps > 0]
    step = float(median(steps)) if steps.size else 0.0
    for factor, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")):
        if _EPOCH_RANGE_S[0] <= first * factor <= _EPOCH_RANGE_S[1] and _plausible(step * factor):
            return factor, f"{name!r} is in {unit} since 1970 (starts {_iso(first * factor)})"
    fits = [(f, u) for f, u in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")) if _plausible(step * f)]
    if len(fits) != 1:
        raise DataError(
            f"cannot tell the unit of time column {name!r} (median step {step:g}); name it with "
            f"`columns` t_ms={name} (or t_s, t_us, t_ns)",
            source=source,
            column=name,
            parameter="columns",
        )
    factor, unit = fits[0]
    return factor, f"{name!r} is in {unit} (median step {step:g} {unit}, {1 / (step * factor):.0f} Hz)"


def check_imu_time(t_s: np.ndarray, name: str) -> tuple[np.ndarray, str | None]:
    """Catch sensor times whose name says seconds but whose step only fits another unit.

    An IMU samples at 5-2000 Hz; ``t_s`` stepping by 10 is milliseconds, not a 0.1 Hz sensor.
    Returns the times in seconds and what was assumed (None when nothing was changed).
    """
    steps = np.diff(t_s)
    step = float(median(steps[steps > 0])) if np.any(steps > 0) else 0.0
    if step == 0.0 or _plausible(step):
        return t_s, None
    fits = [(f, u) for f, u in ((1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")) if _plausible(step * f)]
    if len(fits) != 1:
        return t_s, None
    factor, unit = fits[0]
    return t_s * factor, f"{name!r} steps by {step:g}: {unit}, not seconds ({1 / (step * factor):.0f} Hz)"


def _plausible(step_s: float) -> bool:
    return step_s > 0 and 1 / _RATE_RANGE_HZ[1] <= step_s <= 1 / _RATE_RANGE_HZ[0]


def _iso(epoch_s: float) -> str:
    return dt.datetime.fromtimestamp(epoch_s, tz=dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _iso_times(values: pd.Series, name: str, *, source: str) -> tuple[np.ndarray, dt.datetime | None, str]:
    try:
        stamps = pd.to_datetime(values.astype("string").str.strip(), format="ISO8601")
    except (ValueError, TypeError):
        example = values.dropna().astype(str).iloc[0] if values.notna().any() else ""
        raise DataError(
            f"time column {name!r} holds {example!r}, neither a number nor an ISO 8601 time; "
            f"name the time column with `columns` t_s=NAME",
            source=source,
            column=name,
            value=example,
            parameter="columns",
        ) from None
    note = f"{name!r} holds ISO 8601 times"
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize(dt.datetime.now().astimezone().tzinfo)
        note += " without a time zone, taken as this computer's local time"
    if stamps.isna().any():
        raise DataError(f"time column {name!r} has empty cells; every row needs a time", source=source)
    start = stamps.iloc[0].tz_convert("UTC").to_pydatetime()
    return (stamps - stamps.iloc[0]).dt.total_seconds().to_numpy(dtype=np.float64), start, note


__all__ = ["TIME_UNITS", "check_imu_time", "find_time_column", "normalise_name", "time_unit_of", "to_seconds"]
