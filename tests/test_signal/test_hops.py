"""Hops: landings, contact and flight times, sets and fatigue against simulator ground truth.

Truth comes from :mod:`calfload.sim._hops` (free fall in flight, a spring-mass ground force in
contact; contact is exactly where that force is non-zero). Targets from issue 7: hops counted
exactly on at least 95 % of sets; contact and flight time within 15 ms mean absolute error at
200 Hz and above.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pytest

from calfload.errors import AnalysisError, SignalQualityWarning
from calfload.signal import HopAnalysis, HopContact, analyze, analyze_hops
from calfload.sim import (
    HopSeries,
    HopSessionSpec,
    HopSpec,
    Rest,
    SensorModel,
    SimulatedHops,
    TruthContact,
    random_calf_session,
    random_hop_session,
    simulate_calf_session,
    simulate_hop_session,
)


def simulate(spec: HopSessionSpec) -> SimulatedHops:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        return simulate_hop_session(spec)


def analyse(sim: SimulatedHops) -> HopAnalysis:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        return analyze_hops(sim.recording)


def paired(truth: Sequence[TruthContact], found: Sequence[HopContact]) -> list[tuple[TruthContact, HopContact]]:
    """Each true landing with the detected landing nearest to it (within 100 ms)."""
    starts = np.array([c.start_s for c in found])
    out = []
    for t in truth:
        if starts.size:
            j = int(np.argmin(np.abs(starts - t.start_s)))
            if abs(starts[j] - t.start_s) < 0.1:
                out.append((t, found[j]))
    return out


def score(seeds: range, **kwargs: object) -> dict[str, float]:
    exact = total = 0
    contact_err: list[float] = []
    flight_err: list[float] = []
    for seed in seeds:
        sim = simulate(random_hop_session(np.random.default_rng(seed), **kwargs))  # type: ignore[arg-type]
        res = analyse(sim)
        truth_counts, found = sim.truth.set_counts(), [s.hops for s in res.sets]
        total += len(truth_counts)
        if len(found) == len(truth_counts):
            exact += sum(a == b for a, b in zip(truth_counts, found, strict=True))
        for t, d in paired(sim.truth.contacts, res.contacts):
            if d.flight_ms is not None:
                flight_err.append(d.flight_ms - t.flight_ms)
            if t.contact_ms is not None and d.contact_ms is not None:
                contact_err.append(d.contact_ms - t.contact_ms)
    return {
        "exact_share": exact / total,
        "contact_mae_ms": float(np.mean(np.abs(contact_err))),
        "flight_mae_ms": float(np.mean(np.abs(flight_err))),
        "n_contacts": float(len(contact_err)),
    }


@pytest.mark.parametrize("rate_hz", [200.0, 416.0, 1000.0])
def test_counts_and_times_meet_the_issue_targets_at_200_hz_and_above(rate_hz: float) -> None:
    # Random exercises (ankle hops, pogo jumps, single-leg hops, bounds), foot and shank, any
    # mounting, consumer sensor errors and lost packets; 12 sessions, about 25 sets per rate.
    figures = score(range(100, 112), sample_rate_hz=rate_hz)
    assert figures["exact_share"] >= 0.95, figures
    assert figures["contact_mae_ms"] <= 15.0, figures
    assert figures["flight_mae_ms"] <= 15.0, figures
    assert figures["n_contacts"] >= 150


def test_counts_hold_at_100_hz() -> None:
    # Timing is only claimed from 200 Hz; counting still works at 100 Hz.
    figures = score(range(200, 210), sample_rate_hz=100.0, drops=False)
    assert figures["exact_share"] >= 0.95, figures
    assert figures["contact_mae_ms"] <= 25.0, figures


def fatigue_session(rise: float) -> HopSessionSpec:
    hops = tuple(HopSpec(flight_s=0.3, contact_s=0.16 * (1 + rise * i / 19)) for i in range(20))
    return HopSessionSpec(
        blocks=(Rest(4.0), HopSeries(hops=hops), Rest(4.0)),
        sensor=SensorModel(sample_rate_hz=400.0),
    )


def test_rising_contact_time_is_reported_as_fatigue() -> None:
    tired = analyse(simulate(fatigue_session(0.3)))
    fresh = analyse(simulate(fatigue_session(0.0)))
    assert [s.hops for s in tired.sets] == [s.hops for s in fresh.sets] == [20]
    assert tired.sets[0].fatigue
    # 30 % over 19 contacts: the last third's mean is about 20 % above the first third's.
    assert tired.sets[0].contact_change_pct == pytest.approx(19.7, abs=4.0)
    assert not fresh.sets[0].fatigue
    assert abs(fresh.sets[0].contact_change_pct or 0.0) < 5.0


def test_landing_to_stand_has_no_contact_time_and_sets_split_by_rest() -> None:
    series = HopSeries(hops=tuple(HopSpec(flight_s=0.35, contact_s=0.2) for _ in range(6)))
    spec = HopSessionSpec(
        blocks=(Rest(4.0), series, Rest(12.0), series, Rest(4.0)), sensor=SensorModel(sample_rate_hz=200.0)
    )
    res = analyse(simulate(spec))
    assert [s.hops for s in res.sets] == [6, 6]
    last = [c for c in res.contacts if c.index == 6]
    assert [c.contact_ms for c in last] == [None, None]
    assert all(c.contact_ms is not None for c in res.contacts if c.index < 6)
    assert res.sets[0].mean_flight_ms == pytest.approx(350.0, abs=10.0)
    assert res.contacts[0].jump_height_cm == pytest.approx(100 * 9.80665 * 0.35**2 / 8, abs=0.5)


def test_json_has_the_issue_keys_and_dispatches_from_analyze() -> None:
    sim = simulate(random_hop_session(np.random.default_rng(7), sample_rate_hz=200.0, n_sets=1, drops=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        doc = analyze(sim.recording).to_dict()
    assert doc["activity"] == "hops"
    assert doc["hops"] == len(doc["contacts"]) == sim.truth.set_counts()[0]
    assert set(doc["sets"][0]) >= {"hops", "mean_contact_ms", "mean_flight_ms", "fatigue"}
    assert set(doc["contacts"][0]) >= {"start_s", "contact_ms", "flight_ms"}


def test_walking_and_calf_raises_are_not_hops() -> None:
    # Free fall never happens while walking or raising the heels.
    calf = simulate_calf_session(random_calf_session(np.random.default_rng(3), walking=True, n_sets=2))
    assert analyze_hops(calf.recording).hops == 0


def test_refuses_foot_pods_and_wrist_sensors() -> None:
    sim = simulate(fatigue_session(0.0))
    with pytest.raises(AnalysisError, match="foot or shank"):
        analyze(sim.recording, activity="hops", placement="wrist")
