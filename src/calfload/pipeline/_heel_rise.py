"""The heel-rise endurance test as a use case: analyse each side, compare them, read them, store them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload.journal import Journal
from calfload.loadmodel import HeelRiseDetails
from calfload.signal import HeelRiseResult, SymmetryIndex

if TYPE_CHECKING:
    from calfload.loadmodel._heel_rise_change import HeelRiseChange
    from calfload.loadmodel._heel_rise_norms import HeelRiseReading, Sex

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


@dataclass(frozen=True, slots=True)
class HeelRiseOutcome:
    """A heel-rise test read against the norms and the athlete's earlier tests (:func:`run_heel_rise_test`).

    Parameters
    ----------
    test
        Both sides' results and their symmetry.
    reading
        What the test means against the norms.
    changes
        The change of each tested side since its last test (none when not stored).
    stored
        Whether the test was stored in the journal.
    replaced
        The sides whose earlier test of that day the stored one replaces.
    body_mass_kg
        The body mass the work was computed with (None: no work).
    """

    test: HeelRiseTest
    reading: HeelRiseReading
    changes: tuple[HeelRiseChange, ...]
    stored: bool
    replaced: tuple[str, ...]
    body_mass_kg: float | None

    def to_dict(self) -> dict[str, object]:
        """The ``calfload test heel-rise --json`` object."""
        doc: dict[str, object] = {**self.test.to_dict(), "stored": self.stored, "reading": self.reading.to_dict()}
        if self.stored:
            doc["replaced"] = list(self.replaced)
        # The test's own date is the object's "date" already.
        doc["change_since_last"] = [{k: v for k, v in c.to_dict().items() if k != "date"} for c in self.changes]
        return doc


def run_heel_rise_test(
    data_dir: Path | None,
    files: Mapping[str, Path],
    *,
    affected_side: str | None = None,
    foot_length_cm: float | None = None,
    body_mass_kg: float | None = None,
    day: dt.date | None = None,
    age: int | None = None,
    sex: Sex | None = None,
    save: bool = True,
) -> HeelRiseOutcome:
    """Analyse, read and (with ``save``) store a heel-rise test in the journal at ``data_dir``.

    The foot length defaults to the one kept in the journal, the body mass to the journal's latest;
    a given foot length is kept for the next test. Without ``save`` the journal is only read (and
    not created).
    """
    from calfload.loadmodel._heel_rise_change import heel_rise_changes
    from calfload.loadmodel._heel_rise_norms import read_heel_rise

    with Journal(data_dir, create=save) as journal:
        stored_length = _positive(journal.settings().get(FOOT_LENGTH_SETTING))
        length = foot_length_cm if foot_length_cm is not None else stored_length
        masses = journal.body_mass_entries()
        mass = body_mass_kg or (masses[-1][1] if masses else None)
        test = heel_rise_test(files, affected_side=affected_side, foot_length_cm=length, body_mass_kg=mass)
        reading = read_heel_rise(
            {side: r.reps for side, r in test.sides.items()},
            {side: r.mean_height_cm for side, r in test.sides.items()},
            test.symmetry,
            age=age,
            sex=sex,
        )
        replaced: list[str] = []
        changes: tuple[HeelRiseChange, ...] = ()
        if save:
            replaced = store_heel_rise_test(journal, test, day, foot_length_cm=foot_length_cm)
            changes = heel_rise_changes(journal.baseline_tests(), until=day or journal.today)
        changes = tuple(c for c in changes if c.side in test.sides)
    return HeelRiseOutcome(test, reading, changes, save, tuple(replaced), mass)


def _positive(text: str | None) -> float | None:
    """A stored positive number (0 is a wrong value to refuse, not a missing one)."""
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and value > 0 else None


__all__ = [
    "FOOT_LENGTH_SETTING",
    "HeelRiseOutcome",
    "HeelRiseTest",
    "heel_rise_test",
    "run_heel_rise_test",
    "store_heel_rise_test",
]
