"""Journal schema, as an ordered list of migrations (``PRAGMA user_version`` counts those applied).

Append new migrations at the end; never edit one that has shipped. Each runs in its own
transaction, so a journal is always at one schema version or the next.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from calfload._logger import package_logger
from calfload.errors import JournalError
from calfload.journal._load_days import SCHEMA_V10
from calfload.journal._loads import store_loads

logger = package_logger(__name__)

_V1: Final = (
    # One row per imported recording file (a session). Dated by the recording's start; ``local_date``
    # is the athlete's calendar date at the time of recording.
    """
    CREATE TABLE session (
        id INTEGER PRIMARY KEY,
        content_sha256 TEXT NOT NULL UNIQUE,
        source_name TEXT NOT NULL,
        start_utc TEXT NOT NULL,
        local_date TEXT NOT NULL,
        utc_offset_min INTEGER NOT NULL,
        kind TEXT NOT NULL,
        activity TEXT NOT NULL,
        exercise TEXT,
        added_load_kg REAL CHECK (added_load_kg IS NULL OR added_load_kg BETWEEN 0 AND 200),
        side TEXT NOT NULL,
        placement TEXT NOT NULL,
        duration_s REAL,
        metadata_json TEXT NOT NULL,
        analysis_json TEXT NOT NULL,
        imported_utc TEXT NOT NULL
    )
    """,
    "CREATE INDEX session_local_date ON session (local_date)",
    # The Parquet files of a session's streams, relative to the data folder.
    """
    CREATE TABLE stream (
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        path TEXT NOT NULL,
        PRIMARY KEY (session_id, kind)
    )
    """,
    # What was changed on a session after import (exercise, added load), for the record.
    """
    CREATE TABLE session_edit (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        edited_utc TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE body_mass (
        day TEXT PRIMARY KEY,
        mass_kg REAL NOT NULL CHECK (mass_kg > 0),
        entered_utc TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE pain (
        day TEXT PRIMARY KEY,
        during INTEGER CHECK (during BETWEEN 0 AND 10),
        after INTEGER CHECK (after BETWEEN 0 AND 10),
        morning INTEGER CHECK (morning BETWEEN 0 AND 10),
        entered_utc TEXT NOT NULL
    )
    """,
    # Baseline assessment per side and day. ``session_id`` and ``details_json`` let a measured test
    # (heel-rise endurance test: per-rep heights, work, symmetry) link its recording and details.
    """
    CREATE TABLE baseline_test (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('left', 'right')),
        heel_rise_reps INTEGER CHECK (heel_rise_reps IS NULL OR heel_rise_reps >= 0),
        calf_circumference_cm REAL,
        knee_to_wall_cm REAL,
        session_id INTEGER REFERENCES session (id) ON DELETE SET NULL,
        details_json TEXT,
        entered_utc TEXT NOT NULL,
        UNIQUE (day, side)
    )
    """,
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

#: Version 2 (issue 13): what athletes need to log beside pain during, after and in the morning:
#: morning stiffness apart from pain, tenderness (pain on pressing the tendon, 0-10), swelling and a
#: sharp pain (0 or 1; NULL where not said).
_V2: Final = (
    "ALTER TABLE pain ADD COLUMN stiffness INTEGER CHECK (stiffness BETWEEN 0 AND 10)",
    "ALTER TABLE pain ADD COLUMN tenderness INTEGER CHECK (tenderness BETWEEN 0 AND 10)",
    "ALTER TABLE pain ADD COLUMN swelling INTEGER CHECK (swelling IN (0, 1))",
    "ALTER TABLE pain ADD COLUMN sharp INTEGER CHECK (sharp IN (0, 1))",
)

#: Version 3 (issue 13): the VISA-A questionnaire, one per day (a second on the same day replaces it).
_V3: Final = (
    """
    CREATE TABLE visa_a (
        day TEXT PRIMARY KEY,
        items_json TEXT NOT NULL,
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
        entered_utc TEXT NOT NULL
    )
    """,
)

#: Version 4 (issue 13, items 4, 5 and 7):
#:
#: - each heel-rise test is one dated record: ``baseline_test`` gets a ``source`` (``logged`` by
#:   ``log baseline``, ``measured`` by ``test heel-rise``), one row per day, side and source, so a
#:   same-day test and logged baseline are separate rows and never mixed. Rows of earlier journals
#:   with a measured test's details are ``measured``, the others ``logged``;
#: - pain per session (``log pain --session ID``), for days with two sessions;
#: - the audit trail of deletions: a deleted session or entry is moved, whole, into ``deleted_row``
#:   (its row and its dependent rows as JSON), from which ``calfload undelete`` puts it back.
_V4: Final = (
    """
    CREATE TABLE baseline_test_v4 (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('left', 'right')),
        source TEXT NOT NULL CHECK (source IN ('logged', 'measured')),
        heel_rise_reps INTEGER CHECK (heel_rise_reps IS NULL OR heel_rise_reps >= 0),
        calf_circumference_cm REAL,
        knee_to_wall_cm REAL,
        session_id INTEGER REFERENCES session (id) ON DELETE SET NULL,
        details_json TEXT,
        entered_utc TEXT NOT NULL,
        UNIQUE (day, side, source)
    )
    """,
    """
    INSERT INTO baseline_test_v4 (id, day, side, source, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm,
        session_id, details_json, entered_utc)
    SELECT id, day, side, CASE WHEN details_json IS NULL THEN 'logged' ELSE 'measured' END, heel_rise_reps,
        calf_circumference_cm, knee_to_wall_cm, session_id, details_json, entered_utc FROM baseline_test
    """,
    "DROP TABLE baseline_test",
    "ALTER TABLE baseline_test_v4 RENAME TO baseline_test",
    """
    CREATE TABLE session_pain (
        session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        during INTEGER CHECK (during BETWEEN 0 AND 10),
        after INTEGER CHECK (after BETWEEN 0 AND 10),
        sharp INTEGER CHECK (sharp IN (0, 1)),
        entered_utc TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE deleted_row (
        id INTEGER PRIMARY KEY,
        table_name TEXT NOT NULL,
        row_key TEXT NOT NULL,
        row_json TEXT NOT NULL,
        dependents_json TEXT NOT NULL,
        deleted_utc TEXT NOT NULL,
        undeleted_utc TEXT
    )
    """,
)

#: Version 5 (issue 16): the athletes of a data folder. Only the folder's own journal (the first
#: athlete's) uses this table: one row per athlete, naming the folder of their journal relative to the
#: data folder ('' for the data folder itself). A journal without rows holds one athlete, unnamed (see
#: :mod:`calfload.journal._athletes`). Each athlete's profile is in their own journal's settings.
_V5: Final = (
    """
    CREATE TABLE athlete (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        folder TEXT NOT NULL UNIQUE,
        created_utc TEXT NOT NULL
    )
    """,
)

#: Version 6 (issue 15, item 4): each session's computed load, stored once
#: (:mod:`calfload.journal._loads`), so reading the history parses no analysis. The triggers
#: delete the rows a change makes stale; every write transaction then stores the missing ones,
#: and the migration to version 7 fills them for an existing journal (:data:`BACKFILLS`).
_RUN_AND_LATER: Final = "DELETE FROM session_load WHERE session_id IN (SELECT id FROM session WHERE start_utc >= {})"
#: Sessions before the first body mass are scaled with that first entry: changing it changes them all.
_FROM_DAY: Final = (
    "DELETE FROM session_load WHERE session_id IN (SELECT id FROM session WHERE local_date >= {0}) "
    "OR {0} <= coalesce((SELECT min(day) FROM body_mass), {0})"
)
_LOAD_SETTINGS: Final = "('easy_run_speed_mps', 'habitual_cadence_spm')"
_V6: Final = (
    """
    CREATE TABLE session_load (
        session_id INTEGER PRIMARY KEY REFERENCES session (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        body_mass_kg REAL,
        easy_run_speed_mps REAL NOT NULL,
        habitual_cadence_spm REAL NOT NULL,
        run_speed_mps REAL,
        run_cadence_spm REAL,
        legs TEXT NOT NULL,
        load_au REAL NOT NULL,
        load_json TEXT NOT NULL
    )
    """,
    # The history's walk is in time order; the triggers find "this run and every session after it".
    "CREATE INDEX session_start ON session (start_utc, id)",
    # A run teaches the easy speed and cadence of every later session's athlete.
    (
        f"CREATE TRIGGER session_load_insert AFTER INSERT ON session WHEN NEW.activity = 'run' "
        f"BEGIN {_RUN_AND_LATER.format('NEW.start_utc')}; END"
    ),
    (
        f"CREATE TRIGGER session_load_delete AFTER DELETE ON session WHEN OLD.activity = 'run' "
        f"BEGIN {_RUN_AND_LATER.format('OLD.start_utc')}; END"
    ),
    (
        "CREATE TRIGGER session_load_update AFTER UPDATE ON session BEGIN "
        "DELETE FROM session_load WHERE session_id = OLD.id; "
        f"{_RUN_AND_LATER.format('min(OLD.start_utc, NEW.start_utc)')} "
        "AND (OLD.activity = 'run' OR NEW.activity = 'run'); "
        "END"
    ),
    # A body mass is the athlete's from its day until the next entry (the first one's also before it).
    f"CREATE TRIGGER body_mass_load_insert AFTER INSERT ON body_mass BEGIN {_FROM_DAY.format('NEW.day')}; END",
    (
        f"CREATE TRIGGER body_mass_load_update AFTER UPDATE ON body_mass "
        f"BEGIN {_FROM_DAY.format('min(OLD.day, NEW.day)')}; END"
    ),
    f"CREATE TRIGGER body_mass_load_delete AFTER DELETE ON body_mass BEGIN {_FROM_DAY.format('OLD.day')}; END",
    # The athlete's own easy-run speed and cadence override what the runs teach.
    (
        f"CREATE TRIGGER setting_load_insert AFTER INSERT ON setting WHEN NEW.key IN {_LOAD_SETTINGS} "
        "BEGIN DELETE FROM session_load; END"
    ),
    (
        f"CREATE TRIGGER setting_load_update AFTER UPDATE ON setting "
        f"WHEN NEW.key IN {_LOAD_SETTINGS} OR OLD.key IN {_LOAD_SETTINGS} BEGIN DELETE FROM session_load; END"
    ),
    (
        f"CREATE TRIGGER setting_load_delete AFTER DELETE ON setting WHEN OLD.key IN {_LOAD_SETTINGS} "
        "BEGIN DELETE FROM session_load; END"
    ),
)

#: Version 7 (issue 15, item 4): a run's cadence windows with speed, what later runs' cadence alerts
#: learn the runner's cadence-speed relation from (:func:`calfload.loadmodel._cadence.relation_windows`,
#: float64 cadence then speed; NULL when the run teaches nothing). Every load is stored again with them.
_V7: Final = ("ALTER TABLE session_load ADD COLUMN cadence_windows BLOB", "DELETE FROM session_load")

#: Version 8 (issue 18, item 4): a session recorded with a sensor on each foot is one session of
#: two files. A stream is keyed by its kind *and* side (the two feet are two ``imu`` streams; rows
#: stored before are ``unknown``), and ``session_file`` names each file of a session imported from
#: several, so importing either file again finds the session instead of adding its run twice.
_V8: Final = (
    """
    CREATE TABLE stream_v8 (
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        side TEXT NOT NULL DEFAULT 'unknown',
        path TEXT NOT NULL,
        PRIMARY KEY (session_id, kind, side)
    )
    """,
    "INSERT INTO stream_v8 (session_id, kind, side, path) SELECT session_id, kind, 'unknown', path FROM stream",
    "DROP TABLE stream",
    "ALTER TABLE stream_v8 RENAME TO stream",
    """
    CREATE TABLE session_file (
        content_sha256 TEXT PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        source_name TEXT NOT NULL
    )
    """,
    "CREATE INDEX session_file_session ON session_file (session_id)",
)

#: Version 9 (issue 15): each run's cadence check (without a target), its judged windows and the
#: relation learnt up to it, stored with its load (:mod:`calfload.journal._cadence_store`), so
#: ``review`` parses no run and ``analyze`` reads one row. The runs' loads are stored again with them.
_V9: Final = (
    "ALTER TABLE session_load ADD COLUMN cadence_check TEXT",
    "ALTER TABLE session_load ADD COLUMN cadence_judged BLOB",
    "ALTER TABLE session_load ADD COLUMN cadence_relation TEXT",
    "DELETE FROM session_load WHERE session_id IN (SELECT id FROM session WHERE activity = 'run')",
)

#: Version 10 (issue 15): the load trends' running state per day (:mod:`calfload.journal._load_days`),
#: so a review reads its window and one stored row, not every session before it.
_V10: Final = SCHEMA_V10

#: Schema migrations; ``MIGRATIONS[i]`` takes the journal from version ``i`` to ``i + 1``.
MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10)

#: Work a migration does in Python after its statements, in the same transaction (target version -> step).
#: The loads are stored once the table has all its columns: versions 7 and 8 stored them when they
#: were the last (version 8's model key gained a revision, so every load stored before is stale);
#: now version 10 does, for a journal of any older version (without this, each review would
#: recompute them all until a write), and with them the trends' state.
BACKFILLS: Final[Mapping[int, Callable[[sqlite3.Connection], object]]] = MappingProxyType({10: store_loads})

SCHEMA_VERSION: Final = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """Return the journal's schema version (0 for a new database)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(
    conn: sqlite3.Connection,
    migrations: tuple[tuple[str, ...], ...] = MIGRATIONS,
    backfills: Mapping[int, Callable[[sqlite3.Connection], object]] = BACKFILLS,
) -> int:
    """Bring the journal to the latest schema, one transaction per migration.

    Parameters
    ----------
    conn
        A connection in autocommit mode (``isolation_level=None``).
    migrations
        The migrations to apply (the package's by default).
    backfills
        Python steps run after a migration's statements, in its transaction.

    Returns
    -------
    int
        The schema version after migrating.

    Raises
    ------
    JournalError
        If the journal was written by a newer calfload.
    """
    version = schema_version(conn)
    if version > len(migrations):
        raise JournalError(
            f"the journal has schema version {version}, newer than this calfload knows ({len(migrations)}); "
            "upgrade calfload"
        )
    for target in range(version + 1, len(migrations) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= target:  # another process migrated meanwhile
                conn.execute("COMMIT")
                continue
            for statement in migrations[target - 1]:
                conn.execute(statement)
            if target in backfills:
                backfills[target](conn)
            conn.execute(f"PRAGMA user_version = {int(target)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        logger.info("journal schema migrated to version %d", target)
    return schema_version(conn)


__all__ = ["BACKFILLS", "MIGRATIONS", "SCHEMA_VERSION", "migrate", "schema_version"]
