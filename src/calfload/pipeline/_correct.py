"""Correcting a stored session as a use case: a new activity brings a new analysis of the recording."""

from __future__ import annotations

import dataclasses
import datetime as dt

from calfload.errors import JournalError
from calfload.journal import Journal, SessionRecord
from calfload.journal._corrections import GAIT_ACTIVITIES
from calfload.pipeline._reanalyze import analyze_stored
from calfload.signal import GaitAnalysis, SessionAnalysis
from calfload.vocabulary import ACTIVITIES


def correct_session(
    journal: Journal,
    session_id: int,
    *,
    activity: str | None = None,
    exercise: str | None = None,
    side: str | None = None,
    added_load_kg: float | None = None,
    day: dt.date | None = None,
) -> SessionRecord:
    """Correct a session (``calfload correct``); the review is recomputed from the corrected history.

    A new activity re-analyses the session's stored recording as that activity; a session logged by
    hand can move between run and walk only (its figures were typed in, not measured).

    Raises
    ------
    JournalError
        An unknown session or activity, a future date, a value out of range, or a recording that
        cannot be analysed as the new activity. Nothing is changed then.
    """
    record = journal.session(session_id)
    if record is None:
        raise JournalError(f"there is no session {session_id}; `calfload review` lists the sessions and their ids")
    analysis = None
    if activity is not None and activity != record.activity:
        analysis = _analysis_as(record, activity)
    return journal.correct_session(
        session_id,
        activity=activity,
        analysis=analysis,
        exercise=exercise,
        side=side,
        added_load_kg=added_load_kg,
        day=day,
    )


def _analysis_as(record: SessionRecord, activity: str) -> SessionAnalysis:
    if activity not in ACTIVITIES:
        raise JournalError(
            f"`activity` is one of {', '.join(ACTIVITIES)}, not {activity!r}",
            value=activity,
            expected=", ".join(ACTIVITIES),
            parameter="activity",
        )
    if record.kind == "manual":
        gait = record.analysis
        if isinstance(gait, GaitAnalysis) and record.activity in GAIT_ACTIVITIES and activity in GAIT_ACTIVITIES:
            return dataclasses.replace(gait, activity=activity)
        raise JournalError(
            f"session {record.session_id} was logged by hand as a {record.activity}: it can move between run and "
            "walk only; delete it (`calfload delete session ID`) and log it again"
        )
    return analyze_stored(dataclasses.replace(record, activity=activity))


__all__ = ["correct_session"]
