"""Every speed and memory target of the project, measured in one reproducible run.

Each case generates its own input (simulators with fixed seeds), then runs in a fresh Python
process so that its peak memory (max RSS) is its own. A case is timed ``--repeat`` times at
its nominal size and at twice that size; the table shows the median, the target and the growth
ratio (about 2.0 means linear). ``--smoke`` shrinks every input so the whole run takes seconds:
the test suite runs it that way, without timing asserts, so the benchmark cannot rot.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import cases, whole


@dataclass(frozen=True)
class Case:
    """A benchmark: what it measures, its target, and the function that runs it once."""

    name: str
    figure: str
    target: str
    limit: float
    unit: str
    run: Callable[[Path, float], float]
    nominal_size: float
    smoke_size: float
    size_unit: str
    #: The same work as a whole command (argv; makes the input).
    command: Callable[[Path, float], list[str] | None] | None = None
    #: Whole-command target: CPU seconds (None: no whole-command target).
    cpu_limit: float | None = None
    #: Pair the whole command with gaitmap's foot pipeline on the same file.
    gaitmap: bool = False
    #: The input is a real recording from ../shared/validation (skipped without it).
    real: bool = False


CASES: tuple[Case, ...] = (
    Case(
        "calf_analyze",
        "analyze: calf session, 200 Hz",
        "< 0.3 s",
        0.3,
        "s",
        cases.calf_analyze,
        10.0,
        0.5,
        "min",
        command=cases.calf_command,
        cpu_limit=0.5,
    ),
    Case(
        "run_analyze",
        "analyze: foot-IMU run, 200 Hz",
        "< 1 s",
        1.0,
        "s",
        cases.run_analyze,
        60.0,
        1.0,
        "min",
        command=cases.run_command,
        cpu_limit=0.8,
        gaitmap=True,
    ),
    Case(
        "run_stop_analyze",
        "analyze: run with a 10-min stop, 200 Hz",
        "< 1 s",
        1.0,
        "s",
        cases.run_with_stop_analyze,
        60.0,
        1.0,
        "min",
        command=cases.run_stop_command,
    ),
    Case(
        "gaitmap_walk_analyze",
        "analyze: real walk (gaitmap), 204.8 Hz",
        "< 1 s",
        1.0,
        "s",
        cases.real_walk_analyze("gaitmap"),
        60.0,
        1.0,
        "min",
        command=cases.real_walk_command("gaitmap"),
        cpu_limit=0.8,
        gaitmap=True,
        real=True,
    ),
    Case(
        "ipol_walk_analyze",
        "analyze: real walk (IPOL), 100 Hz",
        "< 1 s",
        1.0,
        "s",
        cases.real_walk_analyze("ipol"),
        60.0,
        1.0,
        "min",
        command=cases.real_walk_command("ipol"),
        cpu_limit=0.8,
        gaitmap=True,
        real=True,
    ),
    Case(
        "review_week",
        "review: one week of journal",
        "< 0.5 s",
        0.5,
        "s",
        cases.review_history,
        7.0,
        7.0,
        "days",
        command=cases.review_command,
    ),
    Case(
        "review_year",
        "review: one year of journal",
        "< 0.5 s",
        0.5,
        "s",
        cases.review_history,
        365.0,
        14.0,
        "days",
        command=cases.review_command,
    ),
    Case(
        "review_decade",
        "review: ten years of journal",
        "< 0.35 s",
        0.35,
        "s",
        cases.review_history,
        3650.0,
        14.0,
        "days",
        command=cases.review_command,
        cpu_limit=0.35,
    ),
    Case(
        "pmd_decode",
        "PMD frames decoded per second",
        ">= 50,000 /s",
        50_000.0,
        "frames/s",
        cases.pmd_decode,
        20_000.0,
        500.0,
        "frames",
    ),
    Case(
        "recorder_cpu",
        "recorder CPU at 416 Hz six-axis",
        "< 5 % of a core",
        5.0,
        "%",
        cases.recorder_cpu,
        20.0,
        5.0,
        "s",
    ),
    Case(
        "batch_pool",
        "batch: local process pool over one process (speed-up)",
        ">= 1.7 x",
        1.7,
        "x",
        cases.batch_speedup,
        200.0,
        4.0,
        "files",
    ),
    Case(
        "help",
        "calfload --help (whole command)",
        "< 0.25 s",
        0.25,
        "s",
        cases.cli_help,
        1.0,
        1.0,
        "call",
        command=cases.help_command,
        cpu_limit=0.1,
    ),
    Case(
        "report_decade",
        "HTML report: the whole history of ten years",
        "< 3 s",
        3.0,
        "s",
        cases.period_report,
        3650.0,
        35.0,
        "days",
        command=cases.report_command,
        cpu_limit=3.0,
    ),
    Case(
        "report_4w",
        "HTML report: four-week period",
        "< 2 s",
        2.0,
        "s",
        cases.period_report,
        28.0,
        7.0,
        "days",
        command=cases.report_command,
    ),
)

MEMORY_LIMIT_MB = 400.0


def run_one(name: str, size: float, workdir: Path) -> dict[str, float]:
    """Run one case once in a fresh interpreter; return its figure and peak memory."""
    code = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from benchmarks.run import CASES\n"
        f"case = next(c for c in CASES if c.name == {name!r})\n"
        f"value = case.run(Path({str(workdir)!r}), {size!r})\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'value': value, 'rss_mb': rss}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=Path(__file__).parents[1]
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
        "from benchmarks.run import CASES\n"
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
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=Path(__file__).parents[1]
    )
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    results: dict[str, dict[str, float]] = {row.pop("case"): row for row in rows}
    failed = (proc.stderr.strip().splitlines() or [f"exited {proc.returncode}"])[-1]
    return {name: results.get(name, {"error": failed}) for name in names}  # type: ignore[dict-item]


def measure(
    case: Case,
    *,
    smoke: bool,
    repeat: int,
    workdir: Path,
    runner: Callable[[str, float, Path], dict[str, float]] | None = None,
) -> dict[str, object]:
    """Median figure at the nominal size and at double size, with peak memory; then the whole command.

    ``runner`` runs the case once (default :func:`run_one`, a fresh interpreter each time).
    """
    once = runner or run_one
    size = case.smoke_size if smoke else case.nominal_size
    rows: dict[str, object] = {"case": case.name, "size": f"{size:g} {case.size_unit}"}
    if case.real and not whole.VALIDATION.is_dir():
        rows["skipped"] = "no recording in ../shared/validation"
        return rows
    timed = case.command is not None and (not smoke or case.name in SMOKE_WHOLE)
    argv = prepare_command(case.name, size, workdir) if timed else None
    grows = case.size_unit not in {"call", "files"} and case.name not in {"review_week", "review_decade"} and not smoke
    # Warm-up runs make and cache the inputs, so generation never counts in time or memory.
    # A smoke run only proves that the case still runs: one run, no warm-up, no growth.
    for warm_size in () if smoke else (size, size * 2) if grows else (size,):
        warm = once(case.name, warm_size, workdir)
        if "error" in warm:
            rows["error"] = warm["error"]
            return rows
    values, peaks = [], []
    for _ in range(repeat):
        res = once(case.name, size, workdir)
        if "error" in res:
            rows["error"] = res["error"]
            return rows
        values.append(float(res["value"]))
        peaks.append(float(res["rss_mb"]))
    rows["median"] = statistics.median(values)
    rows["peak_mb"] = max(peaks)
    if grows:
        doubled = [once(case.name, size * 2, workdir) for _ in range(max(1, repeat // 2))]
        ok = [float(d["value"]) for d in doubled if "error" not in d]
        if ok:
            rows["growth"] = statistics.median(ok) / float(rows["median"])  # type: ignore[arg-type]
    if argv is not None:
        gaitmap = None
        if case.gaitmap and not smoke and (python := whole.gaitmap_python()):
            gaitmap = whole.gaitmap_command(python, next(Path(a) for a in argv if a.endswith(".parquet")))
        try:
            result = whole.measure_whole(argv, repeat=repeat, warmup=not smoke, gaitmap=gaitmap)
        except RuntimeError as exc:
            rows["error"] = str(exc)
            return rows
        rows["whole"] = dataclasses.asdict(result)
    return rows


#: The cases whose whole command a smoke run times too (each whole command costs seconds on a busy machine).
SMOKE_WHOLE = ("calf_analyze", "help")


def prepare_command(name: str, size: float, workdir: Path) -> list[str] | None:
    """A case's whole command, its input made in a child process.

    The runner itself stays small: on Linux a child's peak memory counts the memory of the process
    it was started from, so a runner holding pandas and generated inputs would inflate every figure.
    """
    code = (
        "import json\n"
        "from pathlib import Path\n"
        "from benchmarks.run import CASES\n"
        f"case = next(c for c in CASES if c.name == {name!r})\n"
        f"print(json.dumps(case.command(Path({str(workdir)!r}), {size!r})))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1]
    )
    argv: list[str] | None = json.loads(proc.stdout.strip().splitlines()[-1])
    return argv


def verdict(case: Case, row: dict[str, object]) -> str:
    """'ok' or 'MISSED' against the target (throughput targets are minimums)."""
    if "median" not in row:
        return "n/a"
    value = float(row["median"])  # type: ignore[arg-type]
    met = value >= case.limit if case.unit in {"frames/s", "x"} else value < case.limit
    memory_ok = float(row["peak_mb"]) < MEMORY_LIMIT_MB  # type: ignore[arg-type]
    result = row.get("whole")
    if isinstance(result, dict):
        if case.cpu_limit is not None:
            met = met and float(result["cpu_s"]) < case.cpu_limit
        if result.get("gaitmap_ratio") is not None:
            met = met and float(result["gaitmap_ratio"]) >= GAITMAP_RATIO
    return "ok" if met and memory_ok else "MISSED"


#: The whole ``analyze`` command must be at least this many times faster (CPU) than gaitmap's.
GAITMAP_RATIO = 10.0


SCALING_MINUTES = (15.0, 60.0, 120.0, 240.0, 600.0)


def scaling(workdir: Path, *, repeat: int, minutes: tuple[float, ...] = SCALING_MINUTES) -> list[dict[str, object]]:
    """The whole ``analyze`` command on 15 minutes to 10 hours of simulated running: time per hour and memory.

    Targets (issue 15): CPU per hour of data (less start-up) within +/-20 % of the 1-hour figure at every length; peak
    memory at most the start-up floor plus 4 x the input's float32 size at 1, 2 and 4 h, and under 1 GB at 10 h (the
    15-minute case is judged on time only). Inputs are made once per length in ``workdir``; the cases over 4 h run
    once, without a warm-up run, to keep the benchmark practical on a 2-core machine.
    """
    rows: list[dict[str, object]] = []
    modules: tuple[str, ...] = ()
    for m in minutes:
        argv = prepare_command("run_analyze", m, workdir)
        assert argv is not None
        long = m > 240
        # The modules a run imports do not depend on its length: found once, on the shortest run.
        modules = modules or whole.imported_modules(argv)
        result = whole.measure_whole(argv, repeat=1 if long else repeat, warmup=not long, modules=modules)
        input_mb = whole.input_float32_mb(Path(argv[4]))
        rows.append({"minutes": m, "input_float32_mb": input_mb, **dataclasses.asdict(result)})
    reference = next((r for r in rows if r["minutes"] == 60.0), rows[0])
    per_hour_ref = _analysis_per_hour(reference)
    for row in rows:
        m, cpu = float(row["minutes"]), float(row["cpu_s"])  # type: ignore[arg-type]
        per_hour = _analysis_per_hour(row)
        floor_mb, input_mb = float(row["floor_mb"]), float(row["input_float32_mb"])  # type: ignore[arg-type]
        limit = _memory_limit_mb(m, floor_mb, input_mb)
        row["analysis_cpu_per_hour_s"] = per_hour
        row["memory_limit_mb"] = limit
        memory_ok = limit is None or float(row["peak_mb"]) <= limit  # type: ignore[arg-type]
        row["verdict"] = "ok" if abs(per_hour / per_hour_ref - 1.0) <= 0.2 and memory_ok else "MISSED"
        shown = "no memory target" if limit is None else f"limit {limit:.0f} MB"
        print(
            f"analyze run {m:5.0f} min: cpu {cpu:6.2f} s, less start-up {per_hour:.2f} s per hour of data "
            f"(x{per_hour / per_hour_ref:.2f} the 1-hour figure), wall {float(row['wall_s']):6.2f} s, "  # type: ignore[arg-type]
            f"peak {float(row['peak_mb']):5.0f} MB ({shown}; start-up {floor_mb:.0f} MB, "  # type: ignore[arg-type]
            f"float32 input {input_mb:.0f} MB) {row['verdict']}",
            flush=True,
        )
    return rows


def _memory_limit_mb(minutes: float, floor_mb: float, input_mb: float) -> float | None:
    """Issue 15's memory target at this length: floor + 4 x input from 1 to 4 h, 1 GB beyond, none below 1 h."""
    if minutes > 240:
        return 1024.0
    return floor_mb + 4 * input_mb if minutes >= 60 else None


def _analysis_per_hour(row: dict[str, object]) -> float:
    """CPU seconds per hour of data of the whole command less its start-up."""
    work = float(row["cpu_s"]) - float(row["startup_cpu_s"])  # type: ignore[arg-type]
    return work * 60.0 / float(row["minutes"])  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny inputs, one run each (for the test suite)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (median reported)")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these cases")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    parser.add_argument(
        "--scaling", action="store_true", help="also time the whole analyze command on 15 min to 10 h of running"
    )
    parser.add_argument("--workdir", type=Path, metavar="DIR", help="keep the generated inputs here between runs")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="time whole commands compiling every module (PYTHONDONTWRITEBYTECODE) instead of with a bytecode cache",
    )
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    chosen = [c for c in CASES if not args.only or c.name in args.only]
    rows = []
    started = time.perf_counter()
    scaled: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="calfload-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        if not args.smoke:  # a smoke run times nothing: its children use the installed bytecode, not a new cache
            whole.use_bytecode_cache(workdir, enabled=not args.no_bytecode_cache)
        runner = _smoke_runner(chosen, workdir) if args.smoke else None
        for case in chosen:
            row = measure(case, smoke=args.smoke, repeat=repeat, workdir=workdir, runner=runner)
            row["verdict"] = verdict(case, row)
            rows.append(row)
            print(_line(case, row), flush=True)
        if args.scaling:
            scaled = scaling(workdir, repeat=repeat, minutes=(1.0, 2.0) if args.smoke else SCALING_MINUTES)
    print(f"({len(rows)} cases in {time.perf_counter() - started:.0f} s; peak memory limit {MEMORY_LIMIT_MB:.0f} MB)")
    if args.json:
        args.json.write_text(json.dumps({"cases": rows, "scaling": scaled} if args.scaling else rows, indent=1) + "\n")
    return 0


def _smoke_runner(chosen: list[Case], workdir: Path) -> Callable[[str, float, Path], dict[str, float]]:
    """Smoke runs: every case but :data:`SMOKE_OWN_PROCESS` once, together in one interpreter, before any is shown."""
    real = whole.VALIDATION.is_dir()
    shared = [c.name for c in chosen if c.name not in SMOKE_OWN_PROCESS and (real or not c.real)]
    done = run_in_one_process(shared, {c.name: c.smoke_size for c in chosen}, workdir) if shared else {}

    def runner(name: str, size: float, workdir: Path) -> dict[str, float]:
        return done[name] if name in done else run_one(name, size, workdir)

    return runner


def _line(case: Case, row: dict[str, object]) -> str:
    if "skipped" in row:
        return f"{case.figure:<40} {case.target:>14}  skipped: {row['skipped']}"
    if "median" not in row:
        return f"{case.figure:<40} {case.target:>14}  {'error: ' + str(row.get('error'))!s}"
    value = float(row["median"])  # type: ignore[arg-type]
    shown = f"{value:,.0f} {case.unit}" if case.unit == "frames/s" else f"{value:.3g} {case.unit}"
    growth = f"x{float(row['growth']):.2f}" if "growth" in row else "-"  # type: ignore[arg-type]
    line = (
        f"{case.figure:<40} {case.target:>14}  {shown:>16}  {row['size']!s:>12}  "
        f"growth {growth:>6}  peak {float(row['peak_mb']):5.0f} MB  {row['verdict']}"  # type: ignore[arg-type]
    )
    result = row.get("whole")
    if isinstance(result, dict):
        cpu = float(result["cpu_s"])
        target = f" (target < {case.cpu_limit:g} s)" if case.cpu_limit is not None else ""
        line += (
            f"\n{'':<40} whole command: cpu {cpu:.3f} s{target}, wall {float(result['wall_s']):.3f} s, "
            f"start-up {float(result['startup_cpu_s']):.3f} s ({float(result['startup_cpu_s']) / cpu:.0%}), "
            f"peak {float(result['peak_mb']):.0f} MB"
        )
        if result.get("gaitmap_ratio") is not None:
            line += f", gaitmap's pipeline x{float(result['gaitmap_ratio']):.1f} the CPU"
    return line
