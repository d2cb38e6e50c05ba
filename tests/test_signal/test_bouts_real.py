"""Bouts on real recordings from ../shared/validation (skipped when absent): IPOL and mobgap.

The full tables are in docs/validation.md ("Bouts", ``python -m tools.validate_bouts``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.validate_bouts import evaluate_bouts, ipol_bout_cases, mobgap_bout_cases


def test_ipol_trials_are_one_walking_bout_from_the_first_to_the_last_step(validation_dir: Path) -> None:
    if not (validation_dir / "ipol_gait_voisard2023").is_dir():
        pytest.skip("IPOL data not present")
    cases = [c for c in ipol_bout_cases(validation_dir, subjects=("1-1", "7-1", "12-1")) if "both" in c.dataset]
    assert len(cases) == 3
    for case in cases:
        row = evaluate_bouts(case)
        # Standing, walk - U-turn - walk, standing: the turn is walking, not a new bout.
        assert len(row.found) == 1, case.name
        assert row.missed == 0
        # The reference starts at the first toe-off, a bout at the first landing (one swing later).
        (start_error,), (end_error,) = row.start_errors_s, row.end_errors_s
        assert 0.0 <= start_error <= 0.7, case.name
        assert abs(end_error) <= 0.3, case.name


def test_mobgap_daily_living_walking_bouts_are_found(validation_dir: Path) -> None:
    if not (validation_dir / "mobgap_example_data").is_dir():
        pytest.skip("mobgap data not present")
    case = next(c for c in mobgap_bout_cases(validation_dir) if c.name == "HA/001 Test11 Trial1")
    row = evaluate_bouts(case)
    # Six INDIP walking bouts among standing, sitting and reaching: all found, none invented.
    assert len(case.reference) == 6
    assert row.missed == 0
    assert row.extra == 0
    # Lower-back steps are best effort: boundaries within 1.5 s typically, one end 4.4 s early.
    errors = sorted(abs(e) for e in row.start_errors_s + row.end_errors_s)
    assert errors[len(errors) // 2] <= 1.5
    assert errors[-1] <= 5.0
