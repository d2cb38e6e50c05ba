"""Steps, cadence, speed and contact time from a foot-pod stream (BLE RSC notifications or a FIT file).

The pod (or watch) has already counted; this module summarises what it reported and checks it.
The steps, numbered as in the code:

1. **Moving time.** Intervals between consecutive samples count when the cadence is above zero
   at both ends, the interval is no longer than ``max_sample_gap_s`` (watches that "smart
   record" leave up to about 15 s between records) and it lies outside the recording's gaps
   (paused timer, lost connection).
2. **Steps** are the cadence integrated over time with the trapezoid rule,
   ``Σ (c_i + c_{i+1}) / 2 · Δt / 60``. When the file carries the device's own stride total
   (FIT ``session.total_strides``) the step count is twice that total and the integral is kept
   for comparison. A stream that never reports a cadence while its speed shows movement (a
   watch without a foot pod or wrist cadence), or a FIT file none of whose records holds a
   cadence field, has *unknown* steps, with a warning, never 0.
3. **Cadence** mean is the time-weighted (trapezoid) mean over moving time, the median is over
   moving samples, and the series is the median per window. When the file carries the device's
   session average (FIT ``avg_running_cadence``/``avg_cadence`` + ``avg_fractional_cadence``),
   that is the mean reported: the FIT profile defines it as ``total_cycles / total_timer_time``
   (time with non-zero cadence), i.e. steps over moving time from every internal sample, while a
   "smart recording" file keeps only a few records (17-21 in a minute, up to 14 s apart) that
   cannot reproduce it. The record-based mean is kept beside it as the *moving* cadence: some
   watches' averages count stopped time (a 5.4 h walk averaging 51.9 steps/min while moving at
   100), and a warning says so when the two differ by more than ``_AVERAGE_TOLERANCE``. A
   cadence that holds one value in most moving records is flagged as probably not measured.
4. **Plausibility.** Speed, stride length and cadence are tied by
   ``speed ≈ stride length × cadence / 120`` (cadence in steps per minute). While moving, the
   stride length that the reported speed and cadence imply must lie within
   ``plausible_stride_m`` and, when the pod reports a stride length too, agree with it within
   ``stride_tolerance``. A pod that sends strides instead of steps implies twice the stride
   length; one that sends power (W) or another quantity in the cadence field implies a cadence
   beyond ``max_cadence_spm`` or an absurd stride.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload import _stats
from calfload.recording import Recording
from calfload.schema import (
    CADENCE_SPM,
    DISTANCE_M,
    GROUND_CONTACT_MS,
    RUNNING,
    SPEED_MPS,
    STEP_LENGTH_M,
    STRIDE_LENGTH_M,
)

#: Relative difference between the device's average and the moving cadence that is reported.
_AVERAGE_TOLERANCE: Final = 0.1
#: Share of moving records holding one cadence value that marks the cadence as not measured.
_CONSTANT_SHARE: Final = 0.8
#: Speed (m/s) above which a stream without cadence has moved.
_MOVING_SPEED_MPS: Final = 0.5


@dataclass(frozen=True, slots=True, eq=False)
class PodSummary:
    """What a foot-pod stream says about a run or walk.

    Attributes
    ----------
    steps
        Steps (device total when known, else integrated cadence); None when the stream has no
        cadence at all although it moved.
    steps_from_cadence
        Integrated cadence over moving time.
    steps_source
        ``"device stride total"``, ``"integrated cadence"`` or ``"unknown"``.
    moving_s
        Moving time.
    mean_spm, median_spm
        Mean cadence (device session average when known, else ``mean_from_records_spm``) and
        the median cadence of the moving samples.
    mean_source
        ``"device session average"`` or ``"time-weighted records"``.
    mean_from_records_spm
        Time-weighted (trapezoid) mean of the recorded cadence over moving time.
    series
        ``(t_s, cadence_spm)`` rows, median per window.
    ground_contact_ms
        Median reported ground-contact time (NaN when absent).
    speed_mps
        Time-weighted mean speed while moving.
    distance_m
        Distance covered (NaN when unknown).
    implied_stride_m
        Median stride length implied by speed and cadence while moving (NaN when speed is absent).
    warnings
        Plausibility problems, one sentence each.
    running_share
        Share of moving samples the pod flagged as running (NaN when it never says).
    """

    steps: int | None
    steps_from_cadence: float
    steps_source: str
    moving_s: float
    mean_spm: float
    median_spm: float
    series: np.ndarray
    ground_contact_ms: float
    speed_mps: float
    distance_m: float
    implied_stride_m: float
    warnings: tuple[str, ...]
    running_share: float
    mean_source: str = "time-weighted records"
    mean_from_records_spm: float = float("nan")


def summarise_pod(
    recording: Recording,
    *,
    window_s: float,
    max_sample_gap_s: float,
    plausible_stride_m: tuple[float, float],
    stride_tolerance: float,
    max_cadence_spm: float,
) -> PodSummary:
    """Summarise and check a ``footpod`` recording (steps 1-4 of the module docstring)."""
    data = recording
    t = recording.t_s
    cadence = data.column(CADENCE_SPM).astype(np.float64)
    speed = data.column(SPEED_MPS).astype(np.float64)
    # 1. Moving time.
    dt, counted, ok, moving = _moving_intervals(recording, cadence, max_sample_gap_s)
    moving_s = float(dt[ok].sum())
    mid_cadence = (cadence[1:] + cadence[:-1]) / 2.0
    # 2. Steps.
    integrated = float(np.sum(mid_cadence[counted] * dt[counted]) / 60.0)
    fit = recording.meta.device_summary
    no_cadence = _no_cadence(cadence, speed, None if fit is None else fit.records_with_cadence)
    steps, source = _steps(None if fit is None else fit.total_strides, integrated, no_cadence=no_cadence)
    # 3. Cadence.
    from_records = _time_mean(mid_cadence, dt, ok, moving_s)
    mean, mean_source = _mean_cadence(None if fit is None else fit.avg_cadence_spm, from_records)
    median = float(_stats.median(cadence[moving])) if moving.any() else float("nan")
    series = _series(t[moving], cadence[moving], window_s)
    gct = _median(data.column(GROUND_CONTACT_MS).astype(np.float64)[moving]) if moving.any() else float("nan")
    mean_speed = _time_mean((speed[1:] + speed[:-1]) / 2.0, dt, ok, moving_s)
    distance = _distance(data, None if fit is None else fit.total_distance_m)
    running_share = _running_share(data.column(RUNNING)[moving])
    # 4. Plausibility.
    stride = _reported_stride_m(data)[moving]
    implied, warnings = check_plausibility(
        cadence[moving],
        speed[moving],
        stride,
        plausible_stride_m=plausible_stride_m,
        stride_tolerance=stride_tolerance,
        max_cadence_spm=max_cadence_spm,
    )
    warnings = (*warnings, *_cadence_notes(cadence[moving], mean, from_records, mean_source, no_cadence))
    return PodSummary(
        steps=steps,
        steps_from_cadence=integrated,
        steps_source=source,
        moving_s=moving_s,
        mean_spm=mean,
        median_spm=median,
        series=series,
        ground_contact_ms=gct,
        speed_mps=mean_speed,
        distance_m=distance,
        implied_stride_m=implied,
        warnings=warnings,
        running_share=running_share,
        mean_source=mean_source,
        mean_from_records_spm=from_records,
    )


def _time_mean(mid: np.ndarray, dt: np.ndarray, ok: np.ndarray, moving_s: float) -> float:
    """Time-weighted mean of interval midpoints over the moving intervals (NaN without moving time)."""
    return float(np.sum(mid[ok] * dt[ok]) / moving_s) if moving_s > 0 else float("nan")


def _mean_cadence(device_mean: float | None, from_records: float) -> tuple[float, str]:
    """The device's session average when it gives a plausible one, else the records' time-weighted mean."""
    if device_mean is not None and np.isfinite(device_mean) and device_mean > 0:
        return device_mean, "device session average"
    return from_records, "time-weighted records"


def _running_share(running: np.ndarray) -> float:
    """Share of moving records the pod flagged as running (``running`` is 1/0, NaN where it did not say)."""
    flags = running[np.isfinite(running)] == 1.0
    return float(flags.mean()) if flags.size else float("nan")


def _moving_intervals(
    recording: Recording, cadence: np.ndarray, max_sample_gap_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Step 1: the intervals between records, which of them count, which are moving, and the moving records.

    An interval counts unless it is longer than ``max_sample_gap_s`` (and 1.5 typical intervals)
    or lies in a gap; it is moving when it counts and both ends have a cadence.
    """
    t = recording.t_s
    dt = np.diff(t)
    nominal = float(_stats.median(dt)) if dt.size else 1.0
    counted = dt <= max(max_sample_gap_s, 1.5 * nominal)
    for a, b in recording.meta.gaps:
        counted &= (t[1:] <= a) | (t[:-1] >= b)
    ok = counted & (cadence[1:] > 0) & (cadence[:-1] > 0)
    moving = np.concatenate(([False], ok)) | np.concatenate((ok, [False]))
    return dt, counted, ok, moving


def _no_cadence(cadence: np.ndarray, speed: np.ndarray, records_with_cadence: int | None) -> bool:
    """Whether the steps are unknown: no cadence above 0, and the stream moved or no FIT record holds a cadence."""
    return not np.any(cadence > 0) and (records_with_cadence == 0 or bool(np.any(speed > _MOVING_SPEED_MPS)))


def _steps(total_strides: int | None, integrated: float, *, no_cadence: bool) -> tuple[int | None, str]:
    """Step 2: the device's stride total doubled, else the integrated cadence, else unknown (never 0)."""
    if total_strides is not None and total_strides > 0:
        return 2 * total_strides, "device stride total"
    if no_cadence:
        return None, "unknown"
    return round(integrated), "integrated cadence"


def _cadence_notes(
    moving_spm: np.ndarray, mean_spm: float, moving_mean_spm: float, mean_source: str, no_cadence: bool
) -> tuple[str, ...]:
    """Warnings about the cadence itself: absent, constant, or a device average that counts stops."""
    if no_cadence:
        return ("the file records no cadence: steps and cadence are unknown (not 0)",)
    out = []
    if moving_spm.size >= 20:
        values, counts = np.unique(moving_spm, return_counts=True)
        if counts.max() >= _CONSTANT_SHARE * moving_spm.size:
            out.append(
                f"the cadence is {values[np.argmax(counts)]:.0f} steps/min in {counts.max() / moving_spm.size:.0%} "
                "of the moving records: the device may not have measured it"
            )
    moving_known = np.isfinite(moving_mean_spm) and moving_mean_spm > 0
    differs = moving_known and abs(mean_spm - moving_mean_spm) > _AVERAGE_TOLERANCE * moving_mean_spm
    if mean_source == "device session average" and differs:
        out.append(
            f"the device's average cadence ({mean_spm:.1f} steps/min) differs from the moving cadence "
            f"({moving_mean_spm:.1f} steps/min): the device's average counts stopped time"
            if mean_spm < moving_mean_spm
            else f"the device's average cadence ({mean_spm:.1f} steps/min) differs from the moving cadence "
            f"({moving_mean_spm:.1f} steps/min) of its records"
        )
    return tuple(out)


def check_plausibility(
    cadence_spm: np.ndarray,
    speed_mps: np.ndarray,
    reported_stride_m: np.ndarray,
    *,
    plausible_stride_m: tuple[float, float],
    stride_tolerance: float,
    max_cadence_spm: float,
) -> tuple[float, tuple[str, ...]]:
    """Check cadence against speed and stride length (step 4).

    Parameters
    ----------
    cadence_spm, speed_mps, reported_stride_m
        Moving samples; stride length may be NaN.
    plausible_stride_m
        Range of human stride lengths (same foot, contact to contact).
    stride_tolerance
        Largest relative disagreement between implied and reported stride length.
    max_cadence_spm
        Highest human cadence.

    Returns
    -------
    tuple
        Median implied stride length (NaN without speed) and the warnings.
    """
    warnings: list[str] = []
    if cadence_spm.size == 0:
        return float("nan"), ()
    median_cadence = float(_stats.median(cadence_spm))
    if median_cadence > max_cadence_spm:
        warnings.append(
            f"implausible cadence: median {median_cadence:.0f} steps/min is beyond any human's "
            f"({max_cadence_spm:.0f}); the pod may be sending another quantity (power?) in the cadence field"
        )
    usable = (speed_mps > 0.5) & (cadence_spm > 0)
    if usable.sum() < 3:
        return float("nan"), tuple(warnings)
    implied = 120.0 * speed_mps[usable] / cadence_spm[usable]
    stride = float(_stats.median(implied))
    low, high = plausible_stride_m
    if stride > high:
        speed = float(_stats.median(speed_mps[usable]))
        warnings.append(
            f"implausible cadence: {median_cadence:.0f} steps/min at {speed:.2f} m/s implies {stride:.2f} m per "
            f"stride (speed ≈ stride length × cadence / 120); the pod may be counting strides, not steps "
            f"(doubled: {2 * median_cadence:.0f} steps/min)"
        )
    elif stride < low:
        speed = float(_stats.median(speed_mps[usable]))
        warnings.append(
            f"implausible cadence: {median_cadence:.0f} steps/min at {speed:.2f} m/s implies only {stride:.2f} m per "
            "stride; the cadence field may hold another quantity or the speed is wrong"
        )
    reported = reported_stride_m[usable]
    known = np.isfinite(reported) & (reported > 0)
    if known.sum() >= 3:
        ratio = float(_stats.median(implied[known] / reported[known]))
        if abs(ratio - 1.0) > stride_tolerance:
            warnings.append(
                f"cadence, speed and stride length disagree: speed and cadence imply {ratio:.2f} times the "
                "reported stride length (expected 1)"
            )
    return stride, tuple(warnings)


def _reported_stride_m(data: Recording) -> np.ndarray:
    stride = data.column(STRIDE_LENGTH_M).astype(np.float64)
    step = data.column(STEP_LENGTH_M).astype(np.float64)
    return np.where(np.isfinite(stride), stride, 2.0 * step)


def _distance(data: Recording, total_m: float | None) -> float:
    if total_m is not None:
        return total_m
    distance = data.column(DISTANCE_M).astype(np.float64)
    known = distance[np.isfinite(distance)]
    return float(known[-1] - known[0]) if known.size >= 2 else float("nan")


def _median(x: np.ndarray) -> float:
    x = x[np.isfinite(x) & (x > 0)]
    return float(_stats.median(x)) if x.size else float("nan")


def _series(t_s: np.ndarray, cadence_spm: np.ndarray, window_s: float) -> np.ndarray:
    if t_s.size == 0:
        return np.zeros((0, 2))
    which = np.floor(t_s / window_s).astype(np.int64)
    keys, first = np.unique(which, return_index=True)
    medians = np.array([_stats.median(chunk) for chunk in np.split(cadence_spm, first[1:])])
    return np.column_stack((keys * window_s + window_s / 2, medians))
