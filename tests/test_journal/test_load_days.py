"""The load trends' stored running state (schema v10): equal to a recomputation, and read in O(window).

The truth is :func:`calfload.loadmodel.daily_trend` over the whole history's daily load, from the
first day with a session or a pain entry, which is what every review computed before v10. After
any sequence of adds, corrections, deletions, undeletions, imports of old sessions, pain entries
and body masses, the stored rows must equal it bit for bit and cover every day; and a review that
reads the state must equal the review that walks the history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import calfload.journal._reads as reads_module
import calfload.pipeline._review as review_module
from calfload.errors import JournalError
from calfload.journal import Journal
from calfload.journal._load_days import STORED_TO_THE_END
from calfload.journal._loads import stored_loads
from calfload.loadmodel import daily_trend
from calfload.loadmodel._earlier import daily_most_loaded
from calfload.loadmodel._params import TrendParameters
from calfload.loadmodel._workout import Workout
from calfload.pipeline import review_journal, review_period
from tests.test_journal.test_loads import _calf, _insert, _run

TODAY = dt.date(2024, 6, 1)


def _expected_rows(journal: Journal) -> dict[str, tuple[float, float, float]]:
    """Each session day's load and averages, recomputed from the whole history as review did before v10."""
    conn = journal._conn
    loads = [(s.local_date, s.legs, s.load_au) for s in stored_loads(conn, dt.date.max)]
    pain = [dt.date.fromisoformat(d) for (d,) in conn.execute("SELECT day FROM pain")]
    if not loads:
        return {}
    first = min([d for d, _, _ in loads] + pain)
    last = max(d for d, _, _ in loads)
    trend = daily_trend(first, daily_most_loaded(loads, first, last), TrendParameters())
    return {
        d.isoformat(): (trend.load_au[i], trend.acute_au[i], trend.chronic_au[i])
        for d in {d for d, _, _ in loads}
        if (i := trend.index(d)) >= 0
    }


def _check_state(journal: Journal) -> None:
    conn = journal._conn
    stored = {d: (a, b, c) for d, a, b, c in conn.execute("SELECT day, load_au, acute_au, chronic_au FROM load_day")}
    assert stored == _expected_rows(journal)
    assert conn.execute("SELECT stale_from FROM load_state").fetchone() == (STORED_TO_THE_END,)


@st.composite
def _operations(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    kinds = st.sampled_from(["run", "calf", "run", "calf", "correct", "move", "delete", "undelete", "pain", "mass"])
    return draw(st.lists(st.tuples(kinds, st.integers(0, 80), st.integers(0, 5)), min_size=1, max_size=9))


def _apply(journal: Journal, op: str, back: int, n: int) -> None:
    """One change to the journal through its public methods (a day ``back`` days before today)."""
    day = TODAY - dt.timedelta(days=back)
    ids = [int(i) for (i,) in journal._conn.execute("SELECT id FROM session ORDER BY id")]
    if op == "run":  # any day: an old session imported late as well as today's
        journal.add_workout(Workout(activity="run", day=day, distance_km=4.0 + 3 * n))
    elif op == "calf":
        journal.add_workout(Workout(activity="calf_raise", day=day, sets=2 + n % 3, reps=8 + n))
    elif op == "correct" and ids:
        journal.correct_session(ids[n % len(ids)], added_load_kg=2.5 * (n + 1))
    elif op == "move" and ids:
        journal.correct_session(ids[n % len(ids)], day=day)
    elif op == "delete" and ids:
        journal.delete_session(ids[n % len(ids)])
    elif op == "undelete" and (trash := [t for t in journal.deleted_items() if t.undeleted_utc is None]):
        journal.undelete(trash[n % len(trash)].trash_id)
    elif op == "pain":  # sometimes before every session: the trends' first day moves
        journal.log_pain(day=day, morning=n)
    elif op == "mass":
        journal.log_mass(60.0 + n, day)


def _reviews(journal: Journal) -> list[dict[str, Any]]:
    """Reviews of days whose window starts inside the history (a 20-day look-back), and a period."""
    with mock.patch.object(review_module, "REVIEW_LOOKBACK_DAYS", 20):
        out = [review_journal(journal, TODAY - dt.timedelta(days=b)).to_dict() for b in (0, 9, 40)]
        out.append(review_period(journal, TODAY, since_days=30).to_dict())
    return out


@contextlib.contextmanager
def _journal() -> Iterator[Journal]:
    with tempfile.TemporaryDirectory() as folder, Journal(Path(folder) / "data", today=TODAY) as journal:
        yield journal


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_operations())
def test_the_stored_state_equals_a_recomputation_after_any_changes(operations: list[tuple[str, int, int]]) -> None:
    with _journal() as journal:
        journal.log_pain(day=TODAY - dt.timedelta(days=60), morning=1)
        for op, back, n in operations:
            with contextlib.suppress(JournalError):  # a refused change (the same value again) changes nothing
                _apply(journal, op, back, n)
            _check_state(journal)
        read = _reviews(journal)
        with mock.patch.object(reads_module, "stored_window", return_value=None):  # walk the history instead
            assert read == _reviews(journal)


class _CountingCursor:
    def __init__(self, cursor: sqlite3.Cursor, counts: list[int]) -> None:
        self._cursor, self._counts = cursor, counts

    def __iter__(self) -> Iterator[Any]:
        for row in self._cursor:
            self._counts.append(1)
            yield row

    def fetchone(self) -> Any:
        row = self._cursor.fetchone()
        self._counts.append(row is not None)
        return row

    def fetchall(self) -> list[Any]:
        rows = self._cursor.fetchall()
        self._counts.append(len(rows))
        return rows


class _CountingConnection:
    """The journal's connection, counting the rows every query hands back."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.counts: list[int] = []

    def execute(self, sql: str, parameters: Any = ()) -> _CountingCursor:
        return _CountingCursor(self._conn.execute(sql, parameters), self.counts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _rows_read(folder: Path, years_before: int) -> int:
    """Rows a review reads on a journal of the same last 80 days after ``years_before`` years of runs and calf work."""
    with Journal(folder, today=TODAY) as journal:
        with journal.transaction() as c:
            for back in range(80 + 365 * years_before, -1, -1):
                day = TODAY - dt.timedelta(days=back)
                if day.weekday() in (1, 5):
                    _insert(c, back, day, _run(2.6 + 0.1 * (back % 7), 160.0 + back % 11))
                elif day.weekday() == 3:
                    _insert(c, back, day, _calf(8 + back % 5))
                if back % 3 == 0:
                    c.execute("INSERT INTO pain (day, morning, entered_utc) VALUES (?, 1, 'x')", (day.isoformat(),))
        counting = _CountingConnection(journal._conn)
        journal._conn = counting  # type: ignore[assignment]
        with mock.patch.object(review_module, "REVIEW_LOOKBACK_DAYS", 30):
            review = review_journal(journal, TODAY)
        journal._conn = counting._conn
    assert len(review.sessions) >= 8
    return sum(counting.counts)


def test_a_review_reads_as_many_rows_on_a_long_journal_as_on_a_short_one(tmp_path: Path) -> None:
    """The window's rows and one row of the trends' state, whatever lies before the window (rows, not time)."""
    short, long = _rows_read(tmp_path / "short", 0), _rows_read(tmp_path / "long", 2)
    assert short == long
    assert short < 120  # the window's sessions and pain (about 60), a few look-ups
