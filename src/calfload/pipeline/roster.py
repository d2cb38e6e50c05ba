"""The triage list of a data folder: every athlete's flag today, ranked so the ones to call come first.

Each athlete's journal is reviewed for the day (the same rule table as ``calfload review``). The
list puts back off first, then hold, then progress; athletes who stopped logging (no session and
no pain entry for :data:`STOPPED_LOGGING_DAYS` days) come last, whatever their flag, since their
flag says little. Ties go to the athlete with the longer time since their last session, then by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload.journal import AthleteProfile, Journal, list_athletes, read_profile
from calfload.loadmodel import build_review
from calfload.loadmodel._history import PainEntry
from calfload.loadmodel._roster import Adherence, MorningPainTrend, RosterRow, heel_rise_lsi
from calfload.loadmodel._session import HEAVY_ACTIVITIES
from calfload.pipeline._review import athlete_programme

if TYPE_CHECKING:
    from calfload.units import UnitSystem

#: Days without a session or a pain entry after which an athlete counts as having stopped logging.
STOPPED_LOGGING_DAYS: Final = 7
#: The adherence window (days).
ADHERENCE_DAYS: Final = 14
#: Programme sessions a week (low, high) by programme; the default programme asks for 2-3 a week
#: (Silbernagel 2007), HSR for 3 (Beyer 2015), Alfredson's for two a day (Alfredson 1998).
SESSIONS_PER_WEEK: Final[dict[str | None, tuple[int, int]]] = {
    None: (2, 3),
    "default": (2, 3),
    "hsr": (3, 3),
    "alfredson": (14, 14),
}
#: Rank of each flag (lower first).
FLAG_RANK: Final = {"back_off": 0, "hold": 1, "progress": 2}
#: A change of the weekly morning-pain mean by less than this (points of 0-10) is "steady".
PAIN_TREND_FLOOR: Final = 1.0


def build_roster(data_dir: Path, day: dt.date, *, unnamed: str) -> tuple[RosterRow, ...]:
    """Review every athlete of ``data_dir`` on ``day`` and rank them (back off first, stopped logging last).

    Athletes whose journal does not exist yet are listed as having logged nothing.

    Raises
    ------
    JournalError
        If ``day`` is in the future.
    """
    from calfload.journal import today_local
    from calfload.pipeline._days import past_day

    past_day(day, today_local())
    rows = [_row(read_profile(a), day) for a in list_athletes(data_dir, unnamed=unnamed)]
    return tuple(sorted(rows, key=_rank))


def _rank(row: RosterRow) -> tuple[int, int, int, str]:
    since = row.days_since_last_session if row.days_since_last_session is not None else 10**6
    return (int(row.stopped_logging), FLAG_RANK.get(row.flag, 1), -since, row.name.casefold())


def _row(athlete: AthleteProfile, day: dt.date) -> RosterRow:
    if not (athlete.journal_dir / "journal.sqlite3").is_file():
        return _empty_row(athlete)
    with Journal(athlete.journal_dir, create=False) as journal:
        params = athlete_programme(journal)
        history = journal.history(day, params)
        baseline = [b for b in journal.baseline_tests() if b.day <= day]
    review = build_review(history, day, params=params, daily_flags=False)
    decision = review.decision
    session_days = [s.local_date for s in history.sessions]
    entry_days = session_days + list(history.pain)
    last_entry = (day - max(entry_days)).days if entry_days else None
    stopped = last_entry is None or last_entry >= STOPPED_LOGGING_DAYS
    reason = decision.reasons[0] if decision.reasons else ""
    if stopped:
        reason = (
            "nothing logged yet"
            if last_entry is None
            else f"stopped logging: no session or pain entry for {last_entry} days"
        )
    first = day - dt.timedelta(days=ADHERENCE_DAYS - 1)
    programme_sessions = [s for s in history.sessions_between(first, day) if s.activity in HEAVY_ACTIVITIES]
    lsi, lsi_day = heel_rise_lsi(baseline, athlete.side_affected)
    return RosterRow(
        name=athlete.name,
        flag=decision.flag,
        reason=reason,
        rule=decision.rules[0] if decision.rules else None,
        days_since_last_session=(day - max(session_days)).days if session_days else None,
        days_since_last_entry=last_entry,
        stopped_logging=stopped,
        adherence=Adherence(len(programme_sessions), _target(athlete.programme)),
        morning_pain=_morning_trend(history.pain_between(first, day), day),
        heel_rise_lsi_pct=lsi,
        heel_rise_date=lsi_day,
        journal_dir=athlete.journal_dir,
    )


def _empty_row(athlete: AthleteProfile) -> RosterRow:
    return RosterRow(
        name=athlete.name,
        flag="hold",
        reason="nothing logged yet",
        rule=None,
        days_since_last_session=None,
        days_since_last_entry=None,
        stopped_logging=True,
        adherence=Adherence(0, _target(athlete.programme)),
        morning_pain=MorningPainTrend(None, None, None),
        heel_rise_lsi_pct=None,
        heel_rise_date=None,
        journal_dir=athlete.journal_dir,
    )


def _target(programme: str | None) -> str:
    low, high = SESSIONS_PER_WEEK.get(programme, SESSIONS_PER_WEEK[None])
    weeks = ADHERENCE_DAYS // 7
    return f"{low * weeks}" if low == high else f"{low * weeks}-{high * weeks}"


def _morning_trend(entries: Sequence[PainEntry], day: dt.date) -> MorningPainTrend:
    split = day - dt.timedelta(days=6)
    last = [e.morning for e in entries if e.morning is not None and e.day >= split]
    before = [e.morning for e in entries if e.morning is not None and e.day < split]
    last_mean = round(sum(last) / len(last), 1) if last else None
    before_mean = round(sum(before) / len(before), 1) if before else None
    direction = None
    if last_mean is not None and before_mean is not None:
        change = last_mean - before_mean
        direction = "steady" if abs(change) < PAIN_TREND_FLOOR else ("rising" if change > 0 else "falling")
    return MorningPainTrend(last_mean, before_mean, direction)


def write_roster_pages(
    rows: Sequence[RosterRow],
    day: dt.date,
    html: Path,
    pages: Mapping[str, Path],
    *,
    force: bool = False,
    units: UnitSystem = "metric",
) -> None:
    """Write the roster page ``html`` and each athlete's four-week period report, linked from it.

    ``pages`` names each athlete's page (:func:`calfload.pipeline.athlete_pages`); an athlete
    without a journal gets no page.

    Raises
    ------
    StorageError
        If a page would replace a file without ``force``, or cannot be written.
    """
    from calfload.pipeline._report_files import write_report
    from calfload.pipeline._review import review_period
    from calfload.report._html_period import render_period_html
    from calfload.report.roster import render_roster_html

    links: dict[str, str] = {}
    for row in rows:
        path = pages.get(row.name)
        if path is None or not (row.journal_dir / "journal.sqlite3").is_file():
            continue
        with Journal(row.journal_dir, create=False) as journal:
            period = review_period(journal, day, since_days=28)
        write_report(render_period_html(period, units=units), path, force=force, argument="html")
        links[row.name] = path.name
    write_report(render_roster_html(rows, day.isoformat(), links, units=units), html, force=force, argument="html")


__all__ = [
    "ADHERENCE_DAYS",
    "STOPPED_LOGGING_DAYS",
    "Adherence",
    "MorningPainTrend",
    "RosterRow",
    "build_roster",
    "heel_rise_lsi",
    "write_roster_pages",
]
