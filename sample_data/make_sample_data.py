"""Regenerate the calf-raise sample recordings: ``python sample_data/make_sample_data.py``.

They are written into ``src/calfload/sample_data/``, package data installed with calfload, so that
``calfload demo`` runs from any folder.

Every file here is simulated by :func:`calfload.sim.simulate_calf_session` with the fixed specs
below, so anyone can reproduce them bit for bit. Each recording has a ``.truth.json`` beside it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from calfload.sim import (
    CalfSessionSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SensorModel,
    Walk,
    random_rotation,
    simulate_calf_session,
)

HERE = Path(__file__).resolve().parents[1] / "src" / "calfload" / "sample_data"


def _set(rng: np.random.Generator, n: int, eccentric_s: float, *, spread_s: float = 0.35) -> RaiseSet:
    return RaiseSet(
        tuple(
            RaiseSpec(
                excursion_deg=float(rng.uniform(27, 33)),
                concentric_s=float(rng.uniform(0.8, 1.2)),
                top_hold_s=float(rng.uniform(0.3, 0.8)),
                eccentric_s=float(max(0.8, eccentric_s + rng.normal(0, spread_s))),
                bottom_s=float(rng.uniform(0.6, 1.2)),
                eccentric_plateau=0.6,
            )
            for _ in range(n)
        )
    )


def tempo_session() -> CalfSessionSpec:
    """Three sets of 12 single-leg raises; lowering drifts faster as the athlete tires."""
    rng = np.random.default_rng(2026)
    blocks = (
        Rest(6.0),
        _set(rng, 12, 3.4),
        Rest(45.0, heel_shifts=2),
        _set(rng, 12, 3.0),
        Rest(4.0),
        Walk(6, stride_s=1.1),
        Rest(5.0),
        _set(rng, 12, 2.5),
        Rest(5.0),
    )
    return CalfSessionSpec(
        blocks=blocks,
        sensor=SensorModel(
            sample_rate_hz=104.0, gyr_bias_dps=(0.8, -1.2, 0.4), gyr_noise_dps=0.15, timestamp_jitter_s=0.0008
        ),
        lever_arm_m=(-0.12, 0.01, 0.05),
        mount=tuple(tuple(float(v) for v in row) for row in random_rotation(rng)),
        side="right",
        exercise="single_leg_standing",
        seed=11,
    )


def endurance_session() -> CalfSessionSpec:
    """One endurance set: about 75 s of continuous raises with no holds."""
    rng = np.random.default_rng(7)
    reps = tuple(
        RaiseSpec(
            excursion_deg=float(rng.uniform(22, 30)),
            concentric_s=float(rng.uniform(0.7, 0.9)),
            top_hold_s=0.0,
            eccentric_s=float(rng.uniform(0.9, 1.2)),
            bottom_s=float(rng.uniform(0.0, 0.1)),
            eccentric_plateau=0.3,
        )
        for _ in range(38)
    )
    return CalfSessionSpec(
        blocks=(Rest(5.0), RaiseSet(reps), Rest(5.0)),
        sensor=SensorModel(sample_rate_hz=52.0, gyr_noise_dps=0.3, acc_noise_mps2=0.04),
        lever_arm_m=(-0.05, 0.0, 0.07),
        side="left",
        exercise="single_leg_standing",
        seed=12,
    )


def main() -> None:
    """Write the sample recordings and their truth files."""
    simulate_calf_session(tempo_session()).write(HERE, "calf_tempo_3x12_104hz")
    simulate_calf_session(endurance_session()).write(HERE, "calf_endurance_52hz", fmt="csv")


if __name__ == "__main__":
    main()
