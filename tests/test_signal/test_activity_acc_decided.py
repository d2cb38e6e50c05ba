"""The windows the pause vote settles from the acceleration alone are gait or unclear in the full classifier.

``_activity_windows.neither_still_hop_nor_raise`` lets the bouts' pause vote skip the angular
rate, cycles and axis of a window whose acceleration already rules out ``still``, ``hops`` and
``calf_raise`` (issue 15). The truth is ``grid_labels``, the whole classification of every window:
on real walks (IPOL feet at their rate and resampled to 200 Hz, the IPOL lower back; skipped when
../shared/validation is absent) and simulated calf sessions, hop sessions and runs, in each
placement, every window it decides is ``gait`` or ``unclear`` there, and it decides some.
"""

from __future__ import annotations

import math
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._stats import row_norms
from calfload.recording import Recording
from calfload.signal._activity_features import row_percentiles
from calfload.signal._activity_grid import SpanWindows
from calfload.signal._activity_windows import (
    ActivityParams,
    grid_labels,
    neither_still_hop_nor_raise,
)
from calfload.sim import (
    random_calf_session,
    random_hop_session,
    random_run_spec,
    simulate_calf_session,
    simulate_hop_session,
    simulate_run,
)
from calfload.units import STANDARD_GRAVITY_MPS2
from tools.validate_datasets import ipol_cases, ipol_lower_back_cases

_PARAMS = ActivityParams()
_PLACEMENTS = ("foot", "shank", "thigh", "unknown", "lower_back", "wrist")


def _decided_and_labels(rec: Recording, chosen_share: float, seed: int) -> tuple[list[bool], list[str]]:
    """The decision and the full class of every window (the decision asked of random subsets, as the vote asks)."""
    t = rec.t_s
    windows = SpanWindows(rec, _PARAMS, [(float(t[0]), float(t[-1]))])
    count = len(windows.spans_s)
    rng = np.random.default_rng(seed)
    first = np.flatnonzero(rng.random(count) < chosen_share).tolist()
    decided = [False] * count
    for chosen in (first, sorted(set(range(count)) - set(first))):
        if chosen:
            norms, bounds = windows.acc_norms(chosen)
            found = neither_still_hop_nor_raise(norms, bounds, rec.meta.placement, _PARAMS).tolist()
            for i, d in zip(chosen, found, strict=True):
                decided[i] = d
    labels = grid_labels(
        SpanWindows(rec, _PARAMS, [(float(t[0]), float(t[-1]))]).rows(range(count)), rec.meta.placement, _PARAMS
    )
    return decided, labels


def _check(recordings: list[Recording]) -> dict[str, int]:
    """Every decided window is gait or unclear; how many windows of each class were decided and not."""
    seen: dict[str, int] = {}
    for k, rec in enumerate(recordings):
        for placement in _PLACEMENTS:
            decided, labels = _decided_and_labels(rec.with_meta(placement=placement), 0.4, k)
            for d, label in zip(decided, labels, strict=True):
                if d:
                    assert label in ("gait", "unclear"), (k, placement, label)
                key = f"{'decided' if d else 'measured'} {label}"
                seen[key] = seen.get(key, 0) + 1
    return seen


def test_simulated_sessions_decided_windows_are_gait_or_unclear() -> None:
    recordings = []
    for seed in (1, 2):
        recordings.append(simulate_calf_session(random_calf_session(np.random.default_rng(seed))).recording)
        recordings.append(simulate_hop_session(random_hop_session(np.random.default_rng(seed))).recording)
        recordings.append(simulate_run(random_run_spec(seed)).recordings[0])
    seen = _check(recordings)
    # The classes the decision must not take were there, measured; and it took some windows.
    assert seen.get("measured calf_raise", 0) > 0
    assert seen.get("measured hops", 0) > 0
    assert seen.get("measured still", 0) > 0
    assert seen.get("decided gait", 0) + seen.get("decided unclear", 0) > 50


def test_real_walks_decided_windows_are_gait_or_unclear(validation_dir: Path) -> None:
    if not (validation_dir / "ipol_gait_voisard2023").is_dir():
        pytest.skip("IPOL data not present")
    cases = ipol_cases(validation_dir, subjects=("1-1", "2-1", "7-1"), variants=("original", "200hz"))
    recordings = list({id(rec): rec for case in cases for rec in case.recordings}.values())  # "both" repeats the feet
    recordings += [
        rec for case in islice(ipol_lower_back_cases(validation_dir, subjects=("1-1",)), 1) for rec in case.recordings
    ]
    seen = _check(recordings)
    assert seen.get("decided gait", 0) > 100
    assert seen.get("measured gait", 0) + seen.get("measured unclear", 0) > 0


def test_a_still_or_flying_or_soft_window_is_not_decided() -> None:
    # Five 8 s windows at 50 Hz: still; hopping (flight near 0 g, landings at 3 g); a calf raise's
    # slow rise near 1 g; a wide sway that never lands at 1.5 g; and a walk's landings at 2.5 g
    # without flight. On the foot only the walk is decided; off the lower leg anything that
    # clearly moves. The raise moves (standard deviation 0.2 g), but its range (0.6 g) is too
    # small to show it without the standard deviation: left to the full measurement.
    fs_hz, n = 50.0, 400
    t = np.arange(n) / fs_hz
    g = STANDARD_GRAVITY_MPS2
    rng = np.random.default_rng(0)
    still = np.tile([0.0, 0.0, g], (n, 1)) + rng.normal(0.0, 0.01, (n, 3))
    hop = np.tile([0.0, 0.0, g], (n, 1))
    phase = (t * 2.0) % 1.0
    hop[:, 2] = np.where(phase < 0.4, 0.05 * g, np.where(phase < 0.5, 3.0 * g, g))
    raise_ = np.tile([0.0, 0.0, g], (n, 1))
    raise_[:, 2] += 0.3 * g * np.sin(2 * np.pi * t / 2.0)
    sway = np.tile([0.0, 0.0, g], (n, 1))
    sway[:, 2] = np.where(phase < 0.5, 0.45 * g, 1.48 * g)
    walk = np.tile([0.0, 0.0, g], (n, 1))
    walk[:, 2] += np.where(phase < 0.05, 1.5 * g, 0.2 * g * np.sin(2 * np.pi * t))
    acc = np.concatenate([still, hop, raise_, sway, walk])
    bounds = [(k * n, (k + 1) * n) for k in range(5)]
    for placement, expected in (
        ("foot", [False, False, False, False, True]),
        ("thigh", [False, True, False, True, True]),
    ):
        assert neither_still_hop_nor_raise(row_norms(acc), bounds, placement, _PARAMS).tolist() == expected
    acc[4 * n + 5, 1] = np.nan  # a NaN leaves its window to the full measurement
    assert neither_still_hop_nor_raise(row_norms(acc), bounds, "foot", _PARAMS).tolist() == [False] * 5


def test_a_decided_windows_percentiles_clear_the_thresholds() -> None:
    """Order statistics on the thresholds, to the last bits: decided only where the percentiles clear them."""
    rng = np.random.default_rng(15)
    g = STANDARD_GRAVITY_MPS2
    flight, landing = _PARAMS.flight_g * g, _PARAMS.calf_max_g * g
    nudges = np.array([-1e-6, -1e-9, -1e-15, 0.0, 1e-15, 1e-10, 1e-9, 2e-9, 1e-6, 0.1])
    windows, bounds, at = [], [], 0
    for k in range(3000):
        width = 400 if k % 3 else int(rng.integers(200, 401))
        values = rng.uniform(1.0 * g, 1.4 * g, width)
        low, high = (
            rng.choice(width, int(rng.integers(0, 8)), replace=False),
            rng.choice(width, int(rng.integers(0, 9))),
        )
        values[low] = flight * (1.0 + rng.choice(nudges, low.size))
        values[high] = landing * (1.0 + rng.choice(nudges, high.size))
        windows.append(values)
        bounds.append((at, at + width))
        at += width
    acc = np.zeros((at, 3))
    acc[:, 2] = np.concatenate(windows)
    norms = row_norms(acc)
    decided = neither_still_hop_nor_raise(norms, bounds, "foot", _PARAMS)
    decided_count = 0
    for (a, b), d in zip(bounds, decided.tolist(), strict=True):
        row = norms[a:b]
        p01, p99 = row_percentiles(row[None, :], [1.0, 99.0])[0] / g
        moving = not row.std() < _PARAMS.still_acc_mps2
        if d:  # the full classifier's thresholds are cleared
            assert moving
            assert p01 >= _PARAMS.flight_g
            assert p99 >= _PARAMS.calf_max_g
            decided_count += 1
        # The order statistics below both percentiles clear them by more than the margin: decided.
        ordered = np.sort(row)
        low01, low99 = int((b - a - 1) * 0.01), int((b - a - 1) * 0.99)
        assert d or not (moving and ordered[low01] >= flight * (1 + 1e-8) and ordered[low99] >= landing * (1 + 1e-8))
    assert decided_count > 50


def _decided_alone(norms: np.ndarray, placement: str) -> bool:
    """The rule on one window's norms: range, then (on the lower leg) the counts past flight and landing."""
    g, count = STANDARD_GRAVITY_MPS2, norms.size
    if not norms.max() - norms.min() >= _PARAMS.still_acc_mps2 * math.sqrt(2.0 * count) * (1.0 + 1e-9):
        return False
    if placement not in ("foot", "shank", "unknown"):
        return True
    low01, low99 = (int((count - 1) * q) for q in (0.01, 0.99))
    below = int(np.count_nonzero(norms < _PARAMS.flight_g * g * (1.0 + 1e-9)))
    above = int(np.count_nonzero(norms >= _PARAMS.calf_max_g * g * (1.0 + 1e-9)))
    return below <= low01 and above >= count - low99


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["foot", "thigh"]))
def test_overlapping_windows_are_each_decided_as_alone(seed: int, placement: str) -> None:
    """Windows of several widths overlapping by half or following on, as the vote asks for them; NaN rows too."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 4000))
    g = STANDARD_GRAVITY_MPS2
    norms = np.abs(rng.normal(1.2 * g, float(rng.choice([0.05, 0.5, 1.0])) * g, n))
    norms[rng.integers(0, n, int(rng.integers(0, 3)))] = np.nan
    bounds, a = [], 0
    while True:
        width = int(rng.choice([400, 400, 250, 200, 3, 1]))
        if a + width > n:
            break
        bounds.append((a, a + width))
        a += int(rng.choice([max(width // 2, 1), width]))
    decided = neither_still_hop_nor_raise(norms, bounds, placement, _PARAMS).tolist()
    assert decided == [_decided_alone(norms[a:b], placement) for a, b in bounds]
