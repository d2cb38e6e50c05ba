"""Whole commands as the user runs them: a fresh ``calfload`` process, its CPU, wall time and peak memory.

Each figure comes from the operating system's accounting of the finished child process
(``os.wait4``): user + system CPU, wall time, and the child's own peak RSS. The start-up share
is the CPU of the command's start-up floor (:func:`start_up_command`) divided by the command's
CPU: the same ``calfload`` process up to its work, which imports what the command imports (the
modules a run of it loaded, lazy ones included, in the order they loaded, read from
``PYTHONPROFILEIMPORTTIME``) instead of doing the work.

Children run with Python's bytecode cache, as an installed calfload does (pip compiles every
module when it installs a package): the warm-up run writes the cache into the work folder
(``PYTHONPYCACHEPREFIX``), so no run is timed compiling source. ``PYTHONDONTWRITEBYTECODE``, set
in some development environments, would make every run compile all of calfload's modules
(about 0.1 s of CPU more per command); ``--no-bytecode-cache`` measures that way. Inputs are made
once per size and cached in the work folder:

- simulated: a calf session and a foot-IMU run at 200 Hz (the simulators, fixed seeds), each file
  carrying its activity, so ``analyze`` needs no ``--activity``;
- real: the left foot of the gaitmap example walk (204.8 Hz) and of an IPOL walk (Xsens, 100 Hz)
  from ``../shared/validation``, repeated to the asked length (skipped when the folder is absent).

With gaitmap installed (``pip install '.[bench]'``, or a Python named by ``CALFLOAD_BENCH_GAITMAP_PYTHON``
that has it), gaitmap's standard foot pipeline (BarthDtw + RamppEventDetection) runs as a whole
process on the same file, in turn with calfload, and the ratio of their CPU times is reported.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
VALIDATION = REPO.parent / "shared" / "validation"
#: Channels of an IMU file (time and six axes): the input's float32 size is rows x this x 4 bytes.
IMU_CHANNELS = 7


@dataclass(frozen=True)
class Usage:
    """One finished process: CPU (user + system, and system alone) and wall seconds, peak resident memory."""

    cpu_s: float
    wall_s: float
    peak_mb: float
    returncode: int
    sys_s: float = 0.0


#: The environment of every timed child: set once by :func:`use_bytecode_cache`.
CHILD_ENV: dict[str, str] = os.environ.copy()


#: Variables that would point a child's data folder elsewhere than its home's default.
_DATA_FOLDER_VARIABLES = ("CALFLOAD_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")


def use_empty_home(workdir: Path) -> None:
    """Give every child an empty home of its own in ``workdir`` (after :func:`use_bytecode_cache`, which resets them).

    A command without ``--data-dir`` then finds its default data folder as a user's does
    (``platformdirs``, under the home), empty: the developer's own journal and settings are never read.
    """
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    CHILD_ENV["HOME"] = str(home)
    for name in _DATA_FOLDER_VARIABLES:
        CHILD_ENV.pop(name, None)


def use_bytecode_cache(workdir: Path, *, enabled: bool = True) -> None:
    """Time children with a bytecode cache in ``workdir`` (as installed), or compiling each module (not ``enabled``)."""
    CHILD_ENV.clear()
    CHILD_ENV.update(os.environ)
    if enabled:
        CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    else:
        CHILD_ENV["PYTHONDONTWRITEBYTECODE"] = "1"
        CHILD_ENV.pop("PYTHONPYCACHEPREFIX", None)


def run_process(command: list[str], *, env: dict[str, str] | None = None) -> Usage:
    """Run ``command`` to the end, output discarded, and return its own resource usage."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env or CHILD_ENV
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Usage(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_stime)


def calfload_command(*args: str) -> list[str]:
    """``python -m calfload ARGS`` with this interpreter."""
    return [sys.executable, "-m", "calfload", *args]


def imported_modules(command: list[str]) -> tuple[str, ...]:
    """The modules a run of ``command`` imports, in the order they were first imported.

    For ``python -m calfload ARGS``: the names in ``sys.modules`` when the run exits (the same run,
    started through :mod:`runpy` as ``-m`` does). ``PYTHONPROFILEIMPORTTIME`` logs only the imports
    made by ``import`` statements, not those made by ``importlib.import_module``: the command's own
    module (``calfload.cli._analyze``) and the names calfload's packages export lazily
    (``calfload._lazy``; ``calfload.signal._analysis`` and ``calfload.pipeline._session_report`` on
    the analyze path) were missing, and the start-up floor left their imports to the analysis.
    Other commands (a shell line) are read from ``PYTHONPROFILEIMPORTTIME`` as before.
    """
    if command[1:3] == ["-m", "calfload"]:
        with tempfile.TemporaryDirectory() as folder:
            listing = Path(folder) / "modules.txt"
            code = (
                "import atexit, runpy, sys\n"
                f"atexit.register(lambda: open({str(listing)!r}, 'w').write('\\n'.join(sys.modules)))\n"
                f"sys.argv = ['calfload', *{command[3:]!r}]\n"
                "runpy.run_module('calfload', run_name='__main__', alter_sys=True)\n"
            )
            subprocess.run([command[0], "-c", code], stdout=subprocess.DEVNULL, cwd=REPO, env=CHILD_ENV, check=False)
            # A ``__main__`` module imported again would run its command a second time.
            return tuple(name for name in listing.read_text().split() if name.rpartition(".")[2] != "__main__")
    env = {**CHILD_ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env, check=False
    )
    lines = (line.rsplit("|", 1) for line in done.stderr.splitlines() if line.startswith("import time:"))
    return tuple(dict.fromkeys(name.strip() for _, name in lines if name.strip() != "imported package"))


def start_up_command(command: list[str], modules: tuple[str, ...]) -> list[str]:
    """The start-up floor of ``command``: the same process, with its work replaced by importing ``modules``.

    For ``python -m calfload ARGS`` the floor runs calfload's entry (``calfload.cli.entry``) on the
    same arguments, so what the command does before and after its work happens as in the command:
    the environment it sets before NumPy and pyarrow load (one OpenBLAS thread, Arrow's memory pool,
    the allocator's settings), the collector's threshold during the imports and ``gc.freeze`` before
    exit, reading the command line and the data folder's settings. Only the command's handler is
    replaced, by one that imports ``modules`` (all the command imported, lazy imports included) and
    returns 0. A bare import loop (:func:`import_only_command`) had skipped those settings and cost
    about 0.08 s more than the command's own start-up, which came off every length's analysis
    (benchmarks/README.md). Other commands (a shell line, gaitmap's pipeline) get the import loop.
    """
    if command[1:3] != ["-m", "calfload"]:
        return import_only_command(modules)
    code = (
        "import importlib, sys\n"
        f"sys.argv = ['calfload', *{command[3:]!r}]\n"
        "import calfload.cli as cli\n"
        "_parse_line = cli.parse_line\n"
        "def _imports_only(_args):\n"
        f"    for name in {list(modules)!r}:\n"
        "        try:\n            importlib.import_module(name)\n"
        "        except Exception:\n            pass\n"
        "    return 0\n"
        "def _parse_without_work(line):\n"
        "    args = _parse_line(line)\n"
        "    args.handler = _imports_only\n"
        "    return args\n"
        "cli.parse_line = _parse_without_work\n"
        "raise SystemExit(cli.entry())\n"
    )
    return [command[0], "-c", code]


def import_only_command(modules: tuple[str, ...]) -> list[str]:
    """A process that only imports ``modules`` (in that order): the floor of a command that is not calfload's."""
    code = (
        "import importlib\n"
        f"for name in {list(modules)!r}:\n"
        "    try:\n        importlib.import_module(name)\n"
        "    except Exception:\n        pass\n"
    )
    return [sys.executable, "-c", code]


def run_floor(floor_command: list[str]) -> Usage:
    """Run a start-up floor; one that fails (calfload's entry changed under it) stops the benchmark."""
    usage = run_process(floor_command)
    if usage.returncode != 0:
        raise RuntimeError(f"the start-up floor exited {usage.returncode}")
    return usage


# ---------------------------------------------------------------------------------------------- inputs


def tiled_file(workdir: Path, name: str, minutes: float) -> Path | None:
    """A real recording (``gaitmap`` or ``ipol``) repeated to ``minutes``, as Parquet; None without the data."""
    path = workdir / f"{name}_{minutes:g}min.parquet"
    if path.exists():
        return path
    rec = _real_walk(name)
    if rec is None:
        return None
    from calfload.recording import write_parquet

    write_parquet(_tile(rec, minutes * 60.0), path)
    return path


def _real_walk(name: str):  # type: ignore[no-untyped-def]
    """The left foot of the gaitmap example walk or of IPOL trial 1-1, as a walk recording."""
    import pandas as pd

    from tools.validate_cases import imu_recording
    from tools.validate_datasets import ipol_imu

    if name == "gaitmap":
        csv = VALIDATION / "gaitmap_example_data" / "imu_sample.csv"
        if not csv.exists():
            return None
        data = pd.read_csv(csv, header=[0, 1], index_col=0)["left_sensor"]
        t = np.arange(len(data)) / 204.8
        acc = data[["acc_x", "acc_y", "acc_z"]].to_numpy(dtype=np.float64)
        gyr = data[["gyr_x", "gyr_y", "gyr_z"]].to_numpy(dtype=np.float64)
        rec = imu_recording(t, acc, gyr, source=csv.name, side="left", model="NilsPod")
    else:
        txt = VALIDATION / "ipol_gait_voisard2023" / "GaitData" / "1-1_lf.txt"
        if not txt.exists():
            return None
        rec = ipol_imu(txt, "foot", "left")
    return _with_activity(rec, "walk")


def _with_activity(rec, activity: str):  # type: ignore[no-untyped-def]

    return rec.with_meta(activity=activity)


def _tile(rec, seconds: float):  # type: ignore[no-untyped-def]
    """``rec`` repeated end to end (one nominal sample step between copies) to about ``seconds``."""
    import pandas as pd

    from calfload.recording import make_recording
    from calfload.schema import T_S

    t = rec.t_s
    period = float(t[-1] - t[0]) + float(np.median(np.diff(t)))
    copies = max(1, round(seconds / period))
    frames = []
    for k in range(copies):
        frame = rec.data.copy()
        frame[T_S] = t - t[0] + k * period
        frames.append(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_recording(pd.concat(frames, ignore_index=True), rec.meta, source=f"{rec.source} x{copies}")


def input_float32_mb(path: Path) -> float:
    """The recording's size as float32 samples (rows x 7 channels x 4 bytes), in MB (read in a child process)."""
    code = f"import pyarrow.parquet as pq; print(pq.ParquetFile({str(path)!r}).metadata.num_rows)"
    rows = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    return rows * IMU_CHANNELS * 4 / 2**20


# --------------------------------------------------------------------------------------------- gaitmap


def gaitmap_python() -> str | None:
    """An interpreter that can import gaitmap's foot pipeline, or None."""
    candidates = [os.environ.get("CALFLOAD_BENCH_GAITMAP_PYTHON", ""), sys.executable]
    for python in filter(None, candidates):
        probe = [python, "-c", "import gaitmap.stride_segmentation as s; s.BarthDtw"]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return python
    return None


def gaitmap_command(python: str, path: Path) -> list[str]:
    """gaitmap's BarthDtw + RamppEventDetection on the file, as a whole process."""
    return [python, str(REPO / "benchmarks" / "gaitmap_pipeline.py"), str(path)]


# ---------------------------------------------------------------------------------------------- timing


@dataclass(frozen=True)
class Whole:
    """Medians over the runs of one whole command, its start-up floor, and gaitmap's pipeline if paired.

    ``cpu_runs_s`` and ``gaitmap_ratios`` hold every run's figure, so the spread can be printed beside
    the median (one command's CPU varies by about +-15 % on this machine for the same work).
    """

    cpu_s: float
    wall_s: float
    peak_mb: float
    startup_cpu_s: float
    floor_mb: float
    gaitmap_ratio: float | None = None
    cpu_runs_s: tuple[float, ...] = ()
    gaitmap_ratios: tuple[float, ...] = ()


def measure_whole(
    command: list[str],
    *,
    repeat: int,
    warmup: bool = True,
    gaitmap: list[str] | None = None,
    modules: tuple[str, ...] = (),
) -> Whole:
    """Time ``command`` ``repeat`` times (after a warm-up run); pair each run with gaitmap's when given.

    Each round runs the start-up floor, the command and gaitmap's pipeline one after the other, the
    floor first in even rounds and last in odd ones: the three share the machine's load of the moment,
    where the floors used to run all before the commands. ``modules``: what the command imports, when
    known (else found by one more run of it).
    """
    if warmup:
        run_process(command)
        if gaitmap is not None:
            run_process(gaitmap)
    modules = modules or imported_modules(command)
    floor_command = start_up_command(command, modules)
    floor, runs, ratios = [], [], []
    for round_ in range(repeat):
        if round_ % 2 == 0:
            floor.append(run_floor(floor_command))
        ours = run_process(command)
        if ours.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {ours.returncode}")
        runs.append(ours)
        if gaitmap is not None:
            theirs = run_process(gaitmap)
            if theirs.returncode != 0:
                raise RuntimeError(f"gaitmap pipeline exited {theirs.returncode}")
            ratios.append(theirs.cpu_s / ours.cpu_s)
        if round_ % 2 == 1:
            floor.append(run_floor(floor_command))
    return Whole(
        cpu_s=statistics.median(r.cpu_s for r in runs),
        wall_s=statistics.median(r.wall_s for r in runs),
        peak_mb=max(r.peak_mb for r in runs),
        startup_cpu_s=statistics.median(f.cpu_s for f in floor),
        floor_mb=max(f.peak_mb for f in floor),
        gaitmap_ratio=statistics.median(ratios) if ratios else None,
        cpu_runs_s=tuple(r.cpu_s for r in runs),
        gaitmap_ratios=tuple(ratios),
    )
