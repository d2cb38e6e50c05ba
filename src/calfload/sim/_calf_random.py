"""Random but realistic calf-raise sessions for the simulator (:func:`random_calf_session`)."""

from __future__ import annotations

import numpy as np

from calfload.sim._calf_session_types import Block, CalfSessionSpec, RaiseSet, RaiseSpec, Rest, Walk
from calfload.sim._kinematics import SensorModel, random_rotation


def random_calf_session(
    rng: np.random.Generator,
    *,
    sample_rate_hz: float | None = None,
    n_sets: int | None = None,
    endurance: bool = False,
    walking: bool | None = None,
    partials: bool | None = None,
    mount_random: bool = True,
) -> CalfSessionSpec:
    """Draw a varied calf-raise session: tempo, holds, sets, rests, walking, sensor and mounting.

    Parameters
    ----------
    rng
        Random generator (the session is a pure function of its state).
    sample_rate_hz
        Force a sample rate; otherwise one of 25–1000 Hz is drawn.
    n_sets
        Force the number of sets.
    endurance
        Make the last set an endurance set (60–90 s of continuous raises, no holds).
    walking
        Force walking between sets on or off (default: drawn).
    partials
        Force partial reps on or off (default: drawn).
    mount_random
        Mount the sensor in a random orientation (else aligned with the foot).
    """
    rate = sample_rate_hz or float(rng.choice([25, 50, 52, 100, 104, 200, 208, 416, 833, 1000]))
    sets = n_sets or int(rng.integers(1, 4))
    blocks: list[Block] = [Rest(float(rng.uniform(4, 10)), heel_shifts=int(rng.integers(0, 2)))]
    style_ecc = float(rng.uniform(1.0, 4.5))
    for k in range(sets):
        is_endurance = endurance and k == sets - 1
        reps = _endurance_reps(rng) if is_endurance else _set_reps(rng, style_ecc, partials)
        blocks.append(RaiseSet(tuple(reps)))
        if k < sets - 1:
            blocks.extend(_between_sets(rng, walking))
    blocks.append(Rest(float(rng.uniform(3, 8))))
    mount = random_rotation(rng) if mount_random else np.eye(3)
    return CalfSessionSpec(
        blocks=tuple(blocks),
        sensor=SensorModel.random(rng, rate),
        lever_arm_m=(float(rng.uniform(-0.20, -0.03)), float(rng.uniform(-0.04, 0.04)), float(rng.uniform(0.02, 0.08))),
        mount=tuple(tuple(float(v) for v in row) for row in mount),
        top_wobble_deg=float(rng.uniform(0.0, 0.3)),
        side=str(rng.choice(["left", "right"])),
        seed=int(rng.integers(0, 2**31)),
    )


def _endurance_reps(rng: np.random.Generator) -> list[RaiseSpec]:
    """60–90 s of continuous raises without holds (an endurance set)."""
    reps: list[RaiseSpec] = []
    target_s = float(rng.uniform(60, 90))
    elapsed = 0.0
    while elapsed < target_s:
        rep = RaiseSpec(
            excursion_deg=float(rng.uniform(20, 35)),
            concentric_s=float(rng.uniform(0.6, 1.0)),
            top_hold_s=0.0,
            eccentric_s=float(rng.uniform(0.8, 1.4)),
            bottom_s=float(rng.uniform(0.0, 0.15)),
            concentric_plateau=float(rng.uniform(0, 0.3)),
            eccentric_plateau=float(rng.uniform(0, 0.4)),
        )
        reps.append(rep)
        elapsed += rep.concentric_s + rep.eccentric_s + rep.bottom_s
    return reps


def _partial_rep(rng: np.random.Generator, base_exc: float) -> RaiseSpec:
    """A partial rep: an eighth to a quarter of the set's excursion."""
    return RaiseSpec(
        excursion_deg=float(rng.uniform(0.12, 0.25)) * base_exc,
        concentric_s=float(rng.uniform(0.4, 0.8)),
        top_hold_s=float(rng.uniform(0, 0.3)),
        eccentric_s=float(rng.uniform(0.4, 0.9)),
        bottom_s=float(rng.uniform(0.5, 1.5)),
        partial=True,
    )


def _set_reps(rng: np.random.Generator, style_ecc: float, partials: bool | None) -> list[RaiseSpec]:
    """6–15 reps around the athlete's lowering style, with partial reps drawn in (never last)."""
    reps: list[RaiseSpec] = []
    n = int(rng.integers(6, 16))
    base_exc = float(rng.uniform(22, 38))
    with_partials = partials if partials is not None else bool(rng.random() < 0.3)
    partial_at = set(rng.choice(n, size=int(rng.integers(1, 3)), replace=False).tolist()) if with_partials else set()
    for i in range(n):
        if i in partial_at:
            reps.append(_partial_rep(rng, base_exc))
        ecc = float(np.clip(style_ecc + rng.normal(0, 0.5), 0.8, 5.0))
        reps.append(
            RaiseSpec(
                excursion_deg=base_exc * float(rng.uniform(0.85, 1.1)),
                concentric_s=float(rng.uniform(0.4, 2.0)),
                top_hold_s=float(rng.choice([0.0, rng.uniform(0.2, 2.0)])),
                eccentric_s=ecc,
                bottom_s=float(rng.uniform(0.3, 2.0)),
                concentric_plateau=float(rng.uniform(0, 0.4)),
                eccentric_plateau=float(rng.uniform(0, 0.7)),
            )
        )
    # A set never ends with a partial rep in this generator (it may start with one).
    while reps and reps[-1].partial:
        reps.pop()
    return reps


def _between_sets(rng: np.random.Generator, walking: bool | None) -> list[Block]:
    """The rest between two sets: standing, or a short walk between two pauses."""
    walk_between = walking if walking is not None else bool(rng.random() < 0.5)
    rest_s = float(rng.uniform(12, 60))  # drawn either way, so that a session's draws do not depend on it
    if walk_between:
        return [
            Rest(float(rng.uniform(2, 6))),
            Walk(int(rng.integers(4, 10)), stride_s=float(rng.uniform(1.0, 1.25))),
            Rest(float(rng.uniform(3, 8))),
        ]
    return [Rest(rest_s, heel_shifts=int(rng.integers(0, 3)))]


__all__ = ["random_calf_session"]
