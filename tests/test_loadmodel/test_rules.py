"""One test per rule of the daily flag, plus the rule replays of reference section 6.3.6."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from calfload.loadmodel import History, PainEntry, evaluate_day, flag_history

MONDAY = dt.date(2024, 5, 6)  # the calm histories of conftest.py start on this Monday

FRIDAY_2 = MONDAY + dt.timedelta(days=11)  # last session day of the two calm weeks


def _with_pain(history: History, *entries: PainEntry) -> History:
    pain = dict(history.pain)
    for e in entries:
        old = pain.get(e.day, PainEntry(day=e.day))
        pain[e.day] = PainEntry(
            day=e.day,
            during=e.during if e.during is not None else old.during,
            after=e.after if e.after is not None else old.after,
            morning=e.morning if e.morning is not None else old.morning,
        )
    return History(sessions=history.sessions, pain=pain, body_mass_kg=history.body_mass_kg)


def _plus(history: History, *sessions) -> History:
    return History(sessions=history.sessions + tuple(sessions), pain=history.pain, body_mass_kg=history.body_mass_kg)


def _assert_well_formed(flag):
    assert flag.reasons, "every flag carries reasons"
    assert all(isinstance(r, str) and r for r in flag.reasons)
    assert flag.next_step


def test_r9_calm_weeks_progress_with_one_concrete_step(calm_history):
    flag = evaluate_day(calm_history(), FRIDAY_2)
    assert flag.flag == "progress"
    assert flag.rules == ("R9",)
    assert "calm week" in flag.reasons[0]
    assert "2 × 12 → 3 × 12 single-leg raises" in flag.next_step
    _assert_well_formed(flag)


def test_fast_lowering_blocks_progress_with_a_tempo_reason(calm_history):
    flag = evaluate_day(calm_history(eccentric_s=1.5), FRIDAY_2)
    assert flag.flag == "hold"
    assert any(r.startswith("tempo:") and "80%" in r for r in flag.reasons)
    _assert_well_formed(flag)


def test_missing_morning_entries_never_count_as_fine(calm_history):
    flag = evaluate_day(calm_history(morning=None), FRIDAY_2)
    assert flag.flag == "hold"
    assert any("morning pain" in r and "missing entry never counts as fine" in r for r in flag.reasons)


def test_morning_entries_must_cover_each_session(calm_history):
    history = calm_history()
    pain = {
        d: p
        for d, p in history.pain.items()
        if d not in (FRIDAY_2 - dt.timedelta(days=2), FRIDAY_2 - dt.timedelta(days=1))
    }
    flag = evaluate_day(History(sessions=history.sessions, pain=pain, body_mass_kg=70.0), FRIDAY_2)
    assert flag.flag == "hold"
    assert any("24-hour response" in r for r in flag.reasons)


def test_progress_needs_two_sessions_in_each_of_two_weeks(calm_history):
    """The programme asks for 2-3 sessions a week: Mon/Thu progresses, one session a week does not."""
    flag = evaluate_day(calm_history(session_days=(0, 3)), MONDAY + dt.timedelta(days=10))
    assert flag.flag == "progress"
    flag = evaluate_day(calm_history(weeks=3, session_days=(3,)), MONDAY + dt.timedelta(days=17))
    assert flag.flag == "hold"
    assert flag.rules[0] == "R9.sessions"
    assert any(r.startswith("sessions: 1 and 1 strength") for r in flag.reasons)


def test_one_calm_week_is_not_enough(calm_history):
    """Progress is judged over two weeks: the first calm week alone holds."""
    flag = evaluate_day(calm_history(weeks=1), MONDAY + dt.timedelta(days=4))
    assert flag.flag == "hold"
    assert flag.rules == ("R9.sessions",)


def test_r1_pain_during_above_five_backs_off(calm_history):
    history = _with_pain(calm_history(), PainEntry(day=FRIDAY_2, during=7))
    flag = evaluate_day(history, FRIDAY_2)
    assert flag.flag == "back_off"
    assert flag.rules[0] == "R1"
    assert "pain during training was 7/10" in flag.reasons[0]
    assert "cut the volume by 30%" in flag.next_step
    _assert_well_formed(flag)


def test_r1_counts_yesterdays_pain_after(calm_history):
    history = _with_pain(calm_history(), PainEntry(day=FRIDAY_2, after=6))
    assert evaluate_day(history, FRIDAY_2 + dt.timedelta(days=1)).flag == "back_off"


def test_r1_drops_the_added_weight_first(calm_history, load, calf_analysis):
    history = _plus(calm_history(), load(FRIDAY_2 + dt.timedelta(days=2), calf_analysis(), added_load_kg=5.0))
    history = _with_pain(history, PainEntry(day=FRIDAY_2 + dt.timedelta(days=2), during=6))
    assert "drop the 5 kg" in evaluate_day(history, FRIDAY_2 + dt.timedelta(days=2)).next_step


@pytest.mark.parametrize(("during", "expected"), [(5, "hold"), (3, "hold"), (6, "back_off")])
def test_r7_acceptable_zone_holds_and_five_is_its_top(calm_history, during, expected):
    flag = evaluate_day(_with_pain(calm_history(), PainEntry(day=FRIDAY_2, during=during)), FRIDAY_2)
    assert flag.flag == expected
    assert any("pain during" in r for r in flag.reasons)
    if expected == "hold":
        assert flag.rules[0] == "R7"
        assert flag.next_step.startswith("repeat 2 × 12 single-leg raises")


def test_r2_morning_spike_backs_off_the_same_day(calm_history):
    """6.3.6: a Silbernagel-style diary where morning pain jumps must back off that day."""
    spike_day = FRIDAY_2 + dt.timedelta(days=1)
    history = _with_pain(calm_history(), PainEntry(day=spike_day, morning=3))
    assert evaluate_day(history, FRIDAY_2).flag == "progress"
    flag = evaluate_day(history, spike_day)
    assert flag.flag == "back_off"
    assert flag.rules[0] == "R2"
    assert flag.reasons[0].startswith("morning pain 3/10")
    assert "+3.0 on the 7-day morning baseline (0.0)" in flag.reasons[0]


def test_r7_morning_one_point_up_holds(calm_history):
    history = _with_pain(calm_history(), PainEntry(day=FRIDAY_2, morning=1))
    flag = evaluate_day(history, FRIDAY_2)
    assert flag.flag == "hold"
    assert flag.rules[0] == "R7"
    assert "morning pain" in flag.reasons[0]


def test_r2_without_baseline_only_high_morning_pain_backs_off(calf_analysis, load):
    history = History.build([load(MONDAY, calf_analysis())], [PainEntry(day=MONDAY, morning=6)])
    flag = evaluate_day(history, MONDAY)
    assert flag.flag == "back_off"
    assert "morning pain 6/10" in flag.reasons[0]


def test_r3_weekly_morning_pain_rising_two_weeks_backs_off(calf_analysis, load):
    days = [MONDAY + dt.timedelta(days=i) for i in range(21)]
    morning = [0] * 7 + [1] * 7 + [2] * 7
    # Daily rises of 1 point inside each week are small enough to stay under R2's 2-point spike.
    history = History.build(
        [load(d, calf_analysis()) for d in days[::2]],
        [PainEntry(day=d, morning=m) for d, m in zip(days, morning, strict=True)],
    )
    flag = evaluate_day(history, days[-1])
    assert flag.flag == "back_off"
    assert "R3" in flag.rules
    assert any("weekly mean morning pain rose 2 weeks running (0.0 → 1.0 → 2.0)" in r for r in flag.reasons)


def _runs_then(load, run_analysis, last_km: float) -> tuple[History, dt.date]:
    days = [MONDAY + dt.timedelta(days=i) for i in range(0, 28, 3)]
    runs = [load(d, run_analysis(distance_m=10_000.0, speed_mps=3.0)) for d in days]
    spike_day = days[-1] + dt.timedelta(days=2)
    runs.append(load(spike_day, run_analysis(distance_m=last_km * 1000.0, speed_mps=3.0)))
    return History.build(runs), spike_day


@pytest.mark.parametrize(
    ("last_km", "flag", "rule"),
    [(10.5, "hold", "R9.sessions"), (11.5, "hold", "R5"), (25.0, "hold", "R5"), (21.0, "back_off", "R4")],
)
def test_runsafe_spike_categories(load, run_analysis, last_km, flag, rule):
    """6.3.6: a run > 10 % over the 30-day longest holds, > 100 % backs off (RUNSAFE)."""
    history, day = _runs_then(load, run_analysis, last_km)
    if last_km == 25.0:
        # 2.5 x the distance is a back-off spike, not a hold.
        flag, rule = "back_off", "R4"
    result = evaluate_day(history, day)
    assert result.flag == flag
    assert result.rules[0] == rule
    if not rule.startswith("R9"):
        assert result.reasons[0].startswith("spike:")
        assert "30-day longest (10.0 km)" in result.reasons[0]
    assert "long run" in result.next_step or "runs under" in result.next_step


def test_spike_warns_the_day_after_too(load, run_analysis):
    history, day = _runs_then(load, run_analysis, 15.0)
    assert evaluate_day(history, day + dt.timedelta(days=1)).flag == "hold"
    assert "spike" in evaluate_day(history, day + dt.timedelta(days=1)).reasons[0]


def test_faster_run_of_the_same_distance_is_a_damage_spike(load, run_analysis):
    days = [MONDAY + dt.timedelta(days=i) for i in range(0, 28, 3)]
    runs = [load(d, run_analysis(distance_m=10_000.0, speed_mps=3.0)) for d in days]
    fast_day = days[-1] + dt.timedelta(days=2)
    runs.append(load(fast_day, run_analysis(distance_m=10_000.0, speed_mps=4.5, cadence_spm=170)))
    flag = evaluate_day(History.build(runs), fast_day)
    assert flag.flag == "hold"
    assert "loaded the tendon" in flag.reasons[0]


def test_r6_sessions_on_consecutive_days_hold_with_a_spacing_reason(calm_history, load, calf_analysis):
    history = _plus(calm_history(), load(FRIDAY_2 + dt.timedelta(days=1), calf_analysis()))
    flag = evaluate_day(history, FRIDAY_2 + dt.timedelta(days=1))
    assert flag.flag == "hold"
    assert flag.rules[0] == "R6"
    assert flag.reasons[0].startswith("spacing:")
    assert f"next strength or plyometric session on {(FRIDAY_2 + dt.timedelta(days=3)).isoformat()}" in flag.next_step


def test_two_recordings_on_one_day_are_one_session(calm_history, load, calf_analysis):
    history = _plus(calm_history(), load(FRIDAY_2, calf_analysis(), side="right", hour=9))
    assert evaluate_day(history, FRIDAY_2).flag == "progress"


def test_a_plyometric_session_the_day_after_strength_also_holds(calm_history, load):
    history = _plus(calm_history(), load(FRIDAY_2 + dt.timedelta(days=1), {"activity": "hops", "hops": 60}))
    flag = evaluate_day(history, FRIDAY_2 + dt.timedelta(days=1))
    assert flag.flag == "hold"
    assert "spacing" in flag.reasons[0]


def test_pain_rules_come_first(load, run_analysis, calm_history):
    """Pain is ordered before the spike and spacing rules: the first reason names the pain."""
    history, day = _runs_then(load, run_analysis, 25.0)
    history = _with_pain(history, PainEntry(day=day, during=8))
    flag = evaluate_day(history, day)
    assert flag.flag == "back_off"
    assert flag.rules[:2] == ("R1", "R4")
    assert flag.reasons[0].startswith("pain during")
    assert flag.reasons[1].startswith("spike:")


def test_r8_ratios_are_notes_not_flags(calm_history, load, run_analysis):
    history = calm_history(weeks=5)
    last = max(s.local_date for s in history.sessions)
    # Three long runs in the last week lift the uncoupled ratio far above 1.5.
    extra = [load(last - dt.timedelta(days=d), run_analysis(distance_m=8000.0), hour=18) for d in (0, 2, 4)]
    flag = evaluate_day(_plus(history, *extra), last)
    assert any(n.startswith("R8: the uncoupled acute:chronic ratio") for n in flag.notes)
    assert "R8" not in flag.rules


def test_one_step_every_two_weeks(calm_history, load, calf_analysis):
    """After the athlete steps up (2 x 12 -> 3 x 12), progress waits 14 days even if the week is calm."""
    history = calm_history(weeks=3)
    last = max(s.local_date for s in history.sessions)
    stepped = [s for s in history.sessions if s.local_date >= last - dt.timedelta(days=4)]
    upgraded = [load(s.local_date, calf_analysis(sets=3, reps=12), hour=9) for s in stepped]
    kept = tuple(s for s in history.sessions if s not in stepped)
    history = History(sessions=kept + tuple(upgraded), pain=history.pain, body_mass_kg=70.0)
    flag = evaluate_day(history, last)
    assert flag.flag == "hold"
    step_day = last - dt.timedelta(days=4)
    assert any(r.startswith(f"last step on {step_day.isoformat()} (added a set (3 sets))") for r in flag.reasons)
    assert any((step_day + dt.timedelta(days=14)).isoformat() in r for r in flag.reasons)


def test_flags_over_time_are_each_days_own_evaluation(calm_history):
    history = calm_history()
    flags = flag_history(history, MONDAY, FRIDAY_2)
    assert len(flags) == 12
    assert [f.flag for f in flags][:4] == ["hold"] * 4
    assert flags[-1] == evaluate_day(history, FRIDAY_2)


def test_future_entries_are_ignored(calm_history):
    history = _with_pain(calm_history(), PainEntry(day=FRIDAY_2 + dt.timedelta(days=3), during=9))
    assert evaluate_day(history, FRIDAY_2).flag == "progress"


def test_daily_flag_is_frozen(calm_history):
    with pytest.raises(dataclasses.FrozenInstanceError):
        evaluate_day(calm_history(), FRIDAY_2).flag = "hold"  # type: ignore[misc]


def test_pain_of_the_last_session_stands_until_the_next(calm_history, load, calf_analysis):
    history = _with_pain(calm_history(), PainEntry(day=FRIDAY_2, during=7))
    sunday = FRIDAY_2 + dt.timedelta(days=2)
    assert evaluate_day(history, sunday).flag == "back_off"
    # The next, reduced session with little pain lifts it.
    history = _plus(history, load(FRIDAY_2 + dt.timedelta(days=3), calf_analysis(reps=8)))
    history = _with_pain(history, PainEntry(day=FRIDAY_2 + dt.timedelta(days=3), during=1))
    assert evaluate_day(history, FRIDAY_2 + dt.timedelta(days=3)).flag != "back_off"


def test_a_morning_spike_stands_until_a_calmer_morning_is_logged(calm_history):
    saturday = FRIDAY_2 + dt.timedelta(days=1)
    history = calm_history()
    pain = {d: p for d, p in history.pain.items() if d <= FRIDAY_2}
    pain[saturday] = PainEntry(day=saturday, morning=4)
    history = History(sessions=history.sessions, pain=pain, body_mass_kg=70.0)
    assert evaluate_day(history, saturday + dt.timedelta(days=2)).flag == "back_off"
    history = _with_pain(history, PainEntry(day=saturday + dt.timedelta(days=2), morning=0))
    assert evaluate_day(history, saturday + dt.timedelta(days=2)).flag != "back_off"


def test_morning_after_entries_count_and_the_review_days_session_is_exempt(load, calf_analysis):
    """Sessions Mon/Wed/Fri with the 24-hour response logged the mornings after: progress on the 2nd Friday."""
    days = [MONDAY + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
    history = History.build(
        [load(d, calf_analysis()) for d in days],
        [PainEntry(day=d + dt.timedelta(days=1), morning=0) for d in days[:-1]] + [PainEntry(day=MONDAY, morning=0)],
    )
    assert evaluate_day(history, days[-1]).flag == "progress"


def test_a_morning_logged_on_the_session_day_is_not_the_24_hour_response(load, calf_analysis):
    """Mornings on Mon/Wed/Fri only come before each session: Mon's and Wed's responses are missing."""
    days = [MONDAY + dt.timedelta(days=d) for d in (0, 2, 4)]
    history = History.build([load(d, calf_analysis()) for d in days], [PainEntry(day=d, morning=0) for d in days])
    flag = evaluate_day(history, days[-1])
    assert flag.flag == "hold"
    reason = next(r for r in flag.reasons if "24-hour response" in r)
    assert "the morning after" in reason
    assert f"{days[0].isoformat()}, {days[1].isoformat()}" in reason


def test_a_morning_above_baseline_earlier_in_the_week_blocks_progress(calm_history):
    """R9's "morning <= baseline" covers every morning of the week, not only the latest."""
    history = _with_pain(calm_history(), PainEntry(day=FRIDAY_2 - dt.timedelta(days=3), morning=2))
    flag = evaluate_day(history, FRIDAY_2)
    assert flag.flag == "hold"
    reason = next(r for r in flag.reasons if "above the 7-day morning baseline" in r)
    assert f"2/10 on {(FRIDAY_2 - dt.timedelta(days=3)).isoformat()} (baseline 0.0)" in reason
