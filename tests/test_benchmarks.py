"""The benchmark script runs end to end on tiny inputs (no timing asserts: speed lives in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_every_benchmark_case_runs(repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=repo_root,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(out.read_text())
    names = {row["case"] for row in rows}
    assert names == {
        "calf_analyze",
        "run_stop_analyze",
        "run_analyze",
        "review_week",
        "review_year",
        "pmd_decode",
        "recorder_cpu",
        "help",
        "report_4w",
    }
    for row in rows:
        assert "error" not in row, row
        assert row["median"] > 0, row
        assert row["peak_mb"] > 0, row
