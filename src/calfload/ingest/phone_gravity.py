"""Gravity for phone acceleration recorded without it, estimated from the gyroscope.

Phone apps often export acceleration with gravity removed ("linear acceleration"); calfload's
recordings hold the specific force, gravity included. When the app wrote no gravity file,
:func:`estimate_gravity` puts it back from the gyroscope, under stated assumptions.
"""

from __future__ import annotations

import itertools
import math
from typing import Final

import numpy as np
import pandas as pd

from calfload import _quaternion as quat
from calfload._stats import median, percentile
from calfload.recording import true_runs
from calfload.units import STANDARD_GRAVITY_MPS2

#: Gyroscope stillness (deg/s) and a rest this long (s) resets the estimated gravity.
_STILL_DPS: Final = 8.0
_LONG_REST_S: Final = 3.0
#: Floor and cap (deg/s, m/s²) of the noise-scaled limits on the spread of the rate and the
#: acceleration over 0.5 s at rest.
_STEADY_GYR_DPS: Final = (1.5, 4.5)
_STEADY_ACC_MPS2: Final = (0.1, 0.5)
#: A still stretch whose rate is further than this (deg/s) from the gyroscope's bias is turning.
_BIAS_GATE_DPS: Final = 3.0
#: The fastest plausible temperature drift of a consumer gyroscope's bias (deg/s per second;
#: datasheets give about 0.1 deg/s per kelvin, and a phone warms by a few kelvin over minutes).
_MAX_DRIFT_DPS_PER_S: Final = 0.02
#: A turn between two rests of at least this angle (deg) shows the vertical; its axis must lie
#: at least ``_MIN_TURN_TILT_DEG`` from the raise axis (a change of pitch is not a turn).
_MIN_TURN_DEG: Final = 30.0
_MIN_TURN_TILT_DEG: Final = 60.0
_MAX_TURN_ALONG_RAISE: Final = math.cos(math.radians(_MIN_TURN_TILT_DEG))
#: A step this many times the usual one is a gap in the data (samples lost).
_GAP_STEPS: Final = 2.0
#: At most this many rounds of finding the rests and the bias's drift through them.
_BIAS_PASSES: Final = 5


def estimate_gravity(t_s: np.ndarray, linear_mps2: np.ndarray, gyr_dps: np.ndarray) -> tuple[np.ndarray, str]:
    """Estimate gravity's reaction in the sensor frame for acceleration recorded without it.

    Acceleration without gravity holds nothing about which way is up, so this assumes it:

    1. the gyroscope's bias is its median over the samples at rest (rate and acceleration
       steady to within the sensor's own noise);
    2. the foot lies flat at every rest of at least 3 s, so a turn between two rests is a turn
       about the vertical, and the turn's axis is "up" at rest; when the foot never turned,
       "up" is perpendicular to the axis the sensor mostly turns about (a shoe's mediolateral
       axis is horizontal when the foot is flat), along the sensor axis closest to that plane;
    3. between rests, gravity turns against the bias-corrected gyroscope (``dg/dt = -ω × g``)
       forward from the rest before and back from the rest after, blended in time (see
       :func:`_integrate`); every rest resets it to the resting direction.

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
    turned = _turn_axis(t_s, np.radians(omega), rest, axis)
    if turned is None:
        taken = f"taking 'up' at rest along sensor {'xyz'[k]}"
    else:
        up = turned if float(turned @ up) >= 0.0 else -turned
        taken = "taking 'up' at rest as the axis the foot turned about between rests"
    gravity = _integrate(t_s, np.radians(omega), up, rest) * STANDARD_GRAVITY_MPS2
    note = (
        f"acceleration without gravity and no gravity file: gravity estimated from the gyroscope, {taken} "
        "(export total acceleration or the gravity sensor to avoid this)"
    )
    return gravity, note


def _turn_axis(t_s: np.ndarray, omega_rps: np.ndarray, rest: np.ndarray, raise_axis: np.ndarray) -> np.ndarray | None:
    """The vertical in the sensor frame, from the turns between rests; None when the foot never turned.

    The foot lies flat at every rest, so what it turned between two rests (the bias-corrected
    gyroscope integrated from the middle of one to the middle of the next) is a turn about the
    vertical: the turn's axis is "up" (its sign is not known). Turns of at least
    ``_MIN_TURN_DEG`` whose axis lies at least ``_MIN_TURN_TILT_DEG`` from the raise axis (which
    is horizontal) count, weighted by ``sin²`` of half their angle.
    """
    starts, ends = true_runs(rest)
    mids = (starts + ends - 1) // 2
    if mids.size < 2:
        return None
    steps_s = np.diff(t_s, prepend=t_s[0])
    weights = np.zeros((3, 3))
    for a, b in itertools.pairwise(mids.tolist()):
        q = _turned(omega_rps[a + 1 : b + 1] * steps_s[a + 1 : b + 1, None])
        half_sin = float(np.linalg.norm(q[1:]))
        angle_deg = math.degrees(2.0 * math.atan2(half_sin, abs(float(q[0]))))
        if angle_deg < _MIN_TURN_DEG or abs(float(q[1:] @ raise_axis)) > half_sin * _MAX_TURN_ALONG_RAISE:
            continue
        weights += np.outer(q[1:], q[1:])
    if not weights.any():
        return None
    vertical: np.ndarray = np.linalg.eigh(weights)[1][:, -1]
    return vertical


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
    steady = _steady(t_s, linear_mps2, gyr_dps)
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


def _steady(t_s: np.ndarray, linear_mps2: np.ndarray, gyr_dps: np.ndarray) -> np.ndarray:
    """Samples where the rate and the acceleration barely change over 0.5 s.

    Each signal's spread (the standard deviation over 0.5 s, all axes together) is compared
    with three times its noise floor, the quietest 5 % of the recording, within
    ``_STEADY_GYR_DPS`` and ``_STEADY_ACC_MPS2``: a noisy sensor never looks as quiet as a clean
    one. The spread, not the size, of the acceleration: an accelerometer's bias and scale error
    leave an offset of a few tenths of m/s² in the "linear" acceleration of a sensor at rest.
    """
    steps = np.diff(t_s)
    width = max(3, round(0.5 / float(median(steps)))) if steps.size else 3
    steady = np.ones(t_s.size, dtype=bool)
    for values, (floor, cap) in ((gyr_dps, _STEADY_GYR_DPS), (linear_mps2, _STEADY_ACC_MPS2)):
        variance = pd.DataFrame(values).rolling(width, center=True, min_periods=1).var().fillna(0.0).sum(axis=1)
        spread = np.sqrt(variance.to_numpy())
        limit = float(np.clip(3.0 * percentile(spread, 5), floor, cap)) if spread.size else floor
        steady &= spread < limit
    return steady


def _turned(rotvecs_rad: np.ndarray) -> np.ndarray:
    """The unit quaternion ``(w, x, y, z)`` of the rotations ``rotvecs_rad`` (``(n, 3)``) applied one after another.

    Each small rotation's quaternion (:func:`calfload._quaternion.from_rotvec_rows`) is multiplied
    in pairs (:func:`calfload._quaternion.multiply_rows`, the earlier rotation on the left),
    ``log2(n)`` vectorised rounds.
    """
    q = np.empty((4, rotvecs_rad.shape[0]))
    quat.from_rotvec_rows(np.ascontiguousarray(rotvecs_rad.T), q)
    while q.shape[1] > 1:
        if q.shape[1] % 2:
            q = np.concatenate((q, [[1.0], [0.0], [0.0], [0.0]]), axis=1)
        q = quat.multiply_rows(q[:, 0::2], q[:, 1::2])
    out = q[:, 0] if q.shape[1] else np.array([1.0, 0.0, 0.0, 0.0])
    return np.asarray(out / np.linalg.norm(out))


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
    """Gravity's direction: turned from the rest before each sample and back from the rest after it.

    Each way integrates the gyroscope (trapezoids) from a rest, where gravity is ``up``. Between
    two rests the two are blended linearly in time, so their drifts meet halfway, except that a
    way crossing a gap in the data (a lost burst of samples, whose turning nobody measured) is
    not used when the other way crosses none. Before the first rest only the way back is known,
    after the last only the way forward; without rests, the start is taken as one.
    """
    n = t_s.size
    steps_s = np.diff(t_s)
    step_omega = (omega_rps[1:] + omega_rps[:-1]) / 2.0
    forward = _propagate(step_omega, steps_s, up, rest)
    backward = _propagate(-step_omega[::-1], steps_s[::-1], up, rest[::-1])[::-1]
    index = np.arange(n)
    prev = np.maximum.accumulate(np.where(rest, index, -1))
    after = np.minimum.accumulate(np.where(rest, index, n)[::-1])[::-1]
    gap_step = steps_s > _GAP_STEPS * float(median(steps_s)) if n > 1 else np.zeros(0, dtype=bool)
    gaps = np.concatenate(([0], np.cumsum(gap_step)))
    prev_c, after_c = np.maximum(prev, 0), np.minimum(after, n - 1)
    forward_clear = gaps == gaps[prev_c]
    backward_clear = gaps[after_c] == gaps
    span_s = np.maximum(t_s[after_c] - t_s[prev_c], 1e-9)
    share = np.clip((t_s[after_c] - t_s) / span_s, 0.0, 1.0)
    share = np.where(forward_clear & ~backward_clear, 1.0, np.where(backward_clear & ~forward_clear, 0.0, share))
    share = np.where(after >= n, 1.0, np.where(prev < 0, 0.0, share))
    out = share[:, None] * forward + (1.0 - share[:, None]) * backward
    return np.asarray(out / np.linalg.norm(out, axis=1, keepdims=True))


def _propagate(step_omega_rps: np.ndarray, steps_s: np.ndarray, up: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Gravity's direction turned step by step against the rate (``dg/dt = -ω × g``), ``up`` at rests."""
    out = np.empty((rest.size, 3))
    ux, uy, uz = (float(v) for v in up)
    gx, gy, gz = ux, uy, uz
    out[0] = (gx, gy, gz)
    for i, ((wx, wy, wz), dt_s, still) in enumerate(
        zip(step_omega_rps.tolist(), steps_s.tolist(), rest[1:].tolist(), strict=True), start=1
    ):
        if still:
            gx, gy, gz = ux, uy, uz
        else:
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
