"""Each session's computed load, stored once (schema v6) so that reading the history parses no analysis.

A session's load (:func:`calfload.loadmodel.session_load`) is a function of its row, its analysis,
the athlete as they were then (body mass logged on or before its day, easy-run speed and cadence
learnt from the runs before it, or the athlete's settings) and the model's parameters. The
``session_load`` table keeps, per session:

- the whole :class:`~calfload.loadmodel.SessionLoad` as JSON (floats round-trip exactly);
- ``legs`` and ``load_au`` as columns, and the run's own speed and cadence (what later sessions'
  athletes are learnt from), so the walk through the history reads narrow columns only;
- the athlete it was computed with and the ``model`` key (calfload version and a hash of the
  parameters ``session_load`` reads).

Triggers of migration v6 delete the rows a change makes stale (an edited session and every
session after it, a body mass from its day on, the two athlete settings). At the end of every write
transaction :func:`store_loads` computes the missing rows, so ``import``, ``log``, ``correct``,
``delete``, ``undelete``, ``restore`` and ``reanalyze --apply`` store the loads in the transaction
that changed them. Reading (:func:`stored_loads`) checks each row's model key and athlete against the
walk and recomputes in memory any that do not match (a journal of an older calfload, parameters of
one's own): the figures are always those the analyses give.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from calfload import __version__
from calfload.errors import RecordError
from calfload.journal._load_json import STORED_FIELDS, load_from_json, load_to_json
from calfload.loadmodel._athlete import EASY_RUN_SPEED_SETTING, HABITUAL_CADENCE_SETTING, athlete_from
from calfload.loadmodel._cadence_types import CadenceAlertParams
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._session import LOAD_MODEL_REVISION, run_cadence_spm, run_speed_mps, session_load
from calfload.loadmodel._session_types import Athlete, SessionInput, SessionLoad

if TYPE_CHECKING:  # the result types (NumPy behind them): only to compute a load or read an analysis
    from calfload.signal import SessionAnalysis

#: The settings a session's load depends on (the athlete's easy-run speed and cadence).
LOAD_SETTINGS: Final = (EASY_RUN_SPEED_SETTING, HABITUAL_CADENCE_SETTING)

_WALK: Final = (
    "SELECT s.id, s.start_utc, s.local_date, s.activity, l.model, l.body_mass_kg, l.easy_run_speed_mps, "
    "l.habitual_cadence_spm, l.run_speed_mps, l.run_cadence_spm, l.legs, l.load_au, "
    "CASE WHEN s.local_date >= ? THEN l.load_json END FROM session s "
    "LEFT JOIN session_load l ON l.session_id = s.id WHERE s.local_date <= ? ORDER BY s.start_utc, s.id"
)

#: :data:`_WALK` from a session on: ``(start_utc, id)`` at or after the two last parameters.
_WALK_FROM: Final = _WALK.replace(
    "WHERE s.local_date <= ?", "WHERE s.local_date <= ? AND (s.start_utc, s.id) >= (?, ?)"
)


@functools.lru_cache(maxsize=16)
def model_key(params: LoadModelParameters = DEFAULT_PARAMETERS) -> str:
    """The calfload version and a hash of everything :func:`session_load` reads from ``params``.

    Programmes differ in their rules, not in these, so one stored load serves every programme.
    """
    read = (
        params.force,
        params.damage,
        params.programme.tempo_variation_concentric_s,
        params.programme.tempo_variation_hold_s,
        STORED_FIELDS,
        CadenceAlertParams(),
        LOAD_MODEL_REVISION,
    )
    return f"{__version__} {hashlib.sha256(repr(read).encode()).hexdigest()[:16]}"


@dataclass(frozen=True, slots=True)
class _Walked:
    """One session as the walk through the history met it: its load, and whether it must be stored."""

    session_id: int
    local_date: dt.date
    legs: tuple[str, ...]
    load_au: float
    load: SessionLoad | None  # None: stored, valid and not asked for
    athlete: Athlete
    run_figures: tuple[float | None, float | None]
    stale: bool
    run: SessionAnalysis | None = None  # a recomputed run's analysis: its cadence check is stored next


def _athlete_inputs(conn: sqlite3.Connection) -> tuple[dict[str, str], list[tuple[str, float]]]:
    """The settings a load depends on, and the body-mass entries (ISO day, kg) oldest first."""
    settings = dict(
        conn.execute(
            f"SELECT key, value FROM setting WHERE key IN ({', '.join('?' * len(LOAD_SETTINGS))})", LOAD_SETTINGS
        ).fetchall()
    )
    masses = [(str(d), float(m)) for d, m in conn.execute("SELECT day, mass_kg FROM body_mass ORDER BY day")]
    return settings, masses


def _walk(
    conn: sqlite3.Connection,
    until: dt.date,
    params: LoadModelParameters,
    *,
    read_from: dt.date | None,
    partial: bool = False,
    resume: _Prefix | None = None,
) -> list[_Walked]:
    """Walk the sessions up to ``until`` in time order, as :func:`calfload.loadmodel.build_history` does.

    Each session's athlete is computed from the narrow columns of the sessions before it; a
    stored row whose model key or athlete differs (or a missing one) is recomputed from the
    session's analysis. The stored loads of sessions dated ``read_from`` on are read whole
    (``None``: none). An unreadable analysis raises :class:`~calfload.errors.RecordError`, or
    with ``partial`` ends the walk there (a write stores what comes before it; reading the
    history then names the session, as before). With ``resume`` the walk starts after that
    prefix of the history, with its runs' figures.
    """
    key = model_key(params)
    settings, masses = _athlete_inputs(conn)
    mass_days = [d for d, _ in masses]
    speeds: list[float] = [] if resume is None else sorted(resume.speeds)
    cadences: list[float] = [] if resume is None else sorted(resume.cadences)
    walked: list[_Walked] = []
    athlete_of: dict[tuple[int, int, int], Athlete] = {}  # the athlete changes only with a mass or a run
    read = "9999" if read_from is None else read_from.isoformat()
    if resume is None:
        rows = conn.execute(_WALK, (read, until.isoformat()))
    else:
        rows = conn.execute(_WALK_FROM, (read, until.isoformat(), *resume.first))
    for sid, start, day, activity, model, mass_kg, speed, cadence, run_speed, run_cadence, legs, load_au, text in rows:
        i = bisect.bisect_right(mass_days, day) - 1
        athlete = athlete_of.get((i, len(speeds), len(cadences)))
        if athlete is None:
            athlete = athlete_from(masses[max(i, 0)][1] if masses else None, speeds, cadences, settings, params)
            athlete_of = {(i, len(speeds), len(cadences)): athlete}
        valid = model == key and (mass_kg, speed, cadence) == (
            athlete.body_mass_kg,
            athlete.easy_run_speed_mps,
            athlete.habitual_cadence_spm,
        )
        run = None
        if valid:
            row = (int(sid), dt.datetime.fromisoformat(start), dt.date.fromisoformat(day), str(activity))
            load = None if text is None else load_from_json(text, *row)
            figures = (run_speed, run_cadence)
            leg_names, au = tuple(str(legs).split()), float(load_au)
        else:
            try:
                session = _session_input(conn, int(sid))
            except RecordError:
                if partial:
                    return walked
                raise
            load = session_load(session, athlete, params)
            figures = _run_figures(session)
            run = session.analysis if activity == "run" else None
            leg_names, au = load.legs, load.load_au
        date = dt.date.fromisoformat(day)
        walked.append(_Walked(int(sid), date, leg_names, au, load, athlete, figures, not valid, run))
        if activity == "run":
            if figures[0] is not None:
                bisect.insort(speeds, figures[0])
            if figures[1] is not None:
                bisect.insort(cadences, figures[1])
    return walked


def stored_loads(
    conn: sqlite3.Connection, until: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> list[SessionLoad]:
    """The loads of every session dated up to ``until``, in time order: stored ones read, others computed."""
    return [w.load for w in _walk(conn, until, params, read_from=dt.date.min) if w.load is not None]


def window_loads(
    conn: sqlite3.Connection, until: dt.date, since: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> tuple[list[SessionLoad], list[tuple[dt.date, tuple[str, ...], float]]]:
    """The loads of the sessions dated ``since`` to ``until``, and ``(day, legs, load_au)`` of those before.

    Only the window's stored loads are read whole; the sessions before it give their narrow columns.
    When every session before the window's first has a current stored load (model key), those rows
    are read as stored, not walked (a 10-year journal costs what a 1-year one does): the triggers
    of migration v6 delete every row a change makes stale, and the walk from the window's first
    session on still checks each row's athlete.
    """
    prefix = _current_prefix(conn, until, since, params)
    walked = _walk(conn, until, params, read_from=since, resume=prefix)
    window = [w.load for w in walked if w.local_date >= since and w.load is not None]
    before = [] if prefix is None else list(prefix.loads)
    before += [(w.local_date, w.legs, w.load_au) for w in walked if w.local_date < since]
    return window, before


@dataclass(frozen=True, slots=True)
class _Prefix:
    """The sessions before a window's first one (walk order), read as stored: their loads and runs' figures."""

    first: tuple[str, int]  # (start_utc, id) of the window's first session: the walk resumes there
    loads: tuple[tuple[dt.date, tuple[str, ...], float], ...]
    speeds: tuple[float, ...]
    cadences: tuple[float, ...]


def _current_prefix(
    conn: sqlite3.Connection, until: dt.date, since: dt.date, params: LoadModelParameters
) -> _Prefix | None:
    """The sessions before the first one dated ``since`` to ``until``, if all have current stored loads, else None."""
    first = conn.execute(
        "SELECT start_utc, id FROM session WHERE local_date >= ? AND local_date <= ? ORDER BY start_utc, id LIMIT 1",
        (since.isoformat(), until.isoformat()),
    ).fetchone()
    if first is None:
        return None
    bounds = (until.isoformat(), *first)
    stale = conn.execute(
        "SELECT 1 FROM session s LEFT JOIN session_load l ON l.session_id = s.id WHERE s.local_date <= ? "
        "AND (s.start_utc, s.id) < (?, ?) AND (l.model IS NULL OR l.model != ?) LIMIT 1",
        (*bounds, model_key(params)),
    ).fetchone()
    if stale is not None:
        return None
    rows = conn.execute(
        "SELECT s.local_date, s.activity, l.legs, l.load_au, l.run_speed_mps, l.run_cadence_spm FROM session s "
        "JOIN session_load l ON l.session_id = s.id WHERE s.local_date <= ? AND (s.start_utc, s.id) < (?, ?) "
        "ORDER BY s.start_utc, s.id",
        bounds,
    ).fetchall()
    runs = [(speed, cadence) for _, activity, _, _, speed, cadence in rows if activity == "run"]
    return _Prefix(
        first=(str(first[0]), int(first[1])),
        loads=tuple((dt.date.fromisoformat(d), tuple(str(legs).split()), float(au)) for d, _, legs, au, _, _ in rows),
        speeds=tuple(float(v) for v, _ in runs if v is not None),
        cadences=tuple(float(c) for _, c in runs if c is not None),
    )


def _stored_runs(conn: sqlite3.Connection) -> _Prefix | None:
    """The sessions before the first stale one, as stored: the walk that stores loads resumes there.

    Every row before it is current (the triggers delete a changed session's row and those it
    makes stale), so adding a session at the end reads the earlier runs' two figures, not the
    whole history's rows. None when the first session is stale.
    """
    first = conn.execute(
        "SELECT s.start_utc, s.id FROM session s LEFT JOIN session_load l ON l.session_id = s.id "
        "WHERE l.session_id IS NULL OR l.model != ? ORDER BY s.start_utc, s.id LIMIT 1",
        (model_key(),),
    ).fetchone()
    if first is None:
        return None
    runs = conn.execute(
        "SELECT l.run_speed_mps, l.run_cadence_spm FROM session s JOIN session_load l ON l.session_id = s.id "
        "WHERE s.activity = 'run' AND (s.start_utc, s.id) < (?, ?)",
        (str(first[0]), int(first[1])),
    ).fetchall()
    return _Prefix(
        first=(str(first[0]), int(first[1])),
        loads=(),
        speeds=tuple(float(v) for v, _ in runs if v is not None),
        cadences=tuple(float(c) for _, c in runs if c is not None),
    )


def loads_stale(conn: sqlite3.Connection) -> bool:
    """Tell whether a session's stored load is missing or of another model key (one indexed query)."""
    missing = conn.execute(
        "SELECT 1 FROM session s LEFT JOIN session_load l ON l.session_id = s.id "
        "WHERE l.session_id IS NULL OR l.model != ? LIMIT 1",
        (model_key(),),
    ).fetchone()
    return missing is not None


def store_loads(conn: sqlite3.Connection) -> int:
    """Compute and store the loads that are missing or stale (inside the caller's transaction).

    Returns
    -------
    int
        How many sessions' loads were stored.
    """
    from calfload.journal._load_days import store_load_days  # imports this module

    if not loads_stale(conn):
        store_load_days(conn)  # a pain entry before every session moves the trends' first day
        return 0
    walked = _walk(conn, dt.date.max, DEFAULT_PARAMETERS, read_from=None, partial=True, resume=_stored_runs(conn))
    fresh = [w for w in walked if w.stale]
    conn.executemany(
        "INSERT OR REPLACE INTO session_load (session_id, model, body_mass_kg, easy_run_speed_mps, "
        "habitual_cadence_spm, run_speed_mps, run_cadence_spm, legs, load_au, load_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                w.session_id,
                model_key(),
                w.athlete.body_mass_kg,
                w.athlete.easy_run_speed_mps,
                w.athlete.habitual_cadence_spm,
                *w.run_figures,
                " ".join(w.load.legs),
                w.load.load_au,
                load_to_json(w.load),
            )
            for w in fresh
            if w.load is not None
        ],
    )
    from calfload.journal._cadence_store import store_cadence  # the check's code imports NumPy: only to store

    store_cadence(conn, {w.session_id: w.run for w in fresh if w.run is not None and w.load is not None})
    store_load_days(conn)
    return len(fresh)


# ---------------------------------------------------------------------------------------- records


def _session_input(conn: sqlite3.Connection, session_id: int) -> SessionInput:
    sid, start, day, activity, text, exercise, added, side = conn.execute(
        "SELECT id, start_utc, local_date, activity, analysis_json, exercise, added_load_kg, side FROM session "
        "WHERE id = ?",
        (session_id,),
    ).fetchone()
    return SessionInput(
        session_id=int(sid),
        start_utc=dt.datetime.fromisoformat(start),
        local_date=dt.date.fromisoformat(day),
        activity=activity,
        analysis=session_analysis(text, int(sid)),
        exercise=exercise,
        added_load_kg=added,
        side=side,
    )


def _run_figures(session: SessionInput) -> tuple[float | None, float | None]:
    """A run's speed and cadence, what later sessions' athletes are learnt from (None for other activities)."""
    if session.activity != "run":
        return None, None
    return run_speed_mps(session.analysis), run_cadence_spm(session.analysis)


@functools.lru_cache(maxsize=32_768)
def session_analysis(text: str, session_id: int) -> SessionAnalysis:
    """A stored analysis, parsed once per process for the same text.

    The results are frozen, so sharing is safe; the key is the stored text itself, so an edited
    session parses again.
    """
    from calfload.signal import HeelRiseResult, result_from_json

    result = result_from_json(text, source=f"journal session {session_id}")
    if isinstance(result, HeelRiseResult):
        raise RecordError("holds a heel-rise test, not a session analysis", source=f"journal session {session_id}")
    return result


__all__ = [
    "LOAD_SETTINGS",
    "load_from_json",
    "load_to_json",
    "loads_stale",
    "model_key",
    "session_analysis",
    "store_loads",
    "stored_loads",
    "window_loads",
]
