"""The walk-or-run judge on real shanks (tools.validate_activity_pace), on constructed files in its format.

No file of the data set is used: two trials are written as the data set writes them (a MATLAB
struct array of ``Accelerometer`` in g, ``GroundReactionForce`` negative when loaded,
``Condition`` and ``SamplingRate``, and the INFO table). A walk at 110 steps/min is loaded for
60 % of each stride with its acceleration norm at 1 g for the loaded part; a run at 160 is loaded
for 35 % and its norm is 1 g for only the last 10 % of the stride.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.io

from tools.validate_activity_pace import contacts_s, main, run, table_lines

FS_HZ = 142.857


def _trial(condition: str, cadence_spm: float, duty: float, quiet: float) -> dict[str, object]:
    t = np.arange(0.0, 20.0, 1.0 / FS_HZ)
    phase = (t * cadence_spm / 120.0) % 1.0
    norm = np.where(phase < quiet, 1.0, 2.0 + 0.5 * np.sin(6 * np.pi * phase))
    if condition == "running":
        norm = np.where(phase >= 0.9, 1.0, 2.0 + 0.5 * np.sin(6 * np.pi * phase))
    acc = norm[:, None] * np.array([0.6, 0.0, 0.8])[None, :]
    force = np.where(phase < duty, -800.0, 0.0)
    return {"Accelerometer": acc, "GroundReactionForce": force, "Condition": condition, "SamplingRate": FS_HZ}


def _write(folder: Path) -> Path:
    (folder / "data").mkdir()
    trials = [_trial("walking", 110.0, 0.6, 0.5), _trial("running", 160.0, 0.35, 0.0)]
    scipy.io.savemat(folder / "data" / "walk+run.mat", {"data": np.array(trials, dtype=object)})
    (folder / "data" / "walk+run_INFO.csv").write_text(
        "\ufeffTrial,Gender,Weight [kg],Height [cm],Speed [km/h]\n1,F,60,170,4.5\n2,F,60,170,8.5\n", encoding="utf-8"
    )
    return folder


def test_contacts_and_duty_factor_from_the_force() -> None:
    trial = _trial("walking", 120.0, 0.6, 0.5)
    ic, duty = contacts_s(np.asarray(trial["GroundReactionForce"]), FS_HZ)
    assert abs(float(np.median(np.diff(ic))) - 1.0) < 0.01
    assert abs(duty - 0.6) < 0.01


def test_the_walk_and_the_run_are_told_apart_in_every_copy(tmp_path: Path) -> None:
    outcomes = run(_write(tmp_path))
    assert len(outcomes) == 8
    assert all(o.passed for o in outcomes), [(o.trial.condition, o.copy, o.quiet) for o in outcomes]
    walk = [o for o in outcomes if o.trial.condition == "walking"]
    assert all(abs(o.quiet - 0.5) < 0.05 and abs(o.cadence_spm - 110.0) < 1.0 for o in walk)
    assert all(o.quiet < 0.15 for o in outcomes if o.trial.condition == "running")
    lines = table_lines(outcomes)
    assert lines[2].startswith("| 1 |")
    assert "walk (4 of 4)" in lines[2]
    assert "run (4 of 4)" in lines[3]


def test_main_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--data", str(tmp_path / "absent")])
