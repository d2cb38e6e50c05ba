"""What the calf-raise simulator (:mod:`calfload.sim._calf_raise`) takes and returns.

The session description (:class:`CalfSessionSpec`: blocks of :class:`Rest`, :class:`Walk` and
:class:`RaiseSet` of :class:`RaiseSpec`) and its result (:class:`SimulatedSession`: the recording
with its :class:`SessionTruth` of :class:`TruthRep`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from calfload.recording import Recording
from calfload.sim._kinematics import SensorModel, write_with_truth


@dataclass(frozen=True, slots=True, kw_only=True)
class RaiseSpec:
    """One calf raise: excursion and phase durations (nominal, from motion start to stop)."""

    excursion_deg: float = 30.0
    concentric_s: float = 1.0
    top_hold_s: float = 0.5
    eccentric_s: float = 3.0
    bottom_s: float = 1.0
    concentric_plateau: float = 0.0
    eccentric_plateau: float = 0.5
    partial: bool = False


@dataclass(frozen=True, slots=True)
class Rest:
    """Standing still with occasional weight shifts (heel lifts of 1–3°)."""

    duration_s: float
    heel_shifts: int = 0


@dataclass(frozen=True, slots=True)
class Walk:
    """Walking a number of strides of the instrumented foot, optionally turning halfway."""

    strides: int
    stride_s: float = 1.1
    stride_length_m: float = 1.3
    turn: bool = True


@dataclass(frozen=True, slots=True)
class RaiseSet:
    """Consecutive calf raises."""

    reps: tuple[RaiseSpec, ...]


Block = Rest | Walk | RaiseSet


@dataclass(frozen=True, slots=True, kw_only=True)
class CalfSessionSpec:
    """Everything that defines a simulated session.

    Parameters
    ----------
    blocks
        The session, in order.
    sensor
        Sensor error model and sample rate.
    lever_arm_m
        Sensor position relative to the forefoot pivot, foot frame (x forward, z up).
    mount
        Sensor axes in the foot frame (any rotation), row-major 3×3.
    top_wobble_deg
        Amplitude of the postural wobble at the top of a raise.
    side, exercise
        Copied into the recording's metadata.
    seed
        Seed of the noise and of small random details.
    """

    blocks: tuple[Block, ...]
    sensor: SensorModel = field(default_factory=SensorModel)
    lever_arm_m: tuple[float, float, float] = (-0.10, 0.0, 0.06)
    mount: tuple[tuple[float, ...], ...] = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    top_wobble_deg: float = 0.2
    side: str = "right"
    exercise: str | None = "single_leg_standing"
    seed: int = 0

    @property
    def duration_s(self) -> float:
        """Total session length."""
        return sum(block_duration(b) for b in self.blocks)


@dataclass(frozen=True, slots=True)
class TruthRep:
    """Ground truth of one rep, by the 10 %-of-peak-speed rule."""

    set: int
    index: int
    start_s: float
    end_s: float
    concentric_s: float
    top_hold_s: float
    eccentric_s: float
    bottom_s: float | None
    excursion_deg: float
    partial: bool
    nominal_eccentric_s: float


@dataclass(frozen=True, slots=True)
class SessionTruth:
    """Ground truth of a simulated session."""

    reps: tuple[TruthRep, ...]
    walking_intervals_s: tuple[tuple[float, float], ...]

    def counted(self) -> list[TruthRep]:
        """Reps that count (not partial)."""
        return [r for r in self.reps if not r.partial]

    def set_counts(self) -> list[int]:
        """Counted reps per set, in set order."""
        counts: dict[int, int] = {}
        for r in self.counted():
            counts[r.set] = counts.get(r.set, 0) + 1
        return [counts[k] for k in sorted(counts)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready truth in the shape of ``calfload analyze --json`` (plus extras)."""
        reps = [asdict(r) for r in self.reps]
        return {
            "activity": "calf_raise",
            "rep_count": len(self.counted()),
            "set_rep_counts": self.set_counts(),
            "reps": reps,
            "walking_intervals_s": [list(w) for w in self.walking_intervals_s],
        }


@dataclass(frozen=True, slots=True)
class SimulatedSession:
    """A simulated recording with its ground truth and the spec that made it."""

    recording: Recording
    truth: SessionTruth
    spec: CalfSessionSpec
    #: Gravity's reaction in the sensor frame at the recording's sample times, ``(n, 3)`` m/s²: what
    #: a phone's "gravity" sensor reports, for writing phone-app exports that remove gravity.
    gravity_mps2: np.ndarray | None = None

    def write(self, folder: str | Path, name: str, *, fmt: str = "parquet") -> Path:
        """Write ``name.parquet`` (or ``.csv``) and ``name.truth.json`` into ``folder``."""
        return write_with_truth(self.recording, self.truth.to_dict(), folder, name, fmt)


def block_duration(block: Block) -> float:
    """How long a block lasts (s)."""
    if isinstance(block, Rest):
        return block.duration_s
    if isinstance(block, Walk):
        return block.strides * block.stride_s + (1.5 if block.turn else 0.0) + 0.5
    return sum(r.concentric_s + r.top_hold_s + r.eccentric_s + r.bottom_s for r in block.reps)


__all__ = [
    "Block",
    "CalfSessionSpec",
    "RaiseSet",
    "RaiseSpec",
    "Rest",
    "SessionTruth",
    "SimulatedSession",
    "TruthRep",
    "Walk",
    "block_duration",
]
