"""The heel-rise test's clinical reading against the published figures it quotes."""

from __future__ import annotations

import pytest

from calfload.loadmodel._heel_rise_norms import heel_rise_norm, read_heel_rise
from calfload.signal import SymmetryIndex


@pytest.mark.parametrize(
    ("age", "sex", "reps"),
    [(25, "male", 37), (25, "female", 30), (45, "male", 28), (58, "female", 21), (72, "female", 16), (90, "male", 14)],
)
def test_norms_by_decade_are_hebert_losier_2017(age, sex, reps):
    assert heel_rise_norm(age, sex)[0] == reps


def test_without_age_the_medians_or_lunsford_perry():
    assert heel_rise_norm(None, "male") == (24, "Hébert-Losier 2017, median of men")
    assert heel_rise_norm(None, None)[0] == 27.9


def test_work_far_below_reps_fails_the_return_to_running_criterion():
    """Silbernagel 2010's pattern: reps LSI 84 %, work LSI 61 %: not ready, though reps look close."""
    sym = SymmetryIndex("left", 84.0, 75.0, 61.0)
    reading = read_heel_rise({"left": 21, "right": 25}, {"left": 7.0, "right": 9.0}, sym)
    assert reading.criterion_met is False
    assert any("not met (reps 84 %, height 75 %, work 61 %)" in line for line in reading.lines)
    assert reading.warnings == ()


def test_symmetric_legs_meet_the_criterion():
    sym = SymmetryIndex("left", 96.0, 95.0, 92.0)
    assert read_heel_rise({"left": 24, "right": 25}, {"left": 9.0, "right": 9.5}, sym).criterion_met is True


def test_lsi_over_100_and_implausible_values_are_warned():
    sym = SymmetryIndex("left", 380.0, 104.0, None)
    reading = read_heel_rise({"left": 38, "right": 10}, {"left": 25.0, "right": 9.0}, sym)
    assert reading.criterion_met is None
    text = " | ".join(reading.warnings)
    assert "LSI reps 380 % is not plausible" in text
    assert "LSI height 104 %: the affected side did more than the other" in text
    assert "left: a mean rise of 25.0 cm is not plausible" in text


def test_the_smallest_real_change_is_byrne_2017():
    reading = read_heel_rise({"left": 20}, {"left": 8.0}, None)
    assert reading.criterion_met is None
    assert reading.to_dict()["smallest_real_change"] == {"reps": 6.7, "height_cm": 0.8, "work_j": 419.0}
    assert "about 6.7 reps, 0.8 cm, 419 J" in reading.lines[-1]
