"""FIT activity files (Garmin, Stryd, COROS, ...) mapped onto the ``footpod`` and ``heart_rate`` streams.

A FIT activity holds what the watch or foot pod computed once per record (about 1 Hz, or every
few seconds with "smart recording"): speed, distance, cadence, ground-contact time, step length,
power and heart rate. The mapping, numbered as in the code:

1. **Decode.** The records are read column by column straight from the file's bytes and every
   other message by :mod:`fitdecode` (:mod:`calfload.ingest.fit_records`), checking the CRC; a
   file that reader does not expect is decoded whole by fitdecode
   (:mod:`calfload.ingest.fit_messages`), with the same result. A truncated or damaged file is
   refused with one line (:class:`~calfload.errors.DataError`), never a traceback. Before that, the
   file's outline (:mod:`calfload.ingest.fit_outline`: the sports its sessions name and its record
   count, read without decoding any record) refuses another sport, or too many records, at once: a
   cyclist's 100,000-record ride is refused in a fraction of a second instead of 12.6 s of CPU. A
   file whose sessions say ``generic`` still needs its records (step 2).
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
   metadata's ``device_summary`` (:class:`~calfload.schema.FitDeviceSummary`), so the analysis
   can compare itself with the device (:mod:`calfload.ingest.fit_summary`).
6. **Running dynamics and laps** (:mod:`calfload.ingest.fit_dynamics`): heart rate, power,
   vertical oscillation and ratio, ground-contact balance and Stryd's developer fields become
   nullable columns of the stream (native fields before developer fields, the source of each in
   the metadata's ``column_sources``); the ``lap`` messages become its ``laps``
   (:class:`~calfload.schema.FitLap`).

References
----------
Garmin FIT SDK, Profile.xlsx (messages ``record``, ``session``, ``event``, ``device_info``), profile 21.x.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np

from calfload import _stats
from calfload._recording_facts import FitDeviceSummary
from calfload.errors import DataError
from calfload.ingest import fit_messages
from calfload.ingest.fit_columns import FitRecords, record_frame
from calfload.ingest.fit_dynamics import (
    MAX_LAPS,
    PREFERRED,
    lap_row,
)
from calfload.ingest.fit_messages import (
    SPORTS,
    FitMessages,
    decode_fit,
    number,
    too_many_records,
)
from calfload.ingest.fit_outline import fit_outline
from calfload.ingest.fit_records import read_columns
from calfload.ingest.fit_summary import fit_sensor, has_foot_pod, session_summary
from calfload.recording import Recording, make_recording
from calfload.schema import (
    CADENCE_SPM,
    CONTACT_BALANCE_LEFT_PCT,
    DISTANCE_M,
    FOOTPOD,
    HEART_RATE_BPM,
    RUNNING,
    SPEED_MPS,
    STEP_LENGTH_M,
    STRIDE_LENGTH_M,
    T_S,
    VERTICAL_RATIO_PCT,
    RecordingMeta,
)

#: Session sports that say nothing: the activity is then judged from the records.
_UNSPECIFIED: Final = frozenset({"", "generic", "all", "None"})
#: Share of records with a cadence needed to judge an unspecified sport from them.
_MIN_CADENCE_SHARE: Final = 0.5
#: Median cadence (steps/min) from which an unspecified sport is a run, and below which it is no walk.
_RUN_CADENCE_SPM: Final = 140.0
_WALK_CADENCE_SPM: Final = 70.0
#: Longest stride (m) that speed and cadence may imply when judging an unspecified sport.
_MAX_STRIDE_M: Final = 3.2
_UNKNOWN_START: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


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
    # 1. Decode (a file whose outline already refuses it is not decoded).
    _refuse_from_outline(Path(path), source=source)
    decoded = read_columns(Path(path)) or decode_fit(Path(path), source=source)
    # 2. Sport.
    sport = _sport([str(s.get("sport", "")) for s in decoded.sessions], str(decoded.sport.get("sport", "")))
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
        raise _other_sport(sport, source=source)
    records = _records_in_sessions(decoded)
    if len(records) < 2:
        raise DataError("the FIT file holds no run or walk records; export the activity again", source=source)
    # 3. Records to columns.
    frame = record_frame(records)
    t0 = float(frame["time"][0])
    data = _Stored(frame["time"].size)
    t_s = data.put(T_S, frame["time"] - t0)
    data.put(CADENCE_SPM, 2.0 * (np.nan_to_num(_ffill(frame["cadence"])) + np.nan_to_num(frame["fractional_cadence"])))
    data.put(SPEED_MPS, _speed(frame, t_s))
    data.put(DISTANCE_M, frame["distance"])
    data.put(STRIDE_LENGTH_M, 2.0 * frame["step_length"] / 1000.0)
    data.put(STEP_LENGTH_M, frame["step_length"] / 1000.0)
    sources = _dynamics_columns(data, frame)
    data.put(RUNNING, np.array([np.nan if a is None else float(a == "running") for a in frame["activity_type"]]))
    # 4. Pauses.
    gaps = _pauses(decoded.timer_events, t0)
    # 6. Laps (the running-dynamics columns and their sources are above, with step 3).
    laps = [lap for values in decoded.laps if (lap := lap_row(values, t0)) is not None]
    # 5. Session totals and devices.
    meta = RecordingMeta(
        kind="footpod",
        sample_rate_hz=_rate_hz(t_s),
        start_utc=_utc(t0) if decoded.absolute_time else _UNKNOWN_START,
        sensor=fit_sensor(decoded),
        placement="foot" if has_foot_pod(decoded) else "unknown",
        activity=SPORTS[sport],
        gaps=gaps,
        device_summary=_with_counts(session_summary(decoded, sport), frame, from_records, len(laps)),
        laps=tuple(laps[:MAX_LAPS]),
        column_sources=tuple(sorted(sources.items())),
    )
    streams = [make_recording(data.columns, meta, source=source)]
    heart = _heart_rate(frame, t0, meta, source=source)
    if heart is not None:
        streams.append(heart)
    return streams


def _refuse_from_outline(path: Path, *, source: str) -> None:
    """Refuse another sport, or more records than are read, from the file's outline alone (no record decoded).

    A file whose outline cannot be read (missing, damaged, oddly laid out) is left to the decoder,
    which gives the reason; so is one whose sessions name no sport, judged from its records.
    """
    outline = fit_outline(path)
    if outline is None:
        return
    sport = _sport(outline.session_sports, outline.last_sport)
    if sport not in SPORTS and sport not in _UNSPECIFIED:
        raise _other_sport(sport, source=source)
    if outline.records > fit_messages.MAX_FIT_RECORDS:
        raise too_many_records(source=source)


def _sport(session_sports: Sequence[str], last_sport: str) -> str:
    """The file's sport: a run or walk session's if any, else the first session's, else the sport message's."""
    sports = list(session_sports) or [last_sport]
    return next((s for s in sports if s in SPORTS), sports[0])


def _other_sport(sport: str, *, source: str) -> DataError:
    return DataError(f"this FIT activity is {sport}; calfload analyses runs and walks", source=source)


def _sport_from_records(records: FitRecords) -> str:
    """The sport of a ``generic`` session, judged from its records (step 2); "" when they cannot tell."""
    types = {str(a) for a in records.activity_type if a is not None}
    if len(types) == 1 and (only := types.pop()) in SPORTS:
        return only
    frame = record_frame(records)
    cadence = 2.0 * (frame["cadence"] + np.nan_to_num(frame["fractional_cadence"]))
    moving = cadence[np.isfinite(cadence) & (cadence > 0)]
    if moving.size < 10 or moving.size < _MIN_CADENCE_SHARE * frame["time"].size:
        return ""
    median = float(_stats.median(moving))
    speed = _fill(frame["enhanced_speed"], frame["speed"])
    both = np.isfinite(speed) & (speed > 0.5) & np.isfinite(cadence) & (cadence > 0)
    if both.sum() >= 10 and float(_stats.median(120.0 * speed[both] / cadence[both])) > _MAX_STRIDE_M:
        return ""  # a pedal cadence at cycling speed
    if median >= _RUN_CADENCE_SPM:
        return "running"
    return "walking" if median >= _WALK_CADENCE_SPM else ""


def _with_counts(
    summary: FitDeviceSummary, frame: dict[str, np.ndarray], from_records: bool, laps: int
) -> FitDeviceSummary:
    """The summary with how many records carry a cadence, whether the sport was judged from them, laps left out."""
    cadence = frame["cadence"]
    return dataclasses.replace(
        summary,
        records=int(cadence.size),
        records_with_cadence=int(np.sum(np.isfinite(cadence))),
        sport_from_records=from_records,
        laps_left_out=max(0, laps - MAX_LAPS),
    )


def _records_in_sessions(decoded: FitMessages) -> FitRecords:
    """Keep the records of the run and walk sessions (all records when the file has one session or none)."""
    if len(decoded.sessions) <= 1:
        return decoded.records
    windows = []
    for s in decoded.sessions:
        start = s.get("start_time")
        if str(s.get("sport", "")) not in SPORTS or start is None:
            continue
        begin = start.timestamp() if isinstance(start, dt.datetime) else number(start)
        if begin is None:
            continue
        windows.append((begin, begin + (number(s.get("total_elapsed_time")) or 0.0)))
    time_s = decoded.records.time_s
    inside = np.zeros(time_s.size, dtype=bool)
    for a, b in windows:
        inside |= (a <= time_s) & (time_s <= b)
    return decoded.records.take(inside)


# -------------------------------------------------------------------------------------------- columns


def _ffill(values: np.ndarray) -> np.ndarray:
    """Each NaN replaced by the last finite value before it (leading NaN stay)."""
    index = np.where(np.isfinite(values), np.arange(values.size), 0)
    return values[np.maximum.accumulate(index)] if values.size else values


def _fill(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``values`` with its NaN taken from ``other``."""
    return np.where(np.isfinite(values), values, other)


def _dynamics_columns(data: _Stored, frame: dict[str, np.ndarray]) -> dict[str, str]:
    """Running-dynamics columns from the native field, else the developer field (step 6); their sources."""
    sources: dict[str, str] = {}
    for column, (first, fallback) in PREFERRED.items():
        name = fallback if fallback is not None and not np.any(frame[first] > 0) else first
        chosen = _positive(frame[name])
        if np.isfinite(chosen).any():
            sources[column] = "Stryd developer field" if name.startswith("dev_") else "record"
        data.put(column, chosen)
    hr = frame["heart_rate"]
    data.put(HEART_RATE_BPM, np.where((hr > 0) & (hr < 255), hr, np.nan))
    data.put(VERTICAL_RATIO_PCT, _positive(frame["vertical_ratio"]))
    balance = frame["stance_time_balance"]
    data.put(CONTACT_BALANCE_LEFT_PCT, np.where((balance > 0) & (balance < 100), balance, np.nan))
    return sources


class _Stored:
    """The footpod stream's columns as they are made, each at once in the table's dtype (step 3).

    A 5.4 h walk's record fields are float64 columns of 156 kB each; kept so until the recording
    is validated, the 17 of them and their float32 copies were the peak of reading the file.
    Each column is cast as it is made (the same values the recording's validation would give),
    and every nullable float32 column that holds nothing shares one read-only NaN column (a
    recording's columns are read-only views anyway).
    """

    def __init__(self, n: int) -> None:
        self.columns: dict[str, np.ndarray] = {}
        self._empty = np.full(n, np.nan, dtype=np.float32)
        self._empty.flags.writeable = False

    def put(self, name: str, values: np.ndarray) -> np.ndarray:
        """Keep ``values`` as column ``name`` in its stored dtype; return the kept column."""
        column = FOOTPOD.column(name)
        dtype = np.dtype(np.float32 if column.is_bool else column.numpy_dtype)
        if column.nullable and dtype == self._empty.dtype and bool(np.isnan(values).all()):
            kept = self._empty
        else:
            kept = values.astype(dtype, copy=False)
        self.columns[name] = kept
        return kept


def _positive(values: np.ndarray) -> np.ndarray:
    """``values`` where above zero, NaN elsewhere (a zero is the device's "not measured")."""
    return np.where(values > 0, values, np.nan)


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
    return 1.0 / float(_stats.median(steps)) if steps.size else 1.0


def _utc(epoch_s: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch_s, tz=dt.UTC)


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
