"""The recording facts a device reports: what ``calfload record`` counted, a FIT file's totals and laps.

Part of the metadata contract (:mod:`calfload._recording_facts`, public as :mod:`calfload.schema`'s
names). Declared apart so that a recording without these facts (a simulated file, a phone export,
a bare CSV) does not create their four frozen classes: each costs about 1.3 ms of CPU at every
start (Python 3.11 compiles six generated methods per class), a tenth of a calf session's own
import time (benchmarks/README.md). :mod:`calfload._recording_facts` names them through a deferred
module, so ``typing.get_type_hints`` of the contract still resolves them, importing this module then.
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


__all__ = ["FitDeviceSummary", "FitLap", "HostTiming", "RecorderFacts"]
