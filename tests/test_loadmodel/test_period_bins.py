"""A long period by week and by month: the rows add up to the days, and the flags are each day's own review's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.loadmodel import (
    History,
    PainEntry,
    Period,
    SessionLoad,
    bin_unit,
    build_period,
    evaluate_day,
    period_bins,
)
from calfload.loadmodel._history import mean_or_none
from calfload.loadmodel._params import DEFAULT_PARAMETERS
from calfload.loadmodel._rulebase import baseline, morning_pain

from .conftest import MONDAY, _calf_analysis, _load, _run_analysis

WEEKS = 20  # 140 days: over the 16 weeks a period is shown day by day


@pytest.fixture(scope="module")
def history() -> History:
    """Calf sessions Mon/Wed/Fri, runs on Saturdays, daily morning pain; a painful week brings back-off days."""
    sessions: list[SessionLoad] = []
    pain: list[PainEntry] = []
    for i in range(WEEKS * 7):
        day = MONDAY + dt.timedelta(days=i)
        if day.weekday() in (0, 2, 4):
            sessions.append(_load(day, _calf_analysis(reps=12 + i // 28), session_id=len(sessions) + 1))
        if day.weekday() == 5:
            km = 8_000.0 + 400.0 * (i // 7) + (6_000.0 if i // 7 == 12 else 0.0)
            sessions.append(_load(day, _run_analysis(distance_m=km), session_id=len(sessions) + 1, hour=9))
        bad = 60 <= i < 64  # a painful spell: back off
        pain.append(PainEntry(day=day, morning=5 if bad else i % 2, during=7 if bad else None))
    return History.build(sessions, pain, 70.0)


@pytest.fixture(scope="module")
def period(history: History) -> Period:
    last = MONDAY + dt.timedelta(days=WEEKS * 7 - 1)
    return build_period(history, last, since_days=WEEKS * 7 - 3)


def test_how_a_period_is_shown_by_length() -> None:
    assert [bin_unit(n) for n in (1, 28, 112, 113, 732, 733, 3650)] == [
        None,
        None,
        None,
        "week",
        "week",
        "month",
        "month",
    ]


@pytest.mark.parametrize("unit", ["week", "month"])
def test_rows_add_up_to_the_days_and_sessions(period: Period, unit: str) -> None:
    bins = period_bins(period, unit)  # type: ignore[arg-type]
    # Every day of the period in exactly one row, in order, the first row clipped to the period.
    assert bins[0].first == period.first
    assert bins[-1].last == period.day
    assert all(b.first == a.last + dt.timedelta(days=1) for a, b in itertools.pairwise(bins))
    assert sum(b.days for b in bins) == len(period.days) == period.since_days
    assert sum(b.sessions for b in bins) == len(period.sessions)
    assert sum(b.runs for b in bins) == sum(1 for s in period.sessions if s.load.activity == "run")
    for b in bins:
        days = [d for d in period.days if b.first <= d.day <= b.last]
        assert b.load_au == pytest.approx(sum(d.load_au for d in days), rel=1e-12)
        assert b.pain_during_max == max((d.pain.during for d in days if d.pain and d.pain.during), default=None)
        runs = [s.load for s in period.sessions if s.load.activity == "run" and b.first <= s.load.local_date <= b.last]
        assert b.distance_m == (pytest.approx(sum(r.distance_m or 0.0 for r in runs)) if runs else None)
        if unit == "week":
            assert b.days == 7 or b is bins[0]
            assert b.last.weekday() == period.day.weekday()  # weeks end on the period's weekday, as review's do
        else:
            assert b.first.day == 1 or b is bins[0]
            assert (b.last + dt.timedelta(days=1)).day == 1 or b is bins[-1]


def test_each_rows_flags_are_the_days_own_reviews(history: History, period: Period) -> None:
    bins = period_bins(period, "week")
    judged = {d.day: evaluate_day(history, d.day) for d in period.days}
    assert {b.flag for b in bins} >= {"back_off", "hold"}  # the painful spell shows
    for b in bins:
        flags = [judged[b.first + dt.timedelta(days=i)].flag for i in range(b.days)]
        assert (b.back_off_days, b.hold_days, b.progress_days) == tuple(
            flags.count(f) for f in ("back_off", "hold", "progress")
        )
        worst = next(f for f in ("back_off", "hold", "progress") if f in flags)
        assert b.flag == worst
        assert b.flag_day is not None
        assert b.flag_day == max(d for d, j in judged.items() if j.flag == worst and b.first <= d <= b.last)
        assert b.reasons == judged[b.flag_day].reasons
        assert b.reasons


def test_the_long_page_lists_rows_not_days(period: Period) -> None:
    from calfload.report import render_period_html

    html = render_period_html(period)
    found = re.search(r'id="calfload-data">(.*?)</script>', html)
    assert found is not None
    data = json.loads(found.group(1))
    bins = period_bins(period, "week")
    assert data["bins"]["unit"] == "week"
    assert data["bins"]["rows"] == json.loads(json.dumps([b.to_dict() for b in bins]))
    assert len(data["days"]) == period.since_days  # every day stays in the data
    recent = [s for s in period.sessions if (period.day - s.load.local_date).days < 28]
    assert [s["id"] for s in data["sessions"]] == [s.load.session_id for s in recent]
    assert "Every day (" not in html
    assert html.count('data-key="bins.rows.') == len(bins) * 7
    back_off = next(b for b in bins if b.flag == "back_off")
    assert str(back_off.reasons[0]) in html.replace("&#x27;", "'")


def test_a_short_page_is_shown_day_by_day(history: History, period: Period) -> None:
    from calfload.report import render_period_html

    short = dataclasses.replace(period, since_days=28, first=period.day - dt.timedelta(days=27), days=period.days[-28:])
    html = render_period_html(short)
    assert "Every day (28)" in html
    assert '"bins"' not in html


@settings(max_examples=60, deadline=None)
@given(
    mornings=st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=0, max_size=40),
    first=st.integers(-3, 42),
    length=st.integers(-2, 20),
)
def test_pain_window_sums_are_the_windows_own(mornings: list[int | None], first: int, length: int) -> None:
    """The running totals a period's rules read give each window's own sum, count and mean, bit for bit."""
    pain = [PainEntry(day=MONDAY + dt.timedelta(days=i), morning=m) for i, m in enumerate(mornings) if i % 5 != 3]
    history = History.build((), pain)
    lo, hi = MONDAY + dt.timedelta(days=first), MONDAY + dt.timedelta(days=first + length)
    own = [float(p.morning) for p in pain if lo <= p.day <= hi and p.morning is not None]
    total, count = history.pain_sum(lo, hi, morning_pain)
    assert (total, count) == (math.fsum(own), len(own))
    if own:
        assert total / count == mean_or_none(own)
    # A reading that is not a whole number is summed window by window.
    halves = [v / 2 for v in own]
    half = history.pain_sum(lo, hi, lambda p: None if p.morning is None else p.morning / 2)  # type: ignore[arg-type,return-value]
    assert half == (math.fsum(halves), len(halves))


@settings(max_examples=40, deadline=None)
@given(
    mornings=st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=0, max_size=30),
    asked=st.lists(st.integers(-2, 34), min_size=1, max_size=12),
)
def test_a_baseline_found_once_is_the_days_own(mornings: list[int | None], asked: list[int]) -> None:
    """Baselines kept per history (a period asks for each about five times) are each day's mean of the 7 before it."""
    pain = [PainEntry(day=MONDAY + dt.timedelta(days=i), morning=m) for i, m in enumerate(mornings)]
    history = History.build((), pain)
    flag = DEFAULT_PARAMETERS.flag
    for i in asked + asked:  # each day asked twice, in any order
        day = MONDAY + dt.timedelta(days=i)
        week = [float(p.morning) for p in pain if 1 <= (day - p.day).days <= 7 and p.morning is not None]
        expected = mean_or_none(week) if len(week) >= flag.morning_baseline_min_entries else None
        assert baseline(history, day, flag) == expected
        assert baseline(History.build((), pain), day, flag) == expected  # a history that knows nothing yet
