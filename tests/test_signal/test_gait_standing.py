"""Standing still with a trunk, wrist or thigh sensor is no steps: sensor noise can look periodic."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from calfload.recording import make_recording
from calfload.schema import RecordingMeta
from calfload.signal import analyze_gait
from calfload.sim._kinematics import imu_frame


@pytest.mark.parametrize("placement", ["lower_back", "wrist", "thigh"])
def test_ten_minutes_of_standing_has_no_steps(placement: str) -> None:
    rng = np.random.default_rng(0)
    n = 60_000  # 10 minutes at 100 Hz; consumer accelerometer noise 0.02 m/s²
    t = np.arange(n) / 100.0
    acc = np.tile([0.0, 0.0, 9.81], (n, 1)) + rng.normal(0.0, 0.02, (n, 3))
    gyr = rng.normal(0.0, 0.1, (n, 3))
    meta = RecordingMeta(sample_rate_hz=100.0, start_utc=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), placement=placement)
    result = analyze_gait([make_recording(imu_frame(t, acc, gyr), meta)], activity="walk").to_dict()
    assert result["steps"] == 0
