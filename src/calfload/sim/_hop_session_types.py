"""What the hop simulator (:mod:`calfload.sim._hops`) takes and returns.

The session description (:class:`HopSessionSpec`: blocks of rest and :class:`HopSeries` of
:class:`HopSpec`) and its result (:class:`SimulatedHops`: the recording with its
:class:`HopTruth` of :class:`TruthContact`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from calfload.recording import Recording
from calfload.sim._calf_session_types import Rest
from calfload.sim._kinematics import SensorModel, write_with_truth


@dataclass(frozen=True, slots=True, kw_only=True)
class HopSpec:
    """One hop: its flight, the rebound contact after landing, travel and landing impact.

    ``contact_s`` is ignored for the last hop of a set, whose landing ends standing.
    """

    flight_s: float = 0.3
    contact_s: float = 0.18
    forward_m: float = 0.0
    impact_mps2: float = 40.0


@dataclass(frozen=True, slots=True, kw_only=True)
class HopSeries:
    """Consecutive hops from standing to standing.

    Parameters
    ----------
    hops
        The hops in order.
    push_off_s, landing_s
        Countermovement push-off before the first flight; landing after the last one.
    base_pitch_deg
        Segment pitch while hopping (foot: heel up, 15–35°; shank: a few degrees).
    contact_pitch_deg, flight_pitch_deg
        Pitch change at mid-contact and at mid-flight (signed).
    """

    hops: tuple[HopSpec, ...]
    push_off_s: float = 0.5
    landing_s: float = 0.5
    base_pitch_deg: float = 25.0
    contact_pitch_deg: float = -15.0
    flight_pitch_deg: float = 8.0

    @property
    def duration_s(self) -> float:
        """Push-off to standing again."""
        inner = sum(h.flight_s + h.contact_s for h in self.hops[:-1])
        return self.push_off_s + inner + self.hops[-1].flight_s + self.landing_s


HopBlock = Rest | HopSeries


@dataclass(frozen=True, slots=True, kw_only=True)
class HopSessionSpec:
    """Everything that defines a simulated hop session.

    Parameters
    ----------
    blocks
        Standing rests and hop sets, in order.
    sensor
        Sensor error model and sample rate.
    placement
        ``foot`` or ``shank`` (metadata and the impact's attenuation are the caller's choice).
    lever_arm_m
        Sensor position relative to the ankle, segment frame (x forward, z up).
    mount
        Sensor axes in the segment frame (any rotation), row-major 3×3.
    side, exercise
        Copied into the recording's metadata.
    seed
        Seed of the sensor noise.
    """

    blocks: tuple[HopBlock, ...]
    sensor: SensorModel = field(default_factory=lambda: SensorModel(sample_rate_hz=200.0))
    placement: str = "foot"
    lever_arm_m: tuple[float, float, float] = (0.05, 0.0, 0.04)
    mount: tuple[tuple[float, ...], ...] = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    side: str = "right"
    exercise: str | None = "ankle_hops"
    seed: int = 0

    @property
    def duration_s(self) -> float:
        """Total session length."""
        return sum(b.duration_s for b in self.blocks)


@dataclass(frozen=True, slots=True)
class TruthContact:
    """Ground truth of one landing: the flight before it and the contact it starts.

    ``contact_ms`` is ``None`` for a set's last landing (it ends standing, not in a hop).
    """

    set: int
    index: int
    start_s: float
    contact_ms: float | None
    flight_ms: float
    takeoff_s: float


@dataclass(frozen=True, slots=True)
class HopTruth:
    """Ground truth of a simulated hop session."""

    contacts: tuple[TruthContact, ...]

    def set_counts(self) -> list[int]:
        """Hops (landings) per set, in set order."""
        counts: dict[int, int] = {}
        for c in self.contacts:
            counts[c.set] = counts.get(c.set, 0) + 1
        return [counts[k] for k in sorted(counts)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready truth in the shape of ``calfload analyze --json``."""
        return {
            "activity": "hops",
            "hops": len(self.contacts),
            "set_hop_counts": self.set_counts(),
            "contacts": [asdict(c) for c in self.contacts],
        }


@dataclass(frozen=True, slots=True)
class SimulatedHops:
    """A simulated recording with its ground truth and the spec that made it."""

    recording: Recording
    truth: HopTruth
    spec: HopSessionSpec

    def write(self, folder: str | Path, name: str, *, fmt: str = "parquet") -> Path:
        """Write ``name.parquet`` (or ``.csv``) and ``name.truth.json`` into ``folder``."""
        return write_with_truth(self.recording, self.truth.to_dict(), folder, name, fmt)


__all__ = ["HopBlock", "HopSeries", "HopSessionSpec", "HopSpec", "HopTruth", "SimulatedHops", "TruthContact"]
