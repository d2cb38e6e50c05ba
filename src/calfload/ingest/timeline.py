"""Put a session's decoded streams on the recording clock and build the contract's recordings.

The fits that turn receive times into sample times (device-clock lines for PMD, host-timed grids
for WitMotion, event times for RSC and heart rate) are in :mod:`calfload.ingest.clock_fit` and
:mod:`calfload.ingest.host_grid`; this module applies them per stream, joins accelerometer and
gyroscope, and builds one :class:`~calfload.recording.Recording` per stream.

All streams of a session share ``t_s = 0`` at the earliest sample of any of them, and one
``start_utc``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from calfload._recording_facts import HostTiming, RecorderFacts
from calfload._stats import median
from calfload.errors import DataError, SchemaError
from calfload.ingest.clock_fit import (
    DRIFT_WINDOW_S,
    MAX_DRIFT,
    MIN_DRIFT_SPAN_S,
    LinearClock,
    event_host_times,
    fit_device_clock,
    merge_intervals,
)
from calfload.ingest.decoding import DecodeStats, HostTimedStream, PmdStream, SessionDecoder
from calfload.ingest.host_grid import (
    MIN_PERIOD_SPAN_S,
    SNAP_TOLERANCE,
    HostTimes,
    measured_period_ns,
    sample_indices,
    smooth_host_times,
)
from calfload.ingest.pmd import MeasurementType
from calfload.ingest.rawlog import LOG_FILE, LogReadReport, SessionHeader
from calfload.ingest.witmotion import RATE_CODES
from calfload.recording import Recording, make_recording
from calfload.schema import (
    ACC_MPS2,
    CADENCE_SPM,
    DISTANCE_M,
    GYR_DPS,
    HEART_RATE_BPM,
    RR_INTERVAL_MS,
    RUNNING,
    SPEED_MPS,
    STRIDE_LENGTH_M,
    T_S,
    RecordingMeta,
    SensorInfo,
)
from calfload.units import STANDARD_GRAVITY_MPS2

#: Largest believable deviation of a host-timed stream's true rate from its nominal rate.
MAX_RATE_ERROR: Final = 0.05


@dataclass(frozen=True, slots=True)
class Stream:
    """One stream on the host clock, before it becomes a :class:`Recording`."""

    kind: str
    host_ns: np.ndarray
    columns: dict[str, np.ndarray]
    gaps_ns: list[tuple[float, float]]
    rate_hz: float
    host_timing: HostTimes | None = None


def _pmd_host(stream: PmdStream) -> tuple[np.ndarray, np.ndarray, list[tuple[float, float]]]:
    """Map a PMD stream onto the host clock, each device-clock segment with its own line."""
    bounds = [0, *stream.clock_segments, len(stream.anchors_host_ns)]
    times: list[np.ndarray] = []
    values: list[np.ndarray] = []
    gaps: list[tuple[float, float]] = []
    period_ns = 1e9 / stream.rate_hz
    for k, (a, b) in enumerate(itertools.pairwise(bounds)):
        if a == b:
            continue
        clock = fit_device_clock(np.asarray(stream.anchors_device_ns[a:b]), np.asarray(stream.anchors_host_ns[a:b]))
        t = clock.to_host_ns(np.concatenate(stream.device_ns[a:b]))
        v = np.concatenate(stream.values[a:b])
        if times:
            # A new clock after a reconnect: nothing may land before what is already placed.
            keep = t > times[-1][-1]
            t, v = t[keep], v[keep]
            if not t.size:
                continue
            if t[0] - times[-1][-1] > 1.5 * period_ns:
                gaps.append((float(times[-1][-1]), float(t[0])))
        in_segment = [g for g, s in zip(stream.gaps_device_ns, stream.gaps_segment, strict=True) if s == k]
        if in_segment:
            starts = clock.to_host_ns(np.array([g[0] for g in in_segment], dtype=np.int64))
            ends = clock.to_host_ns(np.array([g[1] for g in in_segment], dtype=np.int64))
            gaps.extend((float(x), float(y)) for x, y in zip(starts, ends, strict=True))
        times.append(t)
        values.append(v)
    return np.concatenate(times), np.concatenate(values), sorted(gaps)


def _imu_from_pmd(decoder: SessionDecoder) -> Stream | None:
    acc = decoder.pmd.get(MeasurementType.ACC)
    gyr = decoder.pmd.get(MeasurementType.GYRO)
    if acc is None or not acc.count:
        return None
    if gyr is None or not gyr.count:
        raise DataError(
            "the sensor sent no gyroscope data, and an IMU recording needs it; the accelerometer data "
            "stays in capture.calflog"
        )
    t_acc, v_acc, gaps_acc = _pmd_host(acc)
    t_gyr, v_gyr, gaps_gyr = _pmd_host(gyr)
    # Gyroscope samples are interpolated onto the accelerometer's times where both streams have data.
    inside = (t_acc >= t_gyr[0]) & (t_acc <= t_gyr[-1])
    for a, b in gaps_gyr:
        inside &= ~((t_acc > a) & (t_acc < b))
    t = t_acc[inside]
    if not t.size:
        raise DataError(
            "the accelerometer and gyroscope data do not overlap in time, so no IMU sample has both; "
            "the data stays in capture.calflog"
        )
    columns = {name: v_acc[inside, i] for i, name in enumerate(ACC_MPS2)}
    for i, name in enumerate(GYR_DPS):
        columns[name] = np.interp(t, t_gyr, v_gyr[:, i].astype(np.float64)).astype(np.float32)
    return Stream("imu", t, columns, merge_intervals(gaps_acc + gaps_gyr), acc.rate_hz)


def _imu_from_witmotion(stream: HostTimedStream, notes: list[str]) -> Stream:
    timing = smooth_host_times(
        np.asarray(stream.host_ns), np.asarray(stream.segment), stream.rate_hz, supported_hz=tuple(RATE_CODES)
    )
    rate_hz = stream.rate_hz
    if abs(timing.rate_hz / rate_hz - 1.0) > MAX_RATE_ERROR:
        notes.append(
            f"the WitMotion sensor sent at {timing.rate_hz:.3g} Hz, not the {rate_hz:g} Hz asked for; "
            "its times follow the measured rate"
        )
        rate_hz = round(timing.rate_hz, 3)
    values = np.asarray(stream.values, dtype=np.float64)
    columns = {name: (values[:, i] * STANDARD_GRAVITY_MPS2).astype(np.float32) for i, name in enumerate(ACC_MPS2)}
    columns.update({name: values[:, 3 + i].astype(np.float32) for i, name in enumerate(GYR_DPS)})
    return Stream("imu", timing.times_ns, columns, timing.gaps_ns, rate_hz, host_timing=timing)


def _event_timed(kind: str, stream: HostTimedStream, names: tuple[str, ...]) -> Stream:
    t, gaps = event_host_times(np.asarray(stream.host_ns), np.asarray(stream.segment))
    values = np.asarray(stream.values, dtype=np.float64)
    steps = np.diff(t)
    rate_hz = 1e9 / float(median(steps)) if steps.size else stream.rate_hz
    return Stream(kind, t, {n: values[:, i] for i, n in enumerate(names)}, gaps, round(rate_hz, 3))


def collect_streams(decoder: SessionDecoder) -> tuple[list[Stream], list[str]]:
    """Every stream the decoder holds, on the host clock; plus notes on streams left out."""
    streams: list[Stream] = []
    notes: list[str] = []
    try:
        imu = _imu_from_pmd(decoder)
        if imu is not None:
            streams.append(imu)
    except DataError as exc:
        notes.append(str(exc))
    for pmd in decoder.pmd.values():
        notes.extend(dict.fromkeys(pmd.notes))
    if decoder.witmotion is not None and decoder.witmotion.count:
        streams.append(_imu_from_witmotion(decoder.witmotion, notes))
    if decoder.rsc is not None and decoder.rsc.count:
        names = (SPEED_MPS, CADENCE_SPM, STRIDE_LENGTH_M, DISTANCE_M, RUNNING)
        streams.append(_event_timed("footpod", decoder.rsc, names))
    if decoder.heart_rate is not None and decoder.heart_rate.count:
        streams.append(_event_timed("heart_rate", decoder.heart_rate, (HEART_RATE_BPM, RR_INTERVAL_MS)))
    return streams, notes


#: Header fields that go into the recording metadata, and the value used when one is invalid.
_HEADER_DEFAULTS: Final[dict[str, Any]] = {
    "activity": None,
    "placement": "unknown",
    "side": "unknown",
    "exercise": None,
    "added_load_kg": None,
}


def validate_header(header: SessionHeader) -> None:
    """Check the header's metadata fields as a recording's metadata will check them.

    Raises
    ------
    SchemaError
        If any of them is invalid (the recording could not be saved with it).
    """
    RecordingMeta(
        sample_rate_hz=header.rate_hz if header.rate_hz is not None else 1.0,
        start_utc=header.start_utc,
        **{name: getattr(header, name) for name in _HEADER_DEFAULTS},
    )


def usable_header(header: SessionHeader) -> tuple[SessionHeader, list[str]]:
    """Return the header with each invalid metadata field reset to its default, and a note for each.

    A header written by an older version may hold a value the metadata refuses (``added_load_kg``
    -5 or NaN); the data must still be saved.
    """
    changes: dict[str, Any] = {}
    notes: list[str] = []
    for name, default in _HEADER_DEFAULTS.items():
        value = getattr(header, name)
        try:
            RecordingMeta(sample_rate_hz=1.0, start_utc=header.start_utc, **{name: value})
        except (SchemaError, TypeError, ValueError) as exc:
            changes[name] = default
            notes.append(f"session.json's {name} {value!r:.80} is not valid ({exc!s:.200}); saved without it")
    return (dataclasses.replace(header, **changes) if changes else header), notes


def build_recordings(
    decoder: SessionDecoder,
    header: SessionHeader,
    *,
    log: LogReadReport | None = None,
    t0_ns: float | None = None,
) -> tuple[list[Recording], list[str]]:
    """Build the contract's recordings from a fully fed decoder.

    ``t0_ns`` is the host time of ``t_s = 0`` (default: the earliest sample of any stream); the
    sensors of a two-sensor session share one. ``log`` is what reading the raw log found; with
    it, each recording's :class:`~calfload.schema.RecorderFacts` also names the raw log, the
    device asked for and the faults injected.

    Returns
    -------
    recordings : list of Recording
        One per stream that holds enough data.
    notes : list of str
        Why any stream was left out.
    """
    header, notes = usable_header(header)
    streams, stream_notes = collect_streams(decoder)
    notes += stream_notes
    if not streams:
        return [], notes
    if t0_ns is None:
        t0_ns = min(float(s.host_ns[0]) for s in streams)
    start_utc = header.start_utc + dt.timedelta(microseconds=(t0_ns - header.start_monotonic_ns) / 1e3)
    sensor = SensorInfo(
        model=str(decoder.device.get("model") or decoder.device.get("name") or "unknown"),
        address=decoder.device.get("address"),
    )
    recordings: list[Recording] = []
    for s in streams:
        t_s = (s.host_ns - t0_ns) / 1e9
        frame = pd.DataFrame({T_S: t_s, **s.columns})
        if s.kind == "footpod":
            frame[RUNNING] = frame[RUNNING].astype("boolean")
        gaps = tuple((round((a - t0_ns) / 1e9, 3), round((b - t0_ns) / 1e9, 3)) for a, b in s.gaps_ns)
        meta = RecordingMeta(
            kind=s.kind,
            sample_rate_hz=s.rate_hz,
            start_utc=start_utc,
            sensor=sensor,
            placement=header.placement,
            side=header.side,
            activity=header.activity,
            exercise=header.exercise,
            added_load_kg=header.added_load_kg,
            gaps=gaps,
            recorder=_recorder_facts(decoder.stats, header, log, s.host_timing, t0_ns),
        )
        try:
            recordings.append(make_recording(frame, meta, source=f"{s.kind} stream"))
        except DataError as exc:
            notes.append(str(exc))
    return recordings, notes


def _recorder_facts(
    stats: DecodeStats, header: SessionHeader, log: LogReadReport | None, timing: HostTimes | None, t0_ns: float
) -> RecorderFacts:
    """What the recorder counted, for a recording's metadata (how its rate was found, for a host-timed stream)."""
    return RecorderFacts(
        notifications=stats.notifications,
        bad_notifications=stats.bad,
        duplicates_dropped=stats.duplicates,
        reconnects=stats.reconnects,
        monotonic_t0_ns=round(t0_ns),
        host_timing=None
        if timing is None
        else HostTiming(
            measured_hz=round(timing.measured_hz, 3),
            timed_hz=round(timing.rate_hz, 3),
            stretches=timing.stretches,
            snapped_to_supported_rate=timing.snapped,
            snap_tolerance=SNAP_TOLERANCE,
        ),
        device_requested=None if log is None else header.device,
        raw_log=None if log is None else LOG_FILE,
        time_scale=None if log is None else header.time_scale,
        torn_tail_bytes=None if log is None else log.torn_tail_bytes,
        damaged_bytes_skipped=None if log is None else log.damaged_bytes,
        faults=header.faults if log is not None else (),
    )


__all__ = [
    "DRIFT_WINDOW_S",
    "MAX_DRIFT",
    "MIN_DRIFT_SPAN_S",
    "MIN_PERIOD_SPAN_S",
    "LinearClock",
    "Stream",
    "build_recordings",
    "collect_streams",
    "event_host_times",
    "fit_device_clock",
    "measured_period_ns",
    "merge_intervals",
    "sample_indices",
    "smooth_host_times",
    "usable_header",
    "validate_header",
]
