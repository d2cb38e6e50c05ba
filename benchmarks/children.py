"""Fresh interpreters for the benchmark: each case's figure and peak memory are its own.

On Linux a child's peak memory counts the memory of the process it was started from, so the runner
stays small and every case, and every whole command's input, is made in a child.

A case's child runs NumPy's OpenBLAS with one thread, as ``calfload``'s command line does
(:func:`case_env`): with one thread per core, the workers a matrix product wakes keep spinning
after it, and their CPU counted in the case's ``process_time`` (the run hour read 1.1-1.3 s
instead of 0.8-0.9 s, 2026-12-02).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Where the children run (the repository root, so ``benchmarks`` imports).
ROOT = Path(__file__).parents[1]


def case_env() -> dict[str, str]:
    """The environment of a case's child: this one, with ``OPENBLAS_NUM_THREADS=1`` unless it is set."""
    env = dict(os.environ)
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    return env


def run_one(name: str, size: float, workdir: Path) -> dict[str, float]:
    """Run one case once in a fresh interpreter; return its figure and peak memory."""
    code = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from benchmarks.catalogue import CASES\n"
        f"case = next(c for c in CASES if c.name == {name!r})\n"
        f"value = case.run(Path({str(workdir)!r}), {size!r})\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'value': value, 'rss_mb': rss}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT, env=case_env()
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last}  # type: ignore[dict-item]
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


#: The smoke run's cases that run in a child of their own: the process pool forks, which is not safe
#: in a process whose earlier cases started threads (Arrow, the recorder's event loop).
SMOKE_OWN_PROCESS = ("batch_pool",)


def run_in_one_process(names: list[str], size_of: dict[str, float], workdir: Path) -> dict[str, dict[str, float]]:
    """Run each named case once, one after the other, in a single fresh interpreter (the smoke run).

    A smoke run only proves that each case still runs; one interpreter saves a start-up and the imports
    per case (seconds of the test suite). Peak memory is then the shared process's so far. A case that
    raises gets its error line, and the others still run.
    """
    code = (
        "import json, resource, traceback\n"
        "from pathlib import Path\n"
        "from benchmarks.catalogue import CASES\n"
        f"for name in {names!r}:\n"
        "    case = next(c for c in CASES if c.name == name)\n"
        "    try:\n"
        f"        row = {{'value': case.run(Path({str(workdir)!r}), {size_of!r}[name])}}\n"
        "    except Exception as exc:\n"
        "        row = {'error': traceback.format_exception_only(exc)[-1].strip()}\n"
        "    row['rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "    print(json.dumps({'case': name, **row}), flush=True)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT, env=case_env()
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    results: dict[str, dict[str, float]] = {row.pop("case"): row for row in rows}
    failed = (proc.stderr.strip().splitlines() or [f"exited {proc.returncode}"])[-1]
    return {name: results.get(name, {"error": failed}) for name in names}  # type: ignore[dict-item]


def prepare_command(name: str, size: float, workdir: Path) -> list[str] | None:
    """A case's whole command, its input made in a child process.

    The runner itself stays small: on Linux a child's peak memory counts the memory of the process
    it was started from, so a runner holding pandas and generated inputs would inflate every figure.
    """
    code = (
        "import json\n"
        "from pathlib import Path\n"
        "from benchmarks.catalogue import CASES\n"
        f"case = next(c for c in CASES if c.name == {name!r})\n"
        f"print(json.dumps(case.command(Path({str(workdir)!r}), {size!r})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    argv: list[str] | None = json.loads(proc.stdout.strip().splitlines()[-1])
    return argv


def prepare_memory_rule(name: str, workdir: Path) -> tuple[list[str] | None, float | None]:
    """A case's memory-rule command printed beside the floor, and its input's float32 size (MB), found in a child."""
    code = (
        "import json\n"
        "from pathlib import Path\n"
        "from benchmarks.catalogue import CASES\n"
        f"rule = next(c for c in CASES if c.name == {name!r}).memory_rule\n"
        f"print(json.dumps([rule.beside(Path({str(workdir)!r})), rule.input_mb(Path({str(workdir)!r}))]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    beside, input_mb = json.loads(proc.stdout.strip().splitlines()[-1])
    return beside, input_mb


__all__ = ["SMOKE_OWN_PROCESS", "case_env", "prepare_command", "prepare_memory_rule", "run_in_one_process", "run_one"]
