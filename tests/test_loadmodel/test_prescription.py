"""The programme's ladder: each progress step is the next concrete dose."""

from __future__ import annotations

import datetime as dt

import pytest

from calfload.loadmodel import History
from calfload.loadmodel._prescription import next_step

MONDAY = dt.date(2024, 5, 6)  # the calm histories of conftest.py start on this Monday


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        ({"sets": 1, "reps": 8}, "1 × 8 → 2 × 10 single-leg raises"),
        ({"sets": 2, "reps": 10}, "2 × 10 → 2 × 12 single-leg raises"),
        ({"sets": 2, "reps": 12}, "2 × 12 → 3 × 12 single-leg raises"),
        ({"sets": 3, "reps": 12}, "3 × 12 → 3 × 15 single-leg raises"),
        ({"sets": 3, "reps": 15}, "tempo variation: 3 × 15 single-leg raises with a 3 s rise"),
        (
            {"sets": 3, "reps": 15, "concentric_s": 3.0},
            "+2.5 kg: 3 × 15 without weight → 3 × 12 at 2.5 kg single-leg raises",
        ),
        ({"sets": 3, "reps": 12, "load": 5.0}, "3 × 12 → 3 × 15 single-leg raises at 5 kg"),
        ({"sets": 3, "reps": 15, "load": 5.0}, "add one endurance set: 60 s of continuous single-leg raises"),
        ({"sets": 3, "reps": 15, "load": 5.0, "endurance_s": 72.0}, "endurance set 72 s → 90 s"),
        ({"sets": 3, "reps": 15, "load": 5.0, "endurance_s": 90.0}, "+2.5 kg: 3 × 15 at 5 kg → 3 × 12 at 7.5 kg"),
    ],
)
def test_calf_ladder(load, calf_analysis, dose, expected):
    # An endurance set is a set of at least 25 continuous reps; its time under tension is what counts.
    extra = [30] if "endurance_s" in dose else []
    analysis = calf_analysis(
        sets=dose["sets"], reps=dose["reps"], concentric_s=dose.get("concentric_s", 1.0), extra_sets=extra
    )
    if extra:
        analysis["sets"][-1]["time_under_tension_s"] = dose["endurance_s"]
    history = History.build([load(MONDAY, analysis, added_load_kg=dose.get("load"))], body_mass_kg=70.0)
    assert next_step("progress", history, MONDAY).startswith(expected)


def test_lower_tiers_move_up_to_single_leg(load, calf_analysis):
    history = History.build([load(MONDAY, calf_analysis(), exercise="bilateral_standing")])
    assert next_step("progress", history, MONDAY) == (
        "move up from two-leg calf raises to two-up one-down raises: 2 × 10"
    )


def test_load_step_scales_with_body_mass(load, calf_analysis):
    analysis = calf_analysis(sets=3, reps=15, extra_sets=[40])
    heavy = History.build([load(MONDAY, analysis, added_load_kg=10.0)], body_mass_kg=95.0)
    assert "+5 kg" in next_step("progress", heavy, MONDAY)


def test_plyometric_tier(load):
    history = History.build([load(MONDAY, {"activity": "hops", "hops": 60}, exercise="ankle_hops")])
    assert next_step("progress", history, MONDAY) == (
        "next plyometric tier: ankle hops → pogo jumps, same number of contacts (60)"
    )
    assert next_step("back_off", history, MONDAY).startswith("drop back to 42 contacts")


def test_long_run_cap(load, run_analysis):
    history = History.build([load(MONDAY - dt.timedelta(days=5), run_analysis(distance_m=10_000.0))])
    assert "the long run may grow to 11.0 km (30-day longest 10.0 km)" in next_step("progress", history, MONDAY)
    assert "keep the long run under 10.0 km" in next_step("hold", history, MONDAY)
    assert "keep runs under 7.0 km" in next_step("back_off", history, MONDAY)


def test_without_calf_work_the_programme_starts(load):
    assert next_step("hold", History(), MONDAY).startswith("start the calf programme: 2 × 10 single-leg raises")


def test_an_endurance_only_session_is_neither_the_dose_nor_a_step(load, calf_analysis):
    """After 2 x 12 sessions, one 1 x 40 endurance-only session keeps 2 x 12 as the dose and is no step."""
    days = [MONDAY + dt.timedelta(days=d) for d in (0, 2, 4)]
    sessions = [load(d, calf_analysis(sets=2, reps=12)) for d in days]
    endurance = calf_analysis(sets=1, reps=40, eccentric_s=1.0)
    endurance["sets"][0]["endurance"] = True
    sessions.append(load(MONDAY + dt.timedelta(days=6), endurance))
    history = History.build(sessions, body_mass_kg=70.0)
    sunday = MONDAY + dt.timedelta(days=6)
    dose = history.latest_dose(sunday)
    assert dose is not None
    assert (dose.sets, dose.reps_per_set) == (2, 12)
    assert dose.endurance_set_s == pytest.approx(40 * 2.3)  # the endurance set is still remembered
    assert next_step("hold", history, sunday).startswith("repeat 2 × 12 single-leg raises")
    assert next_step("progress", history, sunday).startswith("2 × 12 → 3 × 12 single-leg raises")
    assert history.step_dates(sunday) == []
