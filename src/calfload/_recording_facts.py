"""What a recording's metadata says beyond the stream: typed records and their stored JSON.

:class:`~calfload.schema.RecordingMeta` carries, besides the sensor, placement and gaps, the facts
of where the recording came from. Each is a frozen record here, stored under the key of the same
name in the ``calfload`` metadata (schema 1.3):

========================  ==========================================================================
``origin``                how a file without calfload metadata was read (a phone export, a bare CSV)
``recorder``              :class:`RecorderFacts`: what ``calfload record`` counted while recording
``simulated``             :class:`SimulationFacts`: the generator and seed of a simulated recording
``device_summary``        :class:`FitDeviceSummary`: a FIT file's session totals, as the device said
``laps``                  :class:`FitLap` list: the laps of a FIT file
``column_sources``        ``{column: source}``: where each running-dynamics column of a FIT file came from
========================  ==========================================================================

Files written before schema 1.3 (calfload 0.1 up to the release that wrote 1.2) keep the FIT
facts in one ``fit`` object (totals, ``laps``, ``dynamics_sources``, ``laps_left_out``); they read
into the same records. A key this calfload does not know (a later minor version's, or one of a
known record's keys it does not declare), and a known key whose value does not have the declared
shape, is kept as its JSON text in ``unrecognised`` (key path, JSON), written back unchanged, and
read by no analysis. (Keys a lap does not declare are not kept.)
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, TypeVar

from calfload._rows import row_from_record
from calfload.errors import RecordError

_T = TypeVar("_T")

#: The first minor version (of major 1) with the facts under their own keys; before it, ``fit``.
FACTS_MINOR: Final = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class HostTiming:
    """How the sample rate of a host-timed stream (WitMotion) was found (docs/recording.md).

    Parameters
    ----------
    measured_hz
        The longest stretch's rate as measured from its receive times, before any snapping.
    timed_hz
        The rate its samples are timed at.
    stretches
        Stretches (split at reconnects and silences).
    snapped_to_supported_rate
        Stretches timed at a rate the sensor supports that their measured rate was within
        ``snap_tolerance`` of.
    snap_tolerance
        Relative distance from a supported rate within which a measured rate snaps to it.
    """

    measured_hz: float
    timed_hz: float
    stretches: int
    snapped_to_supported_rate: int
    snap_tolerance: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RecorderFacts:
    """What ``calfload record`` counted, stored with each stream it wrote (docs/recording.md).

    Parameters
    ----------
    notifications
        BLE notifications decoded.
    bad_notifications
        Notifications that did not decode (left out).
    duplicates_dropped
        Notifications received twice (the second left out).
    reconnects
        Connections after the first.
    monotonic_t0_ns
        Host monotonic time of ``t_s = 0``, in ns (None in files from before it was stored).
    host_timing
        How a host-timed stream's rate was found; None for device-timed streams.
    device_requested
        The device the user asked for (address, name or ``sim:KIND``).
    raw_log
        The raw log file the stream was decoded from.
    time_scale
        Speed of a virtual device's clock (1 for real devices).
    torn_tail_bytes
        Bytes of an incomplete last record in the raw log (a killed recorder), left out.
    damaged_bytes_skipped
        Bytes of damaged records in the raw log, skipped.
    faults
        Faults a virtual device was asked to inject (``garbage:0.05``).
    """

    notifications: int
    bad_notifications: int
    duplicates_dropped: int
    reconnects: int
    monotonic_t0_ns: int | None = None
    host_timing: HostTiming | None = None
    device_requested: str | None = None
    raw_log: str | None = None
    time_scale: float | None = None
    torn_tail_bytes: int | None = None
    damaged_bytes_skipped: int | None = None
    faults: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationFacts:
    """The simulator that made a recording (:mod:`calfload.sim`), so it can be made again.

    Parameters
    ----------
    generator
        The function that made it (``calfload.sim.simulate_run``).
    seed
        Its random seed.
    mount
        Rotation from the foot's frame to the sensor's (3 x 3, rows), where the generator chose one.
    """

    generator: str
    seed: int | None = None
    mount: tuple[tuple[float, float, float], ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class FitDeviceSummary:
    """A FIT activity's session totals and devices, in calfload's units (:mod:`calfload.ingest.fit_summary`).

    Parameters
    ----------
    sport
        The FIT sport kept (``running`` or ``walking``).
    cadence_source
        ``foot_pod`` when a foot pod measured the steps, else ``device``.
    devices
        Manufacturer and product of every device the file lists.
    sport_from_records
        The session named no sport and the records decided it.
    records, records_with_cadence
        Record messages kept, and how many of them carry a cadence.
    total_strides
        The session's stride total (one foot's contacts).
    avg_cadence_spm, max_cadence_spm
        Session average and maximum cadence, steps per minute.
    total_timer_time_s, total_elapsed_time_s
        Timer time (pauses left out) and elapsed time.
    total_distance_m, avg_speed_mps
        Distance and average speed.
    avg_ground_contact_ms, avg_step_length_m, avg_power_w
        Average ground-contact time, step length and power.
    avg_heart_rate_bpm, max_heart_rate_bpm
        Average and maximum heart rate.
    avg_vertical_oscillation_mm, avg_vertical_ratio_pct, avg_contact_balance_left_pct
        Average vertical oscillation, vertical ratio and the left foot's share of contact time.
    laps_left_out
        Laps beyond the most a recording's metadata keeps (:data:`calfload.ingest.fit_dynamics.MAX_LAPS`).
    """

    sport: str
    cadence_source: str
    devices: tuple[str, ...] = ()
    sport_from_records: bool = False
    records: int | None = None
    records_with_cadence: int | None = None
    total_strides: int | None = None
    avg_cadence_spm: float | None = None
    max_cadence_spm: float | None = None
    total_timer_time_s: float | None = None
    total_elapsed_time_s: float | None = None
    total_distance_m: float | None = None
    avg_speed_mps: float | None = None
    avg_ground_contact_ms: float | None = None
    avg_step_length_m: float | None = None
    avg_power_w: float | None = None
    avg_heart_rate_bpm: float | None = None
    max_heart_rate_bpm: float | None = None
    avg_vertical_oscillation_mm: float | None = None
    avg_vertical_ratio_pct: float | None = None
    avg_contact_balance_left_pct: float | None = None
    laps_left_out: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class FitLap:
    """One ``lap`` message of a FIT activity as the device summarised it (:mod:`calfload.ingest.fit_dynamics`).

    Parameters
    ----------
    start_s
        Start, in seconds from the recording's ``t_s = 0``.
    timer_s
        Timer time of the lap.
    distance_m, speed_mps, heart_rate_bpm, cadence_spm, power_w, ground_contact_ms
        The lap's distance and averages, where the device stored them.
    trigger
        What ended the lap (``manual``, ``distance``, ``session_end`` ...).
    intensity
        The lap's intensity (``active``, ``rest``, ``warmup`` ...).
    """

    start_s: float
    timer_s: float
    distance_m: float | None = None
    speed_mps: float | None = None
    heart_rate_bpm: float | None = None
    cadence_spm: float | None = None
    power_w: float | None = None
    ground_contact_ms: float | None = None
    trigger: str | None = None
    intensity: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingFacts:
    """The facts of one recording's metadata, as :class:`~calfload.schema.RecordingMeta` holds them."""

    origin: str | None = None
    recorder: RecorderFacts | None = None
    simulated: SimulationFacts | None = None
    device_summary: FitDeviceSummary | None = None
    laps: tuple[FitLap, ...] = ()
    column_sources: tuple[tuple[str, str], ...] = ()
    unrecognised: tuple[tuple[str, str], ...] = ()


#: The facts stored as one JSON object each.
_BLOCKS: Final = ("recorder", "simulated", "device_summary")


def minor_version(version: str) -> int:
    """The minor number of a checked ``MAJOR.MINOR`` (0 where it has none)."""
    _, _, minor = version.partition(".")
    return int(minor) if minor.isdigit() else 0


class _Reader:
    """Reads the facts' keys of a metadata object, keeping what does not read as JSON text."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.unrecognised: dict[str, str] = {}

    def keep(self, path: str, value: object) -> None:
        self.unrecognised[path] = json.dumps(value, sort_keys=True)

    def block(self, key: str, value: object, cls: type[_T]) -> _T | None:
        """``value`` as ``cls``, its undeclared keys kept; None (and the whole value kept) when it does not read."""
        if not isinstance(value, dict):
            self.keep(key, value)
            return None
        known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for name, item in value.items():
            if name not in known:
                self.keep(f"{key}.{name}", item)
        try:
            return row_from_record(cls, {k: v for k, v in value.items() if k in known}, source=self.source, path=key)
        except RecordError:
            self.unrecognised = {p: t for p, t in self.unrecognised.items() if not p.startswith(f"{key}.")}
            self.keep(key, value)
            return None

    def laps(self, key: str, value: object) -> tuple[FitLap, ...]:
        if not isinstance(value, list):
            self.keep(key, value)
            return ()
        try:
            return tuple(row_from_record(FitLap, row, source=self.source, path=key) for row in value)
        except RecordError:
            self.keep(key, value)
            return ()

    def text_pairs(self, key: str, value: object) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.keep(key, value)
            return ()
        return tuple(sorted((str(k), str(v)) for k, v in value.items()))


def read_facts(doc: Mapping[str, object], *, minor: int, source: str | None = None) -> RecordingFacts:
    """The facts of a metadata object of schema ``1.minor``.

    ``doc`` holds the object's keys other than the stream's own (``kind``, ``sensor``, ``gaps`` ...):
    the facts' keys, and any key this calfload does not know (kept in ``unrecognised``).
    """
    reader = _Reader(source)
    values = dict(doc)
    if minor < FACTS_MINOR and "fit" in values:
        _old_fit_layout(values, values.pop("fit"), reader)
    origin = values.pop("origin", None)
    if origin is not None and not isinstance(origin, str):
        reader.keep("origin", origin)
        origin = None
    recorder = reader.block("recorder", values.pop("recorder"), RecorderFacts) if "recorder" in values else None
    simulated = reader.block("simulated", values.pop("simulated"), SimulationFacts) if "simulated" in values else None
    summary = (
        reader.block("device_summary", values.pop("device_summary"), FitDeviceSummary)
        if "device_summary" in values
        else None
    )
    laps = reader.laps("laps", values.pop("laps")) if "laps" in values else ()
    sources = reader.text_pairs("column_sources", values.pop("column_sources")) if "column_sources" in values else ()
    for key, value in values.items():
        reader.keep(key, value)
    return RecordingFacts(
        origin=origin,
        recorder=recorder,
        simulated=simulated,
        device_summary=summary,
        laps=laps,
        column_sources=sources,
        unrecognised=tuple(sorted(reader.unrecognised.items())),
    )


def _old_fit_layout(values: dict[str, object], fit: object, reader: _Reader) -> None:
    """Schema 1.0-1.2: the FIT facts in one ``fit`` object; moved to their own keys in ``values``."""
    if not isinstance(fit, dict):
        reader.keep("fit", fit)
        return
    summary = {k: v for k, v in fit.items() if k not in ("laps", "dynamics_sources")}
    values["device_summary"] = summary
    if "laps" in fit:
        values["laps"] = fit["laps"]
    if "dynamics_sources" in fit:
        values["column_sources"] = fit["dynamics_sources"]


def facts_doc(facts: RecordingFacts) -> dict[str, object]:
    """The facts as the JSON object's keys (schema 1.3): absent facts and None values left out."""
    doc: dict[str, object] = {}
    for path, text in facts.unrecognised:
        head, _, rest = path.partition(".")
        if rest and head in _BLOCKS and getattr(facts, head) is not None:
            nested = doc.setdefault(head, {})
            if isinstance(nested, dict):
                nested[rest] = json.loads(text)
        else:
            doc[path] = json.loads(text)
    if facts.origin is not None:
        doc["origin"] = facts.origin
    for key in _BLOCKS:
        block = getattr(facts, key)
        if block is not None:
            stored = doc.get(key)
            doc[key] = {**(stored if isinstance(stored, dict) else {}), **_plain(block)}
    if facts.laps:
        doc["laps"] = [_plain(lap) for lap in facts.laps]
    if facts.column_sources:
        doc["column_sources"] = dict(facts.column_sources)
    return doc


def _plain(record: object) -> dict[str, object]:
    """A frozen record as a JSON object: None and () left out, tuples as lists, nested records as objects."""
    out: dict[str, object] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if value is None or value == ():
            continue
        out[f.name] = _plain(value) if dataclasses.is_dataclass(value) else _lists(value)
    return out


def _lists(value: object) -> object:
    return [_lists(v) for v in value] if isinstance(value, tuple) else value


__all__ = [
    "FACTS_MINOR",
    "FitDeviceSummary",
    "FitLap",
    "HostTiming",
    "RecorderFacts",
    "RecordingFacts",
    "SimulationFacts",
    "facts_doc",
    "minor_version",
    "read_facts",
]
