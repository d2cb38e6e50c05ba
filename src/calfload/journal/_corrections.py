"""Correcting the journal: change a session, delete a session or an entry, undelete; nothing is lost.

- A correction (activity, exercise, side, added load, date; or a new analysis) updates the session
  and adds one ``session_edit`` row per changed field with the old and the new value.
- A deletion moves the row, whole, into ``deleted_row`` with its dependent rows (a session's
  streams, pain and audit trail) as JSON, in one transaction; the stored recording files stay.
  :meth:`Corrections.undelete` puts it back (a session under a new id when its old one was taken
  meanwhile), and marks the deletion undone.
- Wrong input (an unknown session or entry, a future date, a value out of range) is refused in one
  line before anything changes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from calfload.errors import JournalError
from calfload.journal._paths import now_iso
from calfload.journal._reads import JournalReads
from calfload.journal._records import SessionRecord, analysis_record, check_exercise, check_range
from calfload.loadmodel._force import EXERCISES
from calfload.vocabulary import ADDED_LOAD_RANGE_KG

if TYPE_CHECKING:  # the result types come with NumPy; review and the pain log never need them
    from calfload.signal import SessionAnalysis

#: Entry tables ``delete entry`` knows, with the column that names a row and how users call them.
ENTRY_TABLES: Final = {"pain": "pain", "mass": "body_mass", "visa-a": "visa_a", "baseline": "baseline_test"}
#: A session's dependent rows, moved and restored with it.
SESSION_DEPENDENTS: Final = ("stream", "session_file", "session_edit", "session_pain")
SIDES: Final = ("left", "right", "both", "unknown")
#: Activities whose analyses are of one kind (a gait analysis), so a session logged by hand can move between them.
GAIT_ACTIVITIES: Final = ("run", "walk")

Row = dict[str, object]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class DeletedItem:
    """One deletion in the audit trail.

    Parameters
    ----------
    trash_id
        What ``calfload undelete`` takes.
    what
        ``session 12 (2024-05-06, run)``, ``pain entry of 2024-05-06``, ...
    deleted_utc, undeleted_utc
        When it was deleted, and undeleted (``None`` while it is deleted).
    """

    trash_id: int
    what: str
    deleted_utc: str
    undeleted_utc: str | None


class Corrections(JournalReads):
    """Corrections, deletions and undeletions, each in one transaction with its audit trail."""

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One transaction (see :meth:`calfload.journal.Journal.transaction`)."""
        raise NotImplementedError

    def correct_session(
        self,
        session_id: int,
        *,
        activity: str | None = None,
        analysis: SessionAnalysis | None = None,
        exercise: str | None = None,
        side: str | None = None,
        added_load_kg: float | None = None,
        day: dt.date | None = None,
    ) -> SessionRecord:
        """Correct a session's activity (with the new ``analysis``), exercise, side, added load or date.

        Raises
        ------
        JournalError
            If the session does not exist, a value is out of range, the date is in the future, or the
            new activity comes without an analysis of it. Nothing is changed then.
        """
        record = self._require_session(session_id)
        changes = self._checked_changes(record, activity, analysis, exercise, side, added_load_kg, day)
        if not changes:
            raise JournalError(
                "give what to correct: `activity`, `exercise`, `side`, `added_load_kg` or `day`",
                expected="at least one correction",
            )
        with self.transaction() as c:
            for column, (old, new) in changes.items():
                c.execute(f"UPDATE session SET {column} = ? WHERE id = ?", (new, session_id))
                # The replaced analysis is kept whole (its stored JSON), so a correction loses nothing.
                self._audit(c, session_id, column, old, new)
        return self._require_session(session_id)

    def _checked_changes(
        self,
        record: SessionRecord,
        activity: str | None,
        analysis: SessionAnalysis | None,
        exercise: str | None,
        side: str | None,
        added_load_kg: float | None,
        day: dt.date | None,
    ) -> dict[str, tuple[object, object]]:
        """Column -> (old, new) of every given change, each checked; nothing is written here."""
        changes: dict[str, tuple[object, object]] = {}
        new_activity = activity or record.activity
        if activity is not None and activity != record.activity:
            if analysis is None or analysis.activity not in (activity, None):
                raise JournalError(f"a {activity} session needs an analysis of a {activity}; nothing was changed")
            changes["activity"] = (record.activity, activity)
            old_json = self._conn.execute("SELECT analysis_json FROM session WHERE id = ?", (record.session_id,))
            changes["analysis_json"] = (old_json.fetchone()[0], analysis_record(analysis))
            kept = EXERCISES.get(record.exercise or "")
            if record.exercise is not None and exercise is None and (kept is None or kept.activity != activity):
                changes["exercise"] = (record.exercise, None)  # the old activity's exercise does not fit
        if exercise is not None:
            check_exercise(exercise, new_activity)
            changes["exercise"] = (record.exercise, exercise)
        if side is not None:
            if side not in SIDES:
                raise JournalError(
                    f"`side` is one of {', '.join(SIDES)}, not {side!r}",
                    value=side,
                    expected=", ".join(SIDES),
                    parameter="side",
                )
            changes["side"] = (record.side, side)
        if added_load_kg is not None:
            check_range("added load", added_load_kg, ADDED_LOAD_RANGE_KG, "kg")
            changes["added_load_kg"] = (record.added_load_kg, float(added_load_kg))
        if day is not None and day != record.local_date:
            day = self._check_day(day)
            shift = dt.timedelta(days=(day - record.local_date).days)
            changes["local_date"] = (record.local_date.isoformat(), day.isoformat())
            changes["start_utc"] = (record.start_utc.isoformat(), (record.start_utc + shift).isoformat())
        return {k: v for k, v in changes.items() if v[0] != v[1]}

    # ------------------------------------------------------------------------------- deletion

    def delete_session(self, session_id: int) -> int:
        """Delete a session (its streams, pain and audit trail with it) into the audit trail; return its trash id."""
        self._require_session(session_id)
        with self.transaction():
            return self._move_to_trash("session", session_id)

    def delete_entry(self, kind: str, day: dt.date, *, side: str | None = None, source: str | None = None) -> int:
        """Delete a pain, mass, VISA-A or baseline entry of ``day`` into the audit trail; return its trash id.

        A baseline entry is named by its side (and, when a day has both, its source: ``logged`` or
        ``measured``).
        """
        table = ENTRY_TABLES.get(kind)
        if table is None:
            raise JournalError(f"an entry is one of {', '.join(ENTRY_TABLES)}, not {kind!r}")
        if table != "baseline_test":
            row = self._conn.execute(f"SELECT rowid FROM {table} WHERE day = ?", (day.isoformat(),)).fetchall()
        else:
            if side is None:
                raise JournalError("a baseline entry is deleted by its `side` (left or right)", parameter="side")
            row = self._conn.execute(
                "SELECT id FROM baseline_test WHERE day = ? AND side = ? AND source = coalesce(?, source)",
                (day.isoformat(), side, source),
            ).fetchall()
            if len(row) > 1:
                raise JournalError(
                    f"{day.isoformat()} has a logged and a measured {side} baseline; say which with `source`",
                    parameter="source",
                )
        if not row:
            what = f"{side} baseline" if side else f"{kind} entry"
            raise JournalError(f"there is no {what} on {day.isoformat()}; nothing was changed")
        with self.transaction():
            return self._move_to_trash(table, int(row[0][0]))

    def deleted_items(self) -> list[DeletedItem]:
        """Every deletion in the audit trail, oldest first (undeleted ones too, marked)."""
        rows = self._conn.execute(
            "SELECT id, table_name, row_json, deleted_utc, undeleted_utc FROM deleted_row ORDER BY id"
        ).fetchall()
        return [
            DeletedItem(trash_id=int(i), what=_describe(t, json.loads(r)), deleted_utc=d, undeleted_utc=u)
            for i, t, r, d, u in rows
        ]

    def undelete(self, trash_id: int) -> str:
        """Put a deleted session or entry back; return what was restored (a session may get a new id).

        Raises
        ------
        JournalError
            If there is no such deletion, it was undone already, or the journal holds a row in its
            place now (the same day's entry logged again, the same recording imported again).
        """
        found = self._conn.execute(
            "SELECT table_name, row_json, dependents_json, undeleted_utc FROM deleted_row WHERE id = ?", (trash_id,)
        ).fetchone()
        if found is None:
            raise JournalError(f"there is no deletion {trash_id}; `calfload undelete` lists them")
        table, row_text, dependents_text, undone = found
        if undone is not None:
            raise JournalError(f"deletion {trash_id} was undone on {undone[:10]}; nothing was changed")
        row: Row = json.loads(row_text)
        dependents: dict[str, list[Row]] = json.loads(dependents_text)
        with self.transaction() as c:
            try:
                restored = self._restore(c, table, row, dependents)
            except sqlite3.IntegrityError:
                raise JournalError(
                    f"cannot undelete {_describe(table, row)}: the journal holds one in its place now "
                    "(logged or imported again); delete that first"
                ) from None
            c.execute("UPDATE deleted_row SET undeleted_utc = ? WHERE id = ?", (now_iso(), trash_id))
        return restored

    # -------------------------------------------------------------------------------- helpers

    def _move_to_trash(self, table: str, key: int) -> int:
        """Move one row (by rowid) and its dependents into ``deleted_row``; return the trash id."""
        c = self._conn
        row = _rows(c, table, "rowid = ?", key)[0]
        dependents: dict[str, list[Row]] = {}
        if table == "session":
            for dep in SESSION_DEPENDENTS:
                dependents[dep] = _rows(c, dep, "session_id = ?", key)
            links = c.execute("SELECT id FROM baseline_test WHERE session_id = ?", (key,)).fetchall()
            dependents["baseline_link"] = [{"id": int(i)} for (i,) in links]
        cur = c.execute(
            "INSERT INTO deleted_row (table_name, row_key, row_json, dependents_json, deleted_utc) "
            "VALUES (?, ?, ?, ?, ?)",
            (table, str(key), json.dumps(row, sort_keys=True), json.dumps(dependents, sort_keys=True), now_iso()),
        )
        for dep in SESSION_DEPENDENTS if table == "session" else ():
            c.execute(f"DELETE FROM {dep} WHERE session_id = ?", (key,))
        c.execute(f"DELETE FROM {table} WHERE rowid = ?", (key,))
        return int(cur.lastrowid or 0)

    def _restore(self, c: sqlite3.Connection, table: str, row: Row, dependents: Mapping[str, list[Row]]) -> str:
        if table != "session":
            _insert(c, table, row)
            return _describe(table, row)
        old_id = int(str(row["id"]))
        taken = c.execute("SELECT 1 FROM session WHERE id = ?", (old_id,)).fetchone() is not None
        new_row = {k: v for k, v in row.items() if not (taken and k == "id")}
        new_id = _insert(c, "session", new_row)
        for dep in SESSION_DEPENDENTS:
            for r in dependents.get(dep, []):
                _insert(c, dep, {k: v for k, v in r.items() if k != "id"} | {"session_id": new_id})
        for link in dependents.get("baseline_link", []):
            c.execute(
                "UPDATE baseline_test SET session_id = ? WHERE id = ? AND session_id IS NULL", (new_id, link["id"])
            )
        self._audit(c, new_id, "undeleted", None if new_id == old_id else f"session {old_id}", f"session {new_id}")
        moved = "" if new_id == old_id else f" as session {new_id} (its id {old_id} was taken)"
        return f"{_describe('session', row)}{moved}"

    def _audit(self, c: sqlite3.Connection, session_id: int, field: str, old: object, new: object) -> None:
        c.execute(
            "INSERT INTO session_edit (session_id, field, old_value, new_value, edited_utc) VALUES (?, ?, ?, ?, ?)",
            (session_id, field, None if old is None else str(old), None if new is None else str(new), now_iso()),
        )


def _rows(c: sqlite3.Connection, table: str, where: str, key: int) -> list[Row]:
    cur = c.execute(f"SELECT rowid AS _rowid, * FROM {table} WHERE {where}", (key,))
    names = [d[0] for d in cur.description]
    return [{n: v for n, v in zip(names, r, strict=True) if n != "_rowid"} for r in cur.fetchall()]


def _insert(c: sqlite3.Connection, table: str, row: Mapping[str, object]) -> int:
    """Insert a row by its column names (columns the table no longer has are left out)."""
    columns = {r[1] for r in c.execute(f"PRAGMA table_info({table})")}
    kept = {k: v for k, v in row.items() if k in columns}
    cur = c.execute(
        f"INSERT INTO {table} ({', '.join(kept)}) VALUES ({', '.join('?' * len(kept))})", tuple(kept.values())
    )
    return int(cur.lastrowid or 0)


def _describe(table: str, row: Mapping[str, object]) -> str:
    if table == "session":
        return f"session {row['id']} ({row['local_date']}, {row['activity']}, {row['source_name']})"
    if table == "baseline_test":
        return f"{row.get('source', 'logged')} {row['side']} baseline of {row['day']}"
    name = {v: k for k, v in ENTRY_TABLES.items()}.get(table, table)
    return f"{name} entry of {row['day']}"


__all__ = ["ENTRY_TABLES", "Corrections", "DeletedItem"]
