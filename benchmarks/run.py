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
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import whole
from benchmarks.catalogue import CASES, Case
from benchmarks.children import SMOKE_OWN_PROCESS, prepare_command, prepare_memory_rule, run_in_one_process, run_one
from benchmarks.scaling import scaling

MEMORY_LIMIT_MB = 400.0


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
    absent = case.needs is not None and not case.needs.is_file()
    if (case.real and not whole.VALIDATION.is_dir()) or absent:
        rows["skipped"] = "no recording in ../shared/validation"
        return rows
    timed = case.command is not None and (not smoke or case.name in SMOKE_WHOLE)
    argv = prepare_command(case.name, size, workdir) if timed else None
    grows = (
        case.size_unit not in {"call", "files"}
        and case.name not in {"review_week", "review_decade"}
        and case.needs is None
        and not smoke
    )
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
        if case.memory_rule is not None:
            check = _memory_rule(case, result.peak_mb, repeat=repeat, workdir=workdir, floor_mb=result.floor_mb)
            rows["memory"] = {"skipped": "no input recording"} if check is None else dataclasses.asdict(check)
    return rows


def _memory_rule(case: Case, peak_mb: float, *, repeat: int, workdir: Path, floor_mb: float) -> MemoryCheck | None:
    """The whole command's peak against its memory rule: the import floor's peak + k x input.

    ``floor_mb`` is the command's start-up floor's peak (the largest of its runs, as ``peak_mb`` is the
    command's largest). The rule's ``beside`` command runs ``repeat`` times after a warm-up; the median
    of its peaks is printed beside the floor.
    """
    assert case.memory_rule is not None
    beside_argv, input_mb = prepare_memory_rule(case.name, workdir)
    if input_mb is None:
        return None
    beside_mb = None
    if beside_argv is not None:
        whole.run_process(beside_argv)  # warm-up, as the command had
        beside_mb = statistics.median(whole.run_process(beside_argv).peak_mb for _ in range(repeat))
    return memory_verdict(peak_mb, floor_mb, input_mb, times=case.memory_rule.times, beside_mb=beside_mb)


@dataclasses.dataclass(frozen=True)
class MemoryCheck:
    """A whole command's peak RSS against issue 15's memory rule (MB; ``met``: peak at most the limit).

    ``floor_mb`` is the import floor (a process that imports what the command imports, the rule's
    floor); ``beside_mb`` the peak of the rule's second command, printed beside it (None without one).
    """

    peak_mb: float
    floor_mb: float
    input_float32_mb: float
    limit_mb: float
    met: bool
    beside_mb: float | None = None

    @property
    def over_floor_mb(self) -> float:
        """How far the peak is above the floor."""
        return self.peak_mb - self.floor_mb


def memory_verdict(
    peak_mb: float, floor_mb: float, input_mb: float, *, times: float, beside_mb: float | None = None
) -> MemoryCheck:
    """Issue 15's memory rule: ``peak_mb`` at most ``floor_mb`` plus ``times`` x ``input_mb`` (float32 size)."""
    limit = floor_mb + times * input_mb
    return MemoryCheck(peak_mb, floor_mb, input_mb, limit, peak_mb <= limit, beside_mb)


#: The cases whose whole command a smoke run times too (each whole command costs seconds on a busy machine).
SMOKE_WHOLE = ("calf_analyze", "help")


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
    rule = row.get("memory")
    if isinstance(rule, dict) and "met" in rule:
        memory_ok = memory_ok and bool(rule["met"])
    return "ok" if met and memory_ok else "MISSED"


#: The whole ``analyze`` command must be at least this many times faster (CPU) than gaitmap's.
GAITMAP_RATIO = 10.0


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
        workdir.mkdir(parents=True, exist_ok=True)  # a --workdir named for the first time is made, not a traceback
        if not args.smoke:  # a smoke run times nothing: its children use the installed bytecode, not a new cache
            whole.use_bytecode_cache(workdir, enabled=not args.no_bytecode_cache)
        whole.use_empty_home(workdir)
        runner = _smoke_runner(chosen, workdir) if args.smoke else None
        for case in chosen:
            row = measure(case, smoke=args.smoke, repeat=repeat, workdir=workdir, runner=runner)
            row["verdict"] = verdict(case, row)
            rows.append(row)
            print(_line(case, row), flush=True)
        if args.scaling:
            if args.smoke:  # proves it runs: one pair per length, one round, no warm-up
                scaled = scaling(workdir, repeat=1, minutes=(1.0, 2.0), pairs_per_round={}, rounds=(1, 1), warmup=False)
            else:
                scaled = scaling(workdir, repeat=repeat)
    print(f"({len(rows)} cases in {time.perf_counter() - started:.0f} s; peak memory limit {MEMORY_LIMIT_MB:.0f} MB)")
    if args.json:
        args.json.write_text(json.dumps({"cases": rows, "scaling": scaled} if args.scaling else rows, indent=1) + "\n")
    return 0


def _smoke_runner(chosen: list[Case], workdir: Path) -> Callable[[str, float, Path], dict[str, float]]:
    """Smoke runs: every case but :data:`SMOKE_OWN_PROCESS` once, together in one interpreter, before any is shown."""
    real = whole.VALIDATION.is_dir()
    present = [c for c in chosen if (real or not c.real) and (c.needs is None or c.needs.is_file())]
    shared = [c.name for c in present if c.name not in SMOKE_OWN_PROCESS]
    done = run_in_one_process(shared, {c.name: c.smoke_size for c in chosen}, workdir) if shared else {}

    def runner(name: str, size: float, workdir: Path) -> dict[str, float]:
        return done[name] if name in done else run_one(name, size, workdir)

    return runner


def _range(runs: object, unit: str, digits: int) -> str:
    """`` (low-high over n runs)`` of a median's runs, when there are several (JSON gives them as a list)."""
    if not isinstance(runs, list | tuple) or len(runs) < 2:
        return ""
    low, high = min(runs), max(runs)
    return f" ({low:.{digits}f}-{high:.{digits}f}{' ' + unit if unit else ''} over {len(runs)} runs)"


def _straddles(runs: object, limit: float | None) -> str:
    """``; the runs straddle it`` when some runs are under ``limit`` and some not: the verdict is a toss-up."""
    if limit is None or not isinstance(runs, list | tuple) or not runs:
        return ""
    return "; the runs straddle it" if min(runs) < limit <= max(runs) else ""


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
        target = (
            f" (target < {case.cpu_limit:g} s{_straddles(result.get('cpu_runs_s'), case.cpu_limit)})"
            if case.cpu_limit is not None
            else ""
        )
        line += (
            f"\n{'':<40} whole command: cpu {cpu:.3f} s{_range(result.get('cpu_runs_s'), 's', 3)}{target}, "
            f"wall {float(result['wall_s']):.3f} s, "
            f"start-up {float(result['startup_cpu_s']):.3f} s ({float(result['startup_cpu_s']) / cpu:.0%}), "
            f"peak {float(result['peak_mb']):.0f} MB"
        )
        if result.get("gaitmap_ratio") is not None:
            ratios = _range(result.get("gaitmap_ratios"), "", 1)
            line += f", gaitmap's pipeline x{float(result['gaitmap_ratio']):.1f}{ratios} the CPU"
    rule = row.get("memory")
    if isinstance(rule, dict) and "met" in rule and case.memory_rule is not None:
        check = MemoryCheck(**rule)
        line += (
            f"\n{'':<40} memory rule: peak {check.peak_mb:.1f} MB, {check.over_floor_mb:.1f} MB over the import "
            f"floor (a process that imports what the command imports, {check.floor_mb:.1f} MB); limit "
            f"{check.limit_mb:.1f} MB = floor + {case.memory_rule.times:g} x {check.input_float32_mb:.2f} MB "
            "float32 input"
        )
        if check.beside_mb is not None:
            line += (
                f"; beside it, {case.memory_rule.beside_figure}: {check.beside_mb:.1f} MB "
                f"({check.peak_mb - check.beside_mb:.1f} MB over it)"
            )
    return line
