"""``calfload test heel-rise`` and ``calfload test metronome`` through the command line."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from calfload.cli import main
from calfload.cli._test import metronome
from calfload.errors import SignalQualityWarning
from calfload.journal import Journal
from calfload.sim import HeelRiseTestSpec, random_heel_rise_test, simulate_heel_rise_test


@pytest.fixture(scope="module")
def test_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    folder = tmp_path_factory.mktemp("heel_rise")
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        for side, capacity, seed in (("left", 12, 1), ("right", 24, 2)):
            spec = random_heel_rise_test(
                np.random.default_rng(seed), placement="foot", side=side, capacity_reps=capacity, sample_rate_hz=100.0
            )
            spec = dataclasses.replace(spec, foot_length_cm=17.0)
            sim = simulate_heel_rise_test(spec)
            out[side] = (sim.write(folder, side), sim.truth.reps)
        blank = simulate_heel_rise_test(HeelRiseTestSpec(excursions_deg=(1.0,)))
        out["blank"] = (blank.write(folder, "blank"), 0)
    return out


def test_both_sides_are_analysed_compared_and_stored(
    test_files: dict[str, tuple[Path, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = str(tmp_path / "journal")
    assert main(["--data-dir", home, "log", "mass", "70"]) == 0
    capsys.readouterr()
    left, right = test_files["left"], test_files["right"]
    argv = ["--data-dir", home, "test", "heel-rise", "--left", str(left[0]), "--right", str(right[0])]
    assert main([*argv, "--affected", "left", "--foot-length-cm", "17", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sides"]["left"]["reps"] == left[1]
    assert doc["sides"]["right"]["reps"] == right[1]
    assert doc["symmetry"]["reps_pct"] == pytest.approx(100 * left[1] / right[1], abs=0.1)
    assert doc["stored"]
    # The foot length is kept: a later test needs no --foot-length-cm, and the review shows both tests.
    assert main([*argv, "--no-save"]) == 0
    assert "Limb symmetry" not in capsys.readouterr().out
    with Journal(home) as journal:
        tests = journal.baseline_tests()
        assert journal.settings()["foot_length_cm"] == "17"
    assert [(t.side, t.heel_rise_reps) for t in tests] == [("left", left[1]), ("right", right[1])]
    assert tests[0].details is not None
    assert tests[0].details.affected_side == "left"
    assert tests[0].details.symmetry is not None
    assert tests[0].details.symmetry.affected_side == "left"
    assert main(["--data-dir", home, "review", "--json"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert [b["heel_rise_reps"] for b in review["baseline"]] == [left[1], right[1]]
    assert review["baseline"][0]["details"]["work_j"] > 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--affected", "left"], "both sides"),
        (["--foot-length-cm", "0"], "--foot-length-cm must be from 5 to 35 cm, not 0"),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    test_files: dict[str, tuple[Path, int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    home = str(tmp_path / "journal")
    argv = ["--data-dir", home, "test", "heel-rise", "--left", str(test_files["left"][0]), *extra]
    if "--foot-length-cm" not in extra:
        argv += ["--foot-length-cm", "17"]
    assert main(argv) == 3
    err = capsys.readouterr().err.strip()
    assert message in err
    assert len(err.splitlines()) == 1
    with Journal(home) as journal:
        assert journal.baseline_tests() == []
        assert "foot_length_cm" not in journal.settings()


def test_a_file_without_reps_is_refused(
    test_files: dict[str, tuple[Path, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--data-dir", str(tmp_path), "test", "heel-rise", "--right", str(test_files["blank"][0])]
    assert main([*argv, "--foot-length-cm", "17"]) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("calfload: error:")
    assert len(err.splitlines()) == 1


def test_metronome_beats_up_and_down_on_schedule() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    out = io.StringIO()
    assert metronome(60.0, beats=4, bell=False, out=out, sleep=sleep, clock=lambda: now[0]) == 4
    text = out.getvalue()
    assert text.count("UP") == 2
    assert text.count("down") == 2
    assert sum(slept) == pytest.approx(3.0)


def test_a_bad_date_is_refused_like_every_other_date(
    test_files: dict[str, tuple[Path, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--date`` uses the shared date parser (``today``/``yesterday`` too) and says what a date looks like."""
    argv = ["--data-dir", str(tmp_path / "j"), "test", "heel-rise", "--left", str(test_files["left"][0])]
    assert main([*argv, "--date", "6 May"]) == 2
    err = capsys.readouterr().err
    assert "dates look like 2024-05-06, not '6 May'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "j").exists()


def test_the_test_is_read_against_norms_symmetry_criterion_and_measurement_error(
    test_files: dict[str, tuple[Path, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Left 12 reps against right 24: LSI 50 %, criterion not met; swapped --affected warns LSI over 100 %."""
    home = str(tmp_path / "journal")
    assert main(["--data-dir", home, "log", "mass", "70"]) == 0
    capsys.readouterr()
    argv = ["--data-dir", home, "test", "heel-rise", "--left", str(test_files["left"][0])]
    argv += ["--right", str(test_files["right"][0]), "--foot-length-cm", "17", "--body-mass-kg", "70", "--no-save"]
    assert main([*argv, "--affected", "left", "--age", "34", "--sex", "female", "--json"]) == 0
    reading = json.loads(capsys.readouterr().out)["reading"]
    assert (reading["norm_reps"], reading["norm_source"]) == (27, "Hébert-Losier 2017, women in their 30s")
    assert reading["criterion_met"] is False
    assert reading["smallest_real_change"]["reps"] == 6.7
    assert main([*argv, "--affected", "right"]) == 0
    out = capsys.readouterr().out
    assert "return-to-running criterion (LSI >= 90 % for reps, height and work): not judged" in out
    reps_warning = next(line for line in out.splitlines() if "Warning: LSI reps" in line)
    assert "check --affected" in reps_warning


def test_the_metronome_bell_reaches_the_terminal_through_the_control_filter() -> None:
    import io

    from calfload.cli._terminal import SafeStream
    from calfload.cli._test import metronome

    raw = io.StringIO()
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    metronome(60.0, beats=2, bell=True, out=SafeStream(raw), sleep=sleep, clock=lambda: now[0])  # type: ignore[arg-type]
    text = raw.getvalue()
    assert text.count("\a") == 2  # the bell itself, not the four characters \x07
    assert "\\x07" not in text


def test_each_test_is_its_own_dated_record_with_the_change_since_the_last(
    test_files: dict[str, tuple[Path, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13 item 4: a same-day logged baseline and measured test are two rows, never mixed; a second
    test of the day replaces the first, and says so; the change since the last test is judged against
    Byrne 2017's SEM (6.7 reps, 0.8 cm, 419 J)."""
    home = str(tmp_path / "journal")
    left, right = test_files["left"], test_files["right"]
    assert main(["--data-dir", home, "log", "mass", "70", "--date", "2024-05-01"]) == 0
    for side, reps in (("left", left[1] - 3), ("right", right[1] - 10)):
        argv = ["--data-dir", home, "log", "baseline", "--side", side, "--heel-rise-reps", str(reps)]
        assert main([*argv, "--date", "2024-05-01"]) == 0
    assert main(["--data-dir", home, "log", "baseline", "--side", "left", "--heel-rise-reps", "40",
                 "--date", "2024-05-20"]) == 0  # fmt: skip
    capsys.readouterr()
    argv = ["--data-dir", home, "test", "heel-rise", "--left", str(left[0]), "--right", str(right[0])]
    argv += ["--foot-length-cm", "17", "--date", "2024-05-20", "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["replaced"] == []
    change = {c["side"]: c for c in doc["change_since_last"]}
    # Left: the same day's logged 40 reps is its own (earlier) test; right: the test of 2024-05-01.
    assert (change["left"]["previous_date"], change["left"]["reps_change"]) == ("2024-05-20", left[1] - 40)
    assert (change["right"]["previous_date"], change["right"]["reps_change"]) == ("2024-05-01", 10)
    assert change["right"]["reps_real"] is True
    assert change["left"]["reps_real"] is (abs(left[1] - 40) > 6.7)
    assert change["right"]["height_change_cm"] is None  # a logged test has reps only
    with Journal(home) as journal:
        same_day = [(t.side, t.source, t.heel_rise_reps) for t in journal.baseline_tests() if t.day.day == 20]
    assert same_day == [("left", "logged", 40), ("left", "measured", left[1]), ("right", "measured", right[1])]
    # The same test again that day replaces the first (kept for undelete), which no longer counts.
    assert main(argv[:-1]) == 0
    text = capsys.readouterr().out
    assert "Replaces the earlier test of that day (left, right" in text
    assert f"left since 2024-05-20: reps {left[1] - 40:+d} (" in text
    with Journal(home) as journal:
        assert len(journal.baseline_tests()) == 5
        assert len(journal.deleted_items()) == 2
    assert main(["--data-dir", home, "review", "--date", "2024-05-20", "--json"]) == 0
    review = json.loads(capsys.readouterr().out)
    assert [c["side"] for c in review["heel_rise_change"]] == ["left", "right"]


def test_an_imperial_athlete_gives_the_foot_in_inches_and_reads_heights_in_inches(
    test_files: dict[str, tuple[Path, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    """Issue 17: --foot-length-in is stored as the same cm, and heights, changes and the SEM read in inches;
    every line fits 80 columns (was: the norms, the criterion and the SEM lines ran to 134 characters)."""
    monkeypatch.setenv("COLUMNS", "80")
    home = str(tmp_path / "journal")
    left, right = test_files["left"], test_files["right"]
    argv = ["--data-dir", home, "--units", "imperial", "test", "heel-rise", "--left", str(left[0])]
    argv += ["--right", str(right[0]), "--affected", "left"]
    assert main([*argv, "--foot-length-in", repr(17 / 2.54), "--body-mass-lb", "154", "--date", "2024-05-01"]) == 0
    assert main([*argv, "--date", "2024-05-20"]) == 0
    text = capsys.readouterr().out
    assert main([*argv, "--no-save", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    with Journal(home) as journal:
        assert float(journal.settings()["foot_length_cm"]) == pytest.approx(17.0)
    assert "(in)" in text.split("left", 1)[0]  # the table header, wrapped at 80 columns
    row = next(line for line in text.splitlines() if line.strip().startswith("left"))
    assert f"{round(doc['sides']['left']['mean_height_cm'], 2) / 2.54:.1f}" in row.split()
    flat = " ".join(text.split())  # the prose as read, whatever the wrapping
    assert "height +0.0 in (within measurement error)" in flat  # the same recordings twice: no change
    assert "0.3 in" in flat  # Byrne's SEM of 0.8 cm
    assert not re.search(r"(\d|\()\s?(cm|kg)\b", text), text
    assert max(len(line) for line in text.splitlines()) <= 80
    # The review's heel-rise changes at 80 columns (were one line each, 185 characters)
    assert main(["--data-dir", home, "--units", "imperial", "review", "--date", "2024-05-20"]) == 0
    review = capsys.readouterr().out
    assert "left since 2024-05-01: reps" in review
    assert max(len(line) for line in review.splitlines()) <= 80, review
    assert not re.search(r"(\d|\()\s?(cm|kg)\b", review), review


@pytest.mark.parametrize(
    ("units", "hint"),
    [
        ("imperial", "`calfload log mass LB --lb` or --body-mass-lb"),
        ("metric", "`calfload log mass KG` or --body-mass-kg"),
    ],
)
def test_the_missing_body_mass_hint_names_the_flag_of_the_athletes_units(
    test_files: dict[str, tuple[Path, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str], units: str, hint: str
) -> None:
    """Issue 17: an imperial athlete without a body mass was told to give --body-mass-kg."""
    argv = ["--data-dir", str(tmp_path / "journal"), "--units", units, "test", "heel-rise"]
    assert main([*argv, "--left", str(test_files["left"][0]), "--foot-length-cm", "17"]) == 0
    flat = " ".join(capsys.readouterr().out.split())
    assert f"No body mass in the journal, so no work: {hint}." in flat
