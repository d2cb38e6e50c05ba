"""Per-session load from analysis summaries in the DESIGN.md shapes."""

from __future__ import annotations

import datetime as dt

import pytest

from calfload.loadmodel import ACTIVITY_MODELS, Athlete, SessionInput, register_activity_model, session_load

from .analyses import typed

MONDAY = dt.date(2024, 5, 6)  # the calm histories of conftest.py start on this Monday


def test_calf_session_figures(calf_analysis, load):
    s = load(MONDAY, calf_analysis(sets=3, reps=12, eccentric_s=3.2, concentric_s=1.0, top_hold_s=0.3))
    assert s.cycles_per_leg == 36
    assert s.legs == ("left",)
    assert s.peak_force_bw == pytest.approx(2.5)
    assert s.tut_s == pytest.approx(36 * 4.5)
    assert s.tempo_pass_rate == 1.0
    assert s.stimulus_bw_s == pytest.approx(2.5 * 36 * 4.5)
    assert s.is_heavy
    assert s.dose is not None
    assert (s.dose.sets, s.dose.reps_per_set, s.dose.added_load_kg) == (3, 12, 0.0)


def test_fast_lowering_fails_the_tempo_audit(calf_analysis, load):
    s = load(MONDAY, calf_analysis(eccentric_s=1.2))
    assert s.reps_total == 24
    assert s.tempo_pass_rate == 0.0


def test_bilateral_work_loads_both_legs_and_unknown_side_counts_for_both(calf_analysis, load):
    assert load(MONDAY, calf_analysis(), exercise="bilateral_standing").legs == ("left", "right")
    assert load(MONDAY, calf_analysis(), side="unknown").legs == ("left", "right")


def test_missing_exercise_is_assumed_and_said(calf_analysis, load):
    s = load(MONDAY, calf_analysis(), exercise=None)
    assert s.exercise == "single_leg_standing"
    assert s.exercise_assumed
    assert any("assumed" in n for n in s.notes)


def test_added_load_without_body_mass_uses_the_default_and_says_so(calf_analysis, load):
    s = load(MONDAY, calf_analysis(), added_load_kg=10.0, athlete=Athlete())
    assert s.peak_force_bw == pytest.approx(2.5 * 80 / 70)
    assert any("body mass" in n for n in s.notes)


def test_endurance_sets_are_counted_apart_from_the_dose(calf_analysis, load):
    s = load(MONDAY, calf_analysis(sets=3, reps=15, extra_sets=[32]))
    assert s.dose is not None
    assert (s.dose.sets, s.dose.reps_per_set) == (3, 15)
    assert s.dose.endurance_set_s == pytest.approx(32 * 4.5)


def test_run_without_speed_assumes_easy_pace(run_analysis, load):
    s = load(MONDAY, run_analysis(speed_mps=None, distance_m=None, duration_s=1800.0))
    assert s.load_au == pytest.approx(s.cycles_per_leg, rel=1e-6)
    assert any("easy pace" in n for n in s.notes)
    assert s.impulse_bw_s == pytest.approx(s.cycles_per_leg * s.peak_force_bw * 0.230 * 0.55)


def test_speed_from_distance_and_duration(run_analysis, load):
    doc = run_analysis(distance_m=8000.0, speed_mps=None, duration_s=2000.0)
    s = load(MONDAY, doc)
    assert s.peak_force_bw == pytest.approx(6.0 * (1 + 0.12 * (4.0 - 3.3)))
    assert s.distance_m == 8000.0


def test_walk_is_constant_force(run_analysis, load):
    s = load(MONDAY, run_analysis(activity="walk", speed_mps=1.3, distance_m=2000.0, cadence_spm=110))
    assert s.peak_force_bw == 3.0
    assert s.load_au < s.cycles_per_leg / 10  # walking barely counts against an easy run (k = 4)


def test_hops_count_contacts(load):
    doc = {
        "activity": "hops",
        "hops": 3,
        "contacts": [{"start_s": 1.0, "contact_ms": 200.0, "flight_ms": 300.0}] * 3,
    }
    s = load(MONDAY, doc, exercise="pogo_jumps")
    assert s.cycles_per_leg == 3
    assert s.legs == ("left", "right")
    assert s.impulse_bw_s == pytest.approx(6.0 * 0.6 * 0.55)


def test_unknown_activity_is_zero_load_with_a_note():
    s = session_load(
        SessionInput(
            start_utc=dt.datetime(2024, 5, 6, 8, tzinfo=dt.UTC),
            local_date=MONDAY,
            activity="swim",
            analysis=typed({"activity": "hops"}),
        ),
        Athlete(),
    )
    assert s.load_au == 0.0
    assert "no load model" in s.notes[0]


def test_activity_table_is_extensible(load):
    calls = []

    def skipping_model(session, athlete, params):
        calls.append(session.analysis.hops)
        return ACTIVITY_MODELS["hops"](session, athlete, params)

    register_activity_model("skipping", skipping_model)
    try:
        s = load(
            MONDAY, {"activity": "hops", "contacts": [{"start_s": 0.5 * i} for i in range(40)]}, activity="skipping"
        )
        assert calls == [40]
        assert s.cycles_per_leg == 40
    finally:
        del ACTIVITY_MODELS["skipping"]


def test_endurance_set_reps_do_not_count_toward_tempo_compliance(calf_analysis, load):
    """Fast lowering is the point of an endurance set; only the strength sets are audited."""
    analysis = calf_analysis(sets=2, reps=12, eccentric_s=3.2)
    for rep in range(1, 36):
        analysis["reps"].append(
            {
                "set": 3,
                "index": rep,
                "concentric_s": 0.8,
                "top_hold_s": 0.0,
                "eccentric_s": 0.9,
                "eccentric_pass": False,
            }
        )
    analysis["sets"].append({"index": 3, "rep_count": 35, "time_under_tension_s": 60.0, "endurance": True})
    s = load(MONDAY, analysis)
    assert (s.reps_total, s.reps_passed) == (24, 24)
    assert s.tempo_pass_rate == 1.0
    # The same reps in a strength set do count.
    analysis["sets"][-1]["endurance"] = False
    assert load(MONDAY, analysis).tempo_pass_rate == pytest.approx(24 / 59)


def test_the_analysis_endurance_flag_defines_endurance_sets_for_the_dose(calf_analysis, load):
    """The dose and the tempo audit use one definition: the analysis's flag, else >= 25 reps."""
    analysis = calf_analysis(sets=2, reps=12, extra_sets=[20])
    analysis["sets"][-1]["endurance"] = True  # 20 continuous reps the analysis calls an endurance set
    s = load(MONDAY, analysis)
    assert s.dose is not None
    assert (s.dose.sets, s.dose.reps_per_set) == (2, 12)
    assert s.dose.endurance_set_s == pytest.approx(20 * 4.5)
    # A flagged non-endurance set of 30 reps is a regular set, whatever its size.
    analysis = calf_analysis(sets=1, reps=30)
    analysis["sets"][0]["endurance"] = False
    dose = load(MONDAY, analysis).dose
    assert dose is not None
    assert (dose.sets, dose.reps_per_set, dose.endurance_set_s) == (1, 30, 0.0)


@pytest.mark.parametrize("flagged", [True, False])
def test_a_session_of_endurance_sets_only_has_no_sets_x_reps_dose(calf_analysis, load, flagged):
    analysis = calf_analysis(sets=1, reps=40, eccentric_s=1.0)
    if flagged:
        analysis["sets"][0]["endurance"] = True
    s = load(MONDAY, analysis)
    assert s.dose is not None
    assert (s.dose.sets, s.dose.reps_per_set) == (0, 0)
    assert s.dose.endurance_set_s == pytest.approx(40 * 2.3)
    assert s.reps_total == 0  # fast by design: not audited for tempo
