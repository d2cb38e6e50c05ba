"""Review a journal: read its history and baseline tests, and build the day's review."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from calfload.errors import JournalError
from calfload.journal import Journal
from calfload.loadmodel import PROGRAMMES, LoadModelParameters, Period, Review, build_period, build_review
from calfload.pipeline._cadence import recent_cadence_alerts

#: The journal setting naming the athlete's calf programme (``calfload log programme NAME``).
PROGRAMME_SETTING = "programme"


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
    """
    day = day or journal.today
    params = params or athlete_programme(journal, programme)
    review = build_review(
        journal.history(day, params),
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
    day = day or journal.today
    params = params or athlete_programme(journal, programme)
    return build_period(
        journal.history(day, params),
        day,
        since_days=since_days,
        baseline=journal.baseline_tests(),
        visa_a=journal.visa_a_entries(day),
        params=params,
        on_review=on_review,
    )


__all__ = ["PROGRAMME_SETTING", "athlete_programme", "review_journal", "review_period"]
