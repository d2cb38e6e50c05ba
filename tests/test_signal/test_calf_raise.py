"""Calf-raise reps, phases, sets and tempo against simulator ground truth.

Truth comes from :mod:`calfload.sim` (rigid-foot physics, phase boundaries by the DESIGN.md
10 %-of-peak-speed rule on the noise-free pitch rate). Each test states the tolerance it uses
and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import numpy as np
import pytest

from calfload.errors import AnalysisError
from calfload.recording import Recording, make_recording
from calfload.schema import RecordingMeta
from calfload.signal import CalfRaiseAnalysis, CalfRaiseParams, CalfRep, analyze_calf_raises
from calfload.sim import (
    CalfSessionSpec,
    RaiseSet,
    RaiseSpec,
    Rest,
    SensorModel,
    SimulatedSession,
    TruthRep,
    Walk,
    random_calf_session,
    random_rotation,
)
from calfload.sim._kinematics import ideal_imu, min_jerk

from .conftest import simulate_quietly


def match(
    truth: Sequence[TruthRep], reps: Sequence[CalfRep], max_offset_s: float = 0.5
) -> list[tuple[TruthRep, CalfRep]]:
    """Pair each true rep with the detected rep that starts nearest to it (within ``max_offset_s``)."""
    pairs = []
    for t in truth:
        best = min(reps, key=lambda r: abs(r.start_s - t.start_s), default=None)
        if best is not None and abs(best.start_s - t.start_s) <= max_offset_s:
            pairs.append((t, best))
    return pairs


def score(sessions: Sequence[tuple[SimulatedSession, CalfRaiseAnalysis]]) -> dict[str, float]:
    """Held-out-style figures: set counts, phase errors and tempo agreement."""
    exact = total = off_by_more = 0
    ecc, con, agree, missed = [], [], [], 0
    for sim, res in sessions:
        truth_counts = sim.truth.set_counts()
        found = [s.rep_count for s in res.sets]
        total += len(truth_counts)
        if len(found) == len(truth_counts):
            exact += sum(a == b for a, b in zip(truth_counts, found, strict=True))
            off_by_more += sum(abs(a - b) > 1 for a, b in zip(truth_counts, found, strict=True))
        else:
            off_by_more += len(truth_counts)
        counted = sim.truth.counted()
        pairs = match(counted, res.reps)
        missed += len(counted) - len(pairs)
        for t, r in pairs:
            ecc.append(r.eccentric_s - t.eccentric_s)
            con.append(r.concentric_s - t.concentric_s)
            agree.append(r.eccentric_pass == (t.eccentric_s >= 2.5))
    return {
        "sets_exact": exact / total,
        "sets_off_by_more_than_one": off_by_more,
        "eccentric_mae_s": float(np.mean(np.abs(ecc))),
        "concentric_mae_s": float(np.mean(np.abs(con))),
        "tempo_agreement": float(np.mean(agree)),
        "missed_reps": missed,
    }


def analyse_many(sims: Sequence[SimulatedSession]) -> list[tuple[SimulatedSession, CalfRaiseAnalysis]]:
    return [(s, analyze_calf_raises(s.recording)) for s in sims]


def test_random_sessions_meet_the_held_out_goals(session_factory) -> None:
    """Varied tempo, holds, partial reps, walking, rates 25-1000 Hz, mountings, bias, drift, noise.

    Goals of issue 2: >= 95 % of sets exact, none off by more than one, eccentric and concentric
    MAE <= 0.15 s, tempo pass/fail agreement >= 95 %. We hold ourselves to tighter figures than
    the goals where the simulator allows (measured: 100 % exact, eccentric MAE about 0.01 s).
    """
    sims = [session_factory(seed, endurance=seed % 4 == 0) for seed in range(1000, 1012)]
    figures = score(analyse_many(sims))
    assert figures["sets_exact"] >= 0.95, figures
    assert figures["sets_off_by_more_than_one"] == 0, figures
    assert figures["eccentric_mae_s"] <= 0.05, figures
    assert figures["concentric_mae_s"] <= 0.05, figures
    assert figures["tempo_agreement"] >= 0.97, figures
    assert figures["missed_reps"] == 0, figures


@pytest.mark.parametrize("rate_hz", [25.0, 52.0, 104.0, 208.0, 416.0, 1000.0])
def test_sample_rates(session_factory, rate_hz: float) -> None:
    sims = [session_factory(seed, sample_rate_hz=rate_hz, n_sets=2) for seed in (1, 2)]
    figures = score(analyse_many(sims))
    assert figures["sets_exact"] == 1.0, figures
    # At 25 Hz a sample lasts 40 ms; sub-sample interpolation keeps the error well below that.
    assert figures["eccentric_mae_s"] <= 0.06, figures
    assert figures["tempo_agreement"] >= 0.95, figures


@pytest.mark.parametrize(
    ("sensor_changes", "max_ecc_mae_s"),
    [
        ({"gyr_bias_dps": (8.0, -6.0, 5.0), "gyr_drift_dps_per_s": (0.02, -0.02, 0.02)}, 0.06),
        # About 8x the noise of a consumer MEMS IMU (BMI160: ~0.1 deg/s, 0.013 m/s² at 100 Hz).
        ({"gyr_noise_dps": 0.8, "acc_noise_mps2": 0.1}, 0.08),
        # 20-30x: counting must survive; timing degrades (the 10 % threshold of a slow
        # lowering is below 1 deg/s, inside the noise).
        ({"gyr_noise_dps": 2.0, "acc_noise_mps2": 0.2}, 0.25),
        ({"timestamp_jitter_s": 0.003, "drops_per_min": 6.0, "drop_burst_s": 0.8}, 0.1),
        ({"scale_error": (0.05, -0.05, 0.05)}, 0.06),
        ({"bits": 12, "gyr_range_dps": 2000.0}, 0.08),
    ],
    ids=["bias-and-drift", "noisy", "extremely-noisy", "jitter-and-drops", "scale-error", "12-bit"],
)
def test_sensor_errors(sensor_changes: dict[str, object], max_ecc_mae_s: float) -> None:
    sims = []
    for seed in (3, 4, 5):
        spec = random_calf_session(np.random.default_rng(seed), n_sets=2, sample_rate_hz=100.0)
        sensor = dataclasses.replace(spec.sensor, **sensor_changes)  # type: ignore[arg-type]
        sims.append(simulate_quietly(dataclasses.replace(spec, sensor=sensor)))
    figures = score(analyse_many(sims))
    assert figures["sets_exact"] == 1.0, figures
    assert figures["eccentric_mae_s"] <= max_ecc_mae_s, figures
    assert figures["tempo_agreement"] >= 0.95, figures


def steady_set(n: int, eccentric_s: float, **changes: float) -> RaiseSet:
    return RaiseSet(tuple(RaiseSpec(eccentric_s=eccentric_s, **changes) for _ in range(n)))  # type: ignore[arg-type]


def spec_of(*blocks: Rest | Walk | RaiseSet, **changes: object) -> CalfSessionSpec:
    return dataclasses.replace(CalfSessionSpec(blocks=(Rest(5.0), *blocks, Rest(5.0))), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(4))
def test_any_mounting_orientation(seed: int) -> None:
    mount = random_rotation(np.random.default_rng(seed))
    spec = spec_of(steady_set(10, 3.2), mount=tuple(map(tuple, mount)), seed=seed)
    result = analyze_calf_raises(simulate_quietly(spec).recording)
    assert result.rep_count == 10
    assert all(r.eccentric_pass for r in result.reps)
    assert np.median([r.excursion_deg for r in result.reps]) == pytest.approx(30.0, abs=2.0)


def test_sensor_upside_down_on_the_heel() -> None:
    flip = ((1.0, 0.0, 0.0), (0.0, -1.0, 0.0), (0.0, 0.0, -1.0))
    spec = spec_of(steady_set(8, 2.0), mount=flip, lever_arm_m=(-0.22, 0.0, 0.03))
    result = analyze_calf_raises(simulate_quietly(spec).recording)
    assert result.rep_count == 8
    assert not any(r.eccentric_pass for r in result.reps)


def test_walking_between_sets_splits_them_and_is_not_counted() -> None:
    spec = spec_of(steady_set(10, 3.0), Rest(3.0), Walk(8), Rest(3.0), steady_set(10, 3.0))
    sim = simulate_quietly(spec)
    result = analyze_calf_raises(sim.recording)
    assert [s.rep_count for s in result.sets] == [10, 10]
    walk_start, walk_end = sim.truth.walking_intervals_s[0]
    assert result.walking_s, "the walk should be reported"
    assert result.walking_s[0][0] >= walk_start - 1.0
    assert result.walking_s[-1][1] <= walk_end + 1.0
    assert not any(walk_start < r.start_s < walk_end for r in result.reps + result.partial_reps)


def test_standing_sway_and_weight_shifts_are_not_reps() -> None:
    spec = spec_of(Rest(60.0, heel_shifts=12), top_wobble_deg=0.3)
    result = analyze_calf_raises(simulate_quietly(spec).recording)
    assert result.rep_count == 0
    assert result.sets == ()


def test_rest_longer_than_ten_seconds_starts_a_new_set() -> None:
    spec = spec_of(steady_set(6, 3.0), Rest(10.5), steady_set(6, 3.0), Rest(8.0), steady_set(6, 3.0))
    sim = simulate_quietly(spec)
    result = analyze_calf_raises(sim.recording)
    # The break after set 1 is 10.5 s plus the bottom; after set 2 only about 9 s: one set.
    assert [s.rep_count for s in result.sets] == sim.truth.set_counts() == [6, 12]


def test_partial_reps_are_reported_not_counted() -> None:
    reps = [RaiseSpec(eccentric_s=3.0) for _ in range(8)]
    reps.insert(3, RaiseSpec(excursion_deg=7.0, concentric_s=0.6, eccentric_s=0.6, top_hold_s=0.0, partial=True))
    reps.insert(6, RaiseSpec(excursion_deg=9.0, concentric_s=0.6, eccentric_s=0.7, top_hold_s=0.0, partial=True))
    result = analyze_calf_raises(simulate_quietly(spec_of(RaiseSet(tuple(reps)))).recording)
    assert result.rep_count == 8
    assert len(result.partial_reps) == 2
    assert all(r.partial and r.index == 0 for r in result.partial_reps)
    assert [r.index for r in result.reps] == list(range(1, 9))
    assert result.sets[0].partial_rep_count == 2


def test_endurance_set_counts_every_continuous_rep() -> None:
    rng = np.random.default_rng(9)
    reps = tuple(
        RaiseSpec(
            excursion_deg=float(rng.uniform(20, 30)),
            concentric_s=float(rng.uniform(0.6, 0.8)),
            top_hold_s=0.0,
            eccentric_s=float(rng.uniform(0.7, 1.0)),
            bottom_s=float(rng.uniform(0.0, 0.1)),
        )
        for _ in range(45)
    )
    sim = simulate_quietly(spec_of(RaiseSet(reps), sensor=SensorModel(sample_rate_hz=50.0, gyr_noise_dps=0.3)))
    result = analyze_calf_raises(sim.recording)
    assert result.rep_count == 45
    (only,) = result.sets
    assert only.endurance
    truth_tut = sum(r.concentric_s + r.top_hold_s + r.eccentric_s for r in sim.truth.counted())
    assert only.time_under_tension_s == pytest.approx(truth_tut, rel=0.03)
    assert only.end_s - only.start_s > 60


def test_phase_durations_and_bottom_match_truth_per_rep() -> None:
    reps = tuple(
        RaiseSpec(concentric_s=c, top_hold_s=h, eccentric_s=e, bottom_s=b)
        for c, h, e, b in [(0.5, 0.0, 1.5, 0.4), (1.5, 2.0, 4.0, 1.0), (1.0, 1.0, 3.0, 2.0), (0.8, 0.3, 2.4, 0.6)]
    )
    sim = simulate_quietly(spec_of(RaiseSet(reps)))
    result = analyze_calf_raises(sim.recording)
    assert result.rep_count == 4
    for t, r in match(sim.truth.counted(), result.reps):
        assert r.concentric_s == pytest.approx(t.concentric_s, abs=0.05)
        assert r.top_hold_s == pytest.approx(t.top_hold_s, abs=0.05)
        assert r.eccentric_s == pytest.approx(t.eccentric_s, abs=0.05)
        if t.bottom_s is None:
            assert r.bottom_s is None
        else:
            assert r.bottom_s == pytest.approx(t.bottom_s, abs=0.05)


def test_tempo_target_and_tolerance_are_configurable() -> None:
    sim = simulate_quietly(spec_of(steady_set(6, 2.2, eccentric_plateau=0.8)))
    default = analyze_calf_raises(sim.recording)
    assert default.pass_rate == 0.0
    lenient = analyze_calf_raises(sim.recording, CalfRaiseParams(target_eccentric_s=2.0, tolerance_s=0.2))
    assert lenient.pass_rate == 1.0
    assert lenient.to_dict()["tempo"] == {"target_eccentric_s": 2.0, "tolerance_s": 0.2, "pass_rate": 1.0}


def test_json_has_the_design_keys(session_factory) -> None:
    doc = analyze_calf_raises(session_factory(7, n_sets=2).recording).to_dict()
    assert {"activity", "rep_count", "sets", "reps", "tempo"} <= set(doc)
    assert doc["activity"] == "calf_raise"
    assert {"index", "rep_count", "start_s", "end_s", "time_under_tension_s", "tempo_pass_rate"} <= set(doc["sets"][0])
    assert {
        "set",
        "index",
        "start_s",
        "end_s",
        "concentric_s",
        "top_hold_s",
        "eccentric_s",
        "bottom_s",
        "eccentric_pass",
    } <= set(doc["reps"][0])
    assert {"target_eccentric_s", "tolerance_s", "pass_rate"} <= set(doc["tempo"])
    assert doc["rep_count"] == sum(s["rep_count"] for s in doc["sets"]) == len(doc["reps"])


def test_recording_that_never_rests_is_refused() -> None:
    rng = np.random.default_rng(0)
    reps = tuple(RaiseSpec(concentric_s=0.5, top_hold_s=0.0, eccentric_s=0.5, bottom_s=0.0) for _ in range(12))
    spec = CalfSessionSpec(
        blocks=(RaiseSet(reps),), sensor=SensorModel(sample_rate_hz=100.0), seed=int(rng.integers(9))
    )
    with pytest.raises(AnalysisError, match="never still"):
        analyze_calf_raises(simulate_quietly(spec).recording)


def test_shank_placement_needs_its_own_preset() -> None:
    assert CalfRaiseParams.for_placement("shank").min_rep_excursion_deg < CalfRaiseParams().min_rep_excursion_deg
    with pytest.raises(AnalysisError, match="on the foot or shank, not the wrist"):
        CalfRaiseParams.for_placement("wrist")


def pitch_only_session(walk_dorsiflexion_deg: float, stride_s: float) -> Recording:
    """Raises, then walking modelled by foot pitch alone, then raises: an independent walking model.

    Unlike :mod:`calfload.sim`'s walk, the foot neither travels nor strikes the floor: each
    cycle is foot flat, push-off to +40° and a swing down to ``walk_dorsiflexion_deg``. Only
    the pitch pattern can tell these steps from raises.
    """
    fs = 1000.0
    raise_ = [(1.0, 0, 30), (0.5, 30, 30), (3.0, 30, 0), (1.0, 0, 0)]
    cycle = [
        (0.35 * stride_s, 0, 0),
        (0.2 * stride_s, 0, 40),
        (0.35 * stride_s, 40, walk_dorsiflexion_deg),
        (0.1 * stride_s, walk_dorsiflexion_deg, 0),
    ]
    plan = [(5.0, 0, 0), *raise_ * 8, (2.0, 0, 0), *cycle * 8, (2.0, 0, 0), *raise_ * 8, (5.0, 0, 0)]
    duration = sum(p[0] for p in plan)
    t = np.arange(int(duration * fs)) / fs
    pitch, rate = np.zeros_like(t), np.zeros_like(t)
    start = 0.0
    for span, a, b in plan:
        i0, i1 = int(start * fs), int((start + span) * fs)
        pos, vel = min_jerk((t[i0:i1] - start) / span)
        pitch[i0:i1] = np.radians(a + (b - a) * pos)
        rate[i0:i1] = np.radians((b - a) * vel / span)
        start += span
    zeros = np.zeros_like(t)
    acc, gyr = ideal_imu(t, pitch, rate, zeros, zeros, np.zeros((t.size, 3)), np.array([-0.1, 0, 0.06]), np.eye(3))
    frame = SensorModel(sample_rate_hz=100.0).sample(t, acc, gyr, duration - 0.01, np.random.default_rng(0))
    meta = RecordingMeta(sample_rate_hz=100.0, start_utc=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), placement="foot")
    return make_recording(frame, meta)


@pytest.mark.parametrize(("dorsiflexion_deg", "stride_s"), [(-15.0, 1.1), (-4.0, 1.1), (0.0, 0.9), (0.0, 1.4)])
def test_walking_by_pitch_alone_is_not_counted(dorsiflexion_deg: float, stride_s: float) -> None:
    result = analyze_calf_raises(pitch_only_session(dorsiflexion_deg, stride_s))
    assert [s.rep_count for s in result.sets] == [8, 8]
    assert result.partial_reps == ()
    (walk,) = result.walking_s
    assert 50.0 < walk[0] < walk[1] < 62.5


def test_a_weight_shift_in_a_long_rest_does_not_join_two_sets() -> None:
    """DESIGN: more than 10 s of rest between reps starts a set; a 5° heel shift is not a rep."""
    shift = RaiseSet(
        (RaiseSpec(excursion_deg=5.0, concentric_s=0.6, top_hold_s=0.0, eccentric_s=0.6, bottom_s=0.0, partial=True),)
    )
    sim = simulate_quietly(spec_of(steady_set(6, 3.0), Rest(8.0), shift, Rest(8.0), steady_set(6, 3.0)))
    result = analyze_calf_raises(sim.recording)
    assert [s.rep_count for s in result.sets] == sim.truth.set_counts() == [6, 6]
    (partial,) = result.partial_reps
    assert partial.excursion_deg == pytest.approx(5.0, abs=1.0)
