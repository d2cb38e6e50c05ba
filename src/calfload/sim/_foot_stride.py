"""One foot's strides: pitch and forefoot path on the fine grid (steps 2-4 of :mod:`calfload.sim._running`).

Each stride is planned first (:class:`StridePlan`: the strike angle it lands with, its toe-off
pitch and swing lift, drawn per stride, and its contact, push-off and loading times), then the
foot's pitch (:func:`_stride_pitch`) and the forefoot point's path (:func:`_forefoot_path`) are
evaluated at every fine sample from the stride it falls in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from calfload.sim._kinematics import min_jerk

if TYPE_CHECKING:
    from calfload.sim._running import RunSpec


@dataclass(frozen=True, slots=True)
class StridePlan:
    """The targets of each of a foot's ``n`` strides (arrays of ``n``; ``strike_rad`` and ``flat_x_m`` ``n + 1``).

    Parameters
    ----------
    strike_rad
        Strike angle each stride lands with (the last entry: the landing after the last stride).
    toe_off_pitch_rad
        Pitch at toe-off (half the swing's peak).
    lift_m
        Peak lift of the forefoot point in swing.
    contact_s, swing_s
        Contact and swing time.
    half_s
        Half-width of the push-off window around toe-off.
    load_s
        Loading time (strike angle to flat).
    flat_x_m
        Forward position of the forefoot point when the foot is flat in each stride.
    """

    strike_rad: np.ndarray
    toe_off_pitch_rad: np.ndarray
    lift_m: np.ndarray
    contact_s: np.ndarray
    swing_s: np.ndarray
    half_s: np.ndarray
    load_s: np.ndarray
    flat_x_m: np.ndarray


def plan_strides(
    strides: np.ndarray,
    duty: float | np.ndarray,
    running: bool | np.ndarray,
    spec: RunSpec,
    rng: np.random.Generator,
    speed_mps: np.ndarray | None,
) -> StridePlan:
    """Draw each stride's strike angle, toe-off pitch and lift, and time its phases."""
    n = strides.size
    sign = -1.0 if spec.strike == "rearfoot" else 1.0
    run_k = np.broadcast_to(np.asarray(running, dtype=bool), (n,))
    run_strike = np.append(run_k, run_k[-1:] if n else True)
    # Uniform draws as lo + (hi - lo)·u: the same numbers rng.uniform gives.
    u = rng.random(n + 1)
    strike = np.radians(np.where(run_strike, sign * (6.0 + 8.0 * u), -(12.0 + 8.0 * u)))
    strike[0] = 0.0  # the first stride starts from standing flat
    u = rng.random(n)
    toe_off_pitch = np.radians(np.where(run_k, 30.0 + 15.0 * u, 20.0 + 10.0 * u))
    u = rng.random(n)
    lift = np.where(run_k, 0.15 + (0.30 - 0.15) * u, 0.05 + (0.10 - 0.05) * u)
    contact = duty * strides
    swing = strides - contact
    # x of the forefoot point when the foot is flat in stride k: one stride length apart.
    if speed_mps is None:
        flat_x = spec.speed_mps * np.cumsum(np.concatenate(([0.0], strides)))
    else:
        flat_x = np.cumsum(np.concatenate(([0.0], speed_mps * strides)))
    return StridePlan(
        strike_rad=strike,
        toe_off_pitch_rad=toe_off_pitch,
        lift_m=lift,
        contact_s=contact,
        swing_s=swing,
        half_s=np.minimum(0.5 * contact, 0.3 * swing),
        load_s=0.2 * contact,
        flat_x_m=flat_x,
    )


def _stride_pitch(
    plan: StridePlan, strides: np.ndarray, u: np.ndarray, kk: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pitch at time ``u`` into stride ``kk`` (steps 2-4), and the loading pitch the heel rocker follows."""
    # 2. Loading: strike angle to flat.
    s_load = np.clip(u / plan.load_s[kk], 0.0, 1.0)
    p_load, _ = min_jerk(s_load)
    theta_load = plan.strike_rad[kk] * (1.0 - p_load)
    # 3. Push-off and 4. early swing: 0 -> 2·θ_TO, minimum jerk centred on toe-off.
    half = plan.half_s[kk]
    s_push = np.clip((u - (plan.contact_s[kk] - half)) / (2 * half), 0.0, 1.0)
    p_push, _ = min_jerk(s_push)
    peak = 2.0 * plan.toe_off_pitch_rad[kk]
    theta_push = peak * p_push
    # 4. Late swing: θ_peak -> next strike angle.
    back_start = plan.contact_s[kk] + half
    s_back = np.clip((u - back_start) / (strides[kk] - back_start), 0.0, 1.0)
    p_back, _ = min_jerk(s_back)
    theta_back = peak + (plan.strike_rad[kk + 1] - peak) * p_back
    pitch = np.where(u < plan.load_s[kk], theta_load, np.where(u < back_start, theta_push, theta_back))
    return pitch, theta_load


def _forefoot_path(
    plan: StridePlan, u: np.ndarray, kk: np.ndarray, theta_load: np.ndarray, spec: RunSpec
) -> tuple[np.ndarray, np.ndarray]:
    """Forward and vertical position (m) of the forefoot point at time ``u`` into stride ``kk``.

    Fixed from foot flat to toe-off; moved by the heel rocker during loading (rearfoot);
    travelling during swing.
    """
    ell = spec.foot_length_m
    flat_x = plan.flat_x_m
    px = np.full(u.size, flat_x[kk])
    pz = np.zeros(u.size)
    if spec.strike == "rearfoot":
        heel_x = flat_x[kk] - ell
        rocker = u < plan.load_s[kk]
        px = np.where(rocker, heel_x + ell * np.cos(theta_load), px)
        pz = np.where(rocker, -ell * np.sin(theta_load), pz)
    s_swing = np.clip((u - plan.contact_s[kk]) / plan.swing_s[kk], 0.0, 1.0)
    p_swing, _ = min_jerk(s_swing)
    start_x = flat_x[kk]
    end_strike = plan.strike_rad[kk + 1]
    if spec.strike == "rearfoot":
        end_x = flat_x[kk + 1] - ell + ell * np.cos(end_strike)
        end_z = -ell * np.sin(end_strike)
    else:
        end_x, end_z = flat_x[kk + 1], np.zeros(u.size)
    in_swing = u >= plan.contact_s[kk]
    px = np.where(in_swing, start_x + (end_x - start_x) * p_swing, px)
    pz = np.where(in_swing, end_z * p_swing + plan.lift_m[kk] * np.sin(np.pi * s_swing) ** 2, pz)
    return px, pz


def foot_motion(
    t: np.ndarray,
    ics: np.ndarray,
    strides: np.ndarray,
    duty: float | np.ndarray,
    running: bool | np.ndarray,
    spec: RunSpec,
    rng: np.random.Generator,
    speed_mps: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pitch (rad), pitch rate (rad/s) and forefoot position (m) on the fine grid; toe-off times.

    ``duty``, ``running`` and ``speed_mps`` may be given per stride (a session that changes
    gait and pace, :mod:`calfload.sim._gait_session`); a stride's landing angle follows the gait
    of the stride it begins. ``speed_mps`` None is ``spec.speed_mps`` throughout.
    """
    n = ics.size
    plan = plan_strides(strides, duty, running, spec, rng, speed_mps)
    toe_off = ics + plan.contact_s
    pitch = np.zeros_like(t)
    pivot = np.zeros((t.size, 3))
    if n == 0:
        return pitch, np.zeros_like(t), pivot, toe_off
    # Which stride each fine sample belongs to (-1 before the first IC).
    k = np.searchsorted(ics, t, side="right") - 1
    kk = np.clip(k, 0, max(n - 1, 0))
    u = t - ics[kk]
    pitch, theta_load = _stride_pitch(plan, strides, u, kk)
    px, pz = _forefoot_path(plan, u, kk, theta_load, spec)
    # Standing before the first stride (the last one ends in standing by construction).
    before = k < 0
    pitch = np.where(before, 0.0, pitch)
    px = np.where(before, plan.flat_x_m[0], px)
    pz = np.where(before, 0.0, pz)
    pivot[:, 0], pivot[:, 2] = px, pz
    step = float(t[1] - t[0])
    rate = np.gradient(pitch, step)
    return pitch, rate, pivot, toe_off


__all__ = ["StridePlan", "foot_motion", "plan_strides"]
