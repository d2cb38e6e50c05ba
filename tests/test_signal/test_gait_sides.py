"""Both feet: contact time per side, ground-contact-time balance and step-time asymmetry.

Judged against the simulator's ground truth (:mod:`calfload.sim._running`): each foot's
landings and toe-offs are known, the left foot's contact is lengthened by ``contact_asymmetry``
and its landing placed at ``left_step_share`` of the right foot's stride. The balance must be
within 1 percentage point of the true one, the step-time asymmetry within 1.5 points, and the
steps of both feet counted once (no doubling).
"""

from __future__ import annotations

import numpy as np
import pytest

from calfload.signal import GaitAnalysis, analyze
from calfload.signal._record import from_record, to_record
from calfload.sim import simulate_run
from calfload.sim._running import RunSpec, SimulatedRun


def _truth(run: SimulatedRun) -> tuple[float, float]:
    """True balance (left share of the median contacts, %) and step-time asymmetry (%)."""
    feet = {f.side: f for f in run.truth.feet}
    left, right = float(np.median(feet["left"].contact_ms)), float(np.median(feet["right"].contact_ms))
    times = np.concatenate([feet["left"].initial_contact_s, feet["right"].initial_contact_s])
    on_left = np.concatenate(
        [np.ones(feet["left"].initial_contact_s.size, bool), np.zeros(feet["right"].initial_contact_s.size, bool)]
    )
    order = np.argsort(times)
    step, ends_left = np.diff(times[order]), on_left[order][1:]
    s_left, s_right = float(np.median(step[ends_left])), float(np.median(step[~ends_left]))
    return 100.0 * left / (left + right), 100.0 * abs(s_left - s_right) / ((s_left + s_right) / 2.0)


@pytest.mark.parametrize(
    ("asymmetry", "share", "seed"),
    [(0.0, 0.5, 1), (0.08, 0.5, 2), (-0.1, 0.47, 3)],
)
def test_balance_and_step_asymmetry_match_the_simulated_feet(asymmetry: float, share: float, seed: int) -> None:
    spec = RunSpec(
        duration_s=30.0, feet=("left", "right"), contact_asymmetry=asymmetry, left_step_share=share, seed=seed
    )
    run = simulate_run(spec)
    result = analyze(list(run.recordings))
    assert isinstance(result, GaitAnalysis)
    assert result.both_feet is not None
    balance, step_asymmetry = _truth(run)
    assert result.both_feet.contact_balance_left_pct == pytest.approx(balance, abs=1.0)
    assert result.both_feet.step_time_asymmetry_pct == pytest.approx(step_asymmetry, abs=1.5)
    assert result.steps == run.truth.steps
    assert not result.steps_doubled_from_one_foot
    back = from_record(to_record(result))
    assert isinstance(back, GaitAnalysis)
    assert back.both_feet == result.both_feet


def test_one_foot_or_unknown_sides_give_no_balance() -> None:
    run = simulate_run(RunSpec(duration_s=12.0, feet=("left", "right"), seed=5))
    one = analyze(run.recordings[0])
    assert isinstance(one, GaitAnalysis)
    assert one.both_feet is None
    unknown = [r.with_meta(side="unknown") for r in run.recordings]
    both = analyze(unknown)
    assert isinstance(both, GaitAnalysis)
    assert both.both_feet is None
