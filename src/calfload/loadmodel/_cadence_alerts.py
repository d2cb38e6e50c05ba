"""The alerts of a run's cadence check, and ``review``'s list of them: records made only when there are alerts.

A run whose cadence and left/right shares are within bounds (most runs) makes no alert, and its
``analyze`` no longer makes these classes either: each is a frozen dataclass, whose generated
methods Python 3.11 compiles when the class is made (benchmarks/README.md, "Start-up, third
pass"). :mod:`calfload.loadmodel._cadence_types`, :mod:`calfload.loadmodel._asymmetry` and
:mod:`calfload.loadmodel._cadence` export them on first use, under their old names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from calfload.loadmodel._cadence_types import CadenceCheck


@dataclass(frozen=True, slots=True, kw_only=True)
class CadenceAlert:
    """A stretch of a run whose cadence was clearly below the reference.

    Parameters
    ----------
    start_s, end_s
        The stretch, on the run's clock.
    kind
        ``below_habitual`` (below the runner's relation at that speed) or ``drift`` (below the
        run's own first half).
    deficit_pct
        Median shortfall, % of the reference (negative).
    cadence_spm, expected_spm
        Median cadence in the stretch, and the reference there.
    """

    start_s: float
    end_s: float
    kind: str
    deficit_pct: float
    cadence_spm: float
    expected_spm: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AsymmetryAlert:
    """One share of a run beyond the limit.

    Parameters
    ----------
    measure
        ``contact time`` or ``step time``.
    source
        ``both feet`` (a sensor on each foot) or ``device`` (the watch's GCT balance).
    left_share_pct
        The left foot's share (%; 50 is symmetric).
    longer_side
        The side with the larger share.
    limit_pct
        The limit it went beyond.
    """

    measure: str
    source: str
    left_share_pct: float
    longer_side: str
    limit_pct: float

    def to_dict(self) -> dict[str, object]:
        """One item of ``cadence_check.asymmetry`` in the JSON output."""
        return dict(asdict(self))

    def describe(self) -> str:
        """The alert in words."""
        share = self.left_share_pct if self.longer_side == "left" else 100.0 - self.left_share_pct
        return (
            f"left/right: the {self.longer_side} foot takes {share:.1f} % of the {self.measure} "
            f"({'two foot sensors' if self.source == 'both feet' else 'the watch'}; "
            f"beyond {self.limit_pct:g} %, the 5 % most uneven runners)"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCadence:
    """A journal run's cadence check, as ``review`` lists it beside the load flags."""

    session_id: int
    day: dt.date
    check: CadenceCheck

    def to_dict(self) -> dict[str, object]:
        """One item of ``cadence_alerts`` in ``review --json``."""
        return {
            "session_id": self.session_id,
            "date": self.day.isoformat(),
            **self.check.to_dict(),
            "says": self.describe(),
        }

    def describe(self) -> list[str]:
        """One line per alert and one for the target, in words."""
        lines = [
            f"{self.day.isoformat()} run: cadence {a.cadence_spm:.0f} steps/min from {_clock(a.start_s)} to "
            f"{_clock(a.end_s)}, {-a.deficit_pct:.0f} % below "
            + ("your usual cadence at that speed" if a.kind == "below_habitual" else "the run's first half")
            for a in self.check.alerts
        ]
        lines += [f"{self.day.isoformat()} run: {a.describe()}" for a in self.check.asymmetry]
        if self.check.target_increase_pct is not None and self.check.target_met_share is not None:
            lines.append(
                f"{self.day.isoformat()} run: {self.check.target_met_share:.0%} of the run met the "
                f"+{self.check.target_increase_pct:g} % cadence target"
            )
        return lines


def _clock(t_s: float) -> str:
    minutes, seconds = divmod(round(t_s), 60)
    return f"{minutes}:{seconds:02d}"


__all__ = ["AsymmetryAlert", "CadenceAlert", "SessionCadence"]
