"""The whole ``analyze`` command from 15 minutes to 10 hours of running (``python -m benchmarks --scaling``)."""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path

from benchmarks import whole
from benchmarks.children import prepare_command

SCALING_MINUTES = (15.0, 60.0, 120.0, 240.0, 600.0)

#: Runs of every length up to an hour at least (they are cheap): the 15-minute case's analysis is about a
#: third of its whole command, and on a loaded machine one pair's start-up alone varies by +-0.1 s, which is
#: +-0.4 s per hour of data at 15 minutes; the median of 5 pairs rather than 3 (benchmarks/README.md).
SHORT_RUNS = 5


@dataclasses.dataclass(frozen=True)
class Length:
    """Medians over the runs of one length: the whole command, its start-up floor, and their difference.

    ``analysis_cpu_s`` is the median of each run's CPU less the start-up floor measured just before it
    (the two alternate, so the difference holds when the machine's load drifts).
    """

    cpu_s: float
    sys_s: float
    wall_s: float
    peak_mb: float
    startup_cpu_s: float
    floor_mb: float
    analysis_cpu_s: float
    runs: int


def scaling(
    workdir: Path,
    *,
    repeat: int,
    minutes: tuple[float, ...] = SCALING_MINUTES,
    short_runs: int = SHORT_RUNS,
    warmup: bool = True,
) -> list[dict[str, object]]:
    """The whole ``analyze`` command on 15 minutes to 10 hours of simulated running: time per hour and memory.

    Targets (issue 15): CPU per hour of data (less start-up) within +/-20 % of the 1-hour figure at every length; peak
    memory at most the start-up floor plus 4 x the input's float32 size at 1, 2 and 4 h, and under 1 GB at 10 h (the
    15-minute case is judged on time only). Inputs are made once per length in ``workdir``. Each length runs
    ``repeat`` times after a warm-up (at least ``short_runs`` up to an hour); the cases over 4 h run once, without a
    warm-up run, to keep the benchmark practical on a 2-core machine (``warmup=False``: no length has one).
    """
    rows: list[dict[str, object]] = []
    modules: tuple[str, ...] = ()
    for m in minutes:
        argv = prepare_command("run_analyze", m, workdir)
        assert argv is not None
        long = m > 240
        # The modules a run imports do not depend on its length: found once, on the shortest run.
        modules = modules or whole.imported_modules(argv)
        runs = 1 if long else max(repeat, short_runs if m <= 60 else 1)
        result = measure_length(argv, modules, runs=runs, warmup=warmup and not long)
        # The recording is the argument after the command (global options such as --data-dir come first).
        input_mb = whole.input_float32_mb(Path(argv[argv.index("analyze") + 1]))
        rows.append({"minutes": m, "input_float32_mb": input_mb, **dataclasses.asdict(result)})
    reference = next((r for r in rows if r["minutes"] == 60.0), rows[0])
    per_hour_ref = _analysis_per_hour(reference)
    for row in rows:
        m = float(row["minutes"])  # type: ignore[arg-type]
        per_hour = _analysis_per_hour(row)
        floor_mb, input_mb = float(row["floor_mb"]), float(row["input_float32_mb"])  # type: ignore[arg-type]
        limit = _memory_limit_mb(m, floor_mb, input_mb)
        row["analysis_cpu_per_hour_s"] = per_hour
        row["memory_limit_mb"] = limit
        memory_ok = limit is None or float(row["peak_mb"]) <= limit  # type: ignore[arg-type]
        row["verdict"] = "ok" if abs(per_hour / per_hour_ref - 1.0) <= 0.2 and memory_ok else "MISSED"
        print(_line(row, per_hour / per_hour_ref), flush=True)
    return rows


def measure_length(argv: list[str], modules: tuple[str, ...], *, runs: int, warmup: bool) -> Length:
    """Run the command ``runs`` times, each just after its start-up floor (``whole.start_up_command``)."""
    if warmup:
        whole.run_process(argv)
    floor_command = whole.start_up_command(argv, modules)
    pairs = []
    for _ in range(runs):
        floor = whole.run_floor(floor_command)
        ours = whole.run_process(argv)
        if ours.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {ours.returncode}")
        pairs.append((floor, ours))
    return Length(
        cpu_s=statistics.median(o.cpu_s for _, o in pairs),
        sys_s=statistics.median(o.sys_s for _, o in pairs),
        wall_s=statistics.median(o.wall_s for _, o in pairs),
        peak_mb=max(o.peak_mb for _, o in pairs),
        startup_cpu_s=statistics.median(f.cpu_s for f, _ in pairs),
        floor_mb=max(f.peak_mb for f, _ in pairs),
        analysis_cpu_s=statistics.median(o.cpu_s - f.cpu_s for f, o in pairs),
        runs=runs,
    )


def _line(row: dict[str, object], relative: float) -> str:
    """One length's printed line."""
    limit = row["memory_limit_mb"]
    shown = "no memory target" if limit is None else f"limit {float(limit):.0f} MB"  # type: ignore[arg-type]
    return (
        f"analyze run {float(row['minutes']):5.0f} min: cpu {float(row['cpu_s']):6.2f} s "  # type: ignore[arg-type]
        f"(sys {float(row['sys_s']):5.2f} s), less start-up {float(row['analysis_cpu_per_hour_s']):.2f} s per hour "  # type: ignore[arg-type]
        f"of data (x{relative:.2f} the 1-hour figure), wall {float(row['wall_s']):6.2f} s, "  # type: ignore[arg-type]
        f"peak {float(row['peak_mb']):5.0f} MB ({shown}; start-up {float(row['floor_mb']):.0f} MB, "  # type: ignore[arg-type]
        f"float32 input {float(row['input_float32_mb']):.0f} MB; median of {row['runs']}) {row['verdict']}"  # type: ignore[arg-type]
    )


def _memory_limit_mb(minutes: float, floor_mb: float, input_mb: float) -> float | None:
    """Issue 15's memory target at this length: floor + 4 x input from 1 to 4 h, 1 GB beyond, none below 1 h."""
    if minutes > 240:
        return 1024.0
    return floor_mb + 4 * input_mb if minutes >= 60 else None


def _analysis_per_hour(row: dict[str, object]) -> float:
    """CPU seconds per hour of data of the whole command less its start-up (median of the paired differences)."""
    return float(row["analysis_cpu_s"]) * 60.0 / float(row["minutes"])  # type: ignore[arg-type]


__all__ = ["SCALING_MINUTES", "SHORT_RUNS", "Length", "measure_length", "scaling"]
