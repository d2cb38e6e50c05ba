"""Entries of the journal besides sessions: body mass, pain, VISA-A, baseline tests, session details, settings.

Each entry is checked before anything is written (out-of-range input raises
:class:`~calfload.errors.JournalError` in one line and changes nothing) and written in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from calfload.errors import JournalError
from calfload.journal._corrections import Corrections
from calfload.journal._paths import now_iso
from calfload.journal._records import (
    HEEL_RISE_REPS_RANGE,
    PAIN_MAX,
    PAIN_MIN,
    SessionRecord,
    check_exercise,
    check_range,
)
from calfload.loadmodel._baseline import BaselineTest, HeelRiseDetails
from calfload.loadmodel._history import PainEntry, SessionPain
from calfload.loadmodel._visa_a import VisaA, check_items
from calfload.units import plural
from calfload.vocabulary import (
    ADDED_LOAD_RANGE_KG,
    BODY_MASS_RANGE_KG,
    CALF_CIRCUMFERENCE_RANGE_CM,
    KNEE_TO_WALL_RANGE_CM,
)


class EntryWrites(Corrections):
    """Logging entries (:class:`calfload.journal.Journal` adds the lifecycle and transactions)."""

    def log_mass(self, mass_kg: float, day: dt.date | None = None) -> None:
        """Record body mass for a day (replacing that day's entry)."""
        day = self._check_day(day)
        check_range("body mass", mass_kg, BODY_MASS_RANGE_KG, "kg")
        with self.transaction() as c:
            c.execute(
                "INSERT INTO body_mass (day, mass_kg, entered_utc) VALUES (?, ?, ?) "
                "ON CONFLICT (day) DO UPDATE SET mass_kg = excluded.mass_kg, entered_utc = excluded.entered_utc",
                (day.isoformat(), float(mass_kg), now_iso()),
            )

    def log_pain(
        self,
        day: dt.date | None = None,
        *,
        during: int | None = None,
        after: int | None = None,
        morning: int | None = None,
        stiffness: int | None = None,
        tenderness: int | None = None,
        swelling: bool | None = None,
        sharp: bool | None = None,
    ) -> PainEntry:
        """Record pain (0-10) and tissue signs for a day; given fields replace that day's, others are kept."""
        day = self._check_day(day)
        scores: dict[str, object] = {
            "during": during,
            "after": after,
            "morning": morning,
            "stiffness": stiffness,
            "tenderness": tenderness,
        }
        flags: dict[str, bool | None] = {"swelling": swelling, "sharp": sharp}
        if all(v is None for v in (*scores.values(), *flags.values())):
            raise JournalError(
                "give at least one of `during`, `after`, `morning`, `stiffness`, `tenderness` (0-10), "
                "`swelling`, `sharp`",
                expected="at least one score or sign",
            )
        for name, value in scores.items():
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX
            ):
                label = name if name in ("stiffness", "tenderness") else f"pain {name}"
                raise JournalError(f"{label} must be a whole number from {PAIN_MIN} to {PAIN_MAX}, got {value}")
        values = {**scores, **{k: None if v is None else int(v) for k, v in flags.items()}}
        columns = ", ".join(values)
        merge = ", ".join(f"{k} = coalesce(excluded.{k}, {k})" for k in values)
        with self.transaction() as c:
            c.execute(
                f"INSERT INTO pain (day, {columns}, entered_utc) VALUES (?, {', '.join('?' * len(values))}, ?) "
                f"ON CONFLICT (day) DO UPDATE SET {merge}, entered_utc = excluded.entered_utc",
                (day.isoformat(), *values.values(), now_iso()),
            )
        return self.pain_entries(day, day)[0]

    def log_session_pain(
        self, session_id: int, *, during: int | None = None, after: int | None = None, sharp: bool | None = None
    ) -> SessionPain:
        """Record pain during and after one session (a day with two sessions keeps them apart).

        Given fields replace that session's, others are kept. The rules read each day's worst.
        """
        if during is None and after is None and sharp is None:
            raise JournalError(
                "a session's pain is `during`, `after` (0-10) and/or `sharp`", expected="at least one score or sign"
            )
        values: dict[str, object] = {"during": during, "after": after}
        for name, value in values.items():
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX
            ):
                raise JournalError(f"pain {name} must be a whole number from {PAIN_MIN} to {PAIN_MAX}, got {value}")
        with self.transaction() as c:
            record = self._require_session(session_id)
            c.execute(
                "INSERT INTO session_pain (session_id, during, after, sharp, entered_utc) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (session_id) DO UPDATE SET during = coalesce(excluded.during, during), "
                "after = coalesce(excluded.after, after), sharp = coalesce(excluded.sharp, sharp), "
                "entered_utc = excluded.entered_utc",
                (session_id, during, after, None if sharp is None else int(sharp), now_iso()),
            )
        return next(p for p in self.session_pains(record.local_date) if p.session_id == session_id)

    def session_of(self, day: dt.date, activity: str) -> int:
        """The id of the one session of ``activity`` on ``day`` (``log pain --activity``)."""
        ids = [s.session_id for s in self.sessions(day, day) if s.activity == activity]
        if len(ids) != 1:
            found = f"no {activity} session" if not ids else plural(len(ids), f"{activity} session")
            raise JournalError(
                f"{day.isoformat()} has {found}; name the session with `session_id` (`calfload review` lists them)",
                parameter="session_id",
            )
        return ids[0]

    def log_visa_a(self, items: Sequence[int], day: dt.date | None = None) -> VisaA:
        """Record a VISA-A questionnaire (eight items, each checked against its scale) for a day."""
        day = self._check_day(day)
        entry = VisaA(day=day, items=check_items(list(items)))
        with self.transaction() as c:
            c.execute(
                "INSERT INTO visa_a (day, items_json, score, entered_utc) VALUES (?, ?, ?, ?) ON CONFLICT (day) "
                "DO UPDATE SET items_json = excluded.items_json, score = excluded.score, "
                "entered_utc = excluded.entered_utc",
                (day.isoformat(), json.dumps(list(entry.items)), entry.score, now_iso()),
            )
        return entry

    def log_baseline(
        self,
        side: str,
        day: dt.date | None = None,
        *,
        heel_rise_reps: int | None = None,
        calf_circumference_cm: float | None = None,
        knee_to_wall_cm: float | None = None,
    ) -> BaselineTest:
        """Record a logged baseline assessment of one side (``log baseline``).

        Given fields replace that day's logged entry, others are kept. A heel-rise test measured
        from recordings (:meth:`store_measured_baseline`) is a separate row of the same day.
        """
        day = self._check_day(day)
        _check_side(side)
        if heel_rise_reps is None and calf_circumference_cm is None and knee_to_wall_cm is None:
            raise JournalError(
                "give at least one of `heel_rise_reps`, `calf_circumference_cm`, `knee_to_wall_cm`",
                expected="at least one measurement",
            )
        if heel_rise_reps is not None:
            check_range("heel-rise reps", heel_rise_reps, HEEL_RISE_REPS_RANGE, "")
        if calf_circumference_cm is not None:
            check_range("calf circumference", calf_circumference_cm, CALF_CIRCUMFERENCE_RANGE_CM, "cm")
        if knee_to_wall_cm is not None:
            check_range("knee-to-wall distance", knee_to_wall_cm, KNEE_TO_WALL_RANGE_CM, "cm")
        with self.transaction() as c:
            c.execute(
                "INSERT INTO baseline_test (day, side, source, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm, "
                "entered_utc) VALUES (?, ?, 'logged', ?, ?, ?, ?) "
                "ON CONFLICT (day, side, source) DO UPDATE SET "
                "heel_rise_reps = coalesce(excluded.heel_rise_reps, heel_rise_reps), "
                "calf_circumference_cm = coalesce(excluded.calf_circumference_cm, calf_circumference_cm), "
                "knee_to_wall_cm = coalesce(excluded.knee_to_wall_cm, knee_to_wall_cm), "
                "entered_utc = excluded.entered_utc",
                (day.isoformat(), side, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm, now_iso()),
            )
        return next(b for b in self.baseline_tests() if b.day == day and b.side == side and b.source == "logged")

    def store_measured_baseline(
        self,
        side: str,
        day: dt.date | None = None,
        *,
        heel_rise_reps: int,
        details: HeelRiseDetails,
        session_id: int | None = None,
    ) -> bool:
        """Store one side of a heel-rise test measured from a recording (``test heel-rise``).

        A test is one record: a second measured test of the same day and side replaces the first
        whole (the replaced row is kept in the audit trail); a logged baseline of that day is a
        separate row and is never mixed in.

        Returns
        -------
        bool
            Whether a measured test of that day and side was replaced.
        """
        day = self._check_day(day)
        _check_side(side)
        check_range("heel-rise reps", heel_rise_reps, HEEL_RISE_REPS_RANGE, "")
        with self.transaction() as c:
            if session_id is not None:
                self._require_session(session_id)
            old = c.execute(
                "SELECT id FROM baseline_test WHERE day = ? AND side = ? AND source = 'measured'",
                (day.isoformat(), side),
            ).fetchone()
            if old is not None:
                self._move_to_trash("baseline_test", int(old[0]))
            c.execute(
                "INSERT INTO baseline_test (day, side, source, heel_rise_reps, session_id, details_json, entered_utc) "
                "VALUES (?, ?, 'measured', ?, ?, ?, ?)",
                (
                    day.isoformat(),
                    side,
                    heel_rise_reps,
                    session_id,
                    json.dumps(details.to_json(), sort_keys=True),
                    now_iso(),
                ),
            )
        return old is not None

    def set_session_details(
        self, session_id: int, *, exercise: str | None = None, added_load_kg: float | None = None
    ) -> SessionRecord:
        """Say which exercise and added load a session was (editable after the fact, with an audit trail)."""
        if exercise is None and added_load_kg is None:
            raise JournalError("give `exercise` and/or `added_load_kg`", expected="an exercise or an added load")
        with self.transaction() as c:
            record = self._require_session(session_id)
            changes: dict[str, Any] = {}
            if exercise is not None:
                check_exercise(exercise, record.activity)
                changes["exercise"] = exercise
            if added_load_kg is not None:
                check_range("added load", added_load_kg, ADDED_LOAD_RANGE_KG, "kg")
                changes["added_load_kg"] = float(added_load_kg)
            for field_name, value in changes.items():
                old = getattr(record, field_name)
                c.execute(f"UPDATE session SET {field_name} = ? WHERE id = ?", (value, session_id))
                c.execute(
                    "INSERT INTO session_edit (session_id, field, old_value, new_value, edited_utc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (session_id, field_name, None if old is None else str(old), str(value), now_iso()),
                )
        return self._require_session(session_id)

    def set_setting(self, key: str, value: str) -> None:
        """Store one athlete setting (e.g. ``easy_run_speed_mps``)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _check_side(side: str) -> None:
    if side not in ("left", "right"):
        raise JournalError(f"side must be left or right, got {side!r}")


__all__ = ["EntryWrites"]
