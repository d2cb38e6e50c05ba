"""The device's own values of a FIT file, read with fitdecode independently of calfload's reader.

Part of ``python -m tools.validate_fit_cli``. For each file: the file type, every session's sport
and sub-sport, the stride total, average and maximum cadence, distance and timer / elapsed time of
its run and walk sessions, the number of records (and those with a cadence), and what a careful
reader would call the file (:attr:`FitReference.expected`):

- ``run`` or ``walk`` when a session says ``running``, ``walking`` or ``hiking`` (a multisport file:
  its run and walk legs);
- ``refuse`` for a damaged file (fitdecode with CRC checks raises), a file that is not an activity
  (workout, course, settings, monitoring, weight scale), an activity with no records, and an
  activity of another sport (cycling, swimming, rowing, training, ...);
- ``records`` when the sessions name no sport (``generic``, or no session): the records decide,
  and the report lists these files for a reader to check by hand.

The device's steps are twice its stride total; its average cadence is twice
``avg_running_cadence`` (or ``avg_cadence``) plus the fractional part, which the FIT profile defines
as the strides over the timer time (Garmin FIT SDK, Profile.xlsx, message ``session``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

import fitdecode

#: Session sports that are a run or a walk, and the activity each is.
RUN_WALK: Final = {"running": "run", "walking": "walk", "hiking": "walk"}
#: Session sports that name no sport.
UNSPECIFIED: Final = frozenset({"generic", "all", "None", ""})


@dataclass(frozen=True, slots=True)
class FitReference:
    """What the device wrote in one FIT file (None where the file does not say)."""

    file_type: str
    sports: tuple[tuple[str, str], ...]
    records: int
    records_with_cadence: int
    steps: int | None = None
    avg_cadence_spm: float | None = None
    max_cadence_spm: float | None = None
    distance_m: float | None = None
    timer_s: float | None = None
    elapsed_s: float | None = None
    error: str | None = None
    expected: str = "refuse"
    why: str = ""
    products: tuple[str, ...] = field(default=())


def read_reference(path: Path) -> FitReference:
    """The device's values of ``path`` (fitdecode with CRC checks; a decoding error makes it ``refuse``)."""
    sessions: list[dict[str, object]] = []
    file_type, products, records, with_cadence = "", set(), 0, 0
    try:
        with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.RAISE) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    continue
                if frame.name == "record":
                    records += 1
                    with_cadence += _has(frame, "cadence")
                elif frame.name == "session":
                    sessions.append({f.name: f.value for f in frame.fields})
                elif frame.name == "file_id":  # a chained file has several: an activity among them counts
                    file_type = file_type if file_type == "activity" else str(_get(frame, "type"))
                    products.add(
                        f"{_get(frame, 'manufacturer')} {_get(frame, 'garmin_product') or _get(frame, 'product')}"
                    )
    except Exception as exc:  # noqa: BLE001 - any decoding failure makes the file damaged
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return FitReference(file_type, (), records, with_cadence, error=first[:120], why="damaged (fitdecode raises)")
    sports = tuple((str(s.get("sport")), str(s.get("sub_sport"))) for s in sessions)
    base = FitReference(file_type, sports, records, with_cadence, products=tuple(sorted(products)))
    return _expected(base, sessions)


def _get(frame: fitdecode.FitDataMessage, name: str) -> object:
    return frame.get_value(name) if frame.has_field(name) else None


def _has(frame: fitdecode.FitDataMessage, name: str) -> bool:
    value = _get(frame, name)
    return isinstance(value, int | float) and math.isfinite(value)


def _expected(base: FitReference, sessions: list[dict[str, object]]) -> FitReference:
    """What a careful reader calls the file, and the device's totals of its run and walk sessions."""
    if base.file_type != "activity":
        return replace(base, why=f"a {base.file_type or 'typeless'} file, not an activity")
    if base.records == 0:
        return replace(base, why="an activity with no records")
    legs = [s for s in sessions if str(s.get("sport")) in RUN_WALK]
    if not legs:
        named = {str(s.get("sport")) for s in sessions} - UNSPECIFIED
        if named:
            return replace(base, why=f"sport {', '.join(sorted(named))}")
        return replace(base, expected="records", why="no sport named: the records decide")
    activity = RUN_WALK[str(legs[0].get("sport"))]
    return _totals(replace(base, expected=activity, why=f"session sport {legs[0].get('sport')}"), legs)


def _totals(base: FitReference, legs: list[dict[str, object]]) -> FitReference:
    """``base`` with the totals of the run and walk sessions (sums where every leg has them)."""

    def total(name: str) -> float | None:
        values = [_num(s.get(name)) for s in legs]
        return None if any(v is None for v in values) else float(sum(v for v in values if v is not None))

    strides = total("total_strides")
    if strides is None:
        strides = total("total_cycles")
    first = legs[0]
    return replace(
        base,
        steps=None if strides is None else round(2 * strides),
        avg_cadence_spm=_cadence(first, ("avg_running_cadence", "avg_walking_cadence", "avg_cadence"), "avg"),
        max_cadence_spm=_cadence(first, ("max_running_cadence", "max_cadence"), "max"),
        distance_m=total("total_distance"),
        timer_s=total("total_timer_time"),
        elapsed_s=total("total_elapsed_time"),
    )


def _cadence(session: Mapping[str, object], names: tuple[str, ...], kind: str) -> float | None:
    """A session cadence in steps per minute: twice the strides per minute and its fraction."""
    strides = next((v for n in names if (v := _num(session.get(n))) is not None), None)
    if strides is None:
        return None
    return round(2.0 * (strides + (_num(session.get(f"{kind}_fractional_cadence")) or 0.0)), 2)


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


__all__ = ["RUN_WALK", "FitReference", "read_reference"]
