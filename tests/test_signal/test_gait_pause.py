"""A long stop in the middle of a run (standing still, or a Bluetooth gap) changes nothing but the time."""

from __future__ import annotations

import pandas as pd
import pytest

from calfload.recording import make_recording
from calfload.schema import T_S
from calfload.signal import analyze_gait
from calfload.sim import RunSpec, SensorModel, simulate_run


@pytest.mark.parametrize("stop", ["standing", "gap"])
def test_a_ten_minute_stop_keeps_steps_and_cadence(stop: str) -> None:
    sim = simulate_run(RunSpec(duration_s=60.0, cadence_spm=172.0, sensor=SensorModel(sample_rate_hz=100.0), seed=3))
    (rec,) = sim.recordings
    single = analyze_gait([rec], activity="run").to_dict()
    later = rec.data.assign(**{T_S: rec.data[T_S] + 60.0 + 600.0})
    parts = [rec.data, later]
    if stop == "standing":
        first_second = rec.data[rec.data[T_S] < 1.0]
        parts.insert(1, pd.concat([first_second.assign(**{T_S: first_second[T_S] + 60.0 + k}) for k in range(600)]))
    both = analyze_gait([make_recording(pd.concat(parts, ignore_index=True), rec.meta)], activity="run").to_dict()
    # Alone, a recording's first and last strides are cut by its edges; joined, those at the
    # junction are whole: up to two strides (four steps, doubled from one foot) more per side.
    assert 2 * single["steps"] <= both["steps"] <= 2 * single["steps"] + 8
    assert both["cadence_spm"]["median"] == pytest.approx(single["cadence_spm"]["median"], abs=1.0)
