"""Each run's cadence check, stored with its load (schema v9), so ``review`` parses no run.

A run's cadence alerts (:mod:`calfload.loadmodel._cadence`) depend on the run and on the relation
learnt from the runs before it, never on later ones. When a run's load is stored
(:func:`calfload.journal._loads.store_loads`, at the end of every write transaction and by the
migration), :func:`store_cadence` stores in its ``session_load`` row:

- ``cadence_windows``: the windows it teaches the relation with (float64 cadence then speed);
- ``cadence_check``: its check without a retraining target, and ``cadence_judged`` the judged
  windows' cadence and reference, from which :meth:`~calfload.loadmodel.JudgedRun.with_target`
  adds the athlete's current target (a setting that can change at any time) in plain Python;
- ``cadence_relation``: the relation learnt from the runs up to and including this one, which
  is what ``analyze`` of a later run needs (:func:`relation_before`, one indexed row).

Migration v6's triggers delete the row of a run and every later session's when a run is added,
edited or removed, so stored checks and relations are never those of another history. Rows of
another model key (an older calfload) are recomputed from the analyses by the readers.
"""

from __future__ import annotations

import collections
import datetime as dt
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from calfload.journal._loads import _session_input, model_key
from calfload.loadmodel._cadence_json import (
    check_to_json,
    judged_from_stored,
    judged_to_blob,
    relation_from_json,
    relation_to_json,
)
from calfload.loadmodel._cadence_types import CadenceSpeedRelation, JudgedRun

if TYPE_CHECKING:  # NumPy and the result types: only to store a check or to read an older row
    import numpy as np

    from calfload.signal import SessionAnalysis

#: A run's cadence windows with speed: ``(cadence_spm, speed_mps)``.
RelationWindows = tuple["np.ndarray", "np.ndarray"]

_RUNS: Final = (
    "SELECT s.id, s.start_utc, l.model, l.cadence_windows, l.cadence_relation FROM session s "
    "LEFT JOIN session_load l ON l.session_id = s.id WHERE s.activity = 'run' "
)


#: A run's row: id, start, model key, stored windows and relation.
_RunRow = tuple[int, str, "str | None", "bytes | None", "str | None"]


def store_cadence(conn: sqlite3.Connection, runs: Mapping[int, SessionAnalysis]) -> None:
    """Store the cadence windows, check and relation of ``runs`` (their loads were just stored).

    The runs before each are read from their stored rows (windows, and the relation after them),
    from the last ``relation_runs`` teaching runs before the first of ``runs`` on: each run
    learns from a bounded number of runs, so storing every run (the migration) is linear in the
    runs, and adding one reads a bounded number of rows.
    """
    if not runs:
        return
    import numpy as np

    from calfload.loadmodel._cadence import judge_run, learn_relation_from_windows, relation_windows
    from calfload.loadmodel._cadence_types import CadenceAlertParams
    from calfload.signal import GaitAnalysis

    keep = CadenceAlertParams().relation_runs
    pairs: collections.deque[RelationWindows] = collections.deque(maxlen=keep)
    relation: CadenceSpeedRelation | None = None
    updates = []
    for sid, _, model, blob, stored_relation in _rows_from(conn, list(runs), keep):
        analysis = runs.get(int(sid))
        if analysis is None and model is None:  # not stored (an unreadable analysis): nothing learnt from it
            continue
        if analysis is None:  # stored before this transaction: its windows and relation are current
            if blob is not None:
                windows = np.frombuffer(blob, dtype="<f8").reshape(2, -1)
                pairs.append((windows[0], windows[1]))
            relation = relation_from_json(stored_relation)
            continue
        gait = analysis if isinstance(analysis, GaitAnalysis) else None
        judged = None if gait is None else judge_run(gait, relation)
        taught = None if gait is None else relation_windows(gait)
        if taught is not None:
            pairs.append(taught)
            relation = learn_relation_from_windows(list(pairs))
        updates.append(
            (
                None if taught is None else np.stack(taught).astype("<f8").tobytes(),
                None if judged is None else check_to_json(judged.check),
                None if judged is None else judged_to_blob(judged),
                relation_to_json(relation),
                int(sid),
            )
        )
    conn.executemany(
        "UPDATE session_load SET cadence_windows = ?, cadence_check = ?, cadence_judged = ?, cadence_relation = ? "
        "WHERE session_id = ?",
        updates,
    )


def _rows_from(conn: sqlite3.Connection, ids: list[int], keep: int) -> list[_RunRow]:
    """The run rows from the ``keep``-th teaching run before the first of ``ids`` on, in time order.

    Every row before the first of ``ids`` is current (the triggers delete a run's row and every
    later one), so the relation after them is the last one's, learnt from those teaching runs.
    """
    marks = ", ".join("?" * len(ids)) if len(ids) < 900 else None
    first = None
    if marks is not None:
        first = conn.execute(
            f"SELECT start_utc, id FROM session WHERE id IN ({marks}) ORDER BY start_utc, id LIMIT 1", ids
        ).fetchone()
    bound = None
    if first is not None:
        bound = conn.execute(
            _RUNS + "AND l.cadence_windows IS NOT NULL AND (s.start_utc, s.id) < (?, ?) "
            "ORDER BY s.start_utc DESC, s.id DESC LIMIT 1 OFFSET ?",
            (*first, keep - 1),
        ).fetchone()
    if bound is None:
        return list(conn.execute(_RUNS + "ORDER BY s.start_utc, s.id").fetchall())
    where = "AND (s.start_utc, s.id) >= (?, ?) ORDER BY s.start_utc, s.id"
    return list(conn.execute(_RUNS + where, (bound[1], bound[0])).fetchall())


def judged_runs(
    conn: sqlite3.Connection, first: dt.date, last: dt.date
) -> list[tuple[int, dt.date, JudgedRun | None]] | None:
    """The runs dated ``first`` to ``last`` in time order, with their stored checks (None: no check).

    None when a run's stored row is missing or of another model key: the caller then computes
    the checks from the analyses.
    """
    key = model_key()
    out: list[tuple[int, dt.date, JudgedRun | None]] = []
    for sid, day, model, text, blob in conn.execute(
        "SELECT s.id, s.local_date, l.model, l.cadence_check, l.cadence_judged FROM session s "
        "LEFT JOIN session_load l ON l.session_id = s.id "
        "WHERE s.activity = 'run' AND s.local_date >= ? AND s.local_date <= ? ORDER BY s.start_utc, s.id",
        (first.isoformat(), last.isoformat()),
    ):
        if model != key:
            return None
        out.append((int(sid), dt.date.fromisoformat(day), None if text is None else judged_from_stored(text, blob)))
    return out


def relation_before(conn: sqlite3.Connection, before: dt.datetime | None) -> CadenceSpeedRelation | None:
    """The runner's relation learnt from the runs that started before ``before`` (all when None).

    One indexed row: the relation stored with the last such run. A row of another model key is
    recomputed from every earlier run's windows.
    """
    bound = "9999" if before is None else before.astimezone(dt.UTC).isoformat()
    row = conn.execute(_RUNS + "AND s.start_utc < ? ORDER BY s.start_utc DESC, s.id DESC LIMIT 1", (bound,)).fetchone()
    if row is None:
        return None
    if row[2] == model_key():
        return relation_from_json(row[4])
    from calfload.loadmodel._cadence import learn_relation_from_windows

    runs = cadence_windows(conn, dt.date.max)
    return learn_relation_from_windows([w for _, t, w in runs if w is not None and (before is None or t < before)])


def cadence_windows(conn: sqlite3.Connection, until: dt.date) -> list[tuple[int, dt.datetime, RelationWindows | None]]:
    """Every run dated up to ``until`` in time order, with the windows it teaches the cadence relation.

    Stored windows are read; a run without a current stored row is parsed.
    """
    import numpy as np

    key = model_key()
    out: list[tuple[int, dt.datetime, RelationWindows | None]] = []
    for sid, start, model, stored, _ in conn.execute(
        _RUNS + "AND s.local_date <= ? ORDER BY s.start_utc, s.id", (until.isoformat(),)
    ):
        blob = stored if model == key else _windows_blob(_session_input(conn, int(sid)).analysis)
        windows = None if blob is None else np.frombuffer(blob, dtype="<f8").reshape(2, -1)
        out.append((int(sid), dt.datetime.fromisoformat(start), None if windows is None else (windows[0], windows[1])))
    return out


def _windows_blob(analysis: SessionAnalysis) -> bytes | None:
    import numpy as np

    from calfload.loadmodel._cadence import relation_windows
    from calfload.signal import GaitAnalysis

    if not isinstance(analysis, GaitAnalysis):
        return None
    windows = relation_windows(analysis)
    return None if windows is None else np.stack(windows).astype("<f8").tobytes()


__all__ = ["RelationWindows", "cadence_windows", "judged_runs", "relation_before", "store_cadence"]
