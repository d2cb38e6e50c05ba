"""Bouts of a foot-pod stream or a FIT file without laps, from its cadence and speed records.

The records give no step instants, so the steps are placed where the integrated cadence crosses
each whole step (records further apart than ``max_sample_gap_s`` are not integrated across, as
in :mod:`calfload.signal._gait_footpod`). From there the IMU path's steps 1-3 and 6 apply
(:mod:`calfload.signal._bouts`): gait stretches, walk or run with hysteresis, fast and easy
running, parts; the fast stretches are found by **speed** when the records have it (a runner's
pace, which cadence follows only partly), else by cadence. A pause is ``stand``: a pod knows
only that the foot stopped. Each gait bout's figures come from its records: steps, median
cadence of the moving records, mean speed and the distance covered.

A FIT file with laps keeps its laps (``running_dynamics.laps``) and gets no bouts: the runner
already split the run there.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from calfload._stats import median
from calfload.recording import Recording
from calfload.schema import CADENCE_SPM, SPEED_MPS
from calfload.signal._bouts import _gait_bouts, _parts
from calfload.signal._bouts_pauses import with_pauses
from calfload.signal._bouts_types import Bout, BoutParams
from calfload.signal._gait_types import GaitAnalysis


def segment_pod(
    rec: Recording, analysis: GaitAnalysis, *, max_sample_gap_s: float, params: BoutParams | None = None
) -> tuple[Bout, ...]:
    """Bouts of a foot-pod or FIT stream without laps (steps in the module docstring); () with laps.

    Parameters
    ----------
    rec
        The foot-pod stream.
    analysis
        Its walk/run analysis (for the laps).
    max_sample_gap_s
        Records further apart are not integrated across.
    params
        Thresholds; the defaults are the reviewed ones.
    """
    params = params or BoutParams()
    if analysis.dynamics is not None and len(analysis.dynamics.laps) > 1:
        return ()
    t = rec.t_s
    cadence = np.nan_to_num(np.asarray(rec.column(CADENCE_SPM), dtype=np.float64), nan=0.0)
    speed = np.asarray(rec.column(SPEED_MPS), dtype=np.float64)
    instants = _step_instants(t, cadence, max_sample_gap_s)
    if instants.size < params.min_bout_steps:
        return ()
    has_speed = bool(np.any(np.isfinite(speed) & (speed > 0)))
    gait = _gait_bouts(instants, 1, params, (lambda mid: _speed_level(t, speed, mid, params)) if has_speed else None)
    bouts = with_pauses(gait, float(t[0]), float(t[-1]), _stopped, params)
    figures = [_figures(b, t, cadence, speed, instants) if b.is_gait else b for b in bouts]
    return tuple(_parts(figures))


def _stopped(spans: list[tuple[float, float]]) -> list[str]:
    """A pod's pauses: the foot stopped (standing, or sitting; a pod cannot tell)."""
    return ["stand"] * len(spans)


def _step_instants(t: np.ndarray, cadence_spm: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Times where the cadence integrated over time crosses each whole step."""
    dt = np.diff(t)
    steps = np.where(dt <= max_gap_s, cadence_spm[:-1] / 60.0 * dt, 0.0)
    total = np.concatenate(([0.0], np.cumsum(steps)))
    whole = np.arange(1.0, np.floor(total[-1]) + 1.0)
    # Each crossing inside the record interval where the count rises through it.
    i = np.clip(np.searchsorted(total, whole, side="left"), 1, t.size - 1)
    frac = (whole - total[i - 1]) / np.maximum(total[i] - total[i - 1], 1e-12)
    return np.asarray(t[i - 1] + frac * dt[i - 1], dtype=np.float64)


def _speed_level(t: np.ndarray, speed: np.ndarray, at: np.ndarray, params: BoutParams) -> np.ndarray:
    """The records' speed at times ``at``: a centred running median over ``cadence_smooth_s``."""
    ok = np.isfinite(speed)
    ts, vs = t[ok], speed[ok]
    lo = np.searchsorted(ts, at - params.cadence_smooth_s / 2)
    hi = np.searchsorted(ts, at + params.cadence_smooth_s / 2, side="right")
    near = np.clip(np.searchsorted(ts, at), 0, ts.size - 1)
    return np.array([float(median(vs[a:b])) if b > a else float(vs[k]) for a, b, k in zip(lo, hi, near, strict=True)])


def _figures(bout: Bout, t: np.ndarray, cadence: np.ndarray, speed: np.ndarray, instants: np.ndarray) -> Bout:
    """Steps, cadence, speed and distance of one gait bout from its records."""
    inside = (t >= bout.start_s) & (t <= bout.end_s)
    moving = inside & (cadence > 0)
    steps = int(np.count_nonzero((instants >= bout.start_s) & (instants <= bout.end_s)))
    duration = bout.end_s - bout.start_s
    v = np.where(np.isfinite(speed), speed, 0.0)
    idx = np.flatnonzero(inside)
    distance = float(np.sum(0.5 * (v[idx[1:]] + v[idx[:-1]]) * np.diff(t[idx]))) if idx.size > 1 else None
    has_speed = bool(np.any(np.isfinite(speed[inside])))
    return replace(
        bout,
        steps=steps,
        cadence_median_spm=float(median(cadence[moving])) if moving.any() else None,
        cadence_mean_spm=60.0 * (steps - 1) / duration if duration > 0 and steps > 1 else None,
        speed_mps=distance / duration if has_speed and distance is not None and duration > 0 else None,
        distance_m=distance if has_speed else None,
    )


__all__ = ["segment_pod"]
