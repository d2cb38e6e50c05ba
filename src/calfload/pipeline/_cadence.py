"""Cadence alerts from a journal: the runner's relation from their earlier runs, alerts per run.

:mod:`calfload.loadmodel._cadence` holds the method; this module reads the journal. A run's
relation is learnt from the runs *before* it, so an alert never changes as newer runs arrive,
and a run is never compared with itself.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING

from calfload.errors import CalfloadError

if TYPE_CHECKING:
    from calfload.journal import Journal  # a run analysed without a journal does not load the journal
    from calfload.loadmodel._cadence import CadenceCheck
    from calfload.loadmodel._cadence_alerts import SessionCadence

    # pandas and pyarrow behind calfload.recording cost about 0.3 s to import; review needs neither.
    from calfload.recording import Recording
    from calfload.signal import GaitAnalysis, SessionAnalysis

#: Days of runs whose alerts ``review`` shows.
REVIEW_DAYS = 7


def cadence_target(journal: Journal | None) -> float | None:
    """The retraining target the athlete chose (journal setting), or None."""
    if journal is None:
        return None
    from calfload.journal._cadence_read import CADENCE_TARGET_SETTING  # a run analysed without a journal: not loaded

    return _target_of(journal.settings().get(CADENCE_TARGET_SETTING))


def _target_of(text: str | None) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) and 0.0 < value <= 20.0 else None


def check_run(
    journal: Journal | None,
    run: GaitAnalysis,
    *,
    before: dt.datetime | None = None,
    target_increase_pct: float | None = None,
) -> CadenceCheck | None:
    """The cadence alerts of ``run``, against the journal's runs that started before ``before`` (all when None)."""
    from calfload.loadmodel._cadence import check_cadence

    relation = None if journal is None else journal.cadence_relation_before(before)
    target = target_increase_pct if target_increase_pct is not None else cadence_target(journal)
    return check_cadence(run, relation, target_increase_pct=target)


def cadence_check(
    analysis: SessionAnalysis,
    recording: Recording,
    *,
    data_dir: str | Path | None,
    target_increase_pct: float | None = None,
) -> CadenceCheck | None:
    """A run's cadence alerts, against the earlier runs of the journal in ``data_dir`` if there is one.

    Without a readable journal the run is judged on its own (drift against its first half). None
    for anything but a run.
    """
    if analysis.activity != "run":  # a calf session's analysis loads neither the gait results nor the alerts
        return None
    from calfload.signal import GaitAnalysis

    if not isinstance(analysis, GaitAnalysis):
        return None
    from calfload.journal._paths import DB_NAME, resolve_data_dir
    from calfload.loadmodel._cadence import check_cadence
    from calfload.schema import UNKNOWN_START_UTC  # pyarrow behind it: not on review's path

    db_path = resolve_data_dir(data_dir) / DB_NAME
    if not db_path.is_file():  # no journal: judged on its own, nothing opened
        return check_run(None, analysis, target_increase_pct=target_increase_pct)
    start = None if recording.meta.start_utc == UNKNOWN_START_UTC else recording.meta.start_utc
    from calfload.journal._cadence_read import stored_relation  # only with a journal file

    stored = stored_relation(db_path, start)  # one stored row, without opening the journal
    if stored is not None:
        target = target_increase_pct if target_increase_pct is not None else _target_of(stored.target_text)
        return check_cadence(analysis, stored.relation, target_increase_pct=target)
    from calfload.journal import Journal

    try:
        with Journal(data_dir, create=False) as journal:
            return check_run(journal, analysis, before=start, target_increase_pct=target_increase_pct)
    except CalfloadError:  # no journal (or none readable): the run is judged on its own
        return check_run(None, analysis, target_increase_pct=target_increase_pct)


def recent_cadence_alerts(journal: Journal, day: dt.date, days: int = REVIEW_DAYS) -> tuple[SessionCadence, ...]:
    """The runs of the ``days`` up to ``day`` that have cadence alerts (``review``'s own items).

    Each run's check is stored with its load (without a target; the athlete's current target is
    added from the stored windows), so no analysis is parsed and NumPy is not imported. When a
    run's stored row is of an older calfload the checks are computed from the analyses instead.
    """
    from calfload.loadmodel._cadence_alerts import SessionCadence

    stored = journal.judged_runs(day - dt.timedelta(days=days - 1), day)
    if stored is None:
        return _alerts_from_analyses(journal, day, days)
    target = cadence_target(journal) if any(judged is not None for _, _, judged in stored) else None
    out = []
    for sid, run_day, judged in stored:
        check = None if judged is None else judged.with_target(target)
        if check is not None and (check.alerts or check.asymmetry or check.target_increase_pct is not None):
            out.append(SessionCadence(session_id=sid, day=run_day, check=check))
    return tuple(out)


def _alerts_from_analyses(journal: Journal, day: dt.date, days: int) -> tuple[SessionCadence, ...]:
    """:func:`recent_cadence_alerts` from the runs' analyses and the earlier runs' windows."""
    from calfload.loadmodel._cadence import check_cadence, learn_relation_from_windows
    from calfload.loadmodel._cadence_alerts import SessionCadence
    from calfload.signal import GaitAnalysis

    recent = [
        (s, run)
        for s in journal.sessions(day - dt.timedelta(days=days - 1), day, activity="run")
        if isinstance(run := s.analysis, GaitAnalysis)
    ]
    if not recent:
        return ()
    # Each run learns from the runs that started before it, whatever their local dates (travel): as stored.
    runs = journal.cadence_windows(dt.date.max)
    target = cadence_target(journal)
    out = []
    for s, run in recent:
        earlier = [w for sid, start, w in runs if w is not None and (start, sid) < (s.start_utc, s.session_id)]
        check = check_cadence(run, learn_relation_from_windows(earlier), target_increase_pct=target)
        if check is not None and (check.alerts or check.asymmetry or check.target_increase_pct is not None):
            out.append(SessionCadence(session_id=s.session_id, day=s.local_date, check=check))
    return tuple(out)


__all__ = ["cadence_target", "check_run", "recent_cadence_alerts"]
