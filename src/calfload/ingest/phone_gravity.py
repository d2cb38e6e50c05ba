"""Gravity for phone acceleration recorded without it, estimated from the gyroscope.

Phone apps often export acceleration with gravity removed ("linear acceleration"); calfload's
recordings hold the specific force, gravity included. When the app wrote no gravity file,
:func:`estimate_gravity` puts it back from the gyroscope, under stated assumptions.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import pandas as pd

from calfload._stats import median
from calfload.recording import true_runs
from calfload.units import STANDARD_GRAVITY_MPS2

#: Gyroscope stillness (deg/s) and a rest this long (s) resets the estimated gravity.
_STILL_DPS: Final = 8.0
_LONG_REST_S: Final = 3.0
#: A still stretch whose rate is further than this (deg/s) from the gyroscope's bias is turning.
_BIAS_GATE_DPS: Final = 3.0
#: The fastest plausible temperature drift of a consumer gyroscope's bias (deg/s per second;
#: datasheets give about 0.1 deg/s per kelvin, and a phone warms by a few kelvin over minutes).
_MAX_DRIFT_DPS_PER_S: Final = 0.02
#: At most this many rounds of finding the rests and the bias's drift through them.
_BIAS_PASSES: Final = 5


def estimate_gravity(t_s: np.ndarray, linear_mps2: np.ndarray, gyr_dps: np.ndarray) -> tuple[np.ndarray, str]:
    """Estimate gravity's reaction in the sensor frame for acceleration recorded without it.

    Acceleration without gravity holds nothing about which way is up, so this assumes it:

    1. the gyroscope's bias is its median over the samples at rest (little rotation and little
       acceleration);
    2. at rest the sensor lies as it did at the start, and "up" is perpendicular to the axis the
       sensor mostly turns about (a shoe's mediolateral axis is horizontal when the foot is flat),
       along the sensor axis closest to that plane;
    3. between rests of at least 3 s, gravity turns against the bias-corrected gyroscope
       (``dg/dt = -ω × g``), and every such rest resets it to the resting direction.

    Returns
    -------
    gravity, note
        ``(n, 3)`` m/s², and the sentence for the warning.
    """
    rest, bias = _rests_and_bias(t_s, linear_mps2, gyr_dps)
    omega = gyr_dps - bias
    moving = np.linalg.norm(omega, axis=1) > _STILL_DPS
    cov = omega[moving].T @ omega[moving] if moving.sum() > 10 else np.eye(3)
    axis = np.linalg.eigh(cov)[1][:, -1]
    projections = np.eye(3) - np.outer(axis, axis)
    k = int(np.argmax(np.linalg.norm(projections, axis=1)))
    up = projections[k] / np.linalg.norm(projections[k])
    gravity = _integrate(t_s, np.radians(omega), up, rest) * STANDARD_GRAVITY_MPS2
    note = (
        "acceleration without gravity and no gravity file: gravity estimated from the gyroscope, taking "
        f"'up' at rest along sensor {'xyz'[k]} (export total acceleration or the gravity sensor to avoid this)"
    )
    return gravity, note


def _rests_and_bias(t_s: np.ndarray, linear_mps2: np.ndarray, gyr_dps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rests of at least 3 s, and the gyroscope's bias at every sample.

    A rest is quiet: the gyroscope barely changes over 0.5 s, there is little acceleration, and
    the rate lies near the bias (a slow lowering is steady too, but turns). The bias is first the
    rate of the longest steady stretch (a rest between sets, or the still start the README asks
    for). It drifts with temperature, by a few deg/s over minutes in a consumer gyroscope, so a
    rest near the end of a long file may no longer read near it: the bias is then taken from
    the rests found (their median rates, linear in time between them, flat beyond) and the rests
    found again against it, until they no longer change.
    """
    steps = np.diff(t_s)
    width = max(3, round(0.5 / float(median(steps)))) if steps.size else 3
    spread = pd.DataFrame(gyr_dps).rolling(width, center=True, min_periods=1).std().fillna(0.0).max(axis=1)
    steady = np.asarray(spread.to_numpy() < 1.5) & (np.linalg.norm(linear_mps2, axis=1) < 0.5)
    if steady.sum() < 10:
        rest = _long_rests(t_s, steady)
        return rest, _rest_bias(t_s, gyr_dps, rest)
    starts, ends = true_runs(steady)
    k = int(np.argmax(ends - starts))
    bias = np.broadcast_to(median(gyr_dps[starts[k] : ends[k]], axis=0), gyr_dps.shape)
    rest = np.zeros_like(steady)
    for _ in range(_BIAS_PASSES):
        found = _long_rests(t_s, steady & (np.linalg.norm(gyr_dps - bias, axis=1) < _BIAS_GATE_DPS))
        if np.array_equal(found, rest):
            break
        rest = found
        bias = _rest_bias(t_s, gyr_dps, rest)
    return rest, bias


def _rest_bias(t_s: np.ndarray, gyr_dps: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """The gyroscope's bias: its median in each rest, linear in time between rests.

    Before the first rest and after the last one (a file that ends with a set, not standing
    still), the bias goes on drifting at the rate of the straight line through every rest's
    median, at most ``_MAX_DRIFT_DPS_PER_S``; with one rest it stays flat.
    """
    starts, ends = true_runs(rest)
    if starts.size == 0:
        return np.zeros_like(gyr_dps)
    mid = np.array([t_s[(a + b - 1) // 2] for a, b in zip(starts, ends, strict=True)])
    levels = np.array([median(gyr_dps[a:b], axis=0) for a, b in zip(starts, ends, strict=True)])
    bias = np.column_stack([np.interp(t_s, mid, levels[:, i]) for i in range(3)])
    if mid.size >= 2 and mid[-1] > mid[0]:
        slope = np.clip(np.polyfit(mid, levels, 1)[0], -_MAX_DRIFT_DPS_PER_S, _MAX_DRIFT_DPS_PER_S)
        beyond = np.where(t_s < mid[0], t_s - mid[0], np.where(t_s > mid[-1], t_s - mid[-1], 0.0))
        bias += np.outer(beyond, slope)
    return bias


def _long_rests(t_s: np.ndarray, still: np.ndarray) -> np.ndarray:

    out = np.zeros_like(still)
    starts, ends = true_runs(still)
    for a, b in zip(starts, ends, strict=True):
        if t_s[b - 1] - t_s[a] >= _LONG_REST_S:
            out[a:b] = True
    return out


def _integrate(t_s: np.ndarray, omega_rps: np.ndarray, up: np.ndarray, rest: np.ndarray) -> np.ndarray:
    out = np.empty((t_s.size, 3))
    gx, gy, gz = (float(v) for v in up)
    ux, uy, uz = gx, gy, gz
    dts = np.diff(t_s, prepend=t_s[0]).tolist()
    for i, (wx, wy, wz) in enumerate(omega_rps.tolist()):
        if rest[i]:
            gx, gy, gz = ux, uy, uz
        else:
            dt_s = dts[i]
            # dg/dt = -ω × g = g × ω, then back to unit length.
            gx, gy, gz = (
                gx + (gy * wz - gz * wy) * dt_s,
                gy + (gz * wx - gx * wz) * dt_s,
                gz + (gx * wy - gy * wx) * dt_s,
            )
            norm = math.sqrt(gx * gx + gy * gy + gz * gz)
            gx, gy, gz = gx / norm, gy / norm, gz / norm
        out[i] = (gx, gy, gz)
    return out


__all__ = ["estimate_gravity"]
