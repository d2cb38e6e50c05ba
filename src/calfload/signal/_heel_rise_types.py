"""Parameters and results of the heel-rise endurance test (:mod:`calfload.signal._heel_rise`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

from calfload._plain_sums import np_mean
from calfload.errors import DataError
from calfload.signal._version import current_version
from calfload.units import STANDARD_GRAVITY_MPS2

G = STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True, kw_only=True)
class HeelRiseParams:
    """Parameters of :func:`analyze_heel_rise_test`.

    Parameters
    ----------
    reference_reps
        The first reps whose mean height is the reference.
    stop_fraction
        The test ends at the first rep lower than this share of the reference.
    still_margin_s
        Shank: time added before and after a rep's motion to reach the still points it is integrated between.
    acc_lowpass_hz
        Shank: low-pass of the vertical acceleration before integrating.
    """

    reference_reps: int = 3
    stop_fraction: float = 0.5
    still_margin_s: float = 0.15
    acc_lowpass_hz: float = 5.0

    #: One reviewed set for both placements (the height method differs, not the parameters).
    PRESETS: ClassVar[Mapping[str, Mapping[str, float]]] = MappingProxyType(
        {"foot": MappingProxyType({}), "shank": MappingProxyType({})}
    )


@dataclass(frozen=True, slots=True)
class HeelRiseResult:
    """One side's test: counted reps, height per rep, work.

    ``heights_cm`` lists every rep the athlete made (also those after the test ended);
    ``reps`` counts the first ones, before the height fell below ``stop_fraction`` of the reference.
    """

    side: str
    placement: str
    method: str
    reps: int
    heights_cm: tuple[float, ...]
    reference_height_cm: float
    ended_by: str
    foot_length_cm: float | None
    body_mass_kg: float | None
    source: str = ""
    params: HeelRiseParams = field(default_factory=HeelRiseParams)
    calfload_version: str = field(default_factory=current_version)

    @property
    def counted_heights_cm(self) -> tuple[float, ...]:
        """Heights of the counted reps."""
        return self.heights_cm[: self.reps]

    @property
    def mean_height_cm(self) -> float:
        """Mean height of the counted reps (NaN without any; NumPy's mean, without NumPy: review reads it)."""
        heights = self.counted_heights_cm
        return np_mean(heights) if heights else math.nan

    @property
    def work_j(self) -> float | None:
        """Total work ``m g Σ h`` of the counted reps (None without body mass)."""
        if self.body_mass_kg is None:
            return None
        return self.body_mass_kg * G * sum(self.counted_heights_cm) / 100.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        work = self.work_j
        return {
            "side": self.side,
            "placement": self.placement,
            "height_method": self.method,
            "reps": self.reps,
            "mean_height_cm": round(self.mean_height_cm, 2),
            "reference_height_cm": round(self.reference_height_cm, 2),
            "work_j": None if work is None else round(work, 1),
            "ended_by": self.ended_by,
            "heights_cm": [round(h, 2) for h in self.heights_cm],
            "foot_length_cm": self.foot_length_cm,
            "body_mass_kg": self.body_mass_kg,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class SymmetryIndex:
    """Limb symmetry index (%) of a heel-rise test: affected ÷ unaffected × 100."""

    affected_side: str
    reps_pct: float
    height_pct: float | None
    work_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        return {
            "affected_side": self.affected_side,
            "reps_pct": round(self.reps_pct, 1),
            "height_pct": None if self.height_pct is None else round(self.height_pct, 1),
            "work_pct": None if self.work_pct is None else round(self.work_pct, 1),
        }


def limb_symmetry_index(affected: HeelRiseResult | None, unaffected: HeelRiseResult | None) -> SymmetryIndex:
    """Affected ÷ unaffected × 100 % for reps, mean height and work.

    Raises
    ------
    DataError
        If a side is missing, both are the same side, or the unaffected side made no rep.

    Examples
    --------
    >>> a = HeelRiseResult("left", "foot", "foot_pitch", 15, (8.0,) * 15, 8.0, "height", 17.0, 70.0)
    >>> u = HeelRiseResult("right", "foot", "foot_pitch", 25, (10.0,) * 25, 10.0, "height", 17.0, 70.0)
    >>> s = limb_symmetry_index(a, u)
    >>> round(s.reps_pct), round(s.height_pct or 0), round(s.work_pct or 0)
    (60, 80, 48)
    """
    if affected is None or unaffected is None:
        missing = "affected" if affected is None else "unaffected"
        raise DataError(
            f"the symmetry index needs both sides; the {missing} side's test is missing "
            "(give a test of each side, `left` and `right`)",
            parameter=missing,
        )
    if affected.side == unaffected.side and affected.side in ("left", "right"):
        raise DataError(f"both tests are of the {affected.side} side; give one file per side")
    if unaffected.reps == 0:
        raise DataError("the unaffected side made no heel rise, so there is nothing to compare with")
    work_a, work_u = affected.work_j, unaffected.work_j
    return SymmetryIndex(
        affected_side=affected.side,
        reps_pct=100.0 * affected.reps / unaffected.reps,
        height_pct=(
            100.0 * affected.mean_height_cm / unaffected.mean_height_cm if unaffected.mean_height_cm > 0 else None
        ),
        work_pct=None if work_a is None or not work_u else 100.0 * work_a / work_u,
    )
