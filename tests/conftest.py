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

REPO_ROOT = Path(__file__).resolve().parents[1]
VALIDATION_DIR = REPO_ROOT.parent / "shared" / "validation"


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
