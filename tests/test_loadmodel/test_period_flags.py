"""The daily flags of a long period, computed with the once-per-history look-ups, equal the per-day scans'."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.loadmodel import History, PainEntry, SessionLoad, _pain_rules, _rulebase
from calfload.loadmodel._history import WEEK_DAYS
from calfload.loadmodel._rulebase import Reading, latest_reading, morning_pain, stiffness, tenderness
from calfload.loadmodel._rules import DailyFlag, evaluate_day

from .conftest import MONDAY, _calf_analysis, _load, _run_analysis

YEARS_DAYS = 2 * 365 + 30


def _scanned_heavy_days(self: History, first: dt.date, last: dt.date) -> list[dt.date]:
    """The rule as it was: the window's sessions scanned for strength or plyometric work."""
    return sorted({s.local_date for s in self.sessions_between(first, last) if s.is_heavy})


def _scanned_latest_reading(history: History, day: dt.date, read: Reading) -> tuple[dt.date, int] | None:
    """The rule as it was: every value of the week listed, the last one kept."""
    week = history.pain_between(day - dt.timedelta(days=WEEK_DAYS - 1), day)
    found = [(p.day, v) for p in week if (v := read(p)) is not None]
    return found[-1] if found else None


def _summed_weekly_means(
    history: History, day: dt.date, weeks: int, read: Reading, min_entries: int
) -> list[float] | None:
    """The rule as it was: each week summed where it is asked."""
    means: list[float] = []
    for w in range(weeks, -1, -1):
        last = day - dt.timedelta(days=WEEK_DAYS * w)
        total, count = history.pain_sum(last - dt.timedelta(days=WEEK_DAYS - 1), last, read)
        if count == 0 or count < min_entries:
            return None
        means.append(total / count)
    return means


def _journal(seed: int, *, travel: bool, days: int) -> tuple[list[SessionLoad], list[PainEntry]]:
    """Two years of calf sessions (some on consecutive days, some slow), runs with spikes and noisy pain.

    With ``travel`` a few sessions carry a local date before the session started ahead of them (a
    time-zone change), so the history scans its sessions by date instead of bisecting.
    """
    rng = random.Random(seed)
    sessions: list[SessionLoad] = []
    pain: list[PainEntry] = []
    spell = 0
    for i in range(days):
        day = MONDAY + dt.timedelta(days=i)
        if (i // 56) % 2 == 1:  # eight calm weeks: calf sessions Mon/Wed/Fri, low pain logged every morning
            if day.weekday() in (0, 2, 4):
                sessions.append(_load(day, _calf_analysis(reps=12), session_id=len(sessions) + 1))
            pain.append(PainEntry(day=day, morning=rng.randint(0, 1), during=rng.randint(0, 1)))
            continue
        if rng.random() < 0.45:
            reps = rng.randint(8, 15)
            calf = _calf_analysis(reps=reps, eccentric_s=rng.choice((3.2, 3.2, 3.2, 1.5)))
            sessions.append(_load(day, calf, session_id=len(sessions) + 1))
        if rng.random() < 0.3:
            km = rng.choice((6_000.0, 8_000.0, 10_000.0, 16_000.0, 24_000.0))
            sessions.append(_load(day, _run_analysis(distance_m=km), session_id=len(sessions) + 1, hour=17))
        spell = rng.randint(2, 6) if spell == 0 and rng.random() < 0.03 else max(spell - 1, 0)
        if rng.random() < 0.85:
            high = 4 if spell else 0
            pain.append(
                PainEntry(
                    day=day,
                    morning=rng.choice((None, rng.randint(0, 2) + high)),
                    stiffness=rng.choice((None, None, rng.randint(0, 3) + high)),
                    tenderness=rng.choice((None, None, None, rng.randint(0, 3) + high)),
                    during=rng.choice((None, rng.randint(0, 3) + high)),
                    after=rng.choice((None, None, rng.randint(0, 4) + high)),
                    swelling=rng.choice((None, None, None, False, bool(spell))),
                    sharp=rng.choice((None, None, None, None, bool(spell))),
                )
            )
    if travel:
        sessions = [
            dataclasses.replace(s, local_date=s.local_date - dt.timedelta(days=2)) if k % 97 == 50 else s
            for k, s in enumerate(sessions)
        ]
    return sessions, pain


def _flags(sessions: list[SessionLoad], pain: list[PainEntry], days: int) -> list[DailyFlag]:
    history = History.build(sessions, pain, 70.0)  # a fresh history: nothing found before
    return [evaluate_day(history, MONDAY + dt.timedelta(days=i), flag_only=True) for i in range(days)]


@pytest.mark.parametrize(("seed", "travel", "days"), [(1, False, YEARS_DAYS), (2, True, 400)])
def test_a_long_periods_flags_equal_the_scanned_rules(
    seed: int, travel: bool, days: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every day's flag, reasons and rules of two years (a year with travel) equal those the per-day scans give."""
    sessions, pain = _journal(seed, travel=travel, days=days)
    found = _flags(sessions, pain, days)
    with monkeypatch.context() as m:
        m.setattr(History, "heavy_days", _scanned_heavy_days)
        m.setattr(_rulebase, "latest_reading", _scanned_latest_reading)
        m.setattr(_pain_rules, "latest_reading", _scanned_latest_reading)
        m.setattr(_pain_rules, "_weekly_means", _summed_weekly_means)
        scanned = _flags(sessions, pain, days)
    assert found == scanned
    # The journal exercises every flag and the rules whose look-ups changed (else the test proves little).
    assert {f.flag for f in found} == {"back_off", "hold", "progress"}
    rules = {r for f in found for r in f.rules}
    assert {"R2", "R3", "R6", "R9.sessions", "R9.spacing", "R11", "R12", "R13"} <= rules


@settings(max_examples=30, deadline=None)
@given(
    heavy=st.lists(st.tuples(st.integers(0, 20), st.booleans(), st.integers(-3, 3)), max_size=20),
    first=st.integers(-4, 22),
    length=st.integers(-1, 10),
)
def test_heavy_days_of_a_window_are_its_own(heavy: list[tuple[int, bool, int]], first: int, length: int) -> None:
    """A window's heavy days, found once per history, are its own sessions' (local dates in any order)."""
    sessions = []
    for k, (i, strength, moved) in enumerate(heavy):
        day = MONDAY + dt.timedelta(days=i)
        analysis = _calf_analysis() if strength else _run_analysis()
        load = _load(day, analysis, session_id=k + 1, hour=k % 24)
        sessions.append(dataclasses.replace(load, local_date=day + dt.timedelta(days=moved)))
    history = History.build(sessions)
    lo, hi = MONDAY + dt.timedelta(days=first), MONDAY + dt.timedelta(days=first + length)
    expected = sorted({s.local_date for s in sessions if s.is_heavy and lo <= s.local_date <= hi})
    assert history.heavy_days(lo, hi) == expected
    assert history.heavy_days(lo, hi) == _scanned_heavy_days(history, lo, hi)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=30),
    asked=st.integers(-2, 35),
)
def test_the_latest_reading_is_the_weeks_last(values: list[int | None], asked: int) -> None:
    """The newest value of the week, read newest first, is the last of the week's values listed in order."""
    pain = [
        PainEntry(day=MONDAY + dt.timedelta(days=i), morning=v, stiffness=v, tenderness=None if v is None else 10 - v)
        for i, v in enumerate(values)
        if i % 4 != 2
    ]
    history = History.build((), pain)
    day = MONDAY + dt.timedelta(days=asked)
    for read in (morning_pain, stiffness, tenderness):
        assert latest_reading(history, day, read) == _scanned_latest_reading(history, day, read)
