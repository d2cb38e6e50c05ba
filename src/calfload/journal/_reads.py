"""Reading the journal: sessions as typed results, pain, body mass, baseline tests, the history."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from calfload._logger import package_logger
from calfload.errors import JournalError
from calfload.journal._cadence_store import RelationWindows, cadence_windows, judged_runs, relation_before
from calfload.journal._load_days import stored_window
from calfload.journal._loads import session_analysis, stored_loads, window_loads
from calfload.journal._records import SessionRecord
from calfload.loadmodel import learn_athlete
from calfload.loadmodel._baseline import BaselineTest, HeelRiseDetails
from calfload.loadmodel._cadence_types import CadenceSpeedRelation, JudgedRun
from calfload.loadmodel._history import EarlierDays, History, PainEntry, SessionPain, daily_most_loaded
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._session import Athlete
from calfload.loadmodel._visa_a import VisaA

logger = package_logger(__name__)


class JournalReads:
    """The journal's queries (:class:`calfload.journal.Journal` adds the writes)."""

    data_dir: Path
    _conn: sqlite3.Connection

    @property
    def today(self) -> dt.date:
        """The athlete's current date."""
        raise NotImplementedError

    def sessions(
        self, first: dt.date | None = None, last: dt.date | None = None, *, activity: str | None = None
    ) -> list[SessionRecord]:
        """Sessions dated ``first`` to ``last`` (inclusive, either open), in time order; of ``activity`` if given.

        Only the sessions returned have their analyses parsed.
        """
        rows = self._conn.execute(
            "SELECT id, source_name, start_utc, local_date, kind, activity, exercise, added_load_kg, side, "
            "placement, duration_s, analysis_json, content_sha256 FROM session "
            "WHERE local_date >= ? AND local_date <= ? AND (? IS NULL OR activity = ?) ORDER BY start_utc, id",
            ((first or dt.date.min).isoformat(), (last or dt.date.max).isoformat(), activity, activity),
        ).fetchall()
        streams: dict[int, dict[str, Path]] = {}
        feet: dict[int, dict[str, Path]] = {}
        for sid, kind, side, path in self._conn.execute(
            "SELECT session_id, kind, side, path FROM stream WHERE session_id IN "
            "(SELECT id FROM session WHERE local_date >= ? AND local_date <= ?) ORDER BY session_id, kind, side",
            ((first or dt.date.min).isoformat(), (last or dt.date.max).isoformat()),
        ):
            streams.setdefault(int(sid), {}).setdefault(str(kind), self.data_dir / str(path))  # left before right
            if kind == "imu" and side in ("left", "right"):
                feet.setdefault(int(sid), {})[str(side)] = self.data_dir / str(path)
        return [
            SessionRecord(
                session_id=int(r[0]),
                source_name=r[1],
                start_utc=dt.datetime.fromisoformat(r[2]),
                local_date=dt.date.fromisoformat(r[3]),
                kind=r[4],
                activity=r[5],
                exercise=r[6],
                added_load_kg=r[7],
                side=r[8],
                placement=r[9],
                duration_s=r[10],
                analysis=session_analysis(r[11], int(r[0])),
                content_sha256=r[12],
                stream_paths=streams.get(int(r[0]), {}),
                feet=_feet(feet.get(int(r[0]), {})),
            )
            for r in rows
        ]

    def cadence_windows(self, until: dt.date | None = None) -> list[tuple[int, dt.datetime, RelationWindows | None]]:
        """Runs dated up to ``until`` in time order: id, start and the windows they teach the cadence relation.

        See :func:`calfload.loadmodel._cadence.relation_windows`; stored with each run's load, so no
        analysis is parsed.
        """
        return cadence_windows(self._conn, until or dt.date.max)

    def judged_runs(self, first: dt.date, last: dt.date) -> list[tuple[int, dt.date, JudgedRun | None]] | None:
        """Runs dated ``first`` to ``last`` in time order: id, date and the cadence check stored with the load.

        No analysis is parsed and NumPy is not imported. None when a run's stored row is missing or
        of an older calfload (then compute the checks from the analyses).
        """
        return judged_runs(self._conn, first, last)

    def cadence_relation_before(self, before: dt.datetime | None) -> CadenceSpeedRelation | None:
        """The runner's cadence-speed relation learnt from the runs that started before ``before`` (all when None).

        Reads the relation stored with the last such run (one indexed row).
        """
        return relation_before(self._conn, before)

    def session(self, session_id: int) -> SessionRecord | None:
        """One session by id."""
        row = self._conn.execute("SELECT local_date FROM session WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        day = dt.date.fromisoformat(row[0])
        return next(s for s in self.sessions(day, day) if s.session_id == session_id)

    def pain_entries(self, first: dt.date | None = None, last: dt.date | None = None) -> list[PainEntry]:
        """Pain entries dated ``first`` to ``last``, oldest first."""
        rows = self._conn.execute(
            "SELECT day, during, after, morning, stiffness, tenderness, swelling, sharp FROM pain "
            "WHERE day >= ? AND day <= ? ORDER BY day",
            ((first or dt.date.min).isoformat(), (last or dt.date.max).isoformat()),
        )
        return [
            PainEntry(
                day=dt.date.fromisoformat(r[0]),
                during=r[1],
                after=r[2],
                morning=r[3],
                stiffness=r[4],
                tenderness=r[5],
                swelling=None if r[6] is None else bool(r[6]),
                sharp=None if r[7] is None else bool(r[7]),
            )
            for r in rows
        ]

    def session_pains(self, last: dt.date | None = None, *, first: dt.date | None = None) -> list[SessionPain]:
        """Pain logged per session, of sessions dated ``first`` (default: any) to ``last``."""
        rows = self._conn.execute(
            "SELECT p.session_id, s.local_date, p.during, p.after, p.sharp FROM session_pain p "
            "JOIN session s ON s.id = p.session_id WHERE s.local_date >= ? AND s.local_date <= ? "
            "ORDER BY s.start_utc, s.id",
            ((first or dt.date.min).isoformat(), (last or dt.date.max).isoformat()),
        )
        return [
            SessionPain(
                session_id=int(sid),
                day=dt.date.fromisoformat(d),
                during=du,
                after=af,
                sharp=None if sh is None else bool(sh),
            )
            for sid, d, du, af, sh in rows
        ]

    def body_mass_entries(self) -> list[tuple[dt.date, float]]:
        """All body-mass entries, oldest first."""
        rows = self._conn.execute("SELECT day, mass_kg FROM body_mass ORDER BY day")
        return [(dt.date.fromisoformat(d), float(m)) for d, m in rows]

    def visa_a_entries(self, last: dt.date | None = None) -> list[VisaA]:
        """VISA-A questionnaires dated up to ``last``, oldest first."""
        rows = self._conn.execute(
            "SELECT day, items_json FROM visa_a WHERE day <= ? ORDER BY day", ((last or dt.date.max).isoformat(),)
        )
        return [VisaA(day=dt.date.fromisoformat(d), items=tuple(json.loads(items))) for d, items in rows]

    def baseline_tests(self) -> list[BaselineTest]:
        """All baseline assessments, oldest first."""
        rows = self._conn.execute(
            "SELECT day, side, source, heel_rise_reps, calf_circumference_cm, knee_to_wall_cm, session_id, "
            "details_json FROM baseline_test ORDER BY day, side, source"
        )
        return [
            BaselineTest(
                day=dt.date.fromisoformat(d),
                side=s,
                source=src,
                heel_rise_reps=h,
                calf_circumference_cm=c,
                knee_to_wall_cm=k,
                session_id=sid,
                details=None if det is None else HeelRiseDetails.from_json(json.loads(det), source=f"baseline {d} {s}"),
            )
            for d, s, src, h, c, k, sid, det in rows
        ]

    def settings(self) -> dict[str, str]:
        """All athlete settings."""
        return {str(k): str(v) for k, v in self._conn.execute("SELECT key, value FROM setting")}

    def counts(self) -> dict[str, int]:
        """Row counts per table (for checks that a command changed nothing)."""
        tables = (
            "session",
            "stream",
            "session_edit",
            "body_mass",
            "pain",
            "baseline_test",
            "setting",
            "session_pain",
            "deleted_row",
        )
        return {t: int(self._conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def athlete(self, day: dt.date) -> Athlete:
        """Body mass on ``day`` and the easy-run speed and cadence learned from runs up to ``day``."""
        masses = [m for d, m in self.body_mass_entries() if d <= day]
        runs = [r.analysis for r in self.sessions(None, day) if r.activity == "run"]
        return learn_athlete(masses[-1] if masses else None, runs, self.settings(), DEFAULT_PARAMETERS)

    def history(
        self, until: dt.date, params: LoadModelParameters = DEFAULT_PARAMETERS, *, since: dt.date | None = None
    ) -> History:
        """Return the load model's view of everything dated up to ``until``.

        The same as :func:`calfload.loadmodel.build_history` of the sessions' analyses: each
        session's load uses the athlete as they were on its day, so it never changes as newer runs
        arrive. The loads are the stored ones (:mod:`calfload.journal._loads`): no analysis is
        parsed unless a stored load is missing or was computed with other parameters.

        With ``since``, the history holds the sessions and pain from ``since`` on, and the daily
        load of the days before it (:class:`calfload.loadmodel._history.EarlierDays`, for the
        trends): what a review of a window needs, read from a journal of any length.
        """
        mass = self._conn.execute(
            "SELECT mass_kg FROM body_mass WHERE day <= ? ORDER BY day DESC LIMIT 1", (until.isoformat(),)
        ).fetchone()
        if since is None:
            loads = stored_loads(self._conn, until, params)
            return History.build(
                loads,
                self.pain_entries(None, until),
                None if mass is None else float(mass[0]),
                self.session_pains(until),
            )
        stored = stored_window(self._conn, until, since, params)
        if stored is not None:  # the window's rows and one row of the trends' state (schema v10)
            return History.build(
                stored[0],
                self.pain_entries(since, until),
                None if mass is None else float(mass[0]),
                self.session_pains(until, first=since),
                stored[1],
            )
        loads, before = window_loads(self._conn, until, since, params)
        first_pain = self._conn.execute("SELECT min(day) FROM pain WHERE day < ?", (since.isoformat(),)).fetchone()[0]
        days = [d for d, _, _ in before] + ([dt.date.fromisoformat(first_pain)] if first_pain else [])
        earlier = None
        if days:
            first = min(days)
            daily = daily_most_loaded(before, first, since - dt.timedelta(days=1))
            earlier = EarlierDays(first_date=first, daily_load_au=daily)
        return History.build(
            loads,
            self.pain_entries(since, until),
            None if mass is None else float(mass[0]),
            self.session_pains(until, first=since),
            earlier,
        )

    # --------------------------------------------------------------------------------- helpers

    def _check_day(self, day: dt.date | None) -> dt.date:
        day = day or self.today
        if day > self.today:
            raise JournalError(
                f"{day.isoformat()} is in the future (today is {self.today.isoformat()}); "
                "entries are for today or earlier"
            )
        if day.year < 2000:
            raise JournalError(f"{day.isoformat()} is too far in the past; check the date")
        return day

    def _require_session(self, session_id: int) -> SessionRecord:
        record = self.session(session_id)
        if record is None:
            raise JournalError(f"there is no session {session_id}; `calfload review` lists the sessions and their ids")
        return record


def _feet(sides: dict[str, Path]) -> tuple[Path, ...]:
    """The left and right foot streams, when the session has both."""
    return (sides["left"], sides["right"]) if sides.keys() == {"left", "right"} else ()
