"""Real calf-raise kinematics (Hehn et al., mocap ankle angles) through the foot-IMU pipeline.

The recordings are not IMU data: :mod:`tests.test_signal.hehn` turns the motion-capture ankle
angle into foot pitch and a foot-IMU recording. The reference phase durations come from the
angle itself by the DESIGN.md 10 %-of-peak-speed rule. These reps are fast (lowering in about
0.4-0.7 s, people lower quickly unless cued), so every one must fail the 3 s lowering audit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from calfload.signal import analyze_calf_raises

from .hehn import angle_reference, as_recording, load_pitch_deg

FOLDER = "calf_raise_loadsol_mocap_hehn"


def trials(validation_dir: Path) -> list[Path]:
    return sorted((validation_dir / FOLDER).glob("Subject*.csv"))


def test_every_real_rep_is_found_timed_and_fails_the_tempo_audit(validation_dir: Path) -> None:
    checked = 0
    for k, path in enumerate(trials(validation_dir)):
        pitch = load_pitch_deg(path)
        if pitch is None:  # Subject03E: half of its mocap frames are missing
            continue
        reference = angle_reference(pitch)
        result = analyze_calf_raises(as_recording(pitch, seed=k))
        assert result.rep_count == 1, path.name
        (rep,) = result.reps
        assert not rep.eccentric_pass, f"{path.name}: lowering {rep.eccentric_s:.2f} s passed"
        # Phase durations agree with the angle-derived ones within 30 ms (3 mocap frames).
        assert rep.concentric_s == pytest.approx(reference.concentric_s, abs=0.03), path.name
        assert rep.eccentric_s == pytest.approx(reference.eccentric_s, abs=0.03), path.name
        assert rep.top_hold_s == pytest.approx(reference.top_hold_s, abs=0.03), path.name
        assert rep.excursion_deg == pytest.approx(reference.excursion_deg, abs=2.0), path.name
        checked += 1
    assert checked == 19  # 20 trials, one refused for missing mocap


def test_elevated_and_ground_trials_both_work(validation_dir: Path) -> None:
    names = {p.name[-5] for p in trials(validation_dir)}
    assert names == {"E", "G"}
