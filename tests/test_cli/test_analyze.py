"""``calfload analyze`` and ``calfload demo`` through the command line."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from calfload.cli import main


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run calfload in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "calfload", *argv], capture_output=True, text=True, check=False)


def test_analyze_json_matches_the_truth_of_the_sample(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample_dir / "calf_tempo_3x12_104hz.parquet"
    assert main(["analyze", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    truth = json.loads((sample_dir / "calf_tempo_3x12_104hz.truth.json").read_text())
    assert doc["activity"] == "calf_raise"
    assert [s["rep_count"] for s in doc["sets"]] == truth["set_rep_counts"] == [12, 12, 12]
    true_pass = [r["eccentric_s"] >= 2.5 for r in truth["reps"] if not r["partial"]]
    found_pass = [r["eccentric_pass"] for r in doc["reps"]]
    assert sum(a == b for a, b in zip(true_pass, found_pass, strict=True)) >= 35
    assert doc["tempo"] == {
        "target_eccentric_s": 3.0,
        "tolerance_s": 0.5,
        "pass_rate": pytest.approx(sum(found_pass) / 36, abs=1e-3),
    }


def test_the_json_is_made_without_the_recordings(
    sample_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long file's recordings and analysis are let go before its JSON text is made (issue 15's memory rule)."""
    from calfload.cli import _analyze
    from calfload.cli._common import print_json
    from calfload.recording import Recording

    def recordings_alive() -> int:
        gc.collect()
        return sum(isinstance(o, Recording) for o in gc.get_objects())

    alive: list[int] = []

    def spy(obj: object) -> None:
        alive.append(recordings_alive())
        print_json(obj)

    monkeypatch.setattr(_analyze, "print_json", spy)
    before = recordings_alive()
    assert main(["analyze", str(sample_dir / "calf_endurance_52hz.csv"), "--json"]) == 0
    assert alive == [before]
    assert json.loads(capsys.readouterr().out)["activity"] == "calf_raise"


def test_analyze_table_is_readable(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(sample_dir / "calf_endurance_52hz.csv")]) == 0
    out = capsys.readouterr().out
    assert "under tension (s)" in out
    assert "lowering (s)" in out
    assert "endurance set" in out
    header = next(line for line in out.splitlines() if "reps" in line and "set" in line)
    assert header.index("reps") > header.index("set")


def test_options_change_the_audit(sample_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(sample_dir / "calf_tempo_3x12_104hz.parquet")
    assert main(["analyze", path, "--json", "--target-eccentric", "2.0", "--tolerance", "0.2"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["tempo"]["target_eccentric_s"] == 2.0
    assert doc["tempo"]["pass_rate"] > 0.9
    assert main(["analyze", path, "--json", "--placement", "shank"]) == 0
    assert json.loads(capsys.readouterr().out)["placement"] == "shank"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["analyze", "missing.parquet"], 3, "missing.parquet: no such file"),
        (
            ["analyze", "calfload-2026-11-24-0730"],
            3,
            "calfload-2026-11-24-0730: no such file or folder; check the path",
        ),
        (["analyze", "notes.txt"], 3, "unsupported file type .txt"),
        (
            ["analyze", "SAMPLE", "--activity", "calf_raise", "--placement", "wrist"],
            3,
            "on the foot or shank, not the wrist",
        ),
        (["analyze", "SAMPLE", "--target-eccentric", "2", "--tolerance", "3"], 3, "must be smaller than"),
    ],
)
def test_bad_input_gives_one_line_and_an_exit_code(
    argv: list[str],
    code: int,
    message: str,
    sample_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("hello")
    argv = [str(sample_dir / "calf_tempo_3x12_104hz.parquet") if a == "SAMPLE" else a for a in argv]
    assert main(argv) == code
    err = capsys.readouterr().err.strip()
    assert message in err
    assert err.count("\n") == 0


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "x.csv", "--tolerance", "-1"]) == 2
    assert "--tolerance must be between 0 and 10" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2


def test_corrupt_file_never_shows_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "session.parquet"
    bad.write_bytes(b"\x00" * 100)
    proc = run_cli("analyze", str(bad))
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("calfload: error: ")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unit_conversion_is_announced_on_one_line(sample_dir: Path, tmp_path: Path) -> None:
    lines = (sample_dir / "calf_endurance_52hz.csv").read_text().splitlines()
    header, columns, rows = lines[0], lines[1].split(","), [r.split(",") for r in lines[2:]]
    acc = [i for i, c in enumerate(columns) if c.startswith("acc_")]
    for row in rows:
        for i in acc:
            row[i] = f"{float(row[i]) / 9.80665:.6g}"
    path = tmp_path / "in_g.csv"
    path.write_text("\n".join([header, ",".join(columns), *(",".join(r) for r in rows)]) + "\n")
    proc = run_cli("analyze", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert "looks like g" in proc.stderr
    assert json.loads(proc.stdout)["rep_count"] == 38


def test_demo_runs_the_tempo_audit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """From any folder, not only the repository's (the samples are package data); its journal goes to --data-dir.

    Was: ``demo --data-dir DIR`` ignored DIR and wrote to a temporary folder. In process (a second
    interpreter would only add its start-up: the demo's imports are the point of no test).
    """
    demo_dir = tmp_path / "demo-journal"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["demo", "--data-dir", str(demo_dir)]) == 0
    out = capsys.readouterr().out
    # An 80-column terminal: only a path longer than the line (never broken) may pass the edge.
    for line in out.splitlines():
        assert len(line) <= 80 or " " not in line.split(": ", 1)[-1].strip(), line
    # the samples by name (the installed package's path ran to 95 characters)
    assert "Calf raises — calf_tempo_3x12_104hz.parquet" in out
    assert "36 reps in 3 sets" in out
    assert "38 reps in 1 set" in out
    assert f"period report: {demo_dir}" in out
    assert f"next: calfload --data-dir {demo_dir} review" in " ".join(out.split())
    assert (demo_dir / "journal.sqlite3").is_file()
    assert main(["--data-dir", str(demo_dir), "review", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sessions"]


def test_demo_never_writes_into_a_folder_that_holds_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A journal (or anything else) in --data-dir is refused in one line before any work, and left as it was."""
    (tmp_path / "journal.sqlite3").write_bytes(b"the user's journal")
    assert main(["demo", "--data-dir", str(tmp_path)]) == 5
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        f"calfload: error: {tmp_path} is not empty; give --data-dir a new or empty folder "
        "(the demo never writes into a journal)"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["journal.sqlite3"]
    assert (tmp_path / "journal.sqlite3").read_bytes() == b"the user's journal"


def test_demo_samples_are_installed_with_the_package(repo_root: Path) -> None:
    """Defect: `calfload demo` worked only from the repository folder ("sample_data/ not found")."""
    import fnmatch
    import tomllib
    from importlib.resources import files

    samples = files("calfload") / "sample_data"
    assert (samples / "calf_tempo_3x12_104hz.parquet").is_file()
    assert (samples / "calf_endurance_52hz.csv").is_file()
    globs = tomllib.loads((repo_root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["calfload"]
    folder = repo_root / "src" / "calfload" / "sample_data"
    for f in folder.iterdir():
        assert any(fnmatch.fnmatch(f"sample_data/{f.name}", g) for g in globs), f"{f.name} is not package data"
