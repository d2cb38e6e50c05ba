"""Walks and runs: steps, cadence and ground contact from foot IMUs, other IMUs or foot pods.

:func:`analyze_gait` is the entry point. What it does depends on the stream and the placement:

Steps 1 and 2 run per recording in :mod:`calfload.signal._gait_steps`.

1. **Foot IMU** (one or both feet, any mounting, 50–1000 Hz): the front end puts samples on a
   uniform grid of at most ``max_rate_hz`` (:mod:`calfload.signal._preprocess`); every stride's
   swing, toe-off and initial contact are found (:mod:`calfload.signal._gait_foot`). The ground
   contact time of a stride is the next toe-off minus its initial contact.
2. **Shank and thigh** use the same swing detection (each swings forward once per stride, and
   that swing is the largest rotation of its stride, so it also gives the sign:
   ``GaitParams.swing_sign``); **lower back and wrist** give step instants from the periodic
   bounce (:mod:`calfload.signal._gait_periodic`). These are best effort: steps and cadence only.
3. **Steps and cadence** (:mod:`calfload.signal._gait_cadence`): one foot's strides are doubled
   into steps and the result says so; both feet are merged into true steps (their clocks are
   aligned from ``start_utc`` when both files carry one).
4. **Activity.** When not given: a run has a flight phase, so its duty factor (contact time over
   stride time) is below ``run_duty_factor``; without contact times, a cadence of at least
   ``run_cadence_spm`` is a run, except that a shank or thigh whose strides stay quiet (its
   acceleration near 1 g, as a walking leg's in stance) is walking
   (:mod:`calfload.signal._activity_pace`).
5. **Foot pods and FIT files** (:mod:`calfload.signal._gait_footpod`): the device's cadence and
   speed are summarised and checked against ``speed ≈ stride length × cadence / 120``.
6. **Warnings.** Implausible cadences (outside ``plausible_cadence_spm``) and the foot pod's
   checks are reported in the result, never silently corrected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING

import numpy as np

from calfload._stats import median, percentile, unique
from calfload.errors import AnalysisError
from calfload.recording import Recording
from calfload.schema import UNKNOWN_START_UTC
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_types import (
    GaitAnalysis,
    GaitBout,
    ImuGaitDetails,
    StrideEvents,
    _r,
)
from calfload.signal._stride_summary import summarise_strides
from calfload.signal._trajectory_types import IMU_ZUPT, StrideTable

if TYPE_CHECKING:
    from calfload._recording_facts import FitDeviceSummary
    from calfload.signal._activity_quiet import QuietMeasure
    from calfload.signal._footpod_types import DeviceSummary, FootpodGaitDetails
    from calfload.signal._gait_cadence import Cadence
    from calfload.signal._gait_footpod import PodSummary
    from calfload.signal._gait_sides import FeetBalance
    from calfload.signal._gait_steps import SideSteps


def analyze_gait(
    recordings: Recording | Sequence[Recording],
    *,
    activity: str | None = None,
    placement: str | None = None,
    params: GaitParams | None = None,
) -> GaitAnalysis:
    """Steps, cadence and ground contact of a walk or run.

    Parameters
    ----------
    recordings
        One recording, or the left and right foot recordings of the same session.
    activity
        ``walk`` or ``run``; detected when None (and the metadata has no hint).
    placement
        Overrides the metadata's placement.
    params
        Algorithm parameters; by default the placement's preset.

    Returns
    -------
    GaitAnalysis
        The walk/run result.

    Raises
    ------
    AnalysisError
        If the recordings are of different kinds or too many, or the activity is not a walk or run.
    """
    recs = [recordings] if isinstance(recordings, Recording) else list(recordings)
    if not recs or len(recs) > 2:
        raise AnalysisError("give one recording, or the left and right recordings of one walk or run")
    if len({r.meta.kind for r in recs}) > 1:
        raise AnalysisError("give recordings of one kind together (IMU with IMU, foot pod with foot pod)")
    if activity is not None and activity not in ("walk", "run"):
        raise AnalysisError(f"gait analysis is for walks and runs, not {activity}")
    hint = activity or (recs[0].meta.activity if recs[0].meta.activity in ("walk", "run") else None)
    where = placement or recs[0].meta.placement
    params = params or GaitParams.for_placement(where)
    if recs[0].meta.kind == "footpod":
        return _analyze_pod(recs, hint, params)
    if recs[0].meta.kind != "imu":
        raise AnalysisError(f"gait analysis needs IMU or foot-pod data, not {recs[0].meta.kind}")
    return _analyze_imu(recs, hint, "foot" if where == "unknown" else where, params)


# ------------------------------------------------------------------------------------------------ IMU


def _analyze_imu(recs: list[Recording], hint: str | None, placement: str, params: GaitParams) -> GaitAnalysis:
    # The IMU path's modules load here: a foot pod's or FIT file's analysis does without them.
    from calfload.signal._activity_quiet import NO_CONTACT_LEGS, QuietMeasure
    from calfload.signal._gait_cadence import cadence_series
    from calfload.signal._gait_steps import side_steps

    # 1.-2. Front end and events, per recording.
    offsets = clock_offsets(recs)
    sides = [side_steps(rec, offset, placement, params) for rec, offset in zip(recs, offsets, strict=True)]
    instants = [s.instants_s for s in sides]
    strides = StrideTable.joined([s.stride_rows for s in sides])
    zupt = summarise_strides(strides, window_s=params.cadence_window_s)
    # 3. Steps and cadence.
    per_foot = placement in ("foot", "shank", "thigh")
    cad = _imu_cadence(instants, per_foot, params)
    duration = max(r.duration_s + o for r, o in zip(recs, offsets, strict=True))
    contact = np.concatenate([s.contacts_ms for s in sides])
    stride = np.concatenate([s.strides_s for s in sides])
    # 4. Activity and 6. warnings.
    duty = float(median(contact / 1000.0 / stride)) if contact.size else None
    quiet = QuietMeasure(recs)  # a leg's quiet strides, measured once if asked (here and by the bouts)
    activity = hint or _leg_activity(quiet, instants, offsets, placement, duty, cad, params)
    warnings = (*_cadence_warnings(cad, params), *_activity_mismatch(hint, duty, cad, params))
    if hint is not None and duty is None and placement in NO_CONTACT_LEGS and cad.steps:
        warnings += _leg_mismatch(hint, quiet, instants, offsets, cad, params)
    return GaitAnalysis(
        activity=activity,
        activity_detected=hint is None,
        duration_s=duration,
        steps=cad.steps,
        steps_doubled_from_one_foot=per_foot and len(instants) == 1,
        strides=cad.strides if per_foot else None,
        cadence_mean_spm=_finite(cad.mean_spm),
        cadence_median_spm=_finite(cad.median_spm),
        series=_rows(cadence_series(cad.interval_end_s, cad.interval_cadence_spm, duration, params.cadence_window_s)),
        ground_contact_median_ms=float(median(contact)) if contact.size else None,
        bouts=_bouts(cad),
        source="imu",
        placement=placement,
        device=", ".join(sorted({r.meta.sensor.model for r in recs})),
        speed_mps=None if zupt is None else zupt.speed_mps,
        distance_m=None if zupt is None else zupt.distance_m,
        stride_length_m=None if zupt is None else zupt.stride_length_median_m,
        speed_source=None if zupt is None else IMU_ZUPT,
        stride_lengths=zupt,
        stride_rows=strides,
        warnings=warnings,
        imu=_imu_details(recs, placement, duty, contact),
        both_feet=None if placement != "foot" or len(recs) != 2 else _feet_balance(recs, sides, params),
        params=params,
        step_times_s=np.sort(np.concatenate(instants)),
        events=_stride_events(instants, sides, contact, stride),
        quiet_pieces=quiet.measured(),
    )


def _stride_events(
    instants: list[np.ndarray], sides: list[SideSteps], contact_ms: np.ndarray, stride_s: np.ndarray
) -> StrideEvents:
    """The per-recording instants and per-stride contacts behind the figures (for the bouts)."""
    contact_at_s = np.concatenate([s.contact_at_s for s in sides])
    landings_s = np.concatenate([s.landings_s() for s in sides])
    return StrideEvents(tuple(instants), contact_at_s, contact_ms, stride_s, landings_s)


def _imu_cadence(instants: list[np.ndarray], per_foot: bool, params: GaitParams) -> Cadence:
    """Steps and cadence (step 3): one foot's strides doubled, both feet merged, trunk steps as they are."""
    from calfload.signal._gait_cadence import cadence_from_instants

    if per_foot:
        return cadence_from_instants(
            instants,
            steps_per_instant=1 if len(instants) == 2 else 2,
            steps_per_interval=2,
            max_interval_s=params.max_stride_s / len(instants),
        )
    return cadence_from_instants(
        [unique(np.concatenate(instants))],
        steps_per_instant=1,
        steps_per_interval=1,
        max_interval_s=params.max_stride_s / 2,
    )


def _activity_mismatch(hint: str | None, duty: float | None, cad: Cadence, params: GaitParams) -> tuple[str, ...]:
    """A warning when the activity given does not match what the steps look like (step 6)."""
    if hint is None or not cad.steps or duty is None or not math.isfinite(cad.median_spm):
        return ()
    looks = _detect_activity(duty, cad.median_spm, params)
    if looks == hint:
        return ()
    mismatch = (
        f"given as a {hint}, but the steps look like a {looks} (median {cad.median_spm:.0f} steps/min, "
        f"ground contact {duty:.0%} of the stride); check the activity given"
    )
    return (mismatch,)


def _feet_balance(recs: list[Recording], sides: list[SideSteps], params: GaitParams) -> FeetBalance | None:
    """A left and a right foot analysed together: contact per foot, balance and step-time asymmetry."""
    from calfload.signal._gait_sides import feet_balance  # one foot's analysis does not load the two feet's types

    instants = [s.instants_s for s in sides]
    return feet_balance(
        tuple(r.meta.side for r in recs), instants, [s.contacts_ms for s in sides], max_step_s=params.max_stride_s / 2
    )


def _imu_details(recs: list[Recording], placement: str, duty: float | None, contact_ms: np.ndarray) -> ImuGaitDetails:
    return ImuGaitDetails(
        sides=tuple(r.meta.side for r in recs),
        duty_factor=None if duty is None else round(duty, 3),
        ground_contact_iqr_ms=None
        if not contact_ms.size
        else (round(float(percentile(contact_ms, 25))), round(float(percentile(contact_ms, 75)))),
        accuracy_note=None
        if placement == "foot"
        else f"sensor on the {placement}: steps and cadence are best effort (docs/validation.md)",
    )


def clock_offsets(recs: list[Recording]) -> list[float]:
    """Shift of each recording's ``t_s`` onto the first one's clock (0 when start times are unknown)."""
    starts = [r.meta.start_utc for r in recs]
    if any(s == UNKNOWN_START_UTC for s in starts):
        return [0.0] * len(recs)
    return [(s - starts[0]).total_seconds() for s in starts]


def _leg_activity(
    quiet: QuietMeasure,
    instants: list[np.ndarray],
    offsets: list[float],
    placement: str,
    duty: float | None,
    cad: Cadence,
    params: GaitParams,
) -> str:
    """Walk or run (step 4); a shank or thigh at a running cadence by how quiet its strides are."""
    from calfload.signal._activity_quiet import NO_CONTACT_LEGS

    if duty is not None or placement not in NO_CONTACT_LEGS or not cad.median_spm >= params.run_cadence_spm:
        return _detect_activity(duty, cad.median_spm, params)
    from calfload.signal._activity_pace import quiet_share, walk_or_run  # a leg's quiet strides

    share = quiet_share(quiet, instants, offsets, max_stride_s=params.max_stride_s)
    return walk_or_run(share, cad.median_spm, params.run_cadence_spm)


def _leg_mismatch(
    hint: str, quiet: QuietMeasure, instants: list[np.ndarray], offsets: list[float], cad: Cadence, params: GaitParams
) -> tuple[str, ...]:
    """A warning when a shank's or thigh's strides disagree with the activity given (step 6)."""
    from calfload.signal._activity_pace import PaceParams, pace_mismatch, quiet_share

    if hint == "walk" and not cad.median_spm >= params.run_cadence_spm:
        return ()
    share = quiet_share(quiet, instants, offsets, max_stride_s=params.max_stride_s)
    looks = pace_mismatch(hint, share, cad.median_spm, params.run_cadence_spm, PaceParams())
    if looks is None:
        return ()
    warning = (
        f"given as a {hint}, but the steps look like a {looks} (median {cad.median_spm:.0f} steps/min, the leg's "
        f"acceleration near 1 g for {share:.0%} of the stride); check the activity given"
    )
    return (warning,)


def _detect_activity(duty: float | None, median_spm: float, params: GaitParams) -> str:
    if duty is not None and math.isfinite(duty):
        return "run" if duty < params.run_duty_factor else "walk"
    return "run" if math.isfinite(median_spm) and median_spm >= params.run_cadence_spm else "walk"


def _cadence_warnings(cad: Cadence, params: GaitParams) -> tuple[str, ...]:
    low, high = params.plausible_cadence_spm
    out = []
    if cad.steps == 0:
        out.append("no steps found; check the sensor placement given and that the recording covers the walk or run")
    elif math.isfinite(cad.median_spm) and not low <= cad.median_spm <= high:
        out.append(f"implausible cadence: median {cad.median_spm:.0f} steps/min is outside {low:.0f}-{high:.0f}")
    return tuple(out)


def _bouts(cad: Cadence) -> tuple[GaitBout, ...]:
    """Each cadence bout's median interval cadence: the intervals ending in ``(start, end]``, by bisection."""
    from calfload.signal._bouts_figures import _medians  # the same bits as median of each bout's intervals

    order = np.argsort(cad.interval_end_s, kind="stable")
    ends = cad.interval_end_s[order]
    first = np.searchsorted(ends, [b[0] for b in cad.bouts], side="right").tolist()
    last = np.searchsorted(ends, [b[1] for b in cad.bouts], side="right").tolist()
    values = _medians(cad.interval_cadence_spm, [order[a:b] for a, b in zip(first, last, strict=True)])
    return tuple(GaitBout(start, end, steps, v) for (start, end, steps), v in zip(cad.bouts, values, strict=True))


def _rows(series: np.ndarray) -> tuple[tuple[float, float], ...]:
    """Each ``(t, value)`` row as Python floats, read from ``tolist`` (the same floats as ``float`` of each value)."""
    return tuple((t, c) for t, c in np.asarray(series, dtype=np.float64).tolist())


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


# ------------------------------------------------------------------------------------------- foot pod


def _analyze_pod(recs: list[Recording], hint: str | None, params: GaitParams) -> GaitAnalysis:
    if len(recs) > 1:
        raise AnalysisError("analyse foot-pod recordings one file at a time")
    # 5. Foot pods and FIT files (an IMU's analysis loads neither the pod's summary nor the running dynamics).
    from calfload.signal._gait_footpod import summarise_pod
    from calfload.signal._run_dynamics import running_dynamics

    rec = recs[0]
    pod = summarise_pod(
        rec,
        window_s=params.cadence_window_s,
        max_sample_gap_s=params.max_sample_gap_s,
        plausible_stride_m=params.plausible_stride_m,
        stride_tolerance=params.stride_tolerance,
        max_cadence_spm=params.plausible_cadence_spm[1],
    )
    detected = hint is None
    if hint is not None:
        activity = hint
    elif math.isfinite(pod.running_share):
        activity = "run" if pod.running_share >= 0.5 else "walk"
    else:
        activity = "run" if math.isfinite(pod.median_spm) and pod.median_spm >= params.run_cadence_spm else "walk"
    fit = rec.meta.device_summary
    return GaitAnalysis(
        activity=activity,
        activity_detected=detected,
        duration_s=rec.duration_s,
        steps=pod.steps,
        steps_doubled_from_one_foot=False,
        strides=None,
        cadence_mean_spm=_finite(pod.mean_spm),
        cadence_median_spm=_finite(pod.median_spm),
        series=_rows(pod.series),
        ground_contact_median_ms=_finite(pod.ground_contact_ms),
        bouts=(),
        source="footpod" if fit is None else "fit",
        placement=rec.meta.placement,
        device=rec.meta.sensor.model,
        speed_mps=_finite(pod.speed_mps),
        distance_m=_finite(pod.distance_m),
        stride_length_m=_r(pod.implied_stride_m, 3),
        speed_source="device" if math.isfinite(pod.speed_mps) else None,
        warnings=pod.warnings,
        footpod=_pod_details(pod, fit),
        dynamics=running_dynamics(
            rec,
            window_s=params.cadence_window_s,
            max_sample_gap_s=params.max_sample_gap_s,
        ),
        params=params,
    )


def _pod_details(pod: PodSummary, fit: FitDeviceSummary | None) -> FootpodGaitDetails:
    """The figures only the foot-pod and FIT path reports."""
    from calfload.signal._footpod_types import FootpodGaitDetails

    return FootpodGaitDetails(
        steps_source=pod.steps_source,
        steps_from_cadence=None if pod.steps is None else round(pod.steps_from_cadence),
        cadence_mean_source=pod.mean_source,
        cadence_mean_from_records_spm=_r(pod.mean_from_records_spm, 1),
        moving_s=round(pod.moving_s, 1),
        implied_stride_m=_r(pod.implied_stride_m, 2),
        device_summary=None if fit is None else _device_summary(fit),
    )


def _device_summary(fit: FitDeviceSummary) -> DeviceSummary:
    """The FIT session summary's figures (as the FIT reader stored them in the metadata)."""
    from calfload.signal._footpod_types import DeviceSummary

    return DeviceSummary(**{f.name: getattr(fit, f.name) for f in fields(DeviceSummary)})
