"""The load trends' running state, stored per day (schema v10): a review reads its window and one row.

The acute and chronic averages of the daily load (:func:`calfload.loadmodel.daily_trend`) look
back over the whole history. ``load_day`` keeps, for every day with a session, that day's load
(the most loaded leg's sum of the stored session loads, added in session time order) and the two
averages after it, computed from the history's first day (a session's or a pain entry's) exactly
as :func:`~calfload.loadmodel.daily_trend` computes them (:func:`~calfload.loadmodel.ewma` with a
seed: the same floats). ``load_state`` holds one row: the key of the loads and trend parameters
the rows were computed with, the first day they start from, and ``stale_from``, the first day
whose row may be missing or wrong.

The triggers below lower ``stale_from`` and delete the rows from the day of any change on: a
session added, edited, moved or deleted, its stored load written, replaced or deleted (a body
mass, a run before it or a setting deletes loads through the v6 triggers). At the end of every
write transaction :func:`store_load_days` (called by
:func:`calfload.journal._loads.store_loads`) recomputes from the last row before ``stale_from``
up to the first session without a current stored load; a new first day (a pain entry before every
session, the first session deleted) or another key recomputes everything. Adding today's session
reads one row and writes one.

:func:`stored_window` is what a review reads instead of every session before its window: the
window's stored loads and the averages on the day before it (the last row before it, decayed over
the days without sessions), when the state covers the review's last day with the loads the
review asks for; otherwise ``None`` and the reader walks the history as before.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Final

from calfload.journal._load_json import load_from_json
from calfload.journal._loads import model_key
from calfload.loadmodel._earlier import EarlierDays, TrendSeed
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._session_types import SessionLoad
from calfload.loadmodel._trend import ewma

#: ``stale_from`` when every day is stored.
STORED_TO_THE_END: Final = "9999-12-31"

_STALE: Final = "UPDATE load_state SET stale_from = min(stale_from, {0}); DELETE FROM load_day WHERE day >= {0};"
_LOAD_DAY: Final = "(SELECT local_date FROM session WHERE id = {})"

#: Schema v10's statements (:mod:`calfload.journal._migrations`).
SCHEMA_V10: Final = (
    """
    CREATE TABLE load_day (
        day TEXT PRIMARY KEY,
        load_au REAL NOT NULL,
        acute_au REAL NOT NULL,
        chronic_au REAL NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE load_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        model TEXT NOT NULL,
        first_date TEXT,
        stale_from TEXT NOT NULL
    )
    """,
    # A session without a stored load yet (or one that cannot be read) holds the state back from its day.
    f"CREATE TRIGGER load_day_session_insert AFTER INSERT ON session BEGIN {_STALE.format('NEW.local_date')} END",
    (
        "CREATE TRIGGER load_day_session_update AFTER UPDATE ON session "
        f"BEGIN {_STALE.format('min(OLD.local_date, NEW.local_date)')} END"
    ),
    f"CREATE TRIGGER load_day_session_delete AFTER DELETE ON session BEGIN {_STALE.format('OLD.local_date')} END",
    (
        "CREATE TRIGGER load_day_load_insert AFTER INSERT ON session_load "
        f"BEGIN {_STALE.format(_LOAD_DAY.format('NEW.session_id'))} END"
    ),
    (
        "CREATE TRIGGER load_day_load_update AFTER UPDATE ON session_load BEGIN "
        + _STALE.format("min(" + _LOAD_DAY.format("OLD.session_id") + ", " + _LOAD_DAY.format("NEW.session_id") + ")")
        + " END"
    ),
    # A deleted session's own row goes with it (its day is staled by the session's trigger).
    (
        "CREATE TRIGGER load_day_load_delete AFTER DELETE ON session_load "
        "WHEN EXISTS (SELECT 1 FROM session WHERE id = OLD.session_id) "
        f"BEGIN {_STALE.format(_LOAD_DAY.format('OLD.session_id'))} END"
    ),
)


def state_key(params: LoadModelParameters = DEFAULT_PARAMETERS) -> str:
    """The stored loads' model key and the trend parameters the averages are computed with."""
    t = params.trend
    return f"{model_key(params)} ewma {t.convention} {t.acute_days} {t.chronic_days}"


def _first_day(conn: sqlite3.Connection) -> str | None:
    """The history's first day: the first session's or pain entry's (two index look-ups)."""
    days = [
        conn.execute("SELECT min(local_date) FROM session").fetchone()[0],
        conn.execute("SELECT min(day) FROM pain").fetchone()[0],
    ]
    present = [str(d) for d in days if d is not None]
    return min(present) if present else None


def _averages(
    seed: tuple[float, float] | None, loads: list[float], params: LoadModelParameters
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The acute and chronic averages after each day of ``loads``, from ``seed`` (None: from its first day)."""
    t = params.trend
    acute, chronic = (None, None) if seed is None else seed
    return (
        ewma(loads, t.acute_days, t.convention, seed=acute),
        ewma(loads, t.chronic_days, t.convention, seed=chronic),
    )


def load_days_stale(conn: sqlite3.Connection) -> bool:
    """Tell whether the stored state misses a day, or was computed with other loads or from another first day."""
    meta = conn.execute("SELECT model, first_date, stale_from FROM load_state").fetchone()
    return meta is None or tuple(meta) != (state_key(), _first_day(conn), STORED_TO_THE_END)


def store_load_days(conn: sqlite3.Connection) -> None:
    """Bring ``load_day`` up to date with the stored loads (inside the caller's write transaction)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'load_state'").fetchone() is None:
        return  # a migration's earlier step: the tables come with version 10
    key, first = state_key(), _first_day(conn)
    meta = conn.execute("SELECT model, first_date, stale_from FROM load_state").fetchone()
    current = meta is not None and (meta[0], meta[1]) == (key, first)
    if current and meta[2] == STORED_TO_THE_END:
        return
    if first is None:  # no session and no pain entry
        conn.execute("DELETE FROM load_day")
        _set_state(conn, key, first, STORED_TO_THE_END)
        return
    restart = max(str(meta[2]), first) if current else first
    gap = conn.execute(
        "SELECT min(s.local_date) FROM session s LEFT JOIN session_load l ON l.session_id = s.id "
        "WHERE s.local_date >= ? AND (l.session_id IS NULL OR l.model != ?)",
        (restart, model_key()),
    ).fetchone()[0]
    conn.execute("DELETE FROM load_day WHERE day >= ?", (restart,))
    seed = conn.execute(
        "SELECT day, acute_au, chronic_au FROM load_day WHERE day < ? ORDER BY day DESC LIMIT 1", (restart,)
    ).fetchone()
    rows = conn.execute(
        "SELECT s.local_date, l.legs, l.load_au FROM session s JOIN session_load l ON l.session_id = s.id "
        "WHERE s.local_date >= ? AND s.local_date < ? ORDER BY s.start_utc, s.id",
        (restart, gap or STORED_TO_THE_END),
    ).fetchall()
    daily = _most_loaded(rows)
    if daily:
        start = dt.date.fromisoformat(first) if seed is None else dt.date.fromisoformat(seed[0]) + dt.timedelta(days=1)
        last = max(daily)
        loads = [daily.get(start + dt.timedelta(days=i), 0.0) for i in range((last - start).days + 1)]
        before = None if seed is None else (float(seed[1]), float(seed[2]))
        acute, chronic = _averages(before, loads, DEFAULT_PARAMETERS)
        conn.executemany(
            "INSERT INTO load_day (day, load_au, acute_au, chronic_au) VALUES (?, ?, ?, ?)",
            [(d.isoformat(), au, acute[(d - start).days], chronic[(d - start).days]) for d, au in daily.items()],
        )
    _set_state(conn, key, first, gap or STORED_TO_THE_END)


def _most_loaded(rows: list[tuple[str, str, float]]) -> dict[dt.date, float]:
    """Each day's load: per leg the sum in session time order, then the most loaded leg (as History adds)."""
    per_day: dict[dt.date, dict[str, float]] = {}
    for day, legs, load_au in rows:
        sums = per_day.setdefault(dt.date.fromisoformat(day), {})
        for leg in str(legs).split():
            sums[leg] = sums.get(leg, 0.0) + float(load_au)
    # History's daily series counts a leg without a session that day as 0.0 (loads are never negative).
    return {d: max(max(sums.values(), default=0.0), 0.0) for d, sums in sorted(per_day.items())}


def _set_state(conn: sqlite3.Connection, key: str, first: str | None, stale_from: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO load_state (id, model, first_date, stale_from) VALUES (1, ?, ?, ?)",
        (key, first, stale_from),
    )


def stored_window(
    conn: sqlite3.Connection, until: dt.date, since: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS
) -> tuple[list[SessionLoad], EarlierDays | None] | None:
    """The stored loads of the sessions dated ``since`` to ``until`` and the averages before them.

    None when the stored state cannot stand for the walk: other parameters, a day up to ``until``
    not stored (a session without a current load), or a first day that moved since it was stored.
    """
    meta = conn.execute("SELECT model, first_date, stale_from FROM load_state").fetchone()
    if meta is None or meta[0] != state_key(params) or str(meta[2]) <= until.isoformat():
        return None
    first = _first_day(conn)
    if first != meta[1]:
        return None
    rows = conn.execute(
        "SELECT s.id, s.start_utc, s.local_date, s.activity, l.load_json FROM session s "
        "JOIN session_load l ON l.session_id = s.id WHERE s.local_date >= ? AND s.local_date <= ? "
        "ORDER BY s.start_utc, s.id",
        (since.isoformat(), until.isoformat()),
    )
    loads = [
        load_from_json(str(text), int(sid), dt.datetime.fromisoformat(start), dt.date.fromisoformat(day), str(activity))
        for sid, start, day, activity, text in rows
    ]
    if first is None or dt.date.fromisoformat(first) >= since:
        return loads, None
    return loads, EarlierDays(first_date=dt.date.fromisoformat(first), seed=_seed(conn, since, params))


def _seed(conn: sqlite3.Connection, since: dt.date, params: LoadModelParameters) -> TrendSeed:
    """The averages at the end of the day before ``since``: the last stored row, decayed over the days after it."""
    row = conn.execute(
        "SELECT day, acute_au, chronic_au FROM load_day WHERE day < ? ORDER BY day DESC LIMIT 1",
        (since.isoformat(),),
    ).fetchone()
    eve = since - dt.timedelta(days=1)
    acute, chronic = 0.0, 0.0  # only pain entries before the window: every day's load was 0
    if row is not None:
        acute, chronic = float(row[1]), float(row[2])
        rest = [0.0] * (eve - dt.date.fromisoformat(row[0])).days
        if rest:
            a, c = _averages((acute, chronic), rest, params)
            acute, chronic = a[-1], c[-1]
    return TrendSeed(last_date=eve, acute_au=acute, chronic_au=chronic, params=params.trend)


__all__ = ["SCHEMA_V10", "load_days_stale", "state_key", "store_load_days", "stored_window"]
