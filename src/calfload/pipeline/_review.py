"""Review a journal: read its history and baseline tests, and build the day's review."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from calfload.errors import JournalError
from calfload.journal import Journal
from calfload.loadmodel import PROGRAMMES, LoadModelParameters, Review, build_review
from calfload.loadmodel._history import WEEK_DAYS
from calfload.loadmodel._review import REVIEW_WEEKS
from calfload.pipeline._cadence import recent_cadence_alerts
from calfload.pipeline._days import past_day

if TYPE_CHECKING:  # the period report's types are not review's
    from calfload.loadmodel import Period

#: The journal setting naming the athlete's calf programme (``calfload log programme NAME``).
PROGRAMME_SETTING = "programme"
#: Days of sessions and pain a review reads before the first day it shows. The rules judge a day
#: from at most about 80 days before it (the long-run base: the runs of 30 days, each measured
#: against the 30 days before it; a step's dose against the 28 days before it); a year leaves a wide
#: margin. Older days reach the review only as their daily load, which seeds the trends.
REVIEW_LOOKBACK_DAYS: Final = 366


def athlete_programme(journal: Journal, name: str | None = None) -> LoadModelParameters:
    """The parameters of programme ``name``, else the journal's ``programme`` setting, else the default.

    Raises
    ------
    JournalError
        If the name is not one of :data:`calfload.loadmodel.PROGRAMMES`.
    """
    chosen = name or journal.settings().get(PROGRAMME_SETTING) or "default"
    if chosen not in PROGRAMMES:
        raise JournalError(
            f"unknown programme {chosen!r}; the programmes are {', '.join(PROGRAMMES)}", parameter="programme"
        )
    return PROGRAMMES[chosen]


def review_journal(
    journal: Journal,
    day: dt.date | None = None,
    params: LoadModelParameters | None = None,
    *,
    programme: str | None = None,
) -> Review:
    """Read the journal and review ``day`` (default: today).

    Parameters
    ----------
    journal
        The open journal.
    day
        The day to review.
    params
        Load-model constants (default: those of the athlete's programme).
    programme
        The programme to follow, instead of the journal's ``programme`` setting.

    Returns
    -------
    Review
        The flag, its reasons and next step, the weeks, days and sessions (``calfload review``),
        and the cadence alerts of the last week's runs as their own items.

    Raises
    ------
    JournalError
        If ``day`` is after the journal's today, or the programme is unknown.
    """
    day = past_day(day or journal.today, journal.today)
    params = params or athlete_programme(journal, programme)
    review = build_review(
        journal.history(day, params, since=_window_start(day, REVIEW_WEEKS * WEEK_DAYS)),
        day,
        baseline=journal.baseline_tests(),
        params=params,
        visa_a=journal.visa_a_entries(day),
    )
    return dataclasses.replace(review, cadence_alerts=recent_cadence_alerts(journal, day))


def review_period(
    journal: Journal,
    day: dt.date | None = None,
    *,
    since_days: int = 28,
    params: LoadModelParameters | None = None,
    programme: str | None = None,
    on_review: Callable[[], None] | None = None,
) -> Period:
    """Read the journal once and build the period of ``since_days`` ending on ``day`` (default: today).

    Parameters
    ----------
    journal
        The open journal (only read).
    day
        The period's last day, whose flag the period report shows.
    since_days
        Length of the period in days, ``day`` included.
    params
        Load-model constants (default: those of the athlete's programme).
    programme
        The programme to follow, instead of the journal's ``programme`` setting.
    on_review
        Called after each four-week review is built (for a progress bar).

    Returns
    -------
    Period
        The review of ``day`` and the days, sessions and heel-rise tests of the whole period
        (``calfload report``'s period page draws it).
    """
    from calfload.loadmodel import build_period

    day = day or journal.today
    params = params or athlete_programme(journal, programme)
    return build_period(
        journal.history(
            day, params, since=_window_start(day, max(since_days, REVIEW_WEEKS * WEEK_DAYS) + REVIEW_WEEKS * WEEK_DAYS)
        ),
        day,
        since_days=since_days,
        baseline=journal.baseline_tests(),
        visa_a=journal.visa_a_entries(day),
        params=params,
        on_review=on_review,
    )


def _window_start(day: dt.date, shown_days: int) -> dt.date:
    """The first day of sessions a review of ``shown_days`` ending on ``day`` reads whole."""
    return day - dt.timedelta(days=shown_days - 1 + REVIEW_LOOKBACK_DAYS)


__all__ = [
    "PROGRAMME_SETTING",
    "REVIEW_LOOKBACK_DAYS",
    "athlete_programme",
    "review_journal",
    "review_period",
]
