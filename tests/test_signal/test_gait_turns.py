"""Turning steps without a swing lobe, found by whether the foot moved (real IPOL walks; skipped when absent).

The IPOL labels (Voisard et al. 2023, hand-checked heel strikes) are the truth: in trial 3-1 each
foot takes one U-turn step about an off-sagittal axis that the swing detection does not see; in
13-1 and 19-1 the right foot turns in a gap without a labelled step (0.11 and 0.08 m of
integrated displacement, a pivot on the spot).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_steps import side_steps
from calfload.signal._gait_turns import TurnStepParams, _open_gaps
from calfload.signal._trajectory_types import Stride
from tools.validate_datasets import ipol_imu


def _instants(validation_dir: Path, code: str, foot: str) -> tuple[np.ndarray, np.ndarray]:
    folder = validation_dir / "ipol_gait_voisard2023" / "GaitData"
    if not folder.is_dir():
        pytest.skip("IPOL data not present")
    info = json.loads((folder / f"{code}.json").read_text())
    key, suffix = ("LeftFootEvents", "lf") if foot == "left" else ("RightFootEvents", "rf")
    heel_strikes = np.asarray(info[key])[:, 1] / 100.0
    rec = ipol_imu(folder / f"{code}_{suffix}.txt", "foot", foot)
    return side_steps(rec, 0.0, "foot", GaitParams.for_placement("foot")).instants_s, heel_strikes


@pytest.mark.parametrize(("foot", "turn_s"), [("left", 18.19), ("right", 17.37)])
def test_the_u_turn_step_the_swing_detection_misses_is_counted(validation_dir: Path, foot: str, turn_s: float) -> None:
    ours, truth = _instants(validation_dir, "3-1", foot)
    assert turn_s in truth
    # One instant per labelled heel strike, the turn's included and put within 0.15 s of it.
    assert ours.size == truth.size
    assert np.min(np.abs(ours - turn_s)) < 0.15


@pytest.mark.parametrize(("code", "gap"), [("13-1", (16.35, 17.90)), ("19-1", (15.50, 16.80))])
def test_a_pivot_on_the_spot_is_not_a_step(validation_dir: Path, code: str, gap: tuple[float, float]) -> None:
    ours, truth = _instants(validation_dir, code, "right")
    inside = (ours > gap[0] + 0.1) & (ours < gap[1] - 0.1)
    assert not np.any((truth > gap[0]) & (truth < gap[1]))
    assert not inside.any()


@settings(max_examples=60, deadline=None)
@given(
    seams=st.lists(st.sampled_from([-0.05, 0.0, 0.2, 0.3, 0.31, 0.9, 1.2, 1.25, 3.0]), min_size=1, max_size=12),
    landing_at=st.lists(st.floats(0.0, 1.0), max_size=6),
)
def test_the_open_gaps_are_those_each_pair_would_search(seams: list[float], landing_at: list[float]) -> None:
    # Strides 1 s long, separated by the drawn seams (a gap, none, or an overlap), landings
    # drawn anywhere, on a gap's edge included: the gaps taken together are the pairs the
    # per-pair rule searches (over min_gap_s, up to the longest, no landing strictly inside).
    starts = np.concatenate(([0.0], np.cumsum([1.0 + g for g in seams])))
    strides = [Stride("left", a, a + 1.0, 1.0, 1.0, 1.0, 0.0, True) for a in starts.tolist()]
    edges = [s.end_s for s in strides] + [s.start_s for s in strides]
    span = float(starts[-1]) + 1.0
    instants = np.sort(np.concatenate((np.asarray(landing_at) * span, np.asarray(edges[:: max(1, len(edges) // 3)]))))
    turn, longest = TurnStepParams(), 1.25
    expected = [
        k
        for k, (a, b) in enumerate(itertools.pairwise(strides))
        if turn.min_gap_s < b.start_s - a.end_s <= longest and not np.any((instants > a.end_s) & (instants < b.start_s))
    ]
    assert _open_gaps(strides, instants, longest, turn).tolist() == expected
