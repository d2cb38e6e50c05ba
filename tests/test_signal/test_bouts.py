"""Bouts and segments (issue 18 item 3) against the gait-session simulator's truth.

The session is the issue's interval run shortened for the suite (walk warm-up, 4 fast
intervals with easy running between, a walk cool-down with a standing stop); the phases'
start and end times, steps and cadence are the simulator's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.recording import Recording, make_recording
from calfload.schema import CADENCE_SPM, SPEED_MPS, T_S, RecordingMeta
from calfload.signal import analyze
from calfload.signal._bouts import _otsu, _runs, _smoothed_cadence, _smoothed_cadences
from calfload.signal._gait import analyze_gait
from calfload.signal._gait_types import GaitAnalysis
from calfload.signal._record import from_record, to_record
from calfload.sim import (
    GaitPhase,
    GaitSessionSpec,
    RunSpec,
    SimulatedGaitSession,
    interval_session,
    simulate_gait_session,
    simulate_run,
)


def _gait(result: object) -> GaitAnalysis:
    assert isinstance(result, GaitAnalysis)
    return result


@pytest.fixture(scope="module")
def session() -> tuple[SimulatedGaitSession, GaitAnalysis]:
    spec = interval_session(
        warm_up_s=60.0, interval_s=40.0, recovery_s=30.0, cool_down_s=60.0, stop_s=35.0, stand_s=5.0, seed=3
    )  # a stop of 30 s or more in a run is a standing bout of its own (test_traffic_light_stops_...)
    sim = simulate_gait_session(spec)
    return sim, _gait(analyze(sim.recordings[0]))


def _truth_gait(sim: object) -> list:
    return [p for p in sim.phases if p.activity != "stand"]  # type: ignore[attr-defined]


def test_every_phase_is_a_bout_with_its_activity_and_part(session: tuple[SimulatedGaitSession, GaitAnalysis]) -> None:
    sim, result = session
    expected = [("stand" if p.activity == "stand" else p.activity, p.label) for p in sim.phases]
    found = [(b.activity, b.part) for b in result.segments]
    parts = {"stand": None, "stop": None, "warm-up": "warm-up", "interval": "interval"}
    assert found == [(a, parts.get(label, label)) for a, label in expected]
    assert [b.part for b in result.segments].count("interval") == 4


def test_bout_boundaries_and_figures_match_the_truth(session: tuple[SimulatedGaitSession, GaitAnalysis]) -> None:
    sim, result = session
    gait = [b for b in result.segments if b.is_gait]
    truth = _truth_gait(sim)
    assert len(gait) == len(truth)
    for bout, phase in zip(gait, truth, strict=True):
        # A gait bout runs from its first to its last step; a change of pace is found within 1.5 s.
        assert abs(bout.start_s - phase.start_s) <= 1.5, (bout, phase)
        assert abs(bout.end_s - phase.end_s) <= 1.5, (bout, phase)
        assert bout.cadence_median_spm == pytest.approx(phase.cadence_spm, abs=2.0)
        assert bout.steps is not None
        assert abs(bout.steps - phase.steps) <= max(4, 0.05 * phase.steps), (bout, phase)
        assert bout.ground_contact_median_ms is not None
        assert bout.duty_factor is not None
        # Each bout's own speed (zero-velocity updates on its strides) against the phase's.
        assert bout.speed_mps == pytest.approx(phase.speed_mps, abs=0.2), (bout, phase)
        assert (bout.duty_factor < 0.5) == (phase.activity == "run")
    # The bouts partition the recording and their steps add up to the file's.
    assert result.segments[0].start_s == pytest.approx(0.0, abs=0.02)
    assert all(a.end_s == b.start_s for a, b in zip(result.segments, result.segments[1:], strict=False))
    assert sum(b.steps or 0 for b in result.segments) == result.steps


def test_the_stop_is_a_standing_bout(session: tuple[SimulatedGaitSession, GaitAnalysis]) -> None:
    sim, result = session
    stop = next(p for p in sim.phases if p.label == "stop")
    stands = [b for b in result.segments if b.activity == "stand"]
    # Standing before, at the stop, and after: the stop is one bout, not noise or a walk.
    assert len(stands) == 3
    stands = [b for b in stands if b.start_s > 0 and b.end_s < sim.phases[-1].start_s]
    assert len(stands) == 1
    # The pause runs from the last step before the stop to the first after it.
    assert stands[0].start_s == pytest.approx(stop.start_s, abs=1.5)
    assert stands[0].end_s == pytest.approx(stop.end_s, abs=1.5)


def test_a_short_pause_is_bridged_and_a_walk_into_a_run_is_split() -> None:
    walk = {"activity": "walk", "cadence_spm": 110.0, "speed_mps": 1.3}
    phases = (
        GaitPhase(activity="stand", duration_s=3.0),
        GaitPhase(duration_s=30.0, **walk),  # type: ignore[arg-type]
        GaitPhase(activity="stand", duration_s=1.0),
        GaitPhase(duration_s=30.0, **walk),  # type: ignore[arg-type]
        GaitPhase(activity="run", duration_s=40.0, cadence_spm=170.0, speed_mps=3.2),
        GaitPhase(activity="stand", duration_s=3.0),
    )
    sim = simulate_gait_session(GaitSessionSpec(phases=phases, seed=5))
    result = _gait(analyze(sim.recordings[0]))
    gait = [(b.activity, b.part) for b in result.segments if b.is_gait]
    # One second standing is a pause inside the walk, not a bout; one steady run has no intervals.
    assert gait == [("walk", None), ("run", None)]
    assert [b for b in result.segments if b.is_gait][1].start_s == pytest.approx(64.0, abs=1.5)


def test_traffic_light_stops_in_a_run_under_30_s_are_pauses_inside_a_bout() -> None:
    """A run with a 20 s and a 45 s standing stop: one bout across the first, a standing bout at the second.

    As foot-pod and FIT bouts (:mod:`calfload.signal._bouts_merge`); the joined bout's figures are
    its own steps and strides (exact, not weighted means). A walk keeps Mobilise-D's bouts.
    """
    run = {"activity": "run", "cadence_spm": 166.0, "speed_mps": 3.0}
    stops = (20.0, 45.0)
    phases = (
        GaitPhase(activity="stand", duration_s=3.0),
        GaitPhase(duration_s=50.0, **run),  # type: ignore[arg-type]
        GaitPhase(activity="stand", duration_s=stops[0]),
        GaitPhase(duration_s=50.0, **run),  # type: ignore[arg-type]
        GaitPhase(activity="stand", duration_s=stops[1]),
        GaitPhase(duration_s=50.0, **run),  # type: ignore[arg-type]
        GaitPhase(activity="stand", duration_s=3.0),
    )
    sim = simulate_gait_session(GaitSessionSpec(phases=phases, seed=7))
    result = _gait(analyze(sim.recordings[0]))
    assert result.activity == "run"
    found = [b for b in result.segments if b.start_s > 0 and b.end_s < sim.phases[-1].start_s]
    assert [b.activity for b in found] == ["run", "stand", "run"]
    first, stop, _ = found
    truth = sim.phases
    assert first.start_s == pytest.approx(truth[1].start_s, abs=1.5)
    assert first.end_s == pytest.approx(truth[3].end_s, abs=1.5)  # across the 20 s stop
    assert stop.duration_s == pytest.approx(stops[1], abs=1.5)
    assert first.steps is not None
    assert abs(first.steps - truth[1].steps - truth[3].steps) <= 0.05 * (truth[1].steps + truth[3].steps)
    assert first.cadence_median_spm == pytest.approx(166.0, abs=2.0)
    assert first.speed_mps == pytest.approx(3.0, abs=0.05)  # the strides' speed: the 20 s stop is not in it
    assert sum(b.steps or 0 for b in result.segments) == result.steps
    # The same stops in a walk: Mobilise-D's walking bouts, each stop a standing bout.
    walk = {"activity": "walk", "cadence_spm": 112.0, "speed_mps": 1.4}
    walking = tuple(
        dataclasses.replace(p, **walk) if p.activity == "run" else p  # type: ignore[arg-type]
        for p in phases
    )
    sim = simulate_gait_session(GaitSessionSpec(phases=walking, seed=7))
    result = _gait(analyze(sim.recordings[0]))
    assert result.activity == "walk"
    assert [b.activity for b in result.segments] == ["stand", "walk", "stand", "walk", "stand", "walk", "stand"]


def test_a_recording_of_one_activity_keeps_the_whole_file_figures() -> None:
    sim = simulate_run(RunSpec(duration_s=30.0, seed=2))
    rec = sim.recordings[0]
    result = _gait(analyze(rec))
    alone = analyze_gait(rec)
    assert {k: v for k, v in result.to_dict().items() if k not in ("segments", "activity_detection")} == alone.to_dict()
    gait = [b for b in result.segments if b.is_gait]
    assert len(gait) == 1
    assert gait[0].steps == result.steps
    assert gait[0].cadence_median_spm == result.cadence_median_spm
    assert gait[0].part is None


def test_segments_survive_the_stored_record(session: tuple[SimulatedGaitSession, GaitAnalysis]) -> None:
    _, result = session
    back = _gait(from_record(to_record(result)))
    assert [b.to_dict() for b in back.segments] == [b.to_dict() for b in result.segments]


def test_short_stretches_join_their_neighbours() -> None:
    t = np.arange(10.0)
    flag = np.array([0, 0, 0, 1, 0, 0, 1, 1, 1, 1], dtype=bool)
    # The one-second flip at 3 s is absorbed; the change at 5.5 s stays.
    assert _runs(t, flag, 0.0, 9.0, 2.0) == [(0.0, 5.5, False), (5.5, 9.0, True)]
    # Nothing is long enough: the shorter stretch (5.5-9 s) joins the longer (0-5.5 s).
    assert _runs(t, flag, 0.0, 9.0, 100.0) == [(0.0, 9.0, False)]


def test_otsu_threshold_lies_between_two_levels() -> None:
    x = np.concatenate([np.full(50, 160.0), np.full(30, 178.0)]) + np.random.default_rng(1).normal(0, 1.0, 80)
    threshold, separation = _otsu(x)
    assert 165.0 < threshold < 173.0
    assert separation > 0.9
    # One level with noise: split in two, the classes explain about 2/π of the variance.
    _, one = _otsu(np.random.default_rng(2).normal(170.0, 3.0, 2000))
    assert one == pytest.approx(2 / np.pi, abs=0.03)


def test_bouts_json_is_plain(session: tuple[SimulatedGaitSession, GaitAnalysis]) -> None:
    _, result = session
    doc = json.loads(json.dumps(result.to_dict()))
    assert [s["activity"] for s in doc["segments"]] == [b.activity for b in result.segments]
    assert dataclasses.is_dataclass(result.segments[0])


def test_analyze_text_shows_one_row_per_bout_within_80_columns(
    session: tuple[SimulatedGaitSession, GaitAnalysis], monkeypatch: pytest.MonkeyPatch
) -> None:
    from calfload.report import render_gait_text

    monkeypatch.setenv("COLUMNS", "80")
    _, result = session
    text = render_gait_text(result)
    assert max(len(line) for line in text.splitlines()) <= 80
    lines = text.splitlines()
    table = lines[lines.index("  bouts") + 2 : lines.index("  bouts") + 2 + len(result.segments)]
    for line, bout in zip(table, result.segments, strict=True):
        words = line.split()
        assert words[0] == bout.activity
        assert (words[1] if bout.part else None) == bout.part
        if bout.steps is not None:
            assert str(bout.steps) in words


def test_run_page_has_a_bouts_table_whose_numbers_are_the_json(
    session: tuple[SimulatedGaitSession, GaitAnalysis],
) -> None:
    import html
    import re

    from calfload.report import render_gait_html

    _, result = session
    page = render_gait_html(result)
    doc = result.to_dict()
    table = page[page.index("<h2>Bouts</h2>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", table)
    assert [(a.replace(" ", "_"), p or None) for a, p in rows] == [(b.activity, b.part) for b in result.segments]
    tagged = re.findall(r'data-key="(segments\.(\d+)\.(\w+))"[^>]*data-value="([^"]*)"', table)
    assert len(tagged) == 6 * len(result.segments)  # start, time, steps, cadence, contact, distance
    for _, index, name, value in tagged:
        assert json.loads(html.unescape(value)) == doc["segments"][int(index)][name]
    # Each bout's pace (min/km) from its own strides, against the phase's simulated speed.
    sim, _ = session
    paces = re.findall(r"<td class=\"n\">(\d+):(\d\d)</td></tr>", table)
    truth = [p.speed_mps for p in _truth_gait(sim)]
    assert len(paces) == len(truth)
    for (minutes, seconds), speed in zip(paces, truth, strict=True):
        assert 60 * int(minutes) + int(seconds) == pytest.approx(1000.0 / speed, rel=0.04)


def _pod_session() -> tuple[Recording, list[tuple[str, str | None, float, float, float]]]:
    """1 Hz foot-pod records: walk, a stop, 3 x (fast, easy) running, walk; with the phases' truth."""
    phases: list[tuple[str, str | None, float, float, float]] = [
        ("walk", None, 60.0, 110.0, 1.3),
        ("stand", None, 40.0, 0.0, 0.0),
    ]
    for k in range(3):
        phases.append(("run", "interval", 60.0, 180.0, 4.0))
        if k < 2:
            phases.append(("run", "recovery", 60.0, 168.0, 2.6))
    phases.append(("walk", "cool-down", 60.0, 110.0, 1.3))
    rng = np.random.default_rng(4)
    t = np.arange(0.0, sum(p[2] for p in phases), 1.0)
    edges = np.cumsum([0.0] + [p[2] for p in phases])
    which = np.searchsorted(edges, t, side="right") - 1
    cadence = np.array([phases[i][3] for i in which]) + rng.normal(0, 1.0, t.size)
    speed = np.array([phases[i][4] for i in which]) + rng.normal(0, 0.05, t.size)
    moving = cadence > 50
    frame = pd.DataFrame({T_S: t, CADENCE_SPM: np.where(moving, cadence, 0.0), SPEED_MPS: np.where(moving, speed, 0.0)})
    meta = RecordingMeta(kind="footpod", sample_rate_hz=1.0, start_utc=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    truth = [(a, part, float(edges[i]), float(edges[i + 1]), c) for i, (a, part, _, c, _) in enumerate(phases)]
    return make_recording(frame, meta), truth


def test_a_foot_pod_without_laps_gets_bouts_split_by_speed() -> None:
    rec, truth = _pod_session()
    speed = np.asarray(rec.column(SPEED_MPS), dtype=np.float64)
    result = _gait(analyze(rec))
    found = [(b.activity, b.part) for b in result.segments]
    # The first walk is before any interval: the warm-up.
    assert found == [(a, "warm-up" if i == 0 else p) for i, (a, p, *_) in enumerate(truth)]
    for bout, (activity, _, start, end, cadence) in zip(result.segments, truth, strict=True):
        assert bout.start_s == pytest.approx(start, abs=2.0)
        assert bout.end_s == pytest.approx(end, abs=2.0)
        if activity != "stand":
            assert bout.cadence_median_spm == pytest.approx(cadence, abs=1.5)
            assert bout.steps == pytest.approx(cadence * (end - start) / 60.0, rel=0.05)
            assert bout.speed_mps is not None
            assert bout.distance_m == pytest.approx(bout.speed_mps * bout.duration_s, rel=1e-6)
    covered = float(np.sum(0.5 * (speed[1:] + speed[:-1]) * np.diff(rec.t_s)))
    assert sum(b.distance_m or 0.0 for b in result.segments) == pytest.approx(covered, rel=0.03)


def test_a_steady_foot_pod_run_has_no_bouts() -> None:
    rec, _ = _pod_session()
    steady = rec.with_meta(activity="run")
    t = steady.t_s
    # Cadence and speed rise and fall with the hills (speed +-3 %): no intervals, no stops.
    frame = pd.DataFrame({T_S: t, CADENCE_SPM: 172.0 + np.sin(t / 7.0), SPEED_MPS: 3.2 + 0.1 * np.sin(t / 11.0)})
    result = _gait(analyze(make_recording(frame, steady.meta)))
    assert result.segments == ()


def test_calf_raises_between_walks_are_a_calf_raise_bout() -> None:
    from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, Walk, simulate_calf_session

    raises = RaiseSet(tuple(RaiseSpec() for _ in range(5)))
    spec = CalfSessionSpec(blocks=(Rest(5.0), Walk(12), raises, Rest(8.0), Walk(12), Rest(5.0)))
    sim = simulate_calf_session(spec)
    result = _gait(analyze(sim.recording, activity="walk"))
    assert [b.activity for b in result.segments] == ["stand", "walk", "calf_raise", "walk", "stand"]
    calf = result.segments[2]
    reps = sim.truth.reps
    # The pause between the walks holds the set (and the rest after it, which it outweighs).
    assert calf.start_s <= reps[0].start_s
    assert calf.end_s >= reps[-1].end_s
    walks = [b for b in result.segments if b.is_gait]
    for bout, (start, end) in zip(walks, sim.truth.walking_intervals_s, strict=True):
        assert bout.start_s == pytest.approx(start, abs=1.5)
        assert bout.end_s == pytest.approx(end, abs=1.5)


def test_bout_figures_are_the_whole_files_strides_inside_them(
    session: tuple[SimulatedGaitSession, GaitAnalysis],
) -> None:
    _, result = session
    gait = [b for b in result.segments if b.is_gait]
    # Every stride lands in one bout: their distances add up to the file's (exactly, as no stride
    # is left out here; a bout fills a left-out stride from its own strides).
    assert result.distance_m is not None
    assert result.stride_lengths is not None
    assert result.stride_lengths.left_out == 0
    assert sum(b.distance_m or 0.0 for b in gait) == pytest.approx(result.distance_m, rel=1e-9)
    # A bout's contact time is the median of the file's contacts that start in it.
    events = result.events
    for bout in gait:
        inside = (events.contact_at_s >= bout.start_s) & (events.contact_at_s <= bout.end_s)
        assert bout.ground_contact_median_ms == pytest.approx(float(np.median(events.contacts_ms[inside])))


def test_windows_of_the_pauses_are_the_same_windows_as_the_whole_files(
    session: tuple[SimulatedGaitSession, GaitAnalysis],
) -> None:
    from calfload.signal._activity import window_labels

    sim, _ = session
    rec = sim.recordings[0]
    every = window_labels(rec)
    spans = [(100.0, 130.0), (600.0, 601.0), (1000.0, 1050.0)]
    some = window_labels(rec, spans=spans)
    overlapping = [w for w in every if any(min(w[1], b) - max(w[0], a) > 0 for a, b in spans)]
    assert some == tuple(overlapping)
    assert 0 < len(some) < len(every)
    assert window_labels(rec, spans=[]) == ()


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0.25, 2.5), min_size=4, max_size=200),
    st.sampled_from([1, 2]),
    st.floats(1.0, 30.0),
)
def test_smoothed_cadence_is_the_weighted_running_median(gaps: list[float], per_instant: int, width_s: float) -> None:
    instants = np.concatenate(([0.0], np.cumsum(gaps)))
    mid, smooth = _smoothed_cadence(instants, per_instant, width_s)
    # The definition, one interval at a time: sort the window's cadences, weigh each by its
    # interval, take the first whose cumulative weight reaches half.
    dt = np.diff(instants)
    cadence = 60.0 * per_instant / dt
    for i, m in enumerate(mid):
        inside = (mid >= m - width_s / 2) & (mid <= m + width_s / 2)
        order = np.argsort(cadence[inside], kind="stable")
        weight = np.cumsum(dt[inside][order])
        assert smooth[i] == cadence[inside][order][np.searchsorted(weight, 0.5 * weight[-1])]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([1, 2]))
def test_stretches_smoothed_together_equal_each_alone(seed: int, per_instant: int) -> None:
    """Walks and runs of 1 to 80 instants on a 10 ms grid (ties), with changes of pace, in one pass."""
    rng = np.random.default_rng(seed)
    stretches, t = [], 0.0
    for _ in range(int(rng.integers(1, 6))):
        t += float(rng.uniform(0.5, 20.0))  # a pause, some shorter than the window
        steps = np.round(rng.choice([0.35, 0.55, 1.1], int(rng.integers(1, 80))) + rng.normal(0, 0.02), 2)
        stretch = t + np.cumsum(np.maximum(steps, 0.2))
        stretches.append(stretch)
        t = float(stretch[-1])
    together = _smoothed_cadences(stretches, per_instant, 4.0)
    for stretch, (mid, smooth) in zip(stretches, together, strict=True):
        alone_mid, alone = _smoothed_cadence(stretch, per_instant, 4.0)
        assert np.array_equal(mid, alone_mid)
        assert np.array_equal(smooth, alone)
