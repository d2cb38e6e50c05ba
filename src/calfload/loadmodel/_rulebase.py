"""What every rule of the daily flag shares: the rule hit, and the baselines pain is judged against."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from calfload.loadmodel._history import WEEK_DAYS, History, PainEntry
from calfload.loadmodel._params import FlagParameters
from calfload.loadmodel._prescription import Flag

#: Reads one 0-10 value of a pain entry (morning pain, stiffness, tenderness).
Reading = Callable[[PainEntry], int | None]


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One matching rule: its id (``docs/load-model.md`` section 3), the flag it asks for and why."""

    rule: str
    flag: Flag | None
    reason: str


def morning_pain(entry: PainEntry) -> int | None:
    """Morning pain of an entry."""
    return entry.morning


def stiffness(entry: PainEntry) -> int | None:
    """Morning stiffness of an entry."""
    return entry.stiffness


def tenderness(entry: PainEntry) -> int | None:
    """Tenderness (pain on pressing the tendon) of an entry."""
    return entry.tenderness


def latest_reading(history: History, day: dt.date, read: Reading) -> tuple[dt.date, int] | None:
    """The latest value of ``read`` in the week ending on ``day``: it stands until a newer one is logged.

    The week's entries are read newest first, up to the first with a value (a period asks three
    times a day).
    """
    for p in reversed(history.pain_between(day - dt.timedelta(days=WEEK_DAYS - 1), day)):
        if (v := read(p)) is not None:
            return (p.day, v)
    return None


def baseline(history: History, day: dt.date, flag: FlagParameters, read: Reading = morning_pain) -> float | None:
    """Mean of ``read`` over the 7 days before ``day`` (``None`` with fewer than 3 entries).

    Found once per day for a history: the rules of a fortnight's days ask for the same mornings'
    baselines again and again (a period of ten years asked 36,000 times for 7,000 values).
    """
    known: dict[dt.date, float | None] = history.memo(
        ("baseline", read, flag.morning_baseline_days, flag.morning_baseline_min_entries), dict
    )
    if day in known:
        return known[day]
    first = day - dt.timedelta(days=flag.morning_baseline_days)
    total, count = history.pain_sum(first, day - dt.timedelta(days=1), read)
    known[day] = value = total / count if count and count >= flag.morning_baseline_min_entries else None
    return value


def when(entry_day: dt.date, day: dt.date) -> str:
    """``"on 2024-05-06"``, marked when it is the review day."""
    return f"on {entry_day.isoformat()}" + (" (the review day)" if entry_day == day else "")


__all__ = ["Reading", "RuleHit", "baseline", "latest_reading", "morning_pain", "stiffness", "tenderness", "when"]
