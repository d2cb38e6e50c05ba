"""FIT activity files (Garmin, Stryd, COROS, ...) mapped onto the ``footpod`` and ``heart_rate`` streams.

A FIT activity holds what the watch or foot pod computed once per record (about 1 Hz, or every
few seconds with "smart recording"): speed, distance, cadence, ground-contact time, step length,
power and heart rate. The mapping, numbered as in the code:

1. **Decode** every data message with :mod:`fitdecode`, checking the CRC. A truncated or damaged
   file is refused with one line (:class:`~calfload.errors.DataError`), never a traceback.
2. **Sport.** Only running and walking sessions are kept (a multisport file keeps the records that
   fall inside its run and walk sessions); a cycling or swimming file is refused. A session that
   says only ``generic`` (or names no sport) is judged from its records: the records' own
   ``activity_type`` where they have one, else their cadence (at least ``_MIN_CADENCE_SHARE`` of
   the records carry one; a median of 140 steps/min or more is a run, 70-140 a walk) provided
   the speed and cadence imply a human stride (under ``_MAX_STRIDE_M``; a bicycle's pedal cadence
   at cycling speed implies several metres). The summary says ``sport_from_records``.
3. **Records to columns.** FIT ``cadence`` of a run or walk is in strides per minute (one foot)
   with a ``fractional_cadence`` in 1/128 steps, so ``cadence_spm = 2 × (cadence + fractional)``.
   ``enhanced_speed`` is preferred to ``speed``; ``stance_time`` is the ground-contact time (ms);
   ``step_length`` (mm) is per step. Records sharing a timestamp are merged (last value wins); a
   field the device did not update keeps its previous value, as the device itself displays it.
4. **Pauses.** Timer ``stop_all`` … ``start`` events become the recording's gaps.
5. **Session totals** (stride total, averages, distance, timer time) and the devices go into the
   metadata ``extra["fit"]``, so the analysis can compare itself with the device.
6. **Running dynamics and laps** (:mod:`calfload.ingest.fit_dynamics`): heart rate, power,
   vertical oscillation and ratio, ground-contact balance and Stryd's developer fields become
   nullable columns of the stream (native fields before developer fields, the source of each in
   ``extra["fit"]["dynamics_sources"]``); the ``lap`` messages go into ``extra["fit"]["laps"]``.

References
----------
Garmin FIT SDK, Profile.xlsx (messages ``record``, ``session``, ``event``, ``device_info``), profile 21.x.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import fitdecode
import numpy as np

from calfload.errors import DataError
from calfload.ingest.fit_dynamics import (
    DEVELOPER_KEYS,
    MAX_LAPS,
    NATIVE_DYNAMICS_FIELDS,
    PREFERRED,
    developer_value,
    lap_row,
)
from calfload.recording import Recording, make_recording
from calfload.schema import (
    CADENCE_SPM,
    CONTACT_BALANCE_LEFT_PCT,
    DISTANCE_M,
    HEART_RATE_BPM,
    RUNNING,
    SPEED_MPS,
    STEP_LENGTH_M,
    STRIDE_LENGTH_M,
    T_S,
    VERTICAL_RATIO_PCT,
    RecordingMeta,
    SensorInfo,
)

#: FIT sports calfload analyses, and the activity each maps to.
SPORTS: Final[dict[str, str]] = {"running": "run", "walking": "walk", "hiking": "walk"}
#: Session sports that say nothing: the activity is then judged from the records.
_UNSPECIFIED: Final = frozenset({"", "generic", "all", "None"})
#: Share of records with a cadence needed to judge an unspecified sport from them.
_MIN_CADENCE_SHARE: Final = 0.5
#: Median cadence (steps/min) from which an unspecified sport is a run, and below which it is no walk.
_RUN_CADENCE_SPM: Final = 140.0
_WALK_CADENCE_SPM: Final = 70.0
#: Longest stride (m) that speed and cadence may imply when judging an unspecified sport.
_MAX_STRIDE_M: Final = 3.2
#: ANT+ device type of a stride-based speed and distance monitor (a foot pod).
_FOOT_POD_DEVICE_TYPE: Final = 124
#: FIT ``date_time`` values below this are seconds since the device powered on, not since 1989-12-31.
_RELATIVE_TIME_LIMIT: Final = 0x10000000
_UNKNOWN_START: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: Most ``record`` messages read from one file: 55 hours at the usual one record a second. Decoding
#: stops there, so time and memory stay bounded whatever the file claims (a 13 MB file of a million
#: records took 141 s and 1.3 GB).
MAX_FIT_RECORDS: Final = 200_000


@dataclass(slots=True)
class _Decoded:
    """The messages of a FIT file that the mapping needs (step 1)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    timer_events: list[tuple[float, str]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    devices: list[dict[str, Any]] = field(default_factory=list)
    file_id: dict[str, Any] = field(default_factory=dict)
    sport: dict[str, Any] = field(default_factory=dict)
    absolute_time: bool = True


def read_fit(path: str | Path) -> list[Recording]:
    """Read a FIT activity file as a ``footpod`` stream (and a ``heart_rate`` stream when present).

    Parameters
    ----------
    path
        A ``.fit`` activity file of a run or walk.

    Returns
    -------
    list of Recording
        The foot-pod stream first, then heart rate if the file has it.

    Raises
    ------
    DataError
        If the file is missing, truncated or damaged, is not a run or walk, or holds no records.
    """
    source = str(path)
    # 1. Decode.
    decoded = _decode(Path(path), source=source)
    # 2. Sport.
    sport = _sport(decoded)
    from_records = sport in _UNSPECIFIED
    if from_records:
        sport = _sport_from_records(decoded.records)
        if sport not in SPORTS:
            raise DataError(
                "this FIT activity names no sport and its records show no running or walking cadence; "
                "calfload analyses runs and walks",
                source=source,
            )
    if sport not in SPORTS:
        raise DataError(f"this FIT activity is {sport}; calfload analyses runs and walks", source=source)
    records = _records_in_sessions(decoded)
    if len(records) < 2:
        raise DataError("the FIT file holds no run or walk records; export the activity again", source=source)
    # 3. Records to columns.
    frame = _record_frame(records)
    t0 = float(frame["time"][0])
    data = {T_S: frame["time"] - t0}
    data[CADENCE_SPM] = 2.0 * (np.nan_to_num(_ffill(frame["cadence"])) + np.nan_to_num(frame["fractional_cadence"]))
    data[SPEED_MPS] = _speed(frame, data[T_S])
    data[DISTANCE_M] = frame["distance"]
    data[STRIDE_LENGTH_M] = 2.0 * frame["step_length"] / 1000.0
    data[STEP_LENGTH_M] = frame["step_length"] / 1000.0
    sources = _dynamics_columns(data, frame)
    data[RUNNING] = np.array([np.nan if a is None else float(a == "running") for a in frame["activity_type"]])
    # 4. Pauses.
    gaps = _pauses(decoded.timer_events, t0)
    # 5. Session totals and devices.
    meta = RecordingMeta(
        kind="footpod",
        sample_rate_hz=_rate_hz(data[T_S]),
        start_utc=_utc(t0) if decoded.absolute_time else _UNKNOWN_START,
        sensor=_sensor(decoded),
        placement="foot" if _has_foot_pod(decoded) else "unknown",
        activity=SPORTS[sport],
        gaps=gaps,
        extra={
            "fit": {**_summary(decoded, sport), **_record_counts(frame, from_records), **_laps(decoded, t0, sources)}
        },
    )
    streams = [make_recording(data, meta, source=source)]
    heart = _heart_rate(frame, t0, meta, source=source)
    if heart is not None:
        streams.append(heart)
    return streams


# --------------------------------------------------------------------------------------------- decode


def _decode(path: Path, *, source: str) -> _Decoded:
    if not path.is_file():
        raise DataError("no such file; check the path", source=source)
    out = _Decoded()
    try:
        with fitdecode.FitReader(
            str(path), check_crc=fitdecode.CrcCheck.RAISE, error_handling=fitdecode.ErrorHandling.RAISE
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    _collect(out, frame)
    except _TooManyRecordsError:
        raise DataError(
            f"the FIT file holds more than {MAX_FIT_RECORDS:,} records (over two days at one a second); "
            "calfload reads one run or walk per file: export the activity alone",
            source=source,
        ) from None
    except fitdecode.FitEOFError:
        raise DataError("the FIT file is truncated; copy or export it again from the device", source=source) from None
    except fitdecode.FitCRCError:
        raise DataError("the FIT file is damaged (checksum mismatch); export it again", source=source) from None
    except (fitdecode.FitError, ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DataError(f"not a readable FIT activity file ({first})", source=source) from None
    return out


class _TooManyRecordsError(Exception):
    """More than :data:`MAX_FIT_RECORDS` record messages."""


def _collect(out: _Decoded, message: Any) -> None:
    """Keep the fields of the messages the mapping needs, as plain dicts (records: only the mapped fields)."""
    name = message.name
    if name not in {"record", "session", "event", "device_info", "file_id", "sport", "lap"}:
        return
    if name == "record":
        if len(out.records) >= MAX_FIT_RECORDS:
            raise _TooManyRecordsError
        values = {f.name: f.value for f in message.fields if f.value is not None and f.name in _KEPT_RECORD_FIELDS}
        values.update(kept for f in message.fields if (kept := developer_value(f.name, f.value, f.units)))
    else:
        values = {f.name: f.value for f in message.fields if f.value is not None}
    stamp = values.get("timestamp")
    if isinstance(stamp, dt.datetime):
        values["time"] = stamp.timestamp()
    elif isinstance(stamp, int | float):
        values["time"] = float(stamp)
        out.absolute_time = out.absolute_time and stamp >= _RELATIVE_TIME_LIMIT
    if name == "record" and "time" in values:
        out.records.append(values)
    elif name == "session":
        out.sessions.append(values)
    elif name == "event" and values.get("event") == "timer" and "time" in values:
        out.timer_events.append((values["time"], str(values.get("event_type", ""))))
    elif name == "device_info":
        out.devices.append(values)
    elif name == "file_id":
        out.file_id = values
    elif name == "sport":
        out.sport = values
    elif name == "lap":
        out.laps.append(values)


def _sport(decoded: _Decoded) -> str:
    sports = [str(s.get("sport", "")) for s in decoded.sessions] or [str(decoded.sport.get("sport", ""))]
    return next((s for s in sports if s in SPORTS), sports[0] if sports else "")


def _sport_from_records(records: list[dict[str, Any]]) -> str:
    """The sport of a ``generic`` session, judged from its records (step 2); "" when they cannot tell."""
    types = {str(r["activity_type"]) for r in records if r.get("activity_type") is not None}
    if len(types) == 1 and (only := types.pop()) in SPORTS:
        return only
    frame = _record_frame(records)
    cadence = 2.0 * (frame["cadence"] + np.nan_to_num(frame["fractional_cadence"]))
    moving = cadence[np.isfinite(cadence) & (cadence > 0)]
    if moving.size < 10 or moving.size < _MIN_CADENCE_SHARE * frame["time"].size:
        return ""
    median = float(np.median(moving))
    speed = _fill(frame["enhanced_speed"], frame["speed"])
    both = np.isfinite(speed) & (speed > 0.5) & np.isfinite(cadence) & (cadence > 0)
    if both.sum() >= 10 and float(np.median(120.0 * speed[both] / cadence[both])) > _MAX_STRIDE_M:
        return ""  # a pedal cadence at cycling speed
    if median >= _RUN_CADENCE_SPM:
        return "running"
    return "walking" if median >= _WALK_CADENCE_SPM else ""


def _record_counts(frame: dict[str, np.ndarray], from_records: bool) -> dict[str, Any]:
    """How many records carry a cadence, and whether the sport was judged from them."""
    cadence = frame["cadence"]
    out: dict[str, Any] = {"records": cadence.size, "records_with_cadence": int(np.sum(np.isfinite(cadence)))}
    if from_records:
        out["sport_from_records"] = True
    return out


def _records_in_sessions(decoded: _Decoded) -> list[dict[str, Any]]:
    """Keep the records of the run and walk sessions (all records when the file has one session or none)."""
    if len(decoded.sessions) <= 1:
        return decoded.records
    windows = []
    for s in decoded.sessions:
        start = s.get("start_time")
        if str(s.get("sport", "")) not in SPORTS or start is None:
            continue
        begin = start.timestamp() if isinstance(start, dt.datetime) else _number(start)
        if begin is None:
            continue
        windows.append((begin, begin + (_number(s.get("total_elapsed_time")) or 0.0)))
    return [r for r in decoded.records if any(a <= r["time"] <= b for a, b in windows)]


# -------------------------------------------------------------------------------------------- columns

_RECORD_FIELDS: Final = (
    "time",
    "cadence",
    "fractional_cadence",
    "enhanced_speed",
    "speed",
    "distance",
    "stance_time",
    "step_length",
    "power",
    "heart_rate",
    "activity_type",
    *NATIVE_DYNAMICS_FIELDS,
    *DEVELOPER_KEYS,
)


_KEPT_RECORD_FIELDS: Final = frozenset({*_RECORD_FIELDS, "timestamp"})


def _record_frame(records: Iterable[dict[str, Any]]) -> dict[str, np.ndarray]:
    """The fields the mapping uses (step 3), one row per distinct timestamp, sorted by time.

    Records sharing a timestamp merge: each field takes the last value given for it (anything
    that is not a finite number counts as not given). Numeric fields are float64 with NaN where
    missing; ``activity_type`` is an object array with None where missing.
    """
    rows = [r for r in records if _number(r.get("time")) is not None]
    time = np.array([float(r["time"]) for r in rows], dtype=np.float64)
    order = np.argsort(time, kind="stable")
    times, group = np.unique(time[order], return_inverse=True)
    out: dict[str, np.ndarray] = {"time": times}
    for name in _RECORD_FIELDS[1:]:
        if name == "activity_type":
            raw = [rows[i].get(name) for i in order]
            values: np.ndarray = np.array([None if v is None else str(v) for v in raw], dtype=object)
            given = np.array([v is not None for v in values], dtype=bool)
            merged: np.ndarray = np.full(times.size, None, dtype=object)
        else:
            values = np.array([_number(rows[i].get(name)) for i in order], dtype=np.float64)
            given = np.isfinite(values)
            merged = np.full(times.size, np.nan)
        at = np.flatnonzero(given)
        last = at[np.append(group[at][1:] != group[at][:-1], True)] if at.size else at
        merged[group[last]] = values[last]
        out[name] = merged
    return out


def _ffill(values: np.ndarray) -> np.ndarray:
    """Each NaN replaced by the last finite value before it (leading NaN stay)."""
    index = np.where(np.isfinite(values), np.arange(values.size), 0)
    return values[np.maximum.accumulate(index)] if values.size else values


def _fill(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``values`` with its NaN taken from ``other``."""
    return np.where(np.isfinite(values), values, other)


def _dynamics_columns(data: dict[str, np.ndarray], frame: dict[str, np.ndarray]) -> dict[str, str]:
    """Running-dynamics columns from the native field, else the developer field (step 6); their sources."""
    sources: dict[str, str] = {}
    for column, (first, fallback) in PREFERRED.items():
        name = fallback if fallback is not None and not np.any(frame[first] > 0) else first
        chosen = _positive(frame[name])
        data[column] = chosen
        if np.isfinite(chosen).any():
            sources[column] = "Stryd developer field" if name.startswith("dev_") else "record"
    hr = frame["heart_rate"]
    data[HEART_RATE_BPM] = np.where((hr > 0) & (hr < 255), hr, np.nan)
    data[VERTICAL_RATIO_PCT] = _positive(frame["vertical_ratio"])
    balance = frame["stance_time_balance"]
    data[CONTACT_BALANCE_LEFT_PCT] = np.where((balance > 0) & (balance < 100), balance, np.nan)
    return sources


def _positive(values: np.ndarray) -> np.ndarray:
    """``values`` where above zero, NaN elsewhere (a zero is the device's "not measured")."""
    return np.where(values > 0, values, np.nan)


def _laps(decoded: _Decoded, t0: float, sources: dict[str, str]) -> dict[str, Any]:
    """The laps as the device summarised them, and where each running-dynamics column came from."""
    rows = [row for values in decoded.laps if (row := lap_row(values, t0)) is not None]
    out: dict[str, Any] = {"laps": rows[:MAX_LAPS], "dynamics_sources": sources}
    if len(rows) > MAX_LAPS:
        out["laps_left_out"] = len(rows) - MAX_LAPS
    return out


def _speed(frame: dict[str, np.ndarray], t_s: np.ndarray) -> np.ndarray:
    """Device speed; where it is missing, the distance's rate of change; else interpolated."""
    speed = _fill(frame["enhanced_speed"], frame["speed"])
    distance = frame["distance"]
    missing = ~np.isfinite(speed)
    if missing.any() and np.isfinite(distance).sum() >= 2:
        ok = np.isfinite(distance)
        rate = np.gradient(np.interp(t_s, t_s[ok], distance[ok]), t_s)
        speed[missing] = rate[missing]
    missing = ~np.isfinite(speed)
    if missing.all():
        return np.zeros_like(speed)
    if missing.any():
        speed[missing] = np.interp(t_s[missing], t_s[~missing], speed[~missing])
    return speed


def _pauses(events: list[tuple[float, str]], t0: float) -> tuple[tuple[float, float], ...]:
    """``(stop, start)`` of every timer pause, in seconds from the first record (step 4)."""
    gaps: list[tuple[float, float]] = []
    stopped_at: float | None = None
    for time, kind in sorted(events):
        if kind.startswith("stop"):
            stopped_at = time if stopped_at is None else stopped_at
        elif kind == "start" and stopped_at is not None:
            if time > stopped_at:
                gaps.append((round(stopped_at - t0, 3), round(time - t0, 3)))
            stopped_at = None
    return tuple(g for g in gaps if g[1] > 0)


def _rate_hz(t_s: np.ndarray) -> float:
    steps = np.diff(t_s)
    return 1.0 / float(np.median(steps)) if steps.size else 1.0


def _utc(epoch_s: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch_s, tz=dt.UTC)


# ------------------------------------------------------------------------------------------- metadata


def _sensor(decoded: _Decoded) -> SensorInfo:
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


def _has_foot_pod(decoded: _Decoded) -> bool:
    if str(decoded.file_id.get("manufacturer", "")) == "stryd":
        return True
    return any(d.get("device_type") == _FOOT_POD_DEVICE_TYPE for d in decoded.devices)


def _summary(decoded: _Decoded, sport: str) -> dict[str, Any]:
    """Session totals and averages in calfload's units (step 5); absent values are left out."""
    sessions = [s for s in decoded.sessions if str(s.get("sport", "")) in SPORTS] or decoded.sessions
    out: dict[str, Any] = {"sport": sport, "cadence_source": "foot_pod" if _has_foot_pod(decoded) else "device"}
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
    strides = _numbers(x.get("total_strides", x.get("total_cycles")) for x in sessions)
    if len(strides) == len(sessions):
        out["total_strides"] = int(sum(strides))
    cadence = _number(s.get("avg_running_cadence", s.get("avg_walking_cadence", s.get("avg_cadence"))))
    if cadence is not None:
        out["avg_cadence_spm"] = round(2.0 * (cadence + (_number(s.get("avg_fractional_cadence")) or 0.0)), 2)
    max_cadence = _number(s.get("max_running_cadence", s.get("max_cadence")))
    if max_cadence is not None:
        out["max_cadence_spm"] = round(2.0 * (max_cadence + (_number(s.get("max_fractional_cadence")) or 0.0)), 2)
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
        value = _number(s.get(name, s.get("avg_speed") if name == "enhanced_avg_speed" else None))
        if value is not None:
            out[key] = round(value * scale, 4)
    if len(sessions) > 1:
        for key in ("total_timer_time_s", "total_elapsed_time_s", "total_distance_m"):
            name = scalar[key][0]
            values = _numbers(x.get(name) for x in sessions)
            if len(values) == len(sessions):
                out[key] = round(sum(values), 3)
    return out


def _number(value: object) -> float | None:
    """Return ``value`` as a finite float, or None if it is anything else.

    Every session value goes through here: a damaged file with a valid checksum can decode a
    field as a tuple, a string or an out-of-range number.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _numbers(values: Iterable[object]) -> list[float]:
    """Return the finite numbers among ``values``."""
    return [v for v in map(_number, values) if v is not None]


def _heart_rate(frame: dict[str, np.ndarray], t0: float, meta: RecordingMeta, *, source: str) -> Recording | None:
    hr = frame["heart_rate"]
    ok = np.isfinite(hr) & (hr > 0) & (hr < 255)
    t = frame["time"][ok] - t0
    if ok.sum() < 2 or t[-1] - t[0] < 4.0:
        return None
    data = {T_S: t, HEART_RATE_BPM: hr[ok]}
    hr_meta = meta.replace(kind="heart_rate", placement="unknown", sample_rate_hz=_rate_hz(t))
    return make_recording(data, hr_meta, source=source)


__all__ = ["SPORTS", "read_fit"]
