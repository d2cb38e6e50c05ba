"""Parameters and results of the hop analysis (:mod:`calfload.signal._hops`).

Every parameter carries its unit in its name; results are frozen and serialise to the
``calfload analyze --json`` object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from calfload.signal._presets import placement_preset
from calfload.signal._version import current_version

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True, kw_only=True)
class HopParams:
    """Parameters of :func:`analyze_hops`; every one has a unit in its name.

    Parameters
    ----------
    flight_max_g
        Vertical specific force (in g) below which the sensor is in free fall.
    flight_median_g
        A flight's median vertical specific force is below this (in g): free fall is sustained, not
        the brief dip of a walking foot's swing.
    contact_min_g
        A push-off or landing lifts the vertical specific force above this (in g).
    max_flight_turn_deg
        A hop lands in about the pose it took off in (the bounce is symmetric); a walking foot or
        shank swings from toe-off to heel strike through 25–60°. Flights turning more are not hops.
    min_flight_ms, max_flight_ms
        Plausible flight times.
    max_contact_ms
        A landing followed by a take-off within this time is a rebound contact; a longer one ends
        standing and has no contact time.
    set_break_s
        Landings further apart start a new set.
    load_lowpass_hz
        Low-pass of the vertical specific force for flights and take-offs.
    edge_high_g, edge_low_g
        Levels (in g) whose crossings define the chord extrapolated to zero force.
    impact_jump_mps2
        Rise of the acceleration within ``impact_lag_ms`` that marks a landing impact.
    impact_lag_ms
        Time over which that rise is measured.
    impact_search_ms
        How far around the end of a flight (as seen in the low-passed force) an impact is sought.
    fatigue_rise_pct
        Rise of contact time from the first to the last third of a set reported as fatigue.
    min_fatigue_contacts
        Fewest rebound contacts in a set for a fatigue verdict.
    max_rate_hz
        Working sample rate; faster recordings are decimated.
    max_bridged_gap_s
        Gaps up to this long are bridged by interpolation.
    """

    flight_max_g: float = 0.4
    flight_median_g: float = 0.2
    max_flight_turn_deg: float = 18.0
    contact_min_g: float = 1.4
    min_flight_ms: float = 100.0
    max_flight_ms: float = 1200.0
    max_contact_ms: float = 1000.0
    set_break_s: float = 5.0
    load_lowpass_hz: float = 20.0
    edge_high_g: float = 1.0
    edge_low_g: float = 0.5
    impact_jump_mps2: float = 12.0
    impact_lag_ms: float = 5.0
    impact_search_ms: float = 40.0
    fatigue_rise_pct: float = 10.0
    min_fatigue_contacts: int = 6
    max_rate_hz: float = 1000.0
    max_bridged_gap_s: float = 0.5

    #: Reviewed parameter sets per sensor placement: the tibia damps the landing impact.
    PRESETS: ClassVar[Mapping[str, Mapping[str, Any]]] = MappingProxyType(
        {"foot": MappingProxyType({}), "shank": MappingProxyType({"impact_jump_mps2": 8.0})}
    )

    @classmethod
    def for_placement(cls, placement: str, **overrides: Any) -> HopParams:
        """Parameters for a sensor placement (``foot``, ``shank`` or ``unknown`` = foot)."""
        return cls(**{**placement_preset(cls.PRESETS, placement, analysis="hop"), **overrides})


@dataclass(frozen=True, slots=True)
class HopContact:
    """One landing: the flight before it and the ground contact it starts (times in s, durations in ms).

    ``contact_ms`` is ``None`` for a landing that ends standing (the set's last, or a stuck landing);
    ``flight_ms`` and ``contact_ms`` are ``None`` where lost samples hide the take-off or touchdown.
    ``jump_height_cm`` is the height of the flight, ``g T_f² / 8`` [2]_.
    """

    set: int
    index: int
    start_s: float
    contact_ms: float | None
    flight_ms: float | None
    jump_height_cm: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class HopSet:
    """A set of hops: counts, mean contact and flight times, and the fatigue trend."""

    index: int
    hops: int
    start_s: float
    end_s: float
    mean_contact_ms: float | None
    mean_flight_ms: float | None
    contact_change_pct: float | None
    fatigue: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded."""
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class HopAnalysis:
    """Result of :func:`analyze_hops`."""

    contacts: tuple[HopContact, ...]
    sets: tuple[HopSet, ...]
    params: HopParams
    duration_s: float
    sample_rate_hz: float
    gaps_s: tuple[tuple[float, float], ...]
    placement: str = "foot"
    source: str = ""
    calfload_version: str = field(default_factory=current_version)

    activity: ClassVar[str] = "hops"

    @property
    def hops(self) -> int:
        """Hops (landings) in the session."""
        return len(self.contacts)

    def contacts_frame(self) -> pd.DataFrame:
        """The contacts as a pandas DataFrame (columns: :data:`calfload.schema.HOP_CONTACTS`)."""
        from calfload._result_tables import HOP_CONTACTS  # pyarrow: only when a frame is asked for

        return HOP_CONTACTS.frame(asdict(c) for c in self.contacts)

    def sets_frame(self) -> pd.DataFrame:
        """The sets as a pandas DataFrame (columns: :data:`calfload.schema.HOP_SETS`)."""
        from calfload._result_tables import HOP_SETS  # pyarrow: only when a frame is asked for

        return HOP_SETS.frame(asdict(s) for s in self.sets)

    def to_dict(self) -> dict[str, Any]:
        """The ``calfload analyze --json`` object of a hop session."""
        return {
            "activity": self.activity,
            "placement": self.placement,
            "duration_s": round(self.duration_s, 2),
            "hops": self.hops,
            "sets": [s.to_dict() for s in self.sets],
            "contacts": [c.to_dict() for c in self.contacts],
            "sample_rate_hz": round(self.sample_rate_hz, 2),
            "gaps_s": [[round(a, 3), round(b, 3)] for a, b in self.gaps_s],
        }
