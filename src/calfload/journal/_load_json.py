"""A session's stored load as JSON (``session_load.load_json``): every field but those of the session row.

Floats round-trip exactly (``json`` writes the shortest repr), so a stored load read back equals
the computed one (:mod:`calfload.journal._loads`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Final

from calfload.loadmodel._force import EXERCISES
from calfload.loadmodel._session_types import SessionLoad, StrengthDose

#: SessionLoad fields taken from the session row, not stored in ``load_json``.
ROW_FIELDS: Final = frozenset({"session_id", "local_date", "start_utc", "activity"})
#: SessionLoad fields stored in ``load_json`` (part of the model key: a new field recomputes every load).
STORED_FIELDS: Final = tuple(f.name for f in dataclasses.fields(SessionLoad) if f.name not in ROW_FIELDS)


def load_to_json(load: SessionLoad) -> str:
    """The stored form of a load: every field but those of the session row (floats exact)."""
    out: dict[str, object] = {}
    for name in STORED_FIELDS:
        value = getattr(load, name)
        if isinstance(value, StrengthDose):
            value = {f.name: getattr(value, f.name) for f in dataclasses.fields(StrengthDose)}
            value["exercise"] = load.dose.exercise.name if load.dose else None
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return json.dumps(out, sort_keys=True)


def load_from_json(
    text: str, session_id: int, start_utc: dt.datetime, local_date: dt.date, activity: str
) -> SessionLoad:
    """A stored load back (see :func:`load_to_json`), with the session row's fields."""
    raw = json.loads(text)
    dose = raw.pop("dose")
    if dose is not None:
        dose = StrengthDose(**{**dose, "exercise": EXERCISES[dose["exercise"]]})
    return SessionLoad(
        session_id=session_id,
        start_utc=start_utc,
        local_date=local_date,
        activity=activity,
        dose=dose,
        legs=tuple(raw.pop("legs")),
        notes=tuple(raw.pop("notes")),
        **raw,
    )


__all__ = ["ROW_FIELDS", "STORED_FIELDS", "load_from_json", "load_to_json"]
