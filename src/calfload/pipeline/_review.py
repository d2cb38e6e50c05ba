"""Review a journal: read its history and baseline tests, and build the day's review."""

from __future__ import annotations

import datetime as dt

from calfload.journal import Journal
from calfload.loadmodel import DEFAULT_PARAMETERS, LoadModelParameters, Review, build_review


def review_journal(
    journal: Journal, day: dt.date | None = None, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> Review:
    """Read the journal and review ``day`` (default: today).

    Parameters
    ----------
    journal
        The open journal.
    day
        The day to review.
    params
        Load-model constants.

    Returns
    -------
    Review
        The flag, its reasons and next step, the weeks, days and sessions (``calfload review``).
    """
    day = day or journal.today
    return build_review(
        journal.history(day, params),
        day,
        baseline=journal.baseline_tests(),
        params=params,
        visa_a=journal.visa_a_entries(day),
    )


__all__ = ["review_journal"]
