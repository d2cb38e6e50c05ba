"""Fixtures shared by the whole suite: where the repository and the shared validation data are."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are fuzzing with a bounded number of examples: derandomised, so a CI run cannot
# go red on a new random draw, and without a deadline, so a busy machine cannot fail them.
settings.register_profile("calfload", derandomize=True, deadline=None, database=None)
settings.load_profile("calfload")

# The suite simulates the same motion under many sensors: its processes keep the motions they made
# (calfload.sim._motion_cache; the same bits, tests/test_sim/test_motion_cache.py), set here without
# importing the simulators; a library caller keeps none.
os.environ.setdefault("CALFLOAD_SIM_KEEP_MOTIONS_MB", "160")

REPO_ROOT = Path(__file__).resolve().parents[1]
VALIDATION_DIR = REPO_ROOT.parent / "shared" / "validation"


#: The suite's longest tests (seconds to tens of seconds each), started first: pytest-xdist deals tests
#: out in collection order, and one of these collected last (tests/test_validate.py sorts near the
#: end) would run alone on one core while the other cores have finished. A name no longer collected
#: is simply not moved.
START_FIRST = (
    "tests/test_validate.py::test_quick_validation_writes_a_table_and_its_summary",
    "tests/test_benchmarks.py::test_every_benchmark_case_runs",
    "tests/test_signal/test_gait_real.py::test_ipol_full_set_meets_the_issue_criterion",
    "tests/test_report/test_run_page.py::test_real_fit_run_page",
    "tests/test_cli/test_analyze.py::test_demo_runs_the_tempo_audit",
)


def pytest_configure(config: pytest.Config) -> None:
    """Let the suite's Python processes cache the bytecode of what they import.

    ``PYTHONDONTWRITEBYTECODE`` is set on this project's machines, and CI installs the libraries
    without compiling them (uv's default, README's Quick start): compiling every installed module
    is about 40 s of CPU, most of it for code no test imports. With bytecode writing on, the first
    process to import a module caches it and every later one (the xdist workers and the ~40
    ``python -m calfload`` subprocesses, which inherit the environment) reads the cache; without
    it each of them would compile numpy, pandas and the project again. Workers are started after
    this hook, so they inherit the environment; a read-only installation is simply not cached.
    """
    if hasattr(config, "workerinput"):  # an xdist worker: the main process has done it
        return
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False


#: Tests that share costly work (a session or module fixture), moved to the front after
#: :data:`START_FIRST` so that one xdist worker runs them all: xdist's ``load`` scheduling hands each
#: worker its first quarter share (a few hundred tests) in one piece, in collection order. One
#: headless Chromium for the suite instead of one a worker, and the IPOL full set analysed once for
#: the module's tests that read its rows. (``--dist loadgroup`` with ``xdist_group`` marks would say
#: it directly, but xdist 3.8 names a grouped test by setting ``item._nodeid``, which pytest 9.2 no
#: longer reads: the groups are silently ignored.)
TOGETHER_FIXTURES = ("browser", "ipol_all_rows")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move :data:`START_FIRST` to the front in that order, then the users of :data:`TOGETHER_FIXTURES`.

    Every other test keeps its place.
    """
    rank = {nodeid: i for i, nodeid in enumerate(START_FIRST)}

    def place(item: pytest.Item) -> int:
        if item.nodeid in rank:
            return rank[item.nodeid]
        used = getattr(item, "fixturenames", ())
        return len(rank) + next((i for i, f in enumerate(TOGETHER_FIXTURES) if f in used), len(TOGETHER_FIXTURES))

    items.sort(key=place)


@pytest.fixture(autouse=True)
def isolated_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``CALFLOAD_HOME`` at an empty folder: no test may touch the user's real journal.

    Subprocesses inherit the variable, so ``calfload record`` and friends are isolated too.
    """
    home = tmp_path_factory.mktemp("calfload-home")
    monkeypatch.setenv("CALFLOAD_HOME", str(home))
    # Tables and prose fit the terminal's width: one fixed, wide terminal for every test, whatever
    # terminal runs pytest; the 80-column layouts are tested by setting COLUMNS=80 explicitly.
    monkeypatch.setenv("COLUMNS", "160")
    return home


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The project's own sample recordings."""
    return REPO_ROOT / "src" / "calfload" / "sample_data"


@pytest.fixture(scope="session")
def validation_dir() -> Path:
    """``../shared/validation``; tests that need it skip cleanly when it is absent."""
    if not VALIDATION_DIR.is_dir():
        pytest.skip("../shared/validation is not present")
    return VALIDATION_DIR


@pytest.fixture
def run_calfload() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m calfload ARGS`` in a subprocess (it inherits the environment, a private bus included)."""

    def run(args: Sequence[str], *, timeout_s: float = 120.0) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning"}
        return subprocess.run(
            [sys.executable, "-m", "calfload", *args],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env=env,
            check=False,
        )

    return run
