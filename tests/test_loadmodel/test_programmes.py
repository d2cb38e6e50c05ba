"""The three calf programmes (issue 13 item 8): whole histories judged by each programme's own ladder and rules.

- Alfredson 1998: 3 × 15 heel drops knee straight and bent, twice a day every day; pain during is
  accepted (no R7 hold), sessions on consecutive days are the protocol (no R6), +5 kg when pain-free,
  a weight step a week at most.
- HSR, Beyer 2015: 3 sessions a week, 3 s up 3 s down, 15 → 12 → 10 → 8 → 6 RM held 1, 2, 2, 3, 4
  weeks; the weight follows the RM, so it is not a step (no R14, no R9.step for it).
The same histories under the default programme give its own answers, so each difference is a rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from calfload.loadmodel import PROGRAMMES, History, PainEntry, SessionLoad, evaluate_day
from calfload.signal import params_from_record, params_record

from .conftest import MONDAY, _calf_analysis, _load

DAY = dt.timedelta(days=1)
ALFREDSON, HSR, DEFAULT = PROGRAMMES["alfredson"], PROGRAMMES["hsr"], PROGRAMMES["default"]


def _alfredson_weeks(weeks: int, *, during: int, kg: dict[int, float] | None = None) -> History:
    """Heel drops twice a day (knee straight in the morning, bent in the evening), mornings 0/10."""
    kg = kg or {}
    sessions: list[SessionLoad] = []
    pain: list[PainEntry] = []
    for i in range(weeks * 7):
        d = MONDAY + i * DAY
        load = next((v for k, v in sorted(kg.items(), reverse=True) if i >= k), 0.0)
        for hour, exercise in ((7, "single_leg_eccentric"), (19, "single_leg_bent_knee")):
            analysis = _calf_analysis(sets=3, reps=15, eccentric_s=3.2)
            sessions.append(
                _load(d, analysis, exercise=exercise, hour=hour, added_load_kg=load, session_id=len(sessions) + 1)
            )
        pain.append(PainEntry(day=d, morning=0, during=during, after=1))
    return History.build(sessions, pain, 70.0)


def test_alfredson_accepts_pain_during_and_daily_sessions_and_adds_5_kg_when_pain_free():
    last = MONDAY + 13 * DAY
    painful = _alfredson_weeks(2, during=4)
    flag = evaluate_day(painful, last, ALFREDSON)
    assert flag.flag == "hold"
    assert flag.rules == ("R9.pain",)  # no R7 (pain during accepted), no R6 (twice daily is the protocol)
    assert flag.next_step.startswith("repeat 3 × 15 heel drops with the knee straight and 3 × 15 with it bent")
    # The default programme judges the same weeks by its own rules: daily sessions hold, 4/10 during holds.
    default = evaluate_day(painful, last, DEFAULT)
    assert {"R6", "R7"} <= set(default.rules)
    calm = evaluate_day(_alfredson_weeks(2, during=0), last, ALFREDSON)
    assert calm.flag == "progress", calm.reasons
    assert calm.next_step.startswith("+5 kg (the heel drops are pain-free): 3 × 15 heel drops with the knee")
    assert "at 5 kg, lowering over 3 s, twice a day" in calm.next_step
    # Above 5/10 during is still too much (Silbernagel's high-risk zone), whatever the programme.
    assert evaluate_day(_alfredson_weeks(2, during=6), last, ALFREDSON).rules[0] == "R1"


def test_alfredson_weight_steps_a_week_apart_are_fine_three_days_apart_hold():
    weekly = _alfredson_weeks(4, during=0, kg={14: 5.0, 21: 10.0})
    assert "R14" not in evaluate_day(weekly, MONDAY + 22 * DAY, ALFREDSON).rules
    rushed = _alfredson_weeks(4, during=0, kg={14: 5.0, 17: 10.0})
    flag = evaluate_day(rushed, MONDAY + 18 * DAY, ALFREDSON)
    assert flag.rules[0] == "R14"
    assert flag.next_step.startswith("go back to 3 × 15 bent-knee single-leg raises at 5 kg (from")


def _hsr_history(days_per_week: tuple[int, ...], rungs: list[tuple[int, int, int]]) -> History:
    """``rungs``: (first week, sets, reps); the weight rises 2.5 kg every session (it follows the RM)."""
    sessions: list[SessionLoad] = []
    pain: list[PainEntry] = []
    last_week = max(w for w, _, _ in rungs) + 2
    for w in range(last_week):
        sets, reps = next((s, r) for first, s, r in sorted(rungs, reverse=True) if w >= first)
        for wd in days_per_week:
            d = MONDAY + (7 * w + wd) * DAY
            kg = 20.0 + 2.5 * len(sessions)
            sessions.append(
                _load(d, _calf_analysis(sets=sets, reps=reps), added_load_kg=kg, session_id=len(sessions) + 1)
            )
    for i in range(7 * last_week):
        pain.append(PainEntry(day=MONDAY + i * DAY, morning=0, during=1 if i % 7 in days_per_week else None))
    return History.build(sessions, pain, 70.0)


def test_hsr_holds_each_rm_rung_for_its_weeks_and_weight_is_not_a_step():
    """3 × 15RM in week 1, 3 × 12RM from week 2, weight up every session; Mon/Wed/Fri."""
    history = _hsr_history((0, 2, 4), [(0, 3, 15), (1, 3, 12)])
    week2_friday = MONDAY + 11 * DAY
    mid = evaluate_day(history, week2_friday, HSR)
    assert mid.flag == "progress", mid.reasons
    assert mid.next_step.startswith(f"stay at 3 × 12RM until {(MONDAY + 21 * DAY).isoformat()}")
    week3_friday = MONDAY + 18 * DAY
    done = evaluate_day(history, week3_friday, HSR)
    assert done.flag == "progress", done.reasons
    assert done.next_step.startswith(
        f"from {(MONDAY + 21 * DAY).isoformat()}: 3 × 12RM → 4 × 10RM for 2 weeks, the heaviest weight you can lift"
    )
    # The default programme calls every added 2.5 kg a step: two steps within 14 days hold (R14).
    assert evaluate_day(history, week3_friday, DEFAULT).rules[0] == "R14"


def test_hsr_needs_three_sessions_a_week():
    history = _hsr_history((0, 3), [(0, 3, 15), (1, 3, 12)])
    flag = evaluate_day(history, MONDAY + 17 * DAY, HSR)
    assert flag.flag == "hold"
    assert "R9.sessions" in flag.rules
    assert evaluate_day(history, MONDAY + 17 * DAY, dataclasses.replace(HSR, flag=DEFAULT.flag)).flag == "progress"


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_each_programme_round_trips_as_json(name):
    params = PROGRAMMES[name]
    for group in ("flag", "programme"):
        value = getattr(params, group)
        assert params_from_record(type(value), json.loads(json.dumps(params_record(value)))) == value


def _alfredson_four_days() -> History:
    history = _alfredson_weeks(2, during=0)
    kept = [s for s in history.sessions if s.local_date.weekday() in (0, 2, 4, 6)]
    return History(sessions=tuple(kept), pain=history.pain, body_mass_kg=70.0)


def test_alfredson_needs_most_days_of_the_week():
    """Twice daily every day is the protocol: four days a week is not yet a calm week to add weight on."""
    flag = evaluate_day(_alfredson_four_days(), MONDAY + 13 * DAY, ALFREDSON)
    assert flag.flag == "hold"
    assert flag.rules == ("R9.sessions",)


#: Each programme rule, with a whole history it decides: (id, history, day, programme, group, field).
PROGRAMME_RULES = [
    (
        "alfredson: pain during accepted",
        lambda: _alfredson_weeks(2, during=4),
        13,
        ALFREDSON,
        "flag",
        "pain_during_holds",
    ),
    ("alfredson: twice daily", lambda: _alfredson_weeks(2, during=0), 13, ALFREDSON, "flag", "min_heavy_spacing_days"),
    ("alfredson: most days", _alfredson_four_days, 13, ALFREDSON, "flag", "progress_min_sessions"),
    (
        "alfredson: a step a week",
        lambda: _alfredson_weeks(4, during=0, kg={14: 5.0, 21: 10.0}),
        22,
        ALFREDSON,
        "flag",
        "progress_min_step_interval_days",
    ),
    ("alfredson: +5 kg", lambda: _alfredson_weeks(2, during=0), 13, ALFREDSON, "programme", "fixed_load_step_kg"),
    (
        "hsr: weight follows the RM",
        lambda: _hsr_history((0, 2, 4), [(0, 3, 15), (1, 3, 12)]),
        18,
        HSR,
        "programme",
        "weight_is_step",
    ),
    (
        "hsr: three a week",
        lambda: _hsr_history((0, 3), [(0, 3, 15), (1, 3, 12)]),
        17,
        HSR,
        "flag",
        "progress_min_sessions",
    ),
    ("hsr: rm ladder", lambda: _hsr_history((0, 2, 4), [(0, 3, 15), (1, 3, 12)]), 18, HSR, "programme", "name"),
]


@pytest.mark.parametrize(
    ("rule", "build", "offset", "params", "group", "field"), PROGRAMME_RULES, ids=[r[0] for r in PROGRAMME_RULES]
)
def test_removing_a_programme_rule_changes_the_advice(rule, build, offset, params, group, field):
    """The rule-removal check for the programmes: each rule, reverted to the default programme's, changes
    the flag, the deciding rules or the next step of its history."""
    history, day = build(), MONDAY + offset * DAY
    default_value = getattr(getattr(DEFAULT, group), field)
    removed = dataclasses.replace(
        params, **{group: dataclasses.replace(getattr(params, group), **{field: default_value})}
    )
    with_rule, without = evaluate_day(history, day, params), evaluate_day(history, day, removed)
    assert (with_rule.flag, with_rule.rules, with_rule.next_step) != (without.flag, without.rules, without.next_step)
