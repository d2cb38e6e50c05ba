"""HuGaDB segments (tools/validate_activity_legs.py) from a constructed file in the data set's format.

The truth is the constructed file: four header lines, then 39 tab-separated integer columns
(six sensors of three accelerometer and three gyroscope axes, two EMG columns, the activity ID)
with known label runs; 16384 counts are 1 g and 16.4 counts 1 deg/s (the data set's README).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from calfload.units import STANDARD_GRAVITY_MPS2
from tools.validate_activity_legs import FS_HZ, _recording, files, segments


def _text(runs: list[tuple[int, float]]) -> str:
    labels = np.concatenate([np.full(round(s * FS_HZ), label) for label, s in runs])
    rows = np.zeros((labels.size, 39), dtype=np.int64)
    rows[:, 2] = 16384  # every accelerometer's z reads 1 g: the right foot's (block 0) ...
    rows[:, 6 * 3 + 2] = 16384  # ... and the left foot's (block 3)
    rows[:, 6 * 3 + 3] = 164  # the left foot turns at 10 deg/s about x
    rows[:, 38] = labels
    header = "#Activity\twalking running\n#ActivityID\t1 2\n#Date 2016-10-20-15-35\n" + "\t".join(
        f"c{k}" for k in range(39)
    )
    return header + "\n" + "\n".join("\t".join(map(str, r)) for r in rows.tolist()) + "\n"


def test_labelled_runs_of_20_s_and_more_are_cut_and_scaled(tmp_path: Path) -> None:
    text = _text([(1, 21.0), (8, 5.0), (2, 20.5), (5, 25.0), (3, 19.5)])
    (tmp_path / "HuGaDB_v1_various_07_01.txt").write_text(text, encoding="utf-8")
    ((name, read),) = list(files(tmp_path))
    found = list(segments(name, read))
    # Walking 21 s and running 20.5 s; standing (5 s) and stairs (19.5 s) are too short, sitting is not cut.
    assert [(s.label, s.participant) for s in found] == [(1, 7), (2, 7)]
    assert [s.data.shape[0] for s in found] == [round(21.0 * FS_HZ), round(20.5 * FS_HZ)]
    assert found[1].start_s == (round(21.0 * FS_HZ) + round(5.0 * FS_HZ)) / FS_HZ
    foot = _recording(found[0], "LF", "foot", "left")
    assert np.allclose(np.linalg.norm(foot.acc_mps2(), axis=1), STANDARD_GRAVITY_MPS2)
    assert np.allclose(foot.gyr_dps()[:, 0], 10.0)
    assert abs(foot.meta.sample_rate_hz - FS_HZ) < 1e-6
