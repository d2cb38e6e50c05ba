"""The validation script runs on a subset of ../shared/validation and writes its Markdown page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.validate import main, page_path
from tools.validate_cases import HELD_OUT_FIT_PUBLIC, HELD_OUT_IPOL, QUICK_IPOL_SUBJECTS, is_held_out


def test_quick_validation_writes_a_table_and_its_summary(
    validation_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One quick validation (the suite's slowest test: it is run once) and what it writes and prints."""
    out = tmp_path / "validation.md"
    assert main(["--root", str(validation_dir), "--out", str(out), "--quick"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Validation")
    assert "| dataset |" in text
    for dataset in ("IPOL feet", "IPOL feet, within the labelled span", "gaitmap feet", "FIT files"):
        assert f"| {dataset} |" in text
    # Through the command line, with and without --activity (a few real walks in quick mode).
    assert "| IPOL feet | with --activity walk | 4 |" in text
    assert "| IPOL feet | without --activity | 4 |" in text
    assert "## Initial contact and toe-off timing" in text
    # Every section runs in quick mode too, on the quick subset (IPOL trials, FIT files up to 60 kB).
    dynamics = _section(text, "## Running dynamics from FIT files")
    assert "| activitylog2/920xt-run.fit | tuned |" in dynamics
    assert "- **held out**:" in dynamics
    bouts = _section(text, "## Bouts")
    assert f"| IPOL both feet | {len(QUICK_IPOL_SUBJECTS)} |" in bouts
    assert "| mobgap lower back |" in bouts
    assert "| phase | truth start-end (s) |" in bouts  # the simulated interval session
    assert "| workoutizer/2019-09-18-16-02-35.fit |" in bouts  # a FIT file's bouts (32 kB)
    # The summary, one JSON object per data set on standard output.
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    summary = {s["dataset"]: s for s in printed}
    ipol = summary["IPOL feet"]
    assert ipol["files"] > 0
    assert ipol["median_abs_cadence_error_spm"] is not None
    assert ipol["median_contact_bias_ms"] is not None
    assert ipol["detected_as_gait"] == 1.0  # real walks without --activity
    assert summary["activity, simulated (held out)"]["pass_rate"] == 1.0
    public = summary["FIT files, public repositories"]
    held_out = summary["FIT files, public repositories (held out)"]
    assert public["files"] + held_out["files"] >= 10
    assert public["pass_rate"] == 1.0
    assert held_out["pass_rate"] == 1.0
    assert summary["IPOL feet (held out)"]["files"] > 0  # 16-1 of the quick subset


def _section(page: str, heading: str) -> str:
    """The page's text from ``heading`` to the next section heading."""
    assert heading in page, heading
    return page.split(heading, 1)[1].split("\n## ", 1)[0]


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--root", str(tmp_path / "absent"), "--out", str(tmp_path / "v.md")])
    assert exit_info.value.code == 2


def test_the_held_out_splits_are_fixed(validation_dir: Path) -> None:
    """Declared before tuning: the split may not drift with the data or the rule."""
    assert HELD_OUT_IPOL == ("5-1", "9-1", "12-1", "15-1", "16-1", "18-1")
    assert tuple(c for c in (f"{i}-1" for i in range(1, 20)) if is_held_out(c)) == HELD_OUT_IPOL
    refs = json.loads((validation_dir / "fit_public_repos" / "refs.json").read_text(encoding="utf-8"))["files"]
    assert tuple(r["file"] for r in refs if is_held_out(r["file"])) == HELD_OUT_FIT_PUBLIC
    assert len(HELD_OUT_FIT_PUBLIC) == 9


def test_the_command_line_check_judges_the_json(tmp_path: Path) -> None:
    from tools.validate_cli import CliCase, CliRow, run_cli

    case = CliCase("d", "n", (), "foot", 100, 110.0)
    assert CliRow(case, "m", 102, 111.9, "walk").passed
    assert not CliRow(case, "m", 104, 110.0, "walk").passed  # 4 steps off 100: beyond max(2, 3 %)
    assert not CliRow(case, "m", 100, 112.5, "walk").passed
    assert not CliRow(case, "m", 100, 110.0, "calf_raise").passed
    bad = tmp_path / "bad.csv"
    bad.write_text("t_s,acc_x_mps2\n0,1\n", encoding="utf-8")
    refused = run_cli([bad], "foot", ())
    assert isinstance(refused, str)
    assert "\n" not in refused


def test_a_quick_run_writes_no_page_unless_asked() -> None:
    """A quick run's subset never replaces the judged page; a full run writes it; ``--out`` always wins."""
    assert page_path(None, quick=True) is None
    assert page_path(None, quick=False) == Path("docs") / "validation.md"
    assert page_path(Path("x.md"), quick=True) == Path("x.md")
