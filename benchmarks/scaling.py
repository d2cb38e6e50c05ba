"""The whole ``analyze`` command from 15 minutes to 10 hours of running (``python -m benchmarks --scaling``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from benchmarks import whole
from benchmarks.children import prepare_command

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
        # The recording is the argument after the command (global options such as --data-dir come first).
        input_mb = whole.input_float32_mb(Path(argv[argv.index("analyze") + 1]))
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


__all__ = ["SCALING_MINUTES", "scaling"]
