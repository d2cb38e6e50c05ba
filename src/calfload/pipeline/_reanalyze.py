"""Re-analysis: run today's algorithms over the recordings a journal keeps, and show what changes.

:func:`reanalyze` changes nothing: it loads each session's stored main stream, analyses it again
with the session's activity, placement and tempo target, and computes the session figures and
the load before and after (the load of every session from the whole history, so a run whose
speed changes moves the loads after it too). :func:`apply_reanalysis` stores the new analyses in
one transaction (:meth:`calfload.journal.Journal.replace_analyses`).

Sessions logged by hand have no recording and are left as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from calfload.errors import CalfloadError, JournalError
from calfload.journal import Journal, SessionRecord
from calfload.loadmodel import DEFAULT_PARAMETERS, LoadModelParameters, SessionLoad, build_history
from calfload.signal import CalfRaiseAnalysis, GaitAnalysis, HeelRiseResult, SessionAnalysis

#: ``reanalyzer(record) -> new analysis`` (default :func:`analyze_stored`).
Reanalyzer = Callable[[SessionRecord], SessionAnalysis]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionFigures:
    """The figures of a session that ``reanalyze`` compares (None where the activity has none).

    Parameters
    ----------
    reps
        Counted calf-raise reps, or hops.
    tempo_pass_rate
        Share of calf-raise reps lowered slowly enough.
    steps
        Steps of a run or walk.
    cadence_spm
        Median cadence of a run or walk.
    load_au
        The session's damage-weighted load (easy-run-equivalent cycles, most loaded leg).
    """

    reps: int | None = None
    tempo_pass_rate: float | None = None
    steps: int | None = None
    cadence_spm: float | None = None
    load_au: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionChange:
    """One session before and after re-analysis.

    Parameters
    ----------
    session_id, local_date, activity, source_name
        Which session.
    before, after
        Its figures with the stored and with the new analysis (``after`` is None when it failed).
    analysis
        The new analysis (None when it failed).
    error
        Why the session could not be re-analysed (a missing recording, an analysis error).
    """

    session_id: int
    local_date: dt.date
    activity: str
    source_name: str
    before: SessionFigures
    after: SessionFigures | None
    analysis: SessionAnalysis | None
    error: str | None = None

    @property
    def changed(self) -> bool:
        """Whether any compared figure differs."""
        return self.after is not None and self.after != self.before


def analyze_stored(record: SessionRecord) -> SessionAnalysis:
    """Analyse a session's stored main stream (or both feet) again, with its activity, placement and tempo target."""
    from calfload.ingest import load_recording
    from calfload.signal import analyze

    path = record.stream_paths.get("imu") or record.stream_paths.get("footpod")
    if path is None:
        raise JournalError(f"session {record.session_id} has no stored recording (logged by hand)")
    if not path.is_file():
        raise JournalError(f"session {record.session_id}: its recording {path} is missing; restore it from a backup")
    missing = next((p for p in record.feet if not p.is_file()), None)
    if missing is not None:
        raise JournalError(f"session {record.session_id}: its recording {missing} is missing; restore it from a backup")
    old = record.analysis
    tempo = (old.params.target_eccentric_s, old.params.tolerance_s) if isinstance(old, CalfRaiseAnalysis) else None
    return analyze(
        [load_recording(p) for p in record.feet] or load_recording(path),
        activity=record.activity,
        placement=record.placement,
        target_eccentric_s=None if tempo is None else tempo[0],
        tolerance_s=None if tempo is None else tempo[1],
    )


def reanalyze(
    journal: Journal,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    reanalyzer: Reanalyzer = analyze_stored,
    params: LoadModelParameters = DEFAULT_PARAMETERS,
) -> list[SessionChange]:
    """Re-analyse the recorded sessions dated ``since`` to ``until`` (inclusive); change nothing.

    Returns
    -------
    list of SessionChange
        One per recorded session in the range, in time order.

    Raises
    ------
    JournalError
        If ``since`` is after ``until`` (its ``parameter`` is ``since``).
    """
    if since is not None and until is not None and since > until:
        raise JournalError(
            f"`since` {since.isoformat()} is after `until` {until.isoformat()}; give the earlier day first",
            value=since,
            parameter="since",
        )
    last = until or journal.today
    records = journal.sessions(None, last)
    chosen = [r for r in records if (since is None or r.local_date >= since) and r.stream_paths]
    new: dict[int, SessionAnalysis] = {}
    errors: dict[int, str] = {}
    for r in chosen:
        try:
            new[r.session_id] = as_stored(reanalyzer(r))
        except CalfloadError as exc:
            errors[r.session_id] = str(exc)
    before = _loads(journal, records, {}, last, params)
    after = _loads(journal, records, new, last, params)
    return [
        SessionChange(
            session_id=r.session_id,
            local_date=r.local_date,
            activity=r.activity,
            source_name=r.source_name,
            before=figures(r.analysis, before[r.session_id]),
            after=None if r.session_id in errors else figures(new[r.session_id], after[r.session_id]),
            analysis=new.get(r.session_id),
            error=errors.get(r.session_id),
        )
        for r in chosen
    ]


def apply_reanalysis(journal: Journal, changes: Sequence[SessionChange]) -> int:
    """Store the new analyses of the changed sessions in one transaction; return how many."""
    updates = {c.session_id: c.analysis for c in changes if c.changed and c.analysis is not None}
    if updates:
        journal.replace_analyses(updates)
    return len(updates)


def as_stored(analysis: SessionAnalysis) -> SessionAnalysis:
    """The analysis as the journal would read it back (figures rounded as in its record): compare like with like."""
    from calfload.signal import from_record, to_record

    stored = from_record(to_record(analysis))
    if isinstance(stored, HeelRiseResult):  # pragma: no cover - a session analysis reads back as one
        raise TypeError("a heel-rise test is not a session analysis")
    return stored


def figures(analysis: SessionAnalysis, load: SessionLoad | None) -> SessionFigures:
    """The compared figures of one analysis and its load."""
    load_au = 0.0 if load is None else load.load_au
    if isinstance(analysis, CalfRaiseAnalysis):
        rate = None if load is None else load.tempo_pass_rate
        return SessionFigures(reps=analysis.rep_count, tempo_pass_rate=rate, load_au=load_au)
    if isinstance(analysis, GaitAnalysis):
        cadence = analysis.cadence_median_spm
        return SessionFigures(steps=analysis.steps, cadence_spm=cadence, load_au=load_au)
    return SessionFigures(reps=analysis.hops, load_au=load_au)


def _loads(
    journal: Journal,
    records: Sequence[SessionRecord],
    new: dict[int, SessionAnalysis],
    last: dt.date,
    params: LoadModelParameters,
) -> dict[int, SessionLoad]:
    """Every session's load with the new analyses in place of the stored ones."""
    from dataclasses import replace

    inputs = [replace(r.to_input(), analysis=new.get(r.session_id, r.analysis)) for r in records]
    history = build_history(
        inputs,
        [(d, m) for d, m in journal.body_mass_entries() if d <= last],
        journal.pain_entries(None, last),
        journal.settings(),
        params,
    )
    return {s.session_id: s for s in history.sessions if s.session_id is not None}


__all__ = [
    "Reanalyzer",
    "SessionChange",
    "SessionFigures",
    "analyze_stored",
    "apply_reanalysis",
    "figures",
    "reanalyze",
]
