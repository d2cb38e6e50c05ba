"""Baseline assessments as the load model and the review read them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from calfload._rows import row_from_record


@dataclass(frozen=True, slots=True, kw_only=True)
class SymmetryRecord:
    """The limb symmetry index stored with a heel-rise test (affected / unaffected x 100 %)."""

    affected_side: str | None = None
    reps_pct: float | None = None
    height_pct: float | None = None
    work_pct: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeelRiseDetails:
    """What a measured heel-rise test stored beside its rep count (``None`` where not stored).

    Parameters
    ----------
    test
        ``"heel_rise_endurance"`` for calfload's own test.
    placement, height_method
        Where the sensor sat and how the height was measured.
    mean_height_cm, reference_height_cm
        Mean height of the counted reps, and that of the first reps the test ends against.
    work_j
        ``m g sum h`` of the counted reps (None without body mass).
    ended_by
        What ended the test.
    heights_cm
        Height of every rep made.
    foot_length_cm, body_mass_kg
        The heel-to-ball length and body mass used.
    source
        The recording analysed.
    affected_side
        The affected side named for the test, if any.
    symmetry
        The limb symmetry index, when both sides were tested.

    Examples
    --------
    >>> d = HeelRiseDetails.from_json({"mean_height_cm": 9.0, "heights_cm": [9.1, 8.9], "symmetry": None})
    >>> d.mean_height_cm, d.heights_cm, d.to_json()["heights_cm"]
    (9.0, (9.1, 8.9), [9.1, 8.9])
    """

    test: str | None = None
    placement: str | None = None
    height_method: str | None = None
    mean_height_cm: float | None = None
    reference_height_cm: float | None = None
    work_j: float | None = None
    ended_by: str | None = None
    heights_cm: tuple[float, ...] | None = None
    foot_length_cm: float | None = None
    body_mass_kg: float | None = None
    source: str | None = None
    affected_side: str | None = None
    symmetry: SymmetryRecord | None = None

    def to_json(self) -> dict[str, object]:
        """The stored JSON object (every key, ``None`` where not stored)."""
        doc: dict[str, object] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, SymmetryRecord):
                value = dataclasses.asdict(value)
            doc[f.name] = value
        return doc

    @classmethod
    def from_json(cls, doc: object, *, source: str | None = None) -> HeelRiseDetails:
        """Read a stored object; unknown keys are ignored, a value of the wrong type is a :class:`RecordError`."""
        return row_from_record(cls, doc, source=source, path="$.details")


@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineTest:
    """A baseline assessment of one side on one day (fields ``None`` where not measured).

    ``source`` is ``"logged"`` (``log baseline``) or ``"measured"`` (``test heel-rise``, with its
    ``details``): each is its own record, a same-day test and logged entry are never mixed.
    """

    day: dt.date
    side: str
    heel_rise_reps: int | None
    calf_circumference_cm: float | None
    knee_to_wall_cm: float | None
    session_id: int | None = None
    details: HeelRiseDetails | None = None
    source: str = "logged"
