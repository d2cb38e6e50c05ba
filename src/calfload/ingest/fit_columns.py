"""A FIT file's ``record`` messages as typed columns: what step 3 of :mod:`calfload.ingest.fit` maps.

:class:`FitRecords` holds the mapped fields of every ``record`` message that has a timestamp, one
row per message in file order, before records sharing a timestamp are merged: numeric fields as
float64 with NaN where the message does not give them (a damaged file's tuple, string or
infinite value counts as not given, as :func:`~calfload.ingest.fit_dynamics.number` says), and
``activity_type`` as the name fitdecode gives it (``None`` where missing). The columnar reader
(:mod:`calfload.ingest.fit_records`) fills it straight from the file's bytes; the full decoder
(:mod:`calfload.ingest.fit_messages`) from fitdecode's messages with :func:`records_from_messages`;
both give the same table for the same file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from calfload.ingest.fit_dynamics import DEVELOPER_KEYS, NATIVE_DYNAMICS_FIELDS, number

#: The ``record`` fields the mapping uses, ``time`` (seconds since the epoch) first.
RECORD_FIELDS: Final = (
    "time",
    "cadence",
    "fractional_cadence",
    "enhanced_speed",
    "speed",
    "distance",
    "stance_time",
    "step_length",
    "power",
    "heart_rate",
    "activity_type",
    *NATIVE_DYNAMICS_FIELDS,
    *DEVELOPER_KEYS,
)
#: The numeric columns of :class:`FitRecords` (every mapped field but ``time`` and ``activity_type``).
NUMERIC_FIELDS: Final = tuple(name for name in RECORD_FIELDS[1:] if name != "activity_type")


def _no_values() -> dict[str, np.ndarray]:
    return {name: np.empty(0) for name in NUMERIC_FIELDS}


@dataclass(frozen=True, slots=True)
class FitRecords:
    """The mapped fields of a FIT file's timed ``record`` messages, one row per message in file order.

    Attributes
    ----------
    time_s
        The record's timestamp in seconds (since the POSIX epoch, or since the device powered on
        for a relative FIT time), float64.
    values
        Field name (:data:`NUMERIC_FIELDS`) -> float64 column, NaN where the record gives no finite number.
    activity_type
        Object column: the record's ``activity_type`` as text (``"running"``, or the number of a
        type the profile does not know), ``None`` where missing.
    """

    time_s: np.ndarray = field(default_factory=lambda: np.empty(0))
    values: Mapping[str, np.ndarray] = field(default_factory=_no_values)
    activity_type: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))

    def __len__(self) -> int:
        return int(self.time_s.size)

    def same_as(self, other: FitRecords) -> bool:
        """Whether ``other`` holds the same records, bit for bit (NaN equal to NaN)."""
        return (
            self.time_s.tobytes() == other.time_s.tobytes()
            and self.values.keys() == other.values.keys()
            and all(v.tobytes() == other.values[k].tobytes() for k, v in self.values.items())
            and self.activity_type.tolist() == other.activity_type.tolist()
        )

    def take(self, rows: np.ndarray) -> FitRecords:
        """The records at ``rows`` (a boolean mask or indices), in that order."""
        return FitRecords(self.time_s[rows], {k: v[rows] for k, v in self.values.items()}, self.activity_type[rows])


def records_from_messages(messages: Sequence[Mapping[str, object]]) -> FitRecords:
    """The table of records decoded as dicts (field name -> value, ``time`` in seconds); untimed ones left out."""
    stamped = [(m, number(m.get("time"))) for m in messages]
    kept = [(m, t) for m, t in stamped if t is not None]
    activity = [m.get("activity_type") for m, _ in kept]
    return FitRecords(
        time_s=np.array([t for _, t in kept], dtype=np.float64),
        values={name: _numbers([m.get(name) for m, _ in kept]) for name in NUMERIC_FIELDS},
        activity_type=np.array([None if v is None else str(v) for v in activity], dtype=object),
    )


def record_frame(records: FitRecords) -> dict[str, np.ndarray]:
    """The mapped fields, one row per distinct timestamp, sorted by time (step 3 of the mapping).

    Records sharing a timestamp merge: each field takes the last value given for it (NaN and
    ``None`` count as not given). Numeric fields are float64 with NaN where missing;
    ``activity_type`` is an object array with None where missing. When the timestamps already
    increase strictly (the usual file) the columns are the records' own arrays, not copies.
    """
    if records.time_s.size < 2 or bool(np.all(records.time_s[1:] > records.time_s[:-1])):
        return {"time": records.time_s, **records.values, "activity_type": records.activity_type}
    order = np.argsort(records.time_s, kind="stable")
    times, group = np.unique(records.time_s[order], return_inverse=True)
    out: dict[str, np.ndarray] = {"time": times}
    for name in RECORD_FIELDS[1:]:
        if name == "activity_type":
            values: np.ndarray = records.activity_type[order]
            given = np.array([v is not None for v in values], dtype=bool)
            merged: np.ndarray = np.full(times.size, None, dtype=object)
        else:
            values = records.values[name][order]
            given = np.isfinite(values)
            merged = np.full(times.size, np.nan)
        at = np.flatnonzero(given)
        last = at[np.append(group[at][1:] != group[at][:-1], True)] if at.size else at
        merged[group[last]] = values[last]
        out[name] = merged
    return out


#: Types a column of a sound file holds; anything else (a damaged file's tuple or string) is checked value by value.
_PLAIN_TYPES: Final = frozenset({int, float, type(None)})


def _numbers(raw: list[object]) -> np.ndarray:
    """``raw`` as float64, NaN where :func:`number` gives None (whole columns at once when all are plain numbers)."""
    if set(map(type, raw)) <= _PLAIN_TYPES:
        try:
            values = np.array(raw, dtype=np.float64)  # None becomes NaN
        except OverflowError:
            pass
        else:
            values[~np.isfinite(values)] = np.nan
            return values
    return np.array([number(v) for v in raw], dtype=np.float64)


__all__ = ["NUMERIC_FIELDS", "RECORD_FIELDS", "FitRecords", "record_frame", "records_from_messages"]
