"""Foot, shank and thigh IMUs against foot-pressure contacts: the Marpino walking data set.

``python -m tools.validate_legs [--data PATH] [--cli | --pairs] [--out FILE]`` runs the walk analysis on every
recording of the public *Walking-dataset* (github.com/Marpino/Walking-dataset; no licence file,
published for use: its README says how to use the data). It is not in ``../shared/validation``
and nothing of it is copied into this project: ``--data`` names a checkout of it or a bare git
mirror of it (read with ``git cat-file``), by default ``$CALFLOAD_LEGS_DATA`` or the mirror at
``/work/.mirror/Marpino+Walking-dataset/repo``; without it the tool says so and stops. It reads
the .xlsx files with python-calamine when installed (``pip install -e '.[legs]'``, 7x faster than
openpyxl).

What the data set holds (its README and Documentation.txt): six synchronised IMUs at 100 Hz on
the right foot, shank and thigh and the left thigh, shank and foot (columns ``_1`` to ``_6``;
acceleration in 1/10000 g, angular rate in 1/100 deg/s), and two pressure sensors under each foot
(``Ext1`` toe, ``Ext2`` heel, on sensors 1 and 6). 20 young and 20 older adults walk 5 m
straight; one author walks 5 m straight, a 5 x 3 m rectangle and a 3.6 m circle, and along a
corridor. Two recordings of a walker with sticks and braces give no contacts from their pressure
sensors and are left out; three files are missing from the mirror (too large for it).

**Reference.** The foot is loaded when its toe and heel pressures, each scaled to its own 5th-95th
percentile range, sum to more than 0.35, and unloaded below 0.15; a contact is the start of a
loading after at least 0.15 s unloaded (a swing; shorter dips are the roll from heel to toe). Steps
= contacts of both feet; cadence = 120 / median stride time (contact to contact of one foot, both
feet pooled, strides under 2.5 s). These are two-point force sensors, not an insole: a shuffle that
lifts the foot counts, and a landing too light for the sensor does not.

**Cases.** Each placement (foot, shank, thigh) alone on the left, alone on the right (strides
doubled into steps) and both sides merged, in the original recording (sensor axes as mounted), in
a copy in a random mounting resampled to 50, 200 or 400 Hz (the rate taken in turn, one copy per
recording) and, with ``--cli``, in a copy in another random mounting at 100 Hz. ``--cli`` runs
every one-sensor case through ``calfload analyze --json`` (``tools/validate_cli.py``: plain CSV,
``--placement`` given) with ``--activity walk`` and without it. Two diagnostic columns: the files
whose pressure contacts alternate (in every stride of one foot, under 2.5 s, the other foot lands
exactly once: a broken alternation is a landing the sensors missed or a heel bounce they took for
one), and the pass against the same foot's pressure strides (120 / their median) instead of both
feet's (what one sensor can see). Held out: recordings whose name's
SHA-256 has a first byte divisible by 3 (:func:`tools.validate.is_held_out`), declared before
any result was seen. The shank and thigh presets were set on a kinematic stand-in before this data
set was found; the thigh's swing filter (2 Hz) was then chosen on the files not held out. The
thigh's stride instant (the peak of that slow lobe rather than its end) was chosen among four
candidates looked at on both sets: the held-out thigh figures are not independent of it.
``--pairs`` runs each placement's left and right sensors together through the command line
(:mod:`tools.validate_legs_pairs`); ``python -m tools.validate_legs_ends`` times each sensor's
first, middle and last contacts against the pressure sensors (:mod:`tools.validate_legs_ends`).
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import subprocess
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np
import pandas as pd

from calfload.errors import CalfloadWarning
from calfload.recording import Recording
from calfload.signal._gait import analyze_gait
from calfload.units import STANDARD_GRAVITY_MPS2
from tools import validate_legs_cli
from tools.validate_cases import HELD_OUT_LABEL, Case, Row, imu_recording, is_held_out, write_or_print
from tools.validate_datasets import variant_copy

DEFAULT_DATA: Final = Path("/work/.mirror/Marpino+Walking-dataset/repo")
FS_HZ: Final = 100.0
#: Sensor column suffix of each (placement, side).
SENSORS: Final = {
    ("foot", "right"): 1,
    ("shank", "right"): 2,
    ("thigh", "right"): 3,
    ("thigh", "left"): 4,
    ("shank", "left"): 5,
    ("foot", "left"): 6,
}
#: The variants: the original and one copy in a random mounting, resampled to the rates in turn.
RATES: Final = ("50hz", "200hz", "400hz")
LOADED: Final = 0.35
UNLOADED: Final = 0.15
MIN_SWING_S: Final = 0.15
FAILING: Final = "Failing originals through the command line (each line: the reference, then the outcome):"


def data_source(given: Path | None) -> Path | None:
    """The data set's checkout or bare mirror: ``given``, ``$CALFLOAD_LEGS_DATA`` or the default mirror."""
    if given is not None:  # named: that one or none
        return given if given.exists() else None
    env = os.environ.get("CALFLOAD_LEGS_DATA")
    for path in (Path(env) if env else None, DEFAULT_DATA):
        if path is not None and path.exists():
            return path
    return None


def recordings(source: Path) -> Iterator[tuple[str, pd.DataFrame]]:
    """Every ``Dataset/**.xlsx`` of a checkout or a bare git mirror, as (name, frame)."""
    engine = _engine()
    if (source / "Dataset").is_dir():
        for path in sorted((source / "Dataset").rglob("*.xlsx")):
            yield str(path.relative_to(source)), _frame(pd.read_excel(path, engine=engine))
        return
    git = ["git", "--git-dir", str(source)]
    listing = subprocess.run([*git, "ls-tree", "-r", "HEAD", "Dataset"], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        info, name = line.split("\t", 1)
        if not name.endswith(".xlsx"):
            continue
        blob = subprocess.run([*git, "cat-file", "blob", info.split()[2]], capture_output=True, check=False)
        if blob.returncode == 0 and blob.stdout:
            yield name, _frame(pd.read_excel(io.BytesIO(blob.stdout), engine=engine))


def _engine() -> Literal["calamine"] | None:
    import importlib.util

    # a faster reader, when installed (found, not imported: mypy has no stubs for it where it is absent)
    return "calamine" if importlib.util.find_spec("python_calamine") is not None else None


def _frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def pressure_load(toe: np.ndarray, heel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The toe and heel pressures, each scaled to its own 5th-95th percentile range (0 to 1)."""
    scaled = []
    for raw in (toe, heel):
        x = np.nan_to_num(np.asarray(raw, dtype=np.float64), nan=float(np.nanmin(raw)))
        lo, hi = np.percentile(x, [5, 95])
        scaled.append(np.clip((x - lo) / max(hi - lo, 1e-9), 0.0, 1.0))
    return scaled[0], scaled[1]


def pressure_events(toe: np.ndarray, heel: np.ndarray, fs: float = FS_HZ) -> tuple[np.ndarray, np.ndarray]:
    """Contacts and lift-offs (s) of one foot from its toe and heel pressures (module docstring)."""
    toe_load, heel_load = pressure_load(toe, heel)
    load = toe_load + heel_load
    contacts, lifts = [], []
    loaded = bool(load[0] > LOADED)
    unloaded_since = None if loaded else 0
    for i, value in enumerate(load):
        if loaded and value < UNLOADED:
            loaded, unloaded_since = False, i
            lifts.append(i)
        elif not loaded and value > LOADED:
            if unloaded_since is not None and (i - unloaded_since) / fs >= MIN_SWING_S:
                contacts.append(i)
            elif lifts:
                lifts.pop()  # a dip in the roll from heel to toe, not a swing
            loaded = True
    return np.asarray(contacts) / fs, np.asarray(lifts) / fs


def _sensor(frame: pd.DataFrame, k: int, placement: str, side: str, name: str) -> Recording:
    cols = [f"Time_{k}"] + [f"Acc_read_{a}_{k}" for a in "xyz"] + [f"Gyro_read_{a}_{k}" for a in "xyz"]
    block = frame[cols].dropna().to_numpy(dtype=np.float64)
    t = (block[:, 0] - block[0, 0]) / 1000.0
    keep = np.concatenate(([True], np.diff(t) > 0))
    acc = block[keep, 1:4] / 10000.0 * STANDARD_GRAVITY_MPS2
    gyr = block[keep, 4:7] / 100.0
    return imu_recording(t[keep], acc, gyr, source=f"{name} {placement} {side}", placement=placement, side=side)


@dataclass(frozen=True, slots=True)
class LegsCase:
    """A case with its reference's checks: do the pressure contacts alternate, and one foot's own cadence."""

    case: Case
    alternates: bool
    #: 120 / the median stride of the case's foot from its own pressure contacts (one-sensor cases).
    own_cadence_spm: float | None


def alternates(left_s: np.ndarray, right_s: np.ndarray, max_stride_s: float = 2.5) -> bool:
    """True when in every stride (under ``max_stride_s``) of either foot the other foot lands exactly once."""
    for one, other in ((left_s, right_s), (right_s, left_s)):
        for a, b in itertools.pairwise(one.tolist()):
            if b - a < max_stride_s and int(np.sum((other > a) & (other < b))) != 1:
                return False
    return True


def _reference(frame: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
    """Contacts and lift-offs (s, on the IMU clock) of each foot, or None when the pressure sensors give too few."""
    if "Ext2_1" not in frame or "Ext2_6" not in frame or frame["Ext2_1"].isna().all():
        return None
    t0 = float(frame["Time_1"].iloc[0])
    events = {}
    for side, k in (("right", 1), ("left", 6)):
        rows = frame[[f"Ext_time_{k}", f"Ext1_{k}", f"Ext2_{k}"]].dropna()
        ic, lift = pressure_events(rows[f"Ext1_{k}"].to_numpy(), rows[f"Ext2_{k}"].to_numpy())
        shift = (float(rows[f"Ext_time_{k}"].iloc[0]) - t0) / 1000.0
        events[side] = (ic + shift, lift + shift)
    return events if min(e[0].size for e in events.values()) >= 2 else None


def _cadence_spm(contacts: Sequence[np.ndarray]) -> float | None:
    """120 / the median stride (contact to contact of one foot, under 2.5 s) of the feet given."""
    strides = np.concatenate([np.diff(c) for c in contacts])
    strides = strides[strides < 2.5]
    return 120.0 / float(np.median(strides)) if strides.size else None


def legs_cases(
    frames: Iterator[tuple[str, pd.DataFrame]], seed: int = 11, *, rotated: bool = False
) -> Iterator[LegsCase]:
    """Cases per recording, placement, side and variant (module docstring)."""
    rng = np.random.default_rng(seed)
    for number, (name, frame) in enumerate(frames):
        # the rotated copy last: the resampled copies keep their random mountings with or without it
        variants = ("original", RATES[number % len(RATES)], *(("rotated",) if rotated else ()))
        events = _reference(frame)
        contacts = {} if events is None else {side: e[0] for side, e in events.items()}
        cadence = _cadence_spm(list(contacts.values())) if contacts else None
        if events is None or cadence is None:
            continue
        group = "Marpino " + name.split("/")[1 if name.count("/") >= 2 else 0].lower()
        label = name.removeprefix("Dataset/").removesuffix(".xlsx")
        alternating = alternates(contacts["left"], contacts["right"])
        for placement in ("foot", "shank", "thigh"):
            originals = {s: _sensor(frame, SENSORS[(placement, s)], placement, s, label) for s in ("left", "right")}
            dataset = f"{group} {placement}" + (HELD_OUT_LABEL if is_held_out(name) else "")
            for variant in variants:
                recs = {s: variant_copy(r, variant, rng) for s, r in originals.items()}
                for sides in (("left",), ("right",), ("left", "right")):
                    case = Case(
                        dataset,
                        f"{label} {'+'.join(sides)} {variant}",
                        tuple(recs[s] for s in sides),
                        placement,
                        ref_steps=int(sum(c.size for c in contacts.values())),
                        ref_cadence_spm=cadence,
                        events=tuple(events[s] for s in sides) if placement == "foot" else (),
                    )
                    own = _cadence_spm([contacts[sides[0]]]) if len(sides) == 1 else None
                    yield LegsCase(case, alternating, own)


def summary_lines(rows: Sequence[Row]) -> list[str]:
    """Pass rate per data set (group, placement, held out) and variant, and the failing cases."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.case.dataset, []).append(row)
    lines = [
        "| data set | placement | files | pass | steps median abs error | cadence median abs error spm |",
        "|---|---|---|---|---|---|",
    ]
    for dataset, group in groups.items():
        passed = sum(r.passed is True for r in group)
        step_err = [abs(r.step_error) for r in group if r.step_error is not None]
        cad_err = [abs(r.cadence_error) for r in group if r.cadence_error is not None]
        share = 100.0 * passed / len(group)
        lines.append(
            f"| {dataset} | {group[0].case.placement} | {len(group)} | {passed} ({share:.0f} %) | "
            f"{np.median(step_err) if step_err else float('nan'):.0f} | "
            f"{np.median(cad_err) if cad_err else float('nan'):.1f} |"
        )
    return lines


def evaluate_case(case: Case) -> Row:
    """Steps and median cadence of one case with its placement given (no activity detection)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalfloadWarning)
        result = analyze_gait(list(case.recordings), placement=case.placement).to_dict()
    return Row(case, result["steps"], result["cadence_spm"]["median"], None, result["activity"], 0.0)


def section_lines(given: Path | None = None, *, cli: bool = True) -> list[str]:
    """The docs/validation.md section: every case in process, and the one-sensor cases through the command line."""
    source = data_source(given)
    if source is None:
        return []
    legs = list(legs_cases(recordings(source), rotated=cli))
    rows = [evaluate_case(lc.case) for lc in legs if not lc.case.name.endswith(" rotated")]
    through_cli = validate_legs_cli.run(legs) if cli else []
    return [
        "## Foot, shank and thigh against foot pressure (Marpino walking data set)",
        "",
        *[line.strip() for line in (__doc__ or "").split("\n\n", 1)[1].splitlines()],
        "",
        "Every case, in process (`analyze_gait`, the placement given), originals and resampled copies:",
        "",
        *summary_lines(rows),
        "",
        *(["Every one-sensor case through `calfload analyze --json`:", ""] if through_cli else []),
        *validate_legs_cli.table_lines(through_cli),
        "",
        (
            "Why files fail, both sides through the command line and what was tried: the section "
            '"Marpino walking data set: why files fail, both sides, what was tried" below.'
        ),
        "",
        *([FAILING, ""] if through_cli else []),
        *validate_legs_cli.failing_lines(through_cli),
        "",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases and print (or write) the Markdown section."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate_legs", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="checkout or bare git mirror of Marpino/Walking-dataset")
    parser.add_argument("--cli", action="store_true", help="also run the one-sensor cases through the command line")
    parser.add_argument("--pairs", action="store_true", help="only the left+right pairs through the command line")
    parser.add_argument("--out", type=Path, help="write the Markdown lines here (default: print)")
    args = parser.parse_args(argv)
    source = data_source(args.data)
    if source is None:
        parser.error("no copy of Marpino/Walking-dataset: give --data or set CALFLOAD_LEGS_DATA")
    if args.pairs:
        from tools import validate_legs_pairs  # it imports this module

        lines = validate_legs_pairs.section_lines(recordings(source))
    else:
        lines = section_lines(source, cli=args.cli)
    write_or_print(lines, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
