"""The benchmark cases: what each measures, its target, and the functions that run it (``python -m benchmarks``).

Each case's input comes from :mod:`benchmarks.cases` (simulators with fixed seeds, or real recordings
from ../shared/validation); :mod:`benchmarks.run` times them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import cases, fit_cases


@dataclass(frozen=True)
class MemoryRule:
    """Issue 15's memory rule for a whole command: peak RSS at most the import floor plus ``times`` x the float32 input.

    The floor is the command's import floor: its start-up floor (:func:`benchmarks.whole.start_up_command`,
    the process that imports what the command imports), as the lead decided on 2026-12-02. ``input_mb``
    gives the input's float32 size in MB; ``beside`` a second command whose peak is printed beside the
    floor (the same command on the smallest real input of the kind: what the code itself faults in on
    a first run), named by ``beside_figure`` (both make what they need in the work folder; None when
    the input is absent).
    """

    input_mb: Callable[[Path], float | None]
    beside: Callable[[Path], list[str] | None]
    beside_figure: str
    times: float = 4.0


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
    #: The one file the case reads (skipped when absent); its size is the file's, so no doubled size is timed.
    needs: Path | None = None
    #: The memory rule its whole command is held to (None: only the peak limit of every case).
    memory_rule: MemoryRule | None = None


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
        "fit_walk_analyze",
        "analyze: real FIT walk, 5.4 h (workoutizer)",
        "< 0.5 s",
        0.5,
        "s",
        fit_cases.fit_walk_analyze,
        5.4,
        5.4,
        "h",
        command=fit_cases.fit_walk_command,
        real=True,
        needs=fit_cases.FIT_WALK,
        memory_rule=MemoryRule(
            fit_cases.fit_input_mb, fit_cases.fit_floor_command, "the same command on a 1-minute FIT run"
        ),
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


__all__ = ["CASES", "Case", "MemoryRule"]
