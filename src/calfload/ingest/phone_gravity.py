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
    rest = _long_rests(t_s, _quiet(t_s, linear_mps2, gyr_dps))
    omega = gyr_dps - _rest_bias(t_s, gyr_dps, rest)
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


def _quiet(t_s: np.ndarray, linear_mps2: np.ndarray, gyr_dps: np.ndarray) -> np.ndarray:
    """Samples where the gyroscope barely changes over 0.5 s and there is little acceleration."""
    steps = np.diff(t_s)
    width = max(3, round(0.5 / float(median(steps)))) if steps.size else 3
    spread = pd.DataFrame(gyr_dps).rolling(width, center=True, min_periods=1).std().fillna(0.0).max(axis=1)
    steady = np.asarray(spread.to_numpy() < 1.5) & (np.linalg.norm(linear_mps2, axis=1) < 0.5)
    if steady.sum() < 10:
        return np.asarray(steady, dtype=bool)
    # A slow lowering is steady too, but turns: keep the samples near the rate of the longest steady
    # stretch (a rest between sets, or the still start the README asks for), which is the bias.

    starts, ends = true_runs(steady)
    k = int(np.argmax(ends - starts))
    bias = median(gyr_dps[starts[k] : ends[k]], axis=0)
    return np.asarray(steady & (np.linalg.norm(gyr_dps - bias, axis=1) < 3.0), dtype=bool)


def _rest_bias(t_s: np.ndarray, gyr_dps: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """The gyroscope's bias: its median in each rest, linear in time between rests."""
    starts, ends = true_runs(rest)
    if starts.size == 0:
        return np.zeros(3)
    mid = np.array([t_s[(a + b - 1) // 2] for a, b in zip(starts, ends, strict=True)])
    levels = np.array([median(gyr_dps[a:b], axis=0) for a, b in zip(starts, ends, strict=True)])
    return np.column_stack([np.interp(t_s, mid, levels[:, i]) for i in range(3)])


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
