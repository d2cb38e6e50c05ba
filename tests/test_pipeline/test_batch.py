"""``calfload batch``: exact rep counts against simulator truth, failures, reruns, and a real Dask cluster."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calfload.cli import main
from calfload.pipeline.batch import FAILURES_FILE, RESULTS_DIR, BatchSummary, run_batch
from calfload.sim import random_calf_session, simulate_calf_session

#: Where each simulated recording goes and the seed of its session.
LAYOUT = {"a.parquet": 0, "deeper/b.parquet": 1, "deeper/c.csv": 2}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three simulated calf sessions in a folder tree, and one file that is not a recording."""
    root = tmp_path_factory.mktemp("cohort")
    for name, seed in LAYOUT.items():
        path = Path(name)
        sim = simulate_calf_session(random_calf_session(np.random.default_rng(seed)))
        sim.write(root / path.parent, path.stem, fmt=path.suffix[1:])
    (root / "deeper" / "broken.parquet").write_bytes(b"PAR1 this is not a parquet file")
    return root


def _truth(root: Path) -> dict[str, int]:
    """The simulator's counted reps of each recording (its truth.json)."""
    import json

    return {
        Path(name).name: int(json.loads((root / Path(name).with_suffix(".truth.json")).read_text())["rep_count"])
        for name in LAYOUT
    }


def _results(out: Path) -> dict[str, int]:
    df = pd.read_parquet(out / RESULTS_DIR)
    return {Path(f).name: int(n) for f, n in zip(df["file"], df["rep_count"], strict=True)}


@pytest.fixture(scope="module")
def local_run(cohort: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchSummary]:
    """The cohort through the local process pool, once for the tests that read or compare its results."""
    out = tmp_path_factory.mktemp("local") / "out"
    return out, run_batch(cohort, out, workers=2)


def test_local_pool_gives_exact_reps_and_lists_the_failure(cohort: Path, local_run: tuple[Path, BatchSummary]) -> None:
    out, summary = local_run
    assert (summary.analysed, summary.failed, summary.skipped) == (3, 1, 0)
    assert _results(out) == _truth(cohort)
    failures = pd.read_parquet(out / FAILURES_FILE)
    assert [Path(f).name for f in failures["file"]] == ["broken.parquet"]
    assert failures["error"].str.len().min() > 0


def test_cli_rerun_skips_done_files_and_adds_new_ones(
    cohort: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["batch", str(cohort), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "3 analysed, 1 failed, 0 skipped" in said
    assert "failed: " in said
    # every line at 80 columns, but a path longer than the line (never broken)
    assert all(len(line) <= 80 or " " not in line.strip() for line in said.splitlines()), said
    assert main(["batch", str(cohort), "--out", str(out)]) == 0
    assert "0 analysed, 1 failed, 3 skipped" in capsys.readouterr().out
    assert len(pd.read_parquet(out / RESULTS_DIR)) == 3  # nothing analysed twice
    # Health data: the results are readable by their owner only.
    written = [out, out / RESULTS_DIR, *out.rglob("*.parquet")]
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o700, 0o600}
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]  # no temporary file left
    assert main(["batch", str(cohort), "--out", str(out), "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert (done["analysed"], done["failed"], done["skipped"]) == (0, 1, 3)
    assert [Path(bad["file"]).name for bad in done["failures"]] == ["broken.parquet"]
    assert Path(done["results"]) == out


def test_unreachable_scheduler_is_one_line_and_creates_nothing(
    cohort: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "out"
    assert main(["batch", str(cohort), "--out", str(out), "--scheduler", f"tcp://127.0.0.1:{port}"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot reach the Dask scheduler" in err
    assert not out.exists()


def test_a_dask_cluster_gives_the_local_results(
    cohort: Path, local_run: tuple[Path, BatchSummary], tmp_path: Path
) -> None:
    """A cluster of worker processes (the files and the analysis go to other interpreters, pickled)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        summary = run_batch(cohort, tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert (summary.analysed, summary.failed) == (3, 1)
    local = pd.read_parquet(local_run[0] / RESULTS_DIR).drop(columns="record_json").sort_values("file")
    dask = pd.read_parquet(tmp_path / "dask" / RESULTS_DIR).drop(columns="record_json").sort_values("file")
    pd.testing.assert_frame_equal(local.reset_index(drop=True), dask.reset_index(drop=True))
    assert _results(tmp_path / "dask") == _truth(cohort)
