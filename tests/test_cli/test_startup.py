"""What the command line loads at start-up: only what the command uses (measured figures live in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys

import calfload


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_version_prints_the_installed_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "calfload", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"calfload {calfload.package_version()}"
    assert calfload.__version__ == calfload.package_version()
    from importlib.metadata import version

    assert version("calfload") == calfload.__version__  # the installed metadata reads the same declaration


def test_help_loads_no_metadata_reader_and_no_numerics() -> None:
    loaded = _modules_after("from calfload.cli import build_parser\nbuild_parser()")
    assert not {"importlib.metadata", "numpy", "pandas", "scipy", "pyarrow", "matplotlib"} & loaded
