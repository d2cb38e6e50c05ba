"""A run's walking warm-up and cool-down load the Achilles tendon as walking, not as running.

Truth: :func:`calfload.sim.simulate_gait_session`, one foot IMU at 100 Hz: 1 min walking (112
steps/min, 1.4 m/s), 2 min running (170 steps/min, 3.3 m/s), 1 min walking. The simulator's
landings give each phase's steps; the load model's own force laws give what each step should
weigh (walking 3.0 BW; running by speed and cadence, ``reference/loadmodel.md``). The session
load must equal the steps of each gait at that gait's force, within the error of step detection
and of the IMU's speed, and the run's speed and cadence must be its running bouts', not the
whole file's.
"""

from __future__ import annotations

import datetime as dt

import pytest

from calfload.loadmodel._force import damage_weight, run_force_bw
from calfload.loadmodel._params import DEFAULT_PARAMETERS
from calfload.loadmodel._session import easy_run_force_bw, run_cadence_spm, run_speed_mps, session_load
from calfload.loadmodel._session_types import Athlete, SessionInput, SessionLoad
from calfload.signal import GaitAnalysis, analyze
from calfload.sim import GaitPhase, GaitSessionSpec, PhaseTruth, SensorModel, simulate_gait_session

WALK = {"activity": "walk", "cadence_spm": 112.0, "speed_mps": 1.4}
RUN_SPM, RUN_MPS = 170.0, 3.3
ATHLETE = Athlete(body_mass_kg=70.0)
START = dt.datetime(2026, 11, 19, 7, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def session() -> tuple[GaitAnalysis, tuple[PhaseTruth, ...]]:
    phases = (
        GaitPhase(activity="stand", duration_s=2.0),
        GaitPhase(duration_s=60.0, label="warm-up", **WALK),  # type: ignore[arg-type]
        GaitPhase(activity="run", duration_s=120.0, cadence_spm=RUN_SPM, speed_mps=RUN_MPS),
        GaitPhase(duration_s=60.0, label="cool-down", **WALK),  # type: ignore[arg-type]
        GaitPhase(activity="stand", duration_s=2.0),
    )
    sim = simulate_gait_session(GaitSessionSpec(phases=phases, sensor=SensorModel(sample_rate_hz=100.0), seed=5))
    result = analyze(sim.recordings[0])
    assert isinstance(result, GaitAnalysis)
    assert result.activity == "run"
    assert [b.activity for b in result.segments if b.is_gait] == ["walk", "run", "walk"]
    return result, sim.phases


def _load(analysis: GaitAnalysis) -> SessionLoad:
    return session_load(
        SessionInput(start_utc=START, local_date=START.date(), activity="run", analysis=analysis), ATHLETE
    )


def test_the_run_sets_its_own_speed_and_cadence(session: tuple[GaitAnalysis, tuple[PhaseTruth, ...]]) -> None:
    analysis, _ = session
    assert run_speed_mps(analysis) == pytest.approx(RUN_MPS, abs=0.15)
    assert run_cadence_spm(analysis) == pytest.approx(RUN_SPM, abs=3.0)
    # The whole file, walks included, is much slower: what the run's force read before.
    assert analysis.speed_mps is not None
    assert analysis.speed_mps < RUN_MPS - 0.5


def test_walking_bouts_load_as_walking(session: tuple[GaitAnalysis, tuple[PhaseTruth, ...]]) -> None:
    analysis, truth = session
    walked = sum(p.steps for p in truth if p.activity == "walk")
    ran = sum(p.steps for p in truth if p.activity == "run")
    force = DEFAULT_PARAMETERS.force
    f_easy = easy_run_force_bw(ATHLETE)
    f_run = run_force_bw(RUN_MPS, cadence_spm=RUN_SPM, habitual_cadence_spm=ATHLETE.habitual_cadence_spm)
    k = DEFAULT_PARAMETERS.damage.exponent
    # The simulator's landings are of both feet; a foot IMU's steps are one foot's strides doubled.
    expected = walked / 2 * damage_weight(force.walk_force_bw, f_easy, k) + ran / 2 * damage_weight(f_run, f_easy, k)
    load = _load(analysis)
    assert load.load_au == pytest.approx(expected, rel=0.03)
    # The steps counted as walking are the walks' own (the note says how many).
    (note,) = [n for n in load.notes if "walking bouts" in n]
    assert float(note.split()[0]) == pytest.approx(walked, rel=0.03)
    # Walking steps at the running force would weigh 1.6 times as much in all.
    assert (walked + ran) / 2 * damage_weight(f_run, f_easy, k) > 1.5 * expected
