"""Baseline assessments as the load model and the review read them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass

from calfload.errors import RecordError


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
        fields = _read(cls, doc, source, "$.details")
        symmetry = fields.get("symmetry")
        if symmetry is not None:
            read = _read(SymmetryRecord, symmetry, source, "$.details.symmetry")
            fields["symmetry"] = SymmetryRecord(**read)  # type: ignore[arg-type]
        return cls(**fields)  # type: ignore[arg-type]


def _read(cls: type, doc: object, source: str | None, path: str) -> dict[str, object]:
    if not isinstance(doc, Mapping):
        raise RecordError(f"{path} is not an object", source=source, key=path, expected="an object")
    hints = typing.get_type_hints(cls)
    out: dict[str, object] = {}
    for f in dataclasses.fields(cls):
        value = doc.get(f.name)
        if value is None or f.name == "symmetry":
            out[f.name] = value
            continue
        expected = next(a for a in typing.get_args(hints[f.name]) if a is not type(None))
        out[f.name] = _coerce(value, expected, source, f"{path}.{f.name}")
    return out


def _coerce(value: object, expected: object, source: str | None, path: str) -> object:
    if expected is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if expected is str and isinstance(value, str):
        return value
    if typing.get_origin(expected) is tuple and isinstance(value, list | tuple):
        return tuple(_coerce(v, float, source, f"{path}[{i}]") for i, v in enumerate(value))
    raise RecordError(f"{path} = {value!r} is not a {expected}", source=source, key=path, expected=str(expected))


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
