"""Walk or run on real shanks: the quiet share against a force reference (``python -m tools.validate_activity_pace``).

Bach, Dominici and Daffertshofer (2022, Vrije Universiteit Amsterdam) published 18 treadmill
trials with a 3D shank accelerometer (±8 g, 142.9 Hz, in g) and the vertical ground reaction
force under that leg, walking at 4.5-5 km/h and running at 8-8.5 km/h, in
github.com/marlow17/PredictingGroundReactionForces (``data/walk+run.mat``; the participants'
sex, mass, height and speed in ``data/walk+run_INFO.csv``). This tool reads that repository's bare
mirror (``--data``: the mirror or a checkout); nothing of it is copied into this project and no
test depends on it.

The recordings have no gyroscope, so ``calfload analyze`` refuses them (it needs both); what is
measured is the rule of :mod:`calfload.signal._activity_pace` on the reference's strides: the
contacts are where the force rises over a tenth of its 95th percentile, a stride is contact to
contact, the cadence 120 over the median stride, the duty factor the loaded share. Each trial in
four copies: the original, a random mounting, and random mountings resampled to 50 and 400 Hz.
Pass: :func:`~calfload.signal._activity_pace.walk_or_run` gives the trial's condition.

**Held out** (declared 2026-12-01 23:16 UTC before any result was seen): the participants that
:func:`tools.validate_cases.is_held_out` selects by ``"Bach 2022 participant SEX-KG-CM"``
(F-69-169, trials 1-4, and M-60-180, trials 17-18).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from calfload.signal._activity_pace import PaceParams, stride_quiet_s, walk_or_run
from calfload.sim import random_rotation
from calfload.units import STANDARD_GRAVITY_MPS2
from tools.validate_cases import is_held_out

DEFAULT_DATA: Final = Path("/work/.mirror/marlow17+PredictingGroundReactionForces/repo")
COPIES: Final = ("original", "rotated", "50hz", "400hz")
RUN_CADENCE_SPM: Final = 140.0
EXPECTED: Final = {"walking": "walk", "running": "run"}


@dataclass(frozen=True, slots=True)
class Trial:
    """One trial: its shank acceleration (g), force, rate and who walked or ran."""

    number: int
    condition: str
    participant: str
    speed_kmh: float
    fs_hz: float
    acc_g: np.ndarray
    force: np.ndarray

    @property
    def held_out(self) -> bool:
        """The declared rule (module docstring)."""
        return is_held_out(f"Bach 2022 participant {self.participant}")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One copy of one trial."""

    trial: Trial
    copy: str
    cadence_spm: float
    duty_factor: float
    quiet: float
    answer: str

    @property
    def passed(self) -> bool:
        """The trial's condition was answered."""
        return self.answer == EXPECTED[self.trial.condition]


def _read(source: Path, name: str) -> bytes:
    if (source / "data" / name).is_file():
        return (source / "data" / name).read_bytes()
    git = source / ".git" if (source / ".git").exists() else source
    return subprocess.run(
        ["git", "--git-dir", str(git), "show", f"HEAD:data/{name}"], capture_output=True, check=True
    ).stdout


def trials(source: Path) -> Iterator[Trial]:
    """Every trial of the data set, with its participant from the INFO table."""
    import scipy.io

    info = list(csv.reader(io.StringIO(_read(source, "walk+run_INFO.csv").decode("utf-8-sig"))))
    rows = {int(r[0]): r for r in info[1:] if r and r[0].strip().isdigit()}
    with tempfile.TemporaryDirectory(prefix="calfload-bach-") as folder:  # read from the mirror, never kept
        path = Path(folder) / "walk+run.mat"
        path.write_bytes(_read(source, "walk+run.mat"))
        data = scipy.io.loadmat(str(path), squeeze_me=True, struct_as_record=False)
    for k, entry in enumerate(data["data"], start=1):
        row = rows[k]
        yield Trial(
            k,
            str(entry.Condition),
            f"{row[1]}-{row[2]}-{row[3]}",
            float(row[4]),
            float(entry.SamplingRate),
            np.asarray(entry.Accelerometer, dtype=np.float64),
            np.asarray(entry.GroundReactionForce, dtype=np.float64),
        )


def contacts_s(force: np.ndarray, fs_hz: float) -> tuple[np.ndarray, float]:
    """The reference's contacts (s) and duty factor: loaded over a tenth of the force's 95th percentile."""
    load = -force if -np.min(force) > np.max(force) else force  # the data set's force is negative when loaded
    loaded = load > 0.1 * np.percentile(load, 95)
    rises = np.flatnonzero(np.diff(loaded.astype(np.int8)) == 1) + 1
    return rises / fs_hz, float(np.mean(loaded))


def _copy(t: Trial, copy: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    """Grid times, acceleration (m/s²) and rate of one copy, on the classifier's 50 Hz grid at most."""
    t_s = np.arange(t.acc_g.shape[0]) / t.fs_hz
    acc = t.acc_g * STANDARD_GRAVITY_MPS2
    if copy != "original":
        acc = acc @ random_rotation(rng).T
    fs = t.fs_hz if not copy.endswith("hz") else float(copy.removesuffix("hz"))
    grid_fs = min(fs, PaceParams().rate_hz)
    # Resampling to ``fs`` and then to the working grid is one interpolation to the grid.
    grid = np.arange(t_s[0], t_s[-1], 1.0 / grid_fs)
    return grid, np.column_stack([np.interp(grid, t_s, acc[:, i]) for i in range(3)]), grid_fs


def run(source: Path, seed: int = 22) -> list[Outcome]:
    """Every trial in every copy."""
    rng = np.random.default_rng(seed)
    out = []
    for trial in trials(source):
        ic, duty = contacts_s(trial.force, trial.fs_hz)
        strides = np.diff(ic)
        ok = strides <= 2.5
        cadence = 120.0 / float(np.median(strides[ok]))
        for copy in COPIES:
            grid, acc, fs = _copy(trial, copy, rng)
            quiet_s, total_s = stride_quiet_s(grid, acc, fs, ic[:-1][ok], ic[1:][ok], PaceParams())
            quiet = quiet_s / total_s
            out.append(Outcome(trial, copy, cadence, duty, quiet, walk_or_run(quiet, cadence, RUN_CADENCE_SPM)))
    return out


def table_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """One row per trial: condition, cadence, duty factor, quiet share per copy, pass."""
    lines = [
        "| trial | set | condition | km/h | cadence spm | duty factor | quiet share, four copies | answered |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number in sorted({o.trial.number for o in outcomes}):
        rows = [o for o in outcomes if o.trial.number == number]
        t = rows[0].trial
        shares = ", ".join(f"{o.quiet:.2f}" for o in rows)
        answers = sorted({o.answer for o in rows})
        lines.append(
            f"| {number} | {'held out' if t.held_out else 'tuned'} | {t.condition} | {t.speed_kmh:g} | "
            f"{rows[0].cadence_spm:.1f} | {rows[0].duty_factor:.2f} | {shares} | "
            f"{'/'.join(answers)} ({sum(o.passed for o in rows)} of {len(rows)}) |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Run the trials and print the Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate_activity_pace", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="bare mirror or checkout of the data set")
    args = parser.parse_args(argv)
    if not args.data.exists():
        parser.error(f"no data set at {args.data}: give --data (a bare git mirror or a checkout)")
    print("\n".join(table_lines(run(args.data))))  # noqa: T201 - a command-line tool
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
