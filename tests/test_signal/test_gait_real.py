"""Walk/run analysis on real recordings from ../shared/validation (skipped when absent).

A subset of the validation script's cases, so the suite stays fast; the full tables are in
docs/validation.md (``python -m tools.validate``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tools.validate import evaluate, span_rows
from tools.validate_datasets import fit_cases, gaitmap_cases, ipol_cases

SUBJECTS = ("1-1", "4-1", "12-1", "16-1")


@pytest.fixture(scope="session")
def ipol_all_rows(validation_dir: Path) -> list:
    """Every IPOL trial, each foot and both, in four variants: analysed once for the module.

    Session-scoped, not module-scoped: conftest runs its users on one worker, but the full-set test
    first among the suite's longest and the others later, with other modules' tests between; a
    module fixture is torn down when the next test is another module's, and was analysed twice.
    """
    if not (validation_dir / "ipol_gait_voisard2023").is_dir():
        pytest.skip("IPOL data not present")
    return [evaluate(c) for c in ipol_cases(validation_dir, variants=("original", "rotated", "50hz", "200hz"))]


@pytest.fixture(scope="session")
def ipol_rows(ipol_all_rows: list) -> list:
    """The rows of :data:`SUBJECTS` (their rotations and resampled copies are the full set's random draws)."""
    return [r for r in ipol_all_rows if r.case.name.split(" ", 1)[0] in SUBJECTS]


def test_ipol_steps_and_cadence_on_90_percent(ipol_rows: list) -> None:
    passed = [r.passed for r in ipol_rows]
    assert len(passed) == len(SUBJECTS) * 4 * 3
    assert np.mean(passed) >= 0.9


def test_ipol_full_set_meets_the_issue_criterion(ipol_all_rows: list) -> None:
    """Issue 3: steps within max(2, 3 %) and median cadence within 2 spm on at least 90 % of files."""
    # A case that could not be judged (None) counts as a failure.
    rows = ipol_all_rows
    passed = [r.passed is True for r in rows]
    assert len(passed) == 19 * 4 * 3
    assert np.mean(passed) >= 0.95
    # Counted within the labelled span only (a second figure beside the raw one: IPOL labels the
    # steps after a trial in some trials and not in others; docs/validation.md).
    assert np.mean([r.passed is True for r in span_rows(rows)]) >= 0.95


def test_the_labelled_span_figure_leaves_out_only_what_lies_outside_the_labels(ipol_rows: list) -> None:
    """Same analysis, landings outside the labelled span dropped: 16-1 right's unlabelled last step."""
    within = {r.case.name: r for r in span_rows(ipol_rows)}
    assert len(within) == len(ipol_rows)
    for raw in ipol_rows:
        row = within[raw.case.name]
        assert row.case.dataset == raw.case.dataset.replace("IPOL feet", "IPOL feet, within the labelled span")
        assert row.steps is not None
        assert raw.steps is not None
        assert row.steps <= raw.steps
    # 16-1 (held out) ends with a right-foot turning step 1.5 s after IPOL's last label.
    raw = next(r for r in ipol_rows if r.case.name == "16-1 right original")
    assert (raw.steps, within[raw.case.name].steps, raw.case.ref_steps) == (40, 38, 38)
    # Nothing outside the span in 1-1: the same figures.
    raw = next(r for r in ipol_rows if r.case.name == "1-1 left+right original")
    assert within[raw.case.name].steps == raw.steps
    assert within[raw.case.name].cadence_spm == pytest.approx(raw.cadence_spm, abs=0.05)


def test_ipol_both_feet_give_true_step_counts(ipol_rows: list) -> None:
    both = [r for r in ipol_rows if "+" in r.case.name]
    assert all(abs(r.step_error) <= max(2, 0.03 * r.case.ref_steps) for r in both)


def test_ipol_rotation_and_resampling_do_not_matter(ipol_rows: list) -> None:
    by_name = {r.case.name: r for r in ipol_rows}
    for r in ipol_rows:
        if r.case.name.endswith("original"):
            stem = r.case.name.removesuffix("original")
            rotated = by_name[stem + "rotated"]
            assert rotated.steps == r.steps, rotated.case.name
            assert rotated.cadence_spm == pytest.approx(r.cadence_spm, abs=0.5), rotated.case.name
            # Initial contacts are timed to a fraction of a sample, so resampling to 50 or 200 Hz
            # moves the median cadence of a short walk by well under 1 spm.
            for variant in ("50hz", "200hz"):
                other = by_name[stem + variant]
                assert abs(other.steps - r.steps) <= 2, other.case.name
                assert other.cadence_spm == pytest.approx(r.cadence_spm, abs=1.0), other.case.name


def test_ipol_contact_time_bias_within_30_ms(ipol_rows: list) -> None:
    bias = [r.contact_bias_ms for r in ipol_rows if r.contact_bias_ms is not None]
    assert abs(float(np.median(bias))) <= 30.0


def test_gaitmap_cadence_and_contact_in_both_frames(validation_dir: Path) -> None:
    if not (validation_dir / "gaitmap_example_data").is_dir():
        pytest.skip("gaitmap data not present")
    rows = [evaluate(c) for c in gaitmap_cases(validation_dir)]
    assert len(rows) == 6
    for r in rows:
        assert r.cadence_error is not None
        assert r.contact_bias_ms is not None
        assert abs(r.cadence_error) <= 2.0, r.case.name
        assert abs(r.contact_bias_ms) <= 30.0, r.case.name
    # The raw sensor axes and the gaitmap foot frame are the same data in two mountings.
    steps: dict[str, set[int | None]] = {}
    for r in rows:
        steps.setdefault(r.case.name.split(" ", 2)[-1], set()).add(r.steps)
    assert all(len(s) == 1 for s in steps.values())


def test_fit_files_activity_cadence_and_steps(validation_dir: Path) -> None:
    if not (validation_dir / "fit_running_files_fitdecode").is_dir():
        pytest.skip("FIT files not present")
    rows = {r.case.name: r for r in (evaluate(c) for c in fit_cases(validation_dir))}
    summaries = {name: r.case.recordings[0].meta.device_summary for name, r in rows.items()}
    sports = {name: "" if s is None else s.sport for name, s in summaries.items()}
    for name, r in rows.items():
        assert r.activity == {"running": "run", "walking": "walk"}[sports[name]]
        # What calfload reports: the device's session figures, converted to steps, and says so.
        assert r.passed, name
        assert r.result["cadence_mean_source"] == "device session average", name
        if r.case.ref_steps is not None:
            assert r.steps == r.case.ref_steps, name
            assert r.result["steps_source"] == "device stride total", name
    # Reproduced from the records alone: files recorded every second (or every 5 s) give the mean
    # cadence within 2 spm of the device; the integrated cadence gives the stride total within 3 %.
    own = {r.case.name: r for r in (evaluate(c) for c in fit_cases(validation_dir, from_records=True))}
    for name in ("activity-small-fenix2-run.fit", "developer-types-sample.fit", "compressed-speed-distance.fit"):
        error = own[name].cadence_error
        assert error is not None
        assert abs(error) <= 2.0, name
    for name in ("compressed-speed-distance.fit", "garmin-fenix-5-run.fit"):
        r = own[name]
        assert r.step_error is not None
        assert r.case.ref_steps is not None
        assert abs(r.step_error) <= 0.03 * r.case.ref_steps, name
