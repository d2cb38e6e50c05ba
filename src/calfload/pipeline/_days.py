"""Which days a review, a report or a roster may be of: today or earlier (no heavy imports here)."""

from __future__ import annotations

import datetime as dt

from calfload.errors import JournalError


def past_day(day: dt.date, today: dt.date) -> dt.date:
    """``day``, when it is ``today`` or earlier: a review, a report or a roster is never of a future day.

    Raises
    ------
    JournalError
        If ``day`` is after ``today`` (its ``parameter`` is ``day``).

    Examples
    --------
    >>> past_day(dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    datetime.date(2026, 3, 2)
    """
    if day > today:
        raise JournalError(
            f"{day.isoformat()} is in the future; give a `day` of today or earlier",
            value=day,
            expected=f"{today.isoformat()} or earlier",
            parameter="day",
        )
    return day


__all__ = ["past_day"]
