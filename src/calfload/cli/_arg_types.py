"""Argument types the commands share: dates within the journal's range and session ids."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Final

#: Dates the journal can hold: nothing before 2000 is a real entry, and date arithmetic near year
#: 1 or 9999 overflows (``review --date 0001-01-01`` looks back four weeks).
DATE_RANGE: Final = (dt.date(2000, 1, 1), dt.date(2999, 12, 31))
#: Largest session id SQLite can hold.
MAX_SESSION_ID: Final = 2**63 - 1


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` (also ``today`` and ``yesterday``) for argparse, within :data:`DATE_RANGE`."""
    from calfload.journal import today_local

    word = text.strip().lower()
    if word in ("today", "yesterday"):
        return today_local() - dt.timedelta(days=1 if word == "yesterday" else 0)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"dates look like 2024-05-06, not {text[:40]!r}") from None
    first, last = DATE_RANGE
    if not first <= day <= last:
        raise argparse.ArgumentTypeError(f"dates must be from {first.isoformat()} on, not {day.isoformat()}")
    return day


def session_id(text: str) -> int:
    """Parse a session id (1 or more) for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a session id is a whole number, not {text[:40]!r}") from None
    if not 1 <= value <= MAX_SESSION_ID:
        raise argparse.ArgumentTypeError(f"there is no session {text[:40]}; `calfload review` lists the sessions")
    return value


__all__ = ["DATE_RANGE", "MAX_SESSION_ID", "parse_date", "session_id"]
