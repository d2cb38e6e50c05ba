"""Every speed and memory target of the project, measured in one reproducible run.

Each case generates its own input (simulators with fixed seeds), then runs in a fresh Python
process so that its peak memory (max RSS) is its own. A case is timed ``--repeat`` times at
its nominal size and at twice that size; the table shows the median, the target and the growth
ratio (about 2.0 means linear). ``--smoke`` shrinks every input so the whole run takes seconds:
the test suite runs it that way, without timing asserts, so the benchmark cannot rot.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import cases


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


CASES: tuple[Case, ...] = (
    Case("calf_analyze", "analyze: calf session, 200 Hz", "< 0.3 s", 0.3, "s", cases.calf_analyze, 10.0, 0.5, "min"),
    Case("run_analyze", "analyze: foot-IMU run, 200 Hz", "< 1 s", 1.0, "s", cases.run_analyze, 60.0, 1.0, "min"),
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
    ),
    Case("review_week", "review: one week of journal", "< 0.5 s", 0.5, "s", cases.review_history, 7.0, 7.0, "days"),
    Case("review_year", "review: one year of journal", "< 0.5 s", 0.5, "s", cases.review_history, 365.0, 14.0, "days"),
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
    Case("help", "calfload --help (whole command)", "< 0.25 s", 0.25, "s", cases.cli_help, 1.0, 1.0, "call"),
    Case("report_4w", "HTML report: four-week period", "< 2 s", 2.0, "s", cases.period_report, 28.0, 7.0, "days"),
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


def measure(case: Case, *, smoke: bool, repeat: int, workdir: Path) -> dict[str, object]:
    """Median figure at the nominal size and at double size, with peak memory."""
    size = case.smoke_size if smoke else case.nominal_size
    rows: dict[str, object] = {"case": case.name, "size": f"{size:g} {case.size_unit}"}
    grows = case.size_unit != "call" and case.name != "review_week" and not smoke
    # Warm-up runs make and cache the inputs, so generation never counts in time or memory.
    # A smoke run only proves that the case still runs: one run, no warm-up, no growth.
    for warm_size in () if smoke else (size, size * 2) if grows else (size,):
        warm = run_one(case.name, warm_size, workdir)
        if "error" in warm:
            rows["error"] = warm["error"]
            return rows
    values, peaks = [], []
    for _ in range(repeat):
        res = run_one(case.name, size, workdir)
        if "error" in res:
            rows["error"] = res["error"]
            return rows
        values.append(float(res["value"]))
        peaks.append(float(res["rss_mb"]))
    rows["median"] = statistics.median(values)
    rows["peak_mb"] = max(peaks)
    if grows:
        doubled = [run_one(case.name, size * 2, workdir) for _ in range(max(1, repeat // 2))]
        ok = [float(d["value"]) for d in doubled if "error" not in d]
        if ok:
            rows["growth"] = statistics.median(ok) / float(rows["median"])  # type: ignore[arg-type]
    return rows


def verdict(case: Case, row: dict[str, object]) -> str:
    """'ok' or 'MISSED' against the target (throughput targets are minimums)."""
    if "median" not in row:
        return "n/a"
    value = float(row["median"])  # type: ignore[arg-type]
    met = value >= case.limit if case.unit == "frames/s" else value < case.limit
    memory_ok = float(row["peak_mb"]) < MEMORY_LIMIT_MB  # type: ignore[arg-type]
    return "ok" if met and memory_ok else "MISSED"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny inputs, one run each (for the test suite)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (median reported)")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these cases")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    repeat = 1 if args.smoke else args.repeat
    chosen = [c for c in CASES if not args.only or c.name in args.only]
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="calfload-bench-") as tmp:
        for case in chosen:
            row = measure(case, smoke=args.smoke, repeat=repeat, workdir=Path(tmp))
            row["verdict"] = verdict(case, row)
            rows.append(row)
            print(_line(case, row), flush=True)
    print(f"({len(rows)} cases in {time.perf_counter() - started:.0f} s; peak memory limit {MEMORY_LIMIT_MB:.0f} MB)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


def _line(case: Case, row: dict[str, object]) -> str:
    if "median" not in row:
        return f"{case.figure:<40} {case.target:>14}  {'error: ' + str(row.get('error'))!s}"
    value = float(row["median"])  # type: ignore[arg-type]
    shown = f"{value:,.0f} {case.unit}" if case.unit == "frames/s" else f"{value:.3g} {case.unit}"
    growth = f"x{float(row['growth']):.2f}" if "growth" in row else "-"  # type: ignore[arg-type]
    return (
        f"{case.figure:<40} {case.target:>14}  {shown:>16}  {row['size']!s:>12}  "
        f"growth {growth:>6}  peak {float(row['peak_mb']):5.0f} MB  {row['verdict']}"  # type: ignore[arg-type]
    )
