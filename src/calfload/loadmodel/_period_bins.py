"""A long period by week or by month: the loads, pain and flags of its days, and the reasons of its worst flag.

A physiotherapist reading years of a journal wants one row per week (or month), not thousands of
days. :func:`period_bins` groups a :class:`~calfload.loadmodel.Period`'s own days and sessions, so
every figure is the sum, maximum or mean of what ``calfload review --date D`` gives for its days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from calfload.loadmodel._history import mean_or_none
from calfload.loadmodel._period import Period, PeriodSession
from calfload.loadmodel._review import DaySummary
from calfload.loadmodel._rules import FLAG_ORDER

BinUnit = Literal["week", "month"]
#: Periods up to this many days are shown day by day (the four-week review and up to 16 weeks).
DAILY_UP_TO_DAYS: Final = 16 * 7
#: Periods up to this many days are shown by week; longer ones by calendar month.
WEEKLY_UP_TO_DAYS: Final = 2 * 366


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodBin:
    """One week or month of a period (clipped to the period at its ends).

    Parameters
    ----------
    first, last
        The bin's first and last day.
    load_au
        Sum of the daily loads (AU).
    acute_au, chronic_au
        The mean over the bin's days of the 7- and 28-day averages of the daily load (AU per day).
    sessions, runs
        Sessions of the bin, and how many of them were runs.
    distance_m
        Distance of those runs (m), None when none gave one.
    pain_during_max, pain_after_max
        Highest pain logged during and after training (0-10), None when none was logged.
    pain_morning_mean
        Mean morning pain (0-10) over the days that logged one.
    back_off_days, hold_days, progress_days
        Days of each flag.
    flag
        The bin's most severe flag (``""`` when no day has one).
    flag_day
        The last day with that flag.
    reasons
        That day's reasons for its flag.
    """

    first: dt.date
    last: dt.date
    load_au: float
    acute_au: float
    chronic_au: float
    sessions: int
    runs: int
    distance_m: float | None
    pain_during_max: int | None
    pain_after_max: int | None
    pain_morning_mean: float | None
    back_off_days: int
    hold_days: int
    progress_days: int
    flag: str
    flag_day: dt.date | None
    reasons: tuple[str, ...]

    @property
    def days(self) -> int:
        """Days in the bin."""
        return (self.last - self.first).days + 1

    def to_dict(self) -> dict[str, object]:
        """One row of the period page's ``bins.rows``."""
        return {
            "first_date": self.first.isoformat(),
            "last_date": self.last.isoformat(),
            "days": self.days,
            "load_au": round(self.load_au, 1),
            "acute_au": round(self.acute_au, 1),
            "chronic_au": round(self.chronic_au, 1),
            "sessions": self.sessions,
            "runs": self.runs,
            "distance_m": None if self.distance_m is None else round(self.distance_m),
            "pain_during_max": self.pain_during_max,
            "pain_after_max": self.pain_after_max,
            "pain_morning_mean": None if self.pain_morning_mean is None else round(self.pain_morning_mean, 2),
            "flag_days": {"back_off": self.back_off_days, "hold": self.hold_days, "progress": self.progress_days},
            "flag": self.flag,
            "flag_date": None if self.flag_day is None else self.flag_day.isoformat(),
            "reasons": [str(r) for r in self.reasons],
        }


def bin_unit(since_days: int) -> BinUnit | None:
    """How a period of ``since_days`` is shown: day by day (None), by week or by month.

    Examples
    --------
    >>> bin_unit(28), bin_unit(365), bin_unit(3650)
    (None, 'week', 'month')
    """
    if since_days <= DAILY_UP_TO_DAYS:
        return None
    return "week" if since_days <= WEEKLY_UP_TO_DAYS else "month"


def period_bins(period: Period, unit: BinUnit) -> tuple[PeriodBin, ...]:
    """The period's days and sessions by week (ending on the period's last day, as the review's weeks) or month.

    Parameters
    ----------
    period
        The period (:func:`calfload.loadmodel.build_period`).
    unit
        ``"week"`` or ``"month"`` (calendar months).

    Returns
    -------
    tuple of PeriodBin
        Oldest first; the first bin starts on the period's first day.
    """

    def key(d: dt.date) -> int:
        if unit == "week":
            return -((period.day - d).days // 7)
        return d.year * 12 + d.month

    days: dict[int, list[DaySummary]] = {}
    for d in period.days:
        days.setdefault(key(d.day), []).append(d)
    sessions: dict[int, list[PeriodSession]] = {}
    for s in period.sessions:
        sessions.setdefault(key(s.load.local_date), []).append(s)
    return tuple(_bin(days[k], sessions.get(k, ())) for k in sorted(days))


def _bin(days: Sequence[DaySummary], sessions: Sequence[PeriodSession]) -> PeriodBin:
    pains = [d.pain for d in days if d.pain is not None]
    counts = {flag: sum(1 for d in days if d.flag == flag) for flag in FLAG_ORDER}
    worst = next((flag for flag in FLAG_ORDER if counts[flag]), "")
    flag_day = next((d for d in reversed(days) if worst and d.flag == worst), None)
    runs = [s.load for s in sessions if s.load.activity == "run"]
    distances = [s.distance_m for s in runs if s.distance_m is not None]
    return PeriodBin(
        first=days[0].day,
        last=days[-1].day,
        load_au=float(sum(d.load_au for d in days)),
        acute_au=float(sum(d.acute_au for d in days)) / len(days),
        chronic_au=float(sum(d.chronic_au for d in days)) / len(days),
        sessions=len(sessions),
        runs=len(runs),
        distance_m=float(sum(distances)) if distances else None,
        pain_during_max=max((p.during for p in pains if p.during is not None), default=None),
        pain_after_max=max((p.after for p in pains if p.after is not None), default=None),
        pain_morning_mean=mean_or_none(p.morning for p in pains),
        back_off_days=counts["back_off"],
        hold_days=counts["hold"],
        progress_days=counts["progress"],
        flag=worst,
        flag_day=None if flag_day is None else flag_day.day,
        reasons=() if flag_day is None else flag_day.reasons,
    )


__all__ = ["DAILY_UP_TO_DAYS", "WEEKLY_UP_TO_DAYS", "BinUnit", "PeriodBin", "bin_unit", "period_bins"]
