"""The whole ``analyze`` command from 15 minutes to 10 hours of running (``python -m benchmarks --scaling``).

The judge (issue 15): CPU per hour of data, less start-up, within +/-20 % of the 1-hour figure at every
length. At 15 minutes the analysis is about a third of the command (0.13-0.2 s beside a start-up of
0.33-0.38 s), and one command's CPU varies by +-0.05-0.1 s for the same work on this machine, so one
run's per-hour figure there was good to about +-40 %: the verdict was a coin toss. So the lengths are
measured together, in rounds, until each verdict is decided:

- **Pairs.** Each run of a length's command is paired with a run of its start-up floor
  (:func:`benchmarks.whole.start_up_command`), in alternating order (floor first, then command first);
  a length's analysis is the median of its pairs' differences.
- **Rounds.** A round runs :data:`PAIRS_PER_ROUND` pairs of every length still measured (more at the
  short lengths, whose difference is the noisiest, and at the 1-hour reference, which every ratio
  divides by), so every length sees the same drift of the machine's load.
- **Until decided.** After :data:`MIN_ROUNDS` rounds (or ``repeat``), a length stops when the bootstrap
  interval (:mod:`benchmarks.spread`, 90 %) of its ratio to the 1-hour figure lies wholly inside or
  wholly outside +/-20 %; the reference runs while any length does. At most :data:`MAX_ROUNDS` rounds:
  a length still open then is printed as not decided, its median ratio judged as before.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections.abc import Mapping
from pathlib import Path
from typing import Final, cast

from benchmarks import whole
from benchmarks.children import prepare_command
from benchmarks.spread import LEVEL, median_interval, ratio_interval

SCALING_MINUTES: Final = (15.0, 60.0, 120.0, 240.0, 600.0)
#: The length every other is compared with.
REFERENCE_MINUTES: Final = 60.0
#: Time per hour of data may differ from the reference's by this share (issue 15).
TOLERANCE: Final = 0.2
#: Pairs per round at each length (1 where not named): measured at load 5-8, one pair's analysis varies by
#: about 36 % of itself at 15 minutes, 26 % at 1 h, 14 % at 2 h and 12 % at 4 h (benchmarks/README.md).
PAIRS_PER_ROUND: Final[Mapping[float, int]] = {15.0: 4, 60.0: 3}
MIN_ROUNDS: Final = 3
MAX_ROUNDS: Final = 12
#: Fewest pairs on each side of a ratio for an interval (fewer: no interval, not decided).
FEWEST_PAIRS: Final = 5
#: Lengths over this many minutes get no warm-up run (a 10-hour run costs 6-8 s of CPU).
LONGEST_WARMED: Final = 240.0


@dataclasses.dataclass(frozen=True)
class Pair:
    """A start-up floor and the command run beside it."""

    floor: whole.Usage
    command: whole.Usage


@dataclasses.dataclass(frozen=True)
class Length:
    """Medians over the pairs of one length: the whole command, its start-up floor, and their difference.

    ``analysis_cpu_s`` is the median of each pair's command CPU less its floor's (the two alternate, so
    the difference holds when the machine's load drifts); ``pairs_cpu_s`` holds each pair's (floor,
    command) CPU seconds.
    """

    cpu_s: float
    sys_s: float
    wall_s: float
    peak_mb: float
    startup_cpu_s: float
    floor_mb: float
    analysis_cpu_s: float
    runs: int
    pairs_cpu_s: tuple[tuple[float, float], ...] = ()

    @classmethod
    def of(cls, pairs: list[Pair]) -> Length:
        """The medians (and the largest peaks) of ``pairs``."""
        return cls(
            cpu_s=statistics.median(p.command.cpu_s for p in pairs),
            sys_s=statistics.median(p.command.sys_s for p in pairs),
            wall_s=statistics.median(p.command.wall_s for p in pairs),
            peak_mb=max(p.command.peak_mb for p in pairs),
            startup_cpu_s=statistics.median(p.floor.cpu_s for p in pairs),
            floor_mb=max(p.floor.peak_mb for p in pairs),
            analysis_cpu_s=statistics.median(p.command.cpu_s - p.floor.cpu_s for p in pairs),
            runs=len(pairs),
            pairs_cpu_s=tuple((p.floor.cpu_s, p.command.cpu_s) for p in pairs),
        )

    def differences_s(self) -> list[float]:
        """Each pair's command CPU less its floor's."""
        return [command - floor for floor, command in self.pairs_cpu_s]


def scaling(
    workdir: Path,
    *,
    repeat: int,
    minutes: tuple[float, ...] = SCALING_MINUTES,
    pairs_per_round: Mapping[float, int] = PAIRS_PER_ROUND,
    rounds: tuple[int, int] = (MIN_ROUNDS, MAX_ROUNDS),
    warmup: bool = True,
) -> list[dict[str, object]]:
    """The whole ``analyze`` command on 15 minutes to 10 hours of simulated running: time per hour and memory.

    Targets (issue 15): CPU per hour of data (less start-up) within +/-20 % of the 1-hour figure at every
    length; peak memory at most the start-up floor plus 4 x the input's float32 size at 1, 2 and 4 h, and
    under 1 GB at 10 h (the 15-minute case is judged on time only). Inputs are made once per length in
    ``workdir``. The lengths are measured in rounds of paired runs (the module's docstring): at least
    ``rounds[0]`` rounds (or ``repeat``), at most ``rounds[1]`` (or ``repeat``). Lengths up to
    :data:`LONGEST_WARMED` get a warm-up run first when ``warmup``.
    """
    commands: dict[float, tuple[list[str], list[str]]] = {}
    modules: tuple[str, ...] = ()
    for m in minutes:
        argv = prepare_command("run_analyze", m, workdir)
        assert argv is not None
        # The modules a run imports do not depend on its length: found once, on the shortest run.
        modules = modules or whole.imported_modules(argv)
        commands[m] = (argv, whole.start_up_command(argv, modules))
    if warmup:
        for m, (argv, _) in commands.items():
            if m <= LONGEST_WARMED:
                whole.run_process(argv)
    reference = REFERENCE_MINUTES if REFERENCE_MINUTES in minutes else minutes[0]
    least, most = max(rounds[0], repeat), max(rounds[1], repeat)
    pairs: dict[float, list[Pair]] = {m: [] for m in minutes}
    measured = set(minutes)
    for done in range(most):
        for m in minutes:
            if m in measured:
                for _ in range(pairs_per_round.get(m, 1)):
                    pairs[m].append(run_pair(*commands[m], command_first=len(pairs[m]) % 2 == 1))
        if done + 1 >= least:
            still = _undecided(pairs, reference)
            if not still:
                break
            measured = {*still, reference}
            if done + 1 < most:
                print(f"--scaling round {done + 1} of {most} at most: still measuring {_progress(still)}", flush=True)
    rows = [_row(m, Length.of(pairs[m]), Length.of(pairs[reference]), reference, commands[m][0]) for m in minutes]
    for row in rows:
        print(_line(row), flush=True)
    return rows


def run_pair(argv: list[str], floor_command: list[str], *, command_first: bool) -> Pair:
    """The command and its start-up floor, one after the other (the command first when ``command_first``)."""
    if command_first:
        ours = whole.run_process(argv)
        floor = whole.run_floor(floor_command)
    else:
        floor = whole.run_floor(floor_command)
        ours = whole.run_process(argv)
    if ours.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {ours.returncode}")
    return Pair(floor, ours)


def ratio_bounds(length: Length, reference: Length, scale: float) -> tuple[float, float] | None:
    """The interval of ``length``'s per-hour figure over ``reference``'s (``scale``: reference minutes / length's).

    None with fewer than :data:`FEWEST_PAIRS` pairs on either side, or when the reference's analysis
    is not positive in some resample.
    """
    if min(length.runs, reference.runs) < FEWEST_PAIRS:
        return None
    low, high = ratio_interval(length.differences_s(), reference.differences_s(), scale=scale)
    return None if math.isnan(low) else (low, high)


def decided(bounds: tuple[float, float] | None) -> bool:
    """Whether an interval of the ratio lies wholly inside or wholly outside 1 +/- :data:`TOLERANCE`."""
    if bounds is None:
        return False
    low, high = bounds
    return (low >= 1.0 - TOLERANCE and high <= 1.0 + TOLERANCE) or high < 1.0 - TOLERANCE or low > 1.0 + TOLERANCE


def _undecided(pairs: dict[float, list[Pair]], reference: float) -> dict[float, tuple[float, float] | None]:
    """The lengths whose verdict is not decided yet, with their ratio's interval so far."""
    ref = Length.of(pairs[reference])
    bounds = {m: ratio_bounds(Length.of(runs), ref, reference / m) for m, runs in pairs.items() if m != reference}
    return {m: b for m, b in bounds.items() if not decided(b)}


def _progress(still: dict[float, tuple[float, float] | None]) -> str:
    """The open lengths and their intervals so far, for the line printed after a round."""
    return ", ".join(
        f"{m:g} min" + (f" (under {FEWEST_PAIRS} pairs)" if b is None else f" (x{b[0]:.2f}-{b[1]:.2f})")
        for m, b in sorted(still.items())
    )


def _row(minutes: float, length: Length, ref: Length, reference: float, argv: list[str]) -> dict[str, object]:
    """One length's figures and verdict (JSON-ready)."""
    # The recording is the argument after the command (global options such as --data-dir come first).
    input_mb = whole.input_float32_mb(Path(argv[argv.index("analyze") + 1]))
    per_hour = length.analysis_cpu_s * 60.0 / minutes
    relative = per_hour / (ref.analysis_cpu_s * 60.0 / reference)
    bounds = None if minutes == reference else ratio_bounds(length, ref, reference / minutes)
    spread = median_interval(length.differences_s()) if length.runs >= FEWEST_PAIRS else None
    limit = _memory_limit_mb(minutes, length.floor_mb, input_mb)
    memory_ok = limit is None or length.peak_mb <= limit
    return {
        "minutes": minutes,
        "input_float32_mb": input_mb,
        **dataclasses.asdict(length),
        "analysis_cpu_per_hour_s": per_hour,
        "analysis_cpu_per_hour_interval_s": None if spread is None else [v * 60.0 / minutes for v in spread],
        "relative_to_reference": relative,
        "relative_interval": None if bounds is None else list(bounds),
        "reference": minutes == reference,
        "decided": minutes == reference or decided(bounds),
        "memory_limit_mb": limit,
        "verdict": "ok" if abs(relative - 1.0) <= TOLERANCE and memory_ok else "MISSED",
    }


def _line(row: dict[str, object]) -> str:
    """One length's printed line."""
    limit = row["memory_limit_mb"]
    shown = "no memory target" if limit is None else f"limit {float(limit):.0f} MB"  # type: ignore[arg-type]
    per_hour = row["analysis_cpu_per_hour_interval_s"]
    bounds = row["relative_interval"]
    if row["reference"]:
        spread = "" if per_hour is None else f"{per_hour[0]:.2f}-{per_hour[1]:.2f} s, "  # type: ignore[index]
        judged = f"the reference ({spread}{LEVEL * 100:.0f} % interval over {row['runs']} pairs)"
    elif bounds is None:
        judged = f"x{float(row['relative_to_reference']):.2f} the reference (no interval over {row['runs']} pairs)"  # type: ignore[arg-type]
    else:
        low, high = cast("list[float]", bounds)
        judged = (
            f"x{float(row['relative_to_reference']):.2f} the reference ({LEVEL * 100:.0f} % interval "  # type: ignore[arg-type]
            f"x{low:.2f}-{high:.2f} over {row['runs']} pairs{'' if row['decided'] else ', NOT DECIDED'})"
        )
    return (
        f"analyze run {float(row['minutes']):5.0f} min: cpu {float(row['cpu_s']):6.2f} s "  # type: ignore[arg-type]
        f"(sys {float(row['sys_s']):5.2f} s), less start-up {float(row['analysis_cpu_per_hour_s']):.2f} s per hour "  # type: ignore[arg-type]
        f"of data, {judged}, wall {float(row['wall_s']):6.2f} s, "  # type: ignore[arg-type]
        f"peak {float(row['peak_mb']):5.0f} MB ({shown}; start-up {float(row['floor_mb']):.0f} MB, "  # type: ignore[arg-type]
        f"float32 input {float(row['input_float32_mb']):.0f} MB) {row['verdict']}"  # type: ignore[arg-type]
    )


def _memory_limit_mb(minutes: float, floor_mb: float, input_mb: float) -> float | None:
    """Issue 15's memory target at this length: floor + 4 x input from 1 to 4 h, 1 GB beyond, none below 1 h."""
    if minutes > 240:
        return 1024.0
    return floor_mb + 4 * input_mb if minutes >= 60 else None


__all__ = [
    "MAX_ROUNDS",
    "MIN_ROUNDS",
    "PAIRS_PER_ROUND",
    "REFERENCE_MINUTES",
    "SCALING_MINUTES",
    "TOLERANCE",
    "Length",
    "Pair",
    "decided",
    "ratio_bounds",
    "run_pair",
    "scaling",
]
