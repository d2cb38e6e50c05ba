"""The long period's sections: a row per week or month with its flags and their reasons.

A period over :data:`calfload.loadmodel._period_bins.DAILY_UP_TO_DAYS` days is shown by week (up to
two years) or by calendar month: the timeline draws one step per bin, the table below lists each
bin's load, runs, pain and the days under each flag with the reasons of its most severe one, and
the sessions table lists the last four weeks' sessions only (the bins count every session). The
page's data island holds every day, the bins (``bins.rows``) and the sessions it lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from calfload.loadmodel import Period, PeriodBin, PeriodSession
from calfload.report._html import esc, num, table
from calfload.units import UnitSystem, distance_unit, in_units

#: Sessions listed one by one over a long period: the last four weeks'.
RECENT_SESSION_DAYS: Final = 28
_FLAG_WORDS: Final = {"back_off": "back off", "hold": "hold", "progress": "progress"}


def recent_sessions(period: Period) -> list[int]:
    """Indices in ``period.sessions`` of the sessions of the last :data:`RECENT_SESSION_DAYS` days."""
    since = period.day - dt.timedelta(days=RECENT_SESSION_DAYS - 1)
    return [i for i, s in enumerate(period.sessions) if s.load.local_date >= since]


def sessions_note(sessions: Sequence[PeriodSession], shown: int, unit: str) -> str:
    """The line above a long period's sessions table: how many there were, and where they are counted."""
    return (
        f"<p data-sessions-shown>{shown} of the period's {len(sessions)} sessions are those of the last "
        f"{RECENT_SESSION_DAYS} days; the {unit}ly table counts every one.</p>"
    )


def bins_table(bins: Sequence[PeriodBin], unit: str, units: UnitSystem) -> str:
    """A row per week or month: load, runs, pain, days under each flag and why its most severe flag.

    Parameters
    ----------
    bins
        The period's bins, oldest first (tagged as ``bins.rows.I`` in the page's data).
    unit
        ``"week"`` or ``"month"``.
    units
        Distances in km or mi, reasons in metric or imperial units.
    """
    per_m, dist_unit = distance_unit(units)
    headers = [
        (unit, False),
        ("sessions", True),
        ("runs", True),
        (f"distance ({dist_unit})", True),
        ("load (AU)", True),
        ("pain during (max)", True),
        ("pain after (max)", True),
        ("morning pain (mean)", True),
        ("days back off / hold / progress", False),
        ("most severe flag: why", False),
    ]
    rows = []
    for i, b in enumerate(bins):
        k = f"bins.rows.{i}"
        why = "; ".join(in_units(r, units) for r in b.reasons)
        worst = (
            f"{_FLAG_WORDS.get(b.flag, b.flag)} ({b.flag_day.isoformat()}): {why}" if b.flag_day is not None else "–"
        )
        rows.append(
            [
                esc(_label(b, unit)),
                num(b.sessions, "{:d}", key=f"{k}.sessions"),
                num(b.runs, "{:d}", key=f"{k}.runs"),
                num(b.distance_m, "{:.1f}", key=f"{k}.distance_m", scale=per_m),
                num(b.load_au, "{:.1f}", key=f"{k}.load_au"),
                num(b.pain_during_max, "{:d}", key=f"{k}.pain_during_max"),
                num(b.pain_after_max, "{:d}", key=f"{k}.pain_after_max"),
                num(b.pain_morning_mean, "{:.1f}", key=f"{k}.pain_morning_mean"),
                esc(f"{b.back_off_days} / {b.hold_days} / {b.progress_days}"),
                f'<span data-flag="{esc(b.flag)}">{esc(worst)}</span>',
            ]
        )
    title = "Week by week" if unit == "week" else "Month by month"
    return f"<h2>{title} over the period</h2>" + table(headers, rows, caption=f"{title}: load, pain and flags")


def _label(b: PeriodBin, unit: str) -> str:
    """``2024-05-06 – 2024-05-12`` for a week, ``May 2024`` for a whole month (its days when clipped)."""
    if unit == "month" and b.first.day == 1 and (b.last + dt.timedelta(days=1)).day == 1:
        return f"{b.first:%b %Y}"
    return f"{b.first.isoformat()} – {b.last.isoformat()}"


__all__ = ["bins_table", "recent_sessions", "sessions_note"]
