"""What a recording's metadata says beyond the stream: the typed records (their JSON: :mod:`calfload._facts_json`).

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

How they are read from and written to that JSON, older layouts included, is
:mod:`calfload._facts_json`.

The records are public as :mod:`calfload.schema`'s (``from calfload.schema import FitLap``), the
module of the metadata contract; this module holds them so that the readers and analyses that
build or read them do not import the Parquet layer (pyarrow) behind :mod:`calfload.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    """The facts of where a recording came from: the fields :class:`~calfload.schema.RecordingMeta` inherits.

    This is their one declaration; a ``RecordingMeta`` is these facts plus the stream's own
    description (kind, rate, start, sensor, placement, gaps), and its ``facts`` is this record.

    Parameters
    ----------
    origin
        How a file without calfload metadata was read (a phone export, a bare CSV), else None.
    recorder
        What ``calfload record`` counted while recording this stream, else None.
    simulated
        The simulator and seed that made this recording, else None.
    device_summary
        A FIT file's session totals and devices, else None.
    laps
        A FIT file's laps.
    column_sources
        ``(column, source)`` of each running-dynamics column of a FIT file (``record`` or a developer field).
    unrecognised
        ``(key path, JSON text)`` of every key this calfload does not know, kept so that a round
        trip loses nothing; no analysis reads them.
    """

    origin: str | None = None
    recorder: RecorderFacts | None = None
    simulated: SimulationFacts | None = None
    device_summary: FitDeviceSummary | None = None
    laps: tuple[FitLap, ...] = ()
    column_sources: tuple[tuple[str, str], ...] = ()
    unrecognised: tuple[tuple[str, str], ...] = ()


__all__ = [
    "FitDeviceSummary",
    "FitLap",
    "HostTiming",
    "RecorderFacts",
    "RecordingFacts",
    "SimulationFacts",
]
