"""Cadence alerts after a run: below the runner's own cadence-speed relation, or drifting down.

Cadence rises with speed in every runner, close to linearly over the speeds of training runs
(van Oeveren et al. 2017), so a cadence is only "low" relative to what this runner does at that
speed. The steps, numbered as in the code:

1. **Windows.** A run is read as its 10 s windows: cadence and, where the device reported it,
   speed (FIT and foot-pod runs: ``running_dynamics.series``; foot-IMU runs: the speed of their
   strides, :mod:`calfload.signal._trajectory`; other IMU runs have cadence only).
   Windows slower than ``min_speed_mps`` or below ``min_cadence_spm`` (walking breaks, stops) are
   not judged.
2. **The runner's relation** ``cadence = a + b · speed`` is fitted to the windows of their
   latest earlier runs (at least ``min_runs`` runs and ``min_windows`` windows, at most the last
   ``relation_runs`` runs that teach it: the current habit), by least squares with
   one pass that drops windows more than 3 robust SDs from the first fit. When those runs span
   less than ``min_speed_span_mps`` of speed the slope cannot be learnt and
   ``assumed_slope_spm_per_mps`` stands in (an assumption, not a measured figure; only the
   intercept is then the runner's). The residual SD (% of the expected cadence) is kept.
3. **The reference** of a run is that relation. Without one (fewer earlier runs, or an IMU run
   with no speed) it is the run's own first half: its relation when it carries speed, else its
   median cadence; alerts are then of the kind ``drift`` (cadence drifting down through the run)
   rather than ``below_habitual``.
4. **Deficit.** Each window's cadence minus the reference at its speed, in % of the reference,
   smoothed by a running median over ``smooth_s``.
5. **Alerts** are stretches where the smoothed deficit stays below ``-threshold`` for at least
   ``min_alert_s`` (gaps up to ``max_join_s`` joined). The threshold is ``threshold_pct``, or
   twice the runner's residual SD when that is larger (at most ``max_threshold_pct``), so a
   runner whose cadence wanders more needs a clearer drop.
6. **Retraining target.** When the athlete chooses one (``target_increase_pct``, e.g. +5 %), the
   share of the judged running time whose cadence reached ``(1 + target) ×`` their habitual
   cadence at that speed. Increasing step rate by 5 % at the same speed reduced the energy
   absorbed at the knee, and by 10 % also at the hip (Heiderscheit et al. 2011): small steps of
   this size are the ones studied for reducing joint loading.
7. **Left/right.** Where both feet are recorded, or the watch reports the ground-contact-time
   balance, a share of contact or step time beyond Garmin's "poor" zone is an alert of its
   own (:mod:`calfload.loadmodel._asymmetry`), also on runs too short for step 1.

References
----------
van Oeveren B.T., de Ruiter C.J., Beek P.J., van Dieën J.H. (2017). Optimal stride frequencies in
running at different speeds. PLoS ONE 12(10):e0184273.
Heiderscheit B.C., Chumanov E.S., Michalski M.P., Wille C.M., Ryan M.B. (2011). Effects of step
rate manipulation on joint mechanics during running. Med Sci Sports Exerc 43(2):296-302.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from calfload._lazy import lazy_exports
from calfload._stats import median, percentile
from calfload.loadmodel._asymmetry import check_asymmetry
from calfload.loadmodel._cadence_types import CadenceAlertParams, CadenceCheck, CadenceSpeedRelation, JudgedRun
from calfload.signal import GaitAnalysis

if TYPE_CHECKING:
    from calfload.loadmodel._cadence_alerts import CadenceAlert, SessionCadence

# The alert records are made on first use: a run without alerts never makes their classes.
__getattr__, __dir__ = lazy_exports(
    __name__, {"calfload.loadmodel._cadence_alerts": ("CadenceAlert", "SessionCadence")}
)


def run_windows(run: GaitAnalysis, params: CadenceAlertParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(t_s, cadence_spm, speed_mps)`` of the run's judged windows (step 1); speed NaN where unknown."""
    rows = run.dynamics.series if run.dynamics is not None else ()
    if rows and any(r.speed_mps is not None and r.cadence_spm is not None for r in rows):
        t = np.array([r.t_s for r in rows])
        cadence = np.array([np.nan if r.cadence_spm is None else r.cadence_spm for r in rows])
        speed = np.array([np.nan if r.speed_mps is None else r.speed_mps for r in rows])
        keep = np.isfinite(cadence) & (cadence >= params.min_cadence_spm) & (speed >= params.min_speed_mps)
        return t[keep], cadence[keep], speed[keep]
    series = np.array(run.series, dtype=np.float64).reshape(-1, 2)
    keep = series[:, 1] >= params.min_cadence_spm
    speed = _imu_speed(run, series[:, 0])
    if np.isfinite(speed).any():  # judged as a FIT run's windows are: slow ones are breaks
        with np.errstate(invalid="ignore"):
            keep &= speed >= params.min_speed_mps
    return series[keep, 0], series[keep, 1], speed[keep]


def _imu_speed(run: GaitAnalysis, t_s: np.ndarray) -> np.ndarray:
    """Speed of each cadence window from a foot IMU's strides (NaN where none, or none measured).

    The foot IMU's windows are the cadence series' own, so they are matched by their centre
    (both rounded to 0.1 s, as the stored JSON has them). The speed is within 0.03 m/s of motion
    capture on the gaitmap walk (docs/validation.md), about 0.25 steps/min on the relation.
    """
    strides = run.stride_lengths
    if strides is None or not strides.speed_series:
        return np.full(t_s.size, np.nan)
    by_window = {round(t, 1): v for t, v in strides.speed_series}
    return np.array([by_window.get(round(float(t), 1), np.nan) for t in t_s])


def relation_windows(
    run: GaitAnalysis, params: CadenceAlertParams | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """``(cadence_spm, speed_mps)`` of the windows a run teaches the relation with (step 2).

    None for a run with fewer than 5 windows with speed (it teaches nothing). The journal stores
    these per run, so learning the relation reads no earlier analysis.
    """
    params = params or CadenceAlertParams()
    if run.activity != "run":
        return None
    _, cadence, speed = run_windows(run, params)
    return (cadence, speed) if np.isfinite(speed).sum() >= 5 else None


def learn_cadence_relation(
    runs: Sequence[GaitAnalysis], params: CadenceAlertParams | None = None
) -> CadenceSpeedRelation | None:
    """The runner's cadence-speed relation from earlier runs with speed (step 2), or None."""
    params = params or CadenceAlertParams()
    return learn_relation_from_windows([w for r in runs if (w := relation_windows(r, params)) is not None], params)


def learn_relation_from_windows(
    pairs: Sequence[tuple[np.ndarray, np.ndarray]], params: CadenceAlertParams | None = None
) -> CadenceSpeedRelation | None:
    """The relation from the earlier runs' :func:`relation_windows`, oldest first (step 2), or None.

    Only the last ``params.relation_runs`` of them are learnt from.
    """
    params = params or CadenceAlertParams()
    pairs = pairs[-params.relation_runs :]
    if len(pairs) < params.min_runs:
        return None
    cadence = np.concatenate([c for c, _ in pairs])
    speed = np.concatenate([s for _, s in pairs])
    ok = np.isfinite(speed)
    if ok.sum() < params.min_windows:
        return None
    return _fit(cadence[ok], speed[ok], len(pairs), params)


def _fit(cadence: np.ndarray, speed: np.ndarray, runs: int, params: CadenceAlertParams) -> CadenceSpeedRelation:
    span = float(percentile(speed, 90) - percentile(speed, 10))
    assumed = span < params.min_speed_span_mps
    keep = np.ones(cadence.size, bool)
    for _ in range(2):  # fit, drop windows beyond 3 robust SDs, fit again
        if assumed:
            slope = params.assumed_slope_spm_per_mps
            intercept = float(median(cadence[keep] - slope * speed[keep]))
        else:
            slope, intercept = (float(v) for v in np.polyfit(speed[keep], cadence[keep], 1))
        residual = cadence - (intercept + slope * speed)
        sd = 1.4826 * float(median(np.abs(residual[keep] - median(residual[keep]))))
        keep = np.abs(residual) <= 3.0 * max(sd, 0.5)
    expected = intercept + slope * speed
    sd_pct = 100.0 * 1.4826 * float(median(np.abs(residual[keep] / expected[keep])))
    return CadenceSpeedRelation(
        intercept_spm=round(intercept, 2),
        slope_spm_per_mps=round(slope, 2),
        residual_sd_pct=round(sd_pct, 2),
        runs=runs,
        windows=int(cadence.size),
        slope_assumed=assumed,
    )


def check_cadence(
    run: GaitAnalysis,
    relation: CadenceSpeedRelation | None,
    *,
    target_increase_pct: float | None = None,
    params: CadenceAlertParams | None = None,
) -> CadenceCheck | None:
    """The cadence alerts of a run (steps 3-7).

    None for walks, and for runs with neither a cadence series nor a left/right alert.
    """
    judged = judge_run(run, relation, params)
    return None if judged is None else judged.with_target(target_increase_pct)


def judge_run(
    run: GaitAnalysis, relation: CadenceSpeedRelation | None, params: CadenceAlertParams | None = None
) -> JudgedRun | None:
    """The cadence alerts of a run without a target (steps 3-5, 7), with what step 6 needs.

    None for walks, and for runs with neither a cadence series nor a left/right alert.
    """
    params = params or CadenceAlertParams()
    if run.activity != "run":
        return None
    asymmetry = check_asymmetry(run)
    t, cadence, speed = run_windows(run, params)
    if t.size < 6:
        if not asymmetry:
            return None
        check = CadenceCheck(
            reference="not judged", threshold_pct=params.threshold_pct, judged_s=0.0, alerts=(), asymmetry=asymmetry
        )
        return JudgedRun(check=check)
    window_s = float(median(np.diff(t))) if t.size > 1 else run.params.cadence_window_s
    # 3. Reference (also the habitual cadence of step 6: the relation's where it applies).
    has_speed = bool(np.isfinite(speed).all())
    own = relation is None or not has_speed
    relation_used: CadenceSpeedRelation | None
    if relation is not None and has_speed:
        expected, relation_used = relation.expected_spm(speed), relation
    else:
        expected, relation_used = _own_reference(t, cadence, speed, has_speed, params)
    # 4. Deficit.
    deficit = 100.0 * (cadence - expected) / expected
    smooth = _running_median(deficit, max(1, round(params.smooth_s / window_s)))
    # 5. Alerts.
    sd = relation_used.residual_sd_pct if relation_used is not None else 0.0
    threshold = min(max(params.threshold_pct, 2.0 * sd), params.max_threshold_pct)
    kind = "drift" if own else "below_habitual"
    alerts: tuple[CadenceAlert, ...] = ()
    if stretches := _stretches(t, smooth < -threshold, window_s, params):
        from calfload.loadmodel._cadence_alerts import CadenceAlert  # a run without alerts never makes the class

        alerts = tuple(
            CadenceAlert(
                start_s=round(float(t[a] - window_s / 2), 1),
                end_s=round(float(t[b] + window_s / 2), 1),
                kind=kind,
                deficit_pct=round(float(median(deficit[a : b + 1])), 2),
                cadence_spm=round(float(median(cadence[a : b + 1])), 1),
                expected_spm=round(float(median(expected[a : b + 1])), 1),
            )
            for a, b in stretches
        )
    check = CadenceCheck(
        reference="first half of this run" if own else "habitual relation",
        threshold_pct=round(threshold, 2),
        judged_s=round(float(t.size * window_s), 1),
        alerts=alerts,
        relation=relation_used,
        asymmetry=asymmetry,
    )
    return JudgedRun(
        check=check,
        cadence_spm=tuple(float(v) for v in cadence),
        expected_spm=tuple(float(v) for v in np.broadcast_to(expected, cadence.shape)),
    )


def _own_reference(
    t: np.ndarray, cadence: np.ndarray, speed: np.ndarray, has_speed: bool, params: CadenceAlertParams
) -> tuple[np.ndarray, CadenceSpeedRelation | None]:
    first = t <= t[0] + (t[-1] - t[0]) / 2.0
    if has_speed:
        relation = _fit(cadence[first], speed[first], 1, params)
        return relation.expected_spm(speed), relation
    return np.full(t.size, float(median(cadence[first]))), None


def _running_median(x: np.ndarray, width: int) -> np.ndarray:
    half = width // 2
    padded = np.pad(x, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    return np.asarray(median(windows, axis=1), dtype=np.float64)


def _stretches(t: np.ndarray, low: np.ndarray, window_s: float, params: CadenceAlertParams) -> list[tuple[int, int]]:
    """Index ranges of runs of ``low`` windows, joined across short gaps, at least ``min_alert_s`` long."""
    idx = np.flatnonzero(low)
    if idx.size == 0:
        return []
    out: list[list[int]] = [[int(idx[0]), int(idx[0])]]
    for i in idx[1:]:
        if t[i] - t[out[-1][1]] <= params.max_join_s + window_s:
            out[-1][1] = int(i)
        else:
            out.append([int(i), int(i)])
    return [(a, b) for a, b in out if t[b] - t[a] + window_s >= params.min_alert_s]


__all__ = [
    "CadenceAlert",
    "CadenceAlertParams",
    "CadenceCheck",
    "CadenceSpeedRelation",
    "JudgedRun",
    "SessionCadence",
    "check_cadence",
    "judge_run",
    "learn_cadence_relation",
    "learn_relation_from_windows",
    "relation_windows",
]
