"""The FIT judge's own parts (tools.validate_fit_cli): damaged copies, the device's values, the pass rule.

The judge itself runs on mirrors of public repositories that CI does not have; these tests use
one small real file from ../shared/validation (skipped when absent) and hand-made answers.
"""

from __future__ import annotations

import struct
from pathlib import Path

import fitdecode
import pytest

from tools.validate_fit_cli import CliAnswer, judge_run, refused_in_one_line
from tools.validate_fit_corrupt import corrupt_copies, fit_crc
from tools.validate_fit_refs import FitReference, read_reference

FENIX_RUN = Path(__file__).resolve().parents[1] / ".." / "shared" / "validation" / "fit_running_files_fitdecode"
FENIX_RUN = FENIX_RUN / "garmin-fenix-5-run.fit"


def _real() -> Path:
    if not FENIX_RUN.is_file():
        pytest.skip("../shared/validation/fit_running_files_fitdecode is not present")
    return FENIX_RUN


def _messages(path: Path) -> list[str]:
    with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        return [f.name for f in reader if isinstance(f, fitdecode.FitDataMessage)]


def test_crc_matches_the_devices_own() -> None:
    data = _real().read_bytes()
    assert fit_crc(data[:-2]) == struct.unpack("<H", data[-2:])[0]
    assert fit_crc(data[:12]) == struct.unpack("<H", data[12:14])[0]


def test_damaged_copies_are_what_they_say(tmp_path: Path) -> None:
    copies = dict(corrupt_copies(_real(), tmp_path))
    assert copies["empty"].stat().st_size == 0
    truncated = [p for k, p in copies.items() if k.startswith("truncated@")]
    assert len(truncated) == 3
    assert all(p.stat().st_size < _real().stat().st_size for p in truncated)
    for kind in ("wrong-crc", "flipped"):
        with pytest.raises(fitdecode.FitCRCError):
            _messages(copies[kind])
    # Cut before the first record with the checksums made right: a sound file without records.
    names = _messages(copies["no-records"])
    assert "file_id" in names
    assert "record" not in names


def test_device_values_of_a_real_run() -> None:
    ref = read_reference(_real())
    assert (ref.expected, ref.file_type, ref.steps, ref.avg_cadence_spm) == ("run", "activity", 156, 167.34)


def test_pass_rule() -> None:
    ref = FitReference(
        "activity", (("running", "generic"),), 100, 100, steps=1000, avg_cadence_spm=170.0, expected="run"
    )
    assert judge_run(ref, CliAnswer(0, "", "run", 1029, 171.9)) == ""
    assert "steps" in judge_run(ref, CliAnswer(0, "", "run", 1031, 170.0))
    assert "cadence" in judge_run(ref, CliAnswer(0, "", "run", 1000, 172.1))
    assert "activity" in judge_run(ref, CliAnswer(0, "", "walk", 1000, 170.0))
    unknown = FitReference("activity", (("running", "generic"),), 100, 0, expected="run")
    assert "steps 0" in judge_run(unknown, CliAnswer(0, "", "run", 0, None))
    assert judge_run(unknown, CliAnswer(0, "", "run", None, None, ("no cadence",))) == ""
    assert refused_in_one_line(CliAnswer(3, "calfload: error: x.fit: this FIT activity is cycling")) == ""
    assert refused_in_one_line(CliAnswer(1, "Traceback (most recent call last):\n  ...")) != ""
