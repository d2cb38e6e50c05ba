"""The Marpino pairs tool (tools/validate_legs_pairs.py): the ``--pairs`` wiring and the bad-input lines.

No file of the data set is used. The truth is a constructed recording in its format (columns
``Time_k``, ``Acc_read_*_k`` in 1/10000 g, ``Gyro_read_*_k`` in 1/100 deg/s for the six sensors,
and toe and heel pressures ``Ext1``/``Ext2`` with their clock ``Ext_time`` under sensors 1, right
foot, and 6, left foot): the six IMU columns carry a simulated walk of both feet
(:func:`calfload.sim.simulate_run`, 100 Hz, its landings and toe-offs known), and the pressures
load in every simulated stance (heel first, toe last) and stay at their baseline in every swing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from calfload.recording import Recording
from calfload.sim._running import SimulatedRun
from tests._marpino_frames import marpino_frame, walk
from tools import validate_legs, validate_legs_pairs
from tools.validate_cli import run_cli
from tools.validate_legs import main
from tools.validate_legs_pairs import PairCase, bad_input_lines, pair_cases


def _contacts(run: SimulatedRun) -> int:
    return int(sum(f.initial_contact_s.size for f in run.truth.feet))


def test_pairs_of_a_constructed_recording_carry_its_contacts() -> None:
    run = walk()
    cases = list(pair_cases(iter([("Dataset/Young/constructed_3.xlsx", marpino_frame(run))])))
    # Three placements, each as recorded and in one rotated copy resampled to the first rate (50 Hz).
    assert [(c.placement, c.variant) for c in cases] == [
        (p, v) for p in ("foot", "shank", "thigh") for v in ("original", "50hz")
    ]
    assert {(c.name, c.held_out) for c in cases} == {("Young/constructed_3", False)}
    assert all(c.ref_steps == _contacts(run) for c in cases)
    assert cases[0].ref_cadence_spm == pytest.approx(run.truth.cadence_spm, abs=2.0)
    assert all(c.alternates for c in cases)
    feet = {f.side: float(np.median(f.contact_ms)) for f in run.truth.feet}
    balance = 100.0 * feet["left"] / (feet["left"] + feet["right"])
    assert cases[0].ref_balance_left_pct == pytest.approx(balance, abs=1.0)
    assert cases[1].left.meta.sample_rate_hz == pytest.approx(50.0, abs=0.5)


def _checkout(tmp_path: Path, run: SimulatedRun) -> Path:
    folder = tmp_path / "Walking-dataset" / "Dataset" / "Young"
    folder.mkdir(parents=True)
    marpino_frame(run).to_excel(folder / "constructed_3.xlsx", index=False)
    return tmp_path / "Walking-dataset"


def test_pairs_flag_runs_the_pairs_through_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--pairs`` reads the checkout, runs its pairs (the constructed walk passes) and writes the section."""
    run = walk()
    checkout = _checkout(tmp_path, run)
    ran: list[PairCase] = []
    run_pairs = validate_legs_pairs.run_pairs

    def only_the_foot(cases: list[PairCase]) -> list[validate_legs_pairs.PairRow]:
        ran.extend(cases)
        return run_pairs([c for c in cases if c.placement == "foot"])

    monkeypatch.setattr(validate_legs_pairs, "run_pairs", only_the_foot)
    monkeypatch.setattr(validate_legs, "section_lines", lambda *a, **k: pytest.fail("the one-sensor cases ran"))
    out = tmp_path / "pairs.md"
    assert main(["--data", str(checkout), "--pairs", "--out", str(out)]) == 0
    assert len(ran) == 6  # every pair of the one recording reached the runner
    text = out.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| foot |")]
    # One original and one resampled foot pair, each a walk with the reference's steps in both modes.
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2:5] == ["1", "1 (100.0 %)", "1 (100.0 %)"]
        assert cells[5] == "0"  # median step error
    assert "Failing original pairs:\n\n\nBad input" in text  # none failing
    assert text.count("calfload: error:") == 3


def test_pairs_flag_without_data_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--data", str(tmp_path / "absent"), "--pairs"])
    assert stop.value.code == 2
    assert "no copy of Marpino/Walking-dataset" in capsys.readouterr().err


def _case(run: SimulatedRun) -> tuple[PairCase, Recording]:
    recs = {r.meta.side: r.with_meta(placement="foot") for r in run.recordings}
    case = PairCase("constructed", False, "foot", "original", recs["left"], recs["right"], 0, 0.0, None, True)
    return case, recs["left"].with_meta(placement="shank")


def test_bad_input_lines_refuse_each_case_in_one_line() -> None:
    run = walk(seed=7)
    case, shank_left = _case(run)
    lines = bad_input_lines(case, shank_left)
    assert len(lines) == 3
    same_side, twice, apart = lines
    assert same_side.startswith("- two files of the same side")
    assert "both files are of the left foot (left_foot.csv, ls.csv)" in same_side
    assert twice.startswith("- one file given twice")
    assert "calfload: error: both files are of the left foot" in twice  # the side check comes first
    assert apart.startswith("- the two feet two hours apart (constructed)")
    assert "do not overlap in time (recorded 120 min apart)" in apart
    # One line each, without the temporary folder the files were written to.
    assert not any("accepted" in line or "calfload-pairs-" in line or "\n" in line for line in lines)


def test_the_same_pair_without_the_fault_is_accepted(tmp_path: Path) -> None:
    """The control for the bad-input lines: the left and right files of the walk, at one start, are one walk."""
    run = walk(seed=7)
    case, _ = _case(run)
    files = [
        validate_legs_pairs._written(case.left, tmp_path / "left.csv"),
        validate_legs_pairs._written(case.right, tmp_path / "right.csv"),
    ]
    answer = run_cli(files, "foot", ("--activity", "walk"))
    assert isinstance(answer, dict)
    assert answer["steps"] == run.truth.steps
