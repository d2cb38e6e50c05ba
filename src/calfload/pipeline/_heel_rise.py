"""The heel-rise endurance test as a use case: analyse each side, compare them, store them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from calfload.journal import Journal
from calfload.loadmodel import HeelRiseDetails
from calfload.signal import HeelRiseResult, SymmetryIndex

#: The journal setting that keeps the heel-to-ball length between tests.
FOOT_LENGTH_SETTING: Final = "foot_length_cm"


@dataclass(frozen=True, slots=True)
class HeelRiseTest:
    """Both sides' results of one test day and, when the affected side is known, their symmetry."""

    sides: Mapping[str, HeelRiseResult]
    symmetry: SymmetryIndex | None
    affected_side: str | None

    def to_dict(self) -> dict[str, object]:
        """The ``calfload test heel-rise --json`` object (without ``stored``)."""
        return {
            "test": "heel_rise_endurance",
            "sides": {side: r.to_dict() for side, r in self.sides.items()},
            "symmetry": None if self.symmetry is None else self.symmetry.to_dict(),
        }


def heel_rise_test(
    files: Mapping[str, Path],
    *,
    affected_side: str | None = None,
    foot_length_cm: float | None = None,
    body_mass_kg: float | None = None,
) -> HeelRiseTest:
    """Analyse one recording per side (``{"left": path, "right": path}``, either may be missing)."""
    from calfload.ingest import load_recording
    from calfload.signal import analyze_heel_rise_test, limb_symmetry_index

    results: dict[str, HeelRiseResult] = {}
    for side, path in files.items():
        rec = load_recording(path)
        rec = rec.with_meta(side=side)
        results[side] = analyze_heel_rise_test(rec, foot_length_cm=foot_length_cm, body_mass_kg=body_mass_kg)
    symmetry = None
    if affected_side is not None:
        other = "right" if affected_side == "left" else "left"
        symmetry = limb_symmetry_index(results.get(affected_side), results.get(other))
    return HeelRiseTest(results, symmetry, affected_side)


def store_heel_rise_test(
    journal: Journal, test: HeelRiseTest, day: dt.date | None = None, *, foot_length_cm: float | None = None
) -> list[str]:
    """Store each side as a measured baseline test of ``day`` in one transaction (and the foot length).

    A test is one dated record per side: a same-day logged baseline stays a separate row, and a
    second test of the same day replaces the first (kept in the audit trail).

    Returns
    -------
    list of str
        The sides whose earlier test of that day was replaced.
    """
    symmetry = None if test.symmetry is None else test.symmetry.to_dict()
    replaced: list[str] = []
    with journal.transaction():
        if foot_length_cm is not None:
            journal.set_setting(FOOT_LENGTH_SETTING, f"{foot_length_cm:g}")
        for side, r in test.sides.items():
            details = HeelRiseDetails.from_json(
                {
                    "test": "heel_rise_endurance",
                    **{k: v for k, v in r.to_dict().items() if k not in ("side", "reps")},
                    "affected_side": test.affected_side,
                    "symmetry": symmetry,
                }
            )
            if journal.store_measured_baseline(side, day, heel_rise_reps=r.reps, details=details):
                replaced.append(side)
    return replaced


__all__ = ["FOOT_LENGTH_SETTING", "HeelRiseTest", "heel_rise_test", "store_heel_rise_test"]
