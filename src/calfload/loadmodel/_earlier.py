"""The days before a history's window: what a review of the last weeks needs of the years before them.

A review reads its window's sessions and pain (a year before the days it shows); the older days
reach it only through the load trends' averages, which look back over the whole history. They
come either as one daily load per day (:attr:`EarlierDays.daily_load_au`, summed from the stored
session loads) or as the averages on the window's eve (:class:`TrendSeed`, the journal's stored
running state, schema v10), which costs the same on a journal of any length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from calfload.loadmodel._params import TrendParameters


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendSeed:
    """The acute and chronic averages at the end of ``last_date``, from the history's first day.

    Parameters
    ----------
    last_date
        The day they hold (the day before the window).
    acute_au, chronic_au
        The averages after that day, computed as :func:`calfload.loadmodel.daily_trend` computes
        them from the history's first day (the same floats).
    params
        The trend parameters they were computed with (another convention cannot use them).
    """

    last_date: dt.date
    acute_au: float
    chronic_au: float
    params: TrendParameters


@dataclass(frozen=True, slots=True, kw_only=True)
class EarlierDays:
    """What a history that holds a window needs of the days before it: the daily load, or the trends' state.

    The acute and chronic averages are seeded on the first day of the whole history, so a review
    reads the years before its window as one number a day, not as sessions, or as the two
    averages on the window's eve (``seed``).

    Parameters
    ----------
    first_date
        The first day with a session or a pain entry (index 0 of ``daily_load_au``).
    daily_load_au
        Daily damage load from ``first_date`` to the day before the window: per day, the most
        loaded leg's sum, added in session time order as :meth:`History.daily_load_au` adds.
        Empty when ``seed`` stands for them.
    seed
        The averages at the end of the day before the window (then ``daily_load_au`` is empty).
    """

    first_date: dt.date
    daily_load_au: tuple[float, ...] = ()
    seed: TrendSeed | None = None

    @property
    def last_date(self) -> dt.date:
        """The last day it covers (the day before the window)."""
        if self.seed is not None:
            return self.seed.last_date
        return self.first_date + dt.timedelta(days=len(self.daily_load_au) - 1)


def daily_most_loaded(
    sessions: Sequence[tuple[dt.date, tuple[str, ...], float]], first: dt.date, last: dt.date
) -> tuple[float, ...]:
    """Daily load from ``first`` to ``last`` (the most loaded leg's sum), as :meth:`History.daily_load_au` adds it."""
    n = (last - first).days + 1
    per_leg: dict[str, list[float]] = {}
    for day, legs, load_au in sessions:
        if first <= day <= last:
            for leg in legs:
                per_leg.setdefault(leg, [0.0] * n)[(day - first).days] += load_au
    if not per_leg:
        return (0.0,) * max(n, 0)
    return tuple(max(day) for day in zip(*per_leg.values(), strict=True))


__all__ = ["EarlierDays", "TrendSeed", "daily_most_loaded"]
