"""The stored cadence relation ``analyze`` needs, read without opening the journal (issue 15).

``analyze`` of a run judges it against the runner's cadence-speed relation learnt from their
earlier runs (:func:`calfload.pipeline.cadence_check`). The relation learnt up to each run is
stored with that run's load (:mod:`calfload.journal._cadence_store`), so this reads one indexed
row and the athlete's target from a read-only connection: no migration, no stale-load refresh,
none of the journal's or load model's modules (about 0.1 s of an ``analyze``'s start-up).

Anything else answers :data:`NOT_STORED` and the caller opens the journal as before: no journal
file, a journal of another schema version, a row stored by another calfload release (the model
key's version), a locked or unreadable file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload import __version__

if TYPE_CHECKING:  # a calf session's analyze imports this module for the setting's name only
    import sqlite3

    from calfload.loadmodel._cadence_types import CadenceSpeedRelation

#: The schema version whose rows this module reads (migration v9 stored the relations; v10 added
#: the trends' state and changed no column read here).
READ_SCHEMA_VERSION: Final = 10
#: Journal setting holding the athlete's chosen retraining target (% above their habitual cadence).
CADENCE_TARGET_SETTING: Final = "cadence_target_pct"


@dataclass(frozen=True, slots=True)
class StoredRelation:
    """What ``analyze`` reads from the journal: the relation before a run and the athlete's target setting."""

    relation: CadenceSpeedRelation | None
    target_text: str | None


#: The journal could not answer from stored rows alone: open it.
NOT_STORED: Final = None


def stored_relation(db_path: Path, before: dt.datetime | None) -> StoredRelation | None:
    """The relation stored with the last run that started before ``before`` (every run when None).

    Returns
    -------
    StoredRelation or None
        None (:data:`NOT_STORED`) when the stored rows cannot answer (see the module docstring).
    """
    if not db_path.is_file():
        return NOT_STORED
    import sqlite3

    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return NOT_STORED
    try:
        return _read(conn, before)
    except sqlite3.Error:
        return NOT_STORED
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, before: dt.datetime | None) -> StoredRelation | None:
    from calfload.loadmodel._cadence_json import relation_from_json

    if conn.execute("PRAGMA user_version").fetchone()[0] != READ_SCHEMA_VERSION:
        return NOT_STORED
    bound = "9999" if before is None else before.astimezone(dt.UTC).isoformat()
    row = conn.execute(
        "SELECT l.model, l.cadence_relation FROM session s LEFT JOIN session_load l ON l.session_id = s.id "
        "WHERE s.activity = 'run' AND s.start_utc < ? ORDER BY s.start_utc DESC, s.id DESC LIMIT 1",
        (bound,),
    ).fetchone()
    if row is not None and not str(row[0]).startswith(f"{__version__} "):  # missing, or another release's
        return NOT_STORED
    target = conn.execute("SELECT value FROM setting WHERE key = ?", (CADENCE_TARGET_SETTING,)).fetchone()
    return StoredRelation(
        relation=None if row is None else relation_from_json(row[1]), target_text=None if target is None else target[0]
    )


__all__ = ["CADENCE_TARGET_SETTING", "NOT_STORED", "READ_SCHEMA_VERSION", "StoredRelation", "stored_relation"]
