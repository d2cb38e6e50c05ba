"""The activity answer on unseen leg IMUs: HuGaDB (``python -m tools.validate_activity_legs``).

HuGaDB (Chereshnev and Kertész-Farkas 2017, github.com/romanchereshnev/HuGaDB) records six
inertial sensors on the right and left foot (on the metatarsals), shin (mid-shin) and thigh
(5 cm above the knee) with an activity label per sample. Its own repository holds the data only
as a Git LFS zip, which a mirror lacks; 18 of its v1 ``walking`` files (every sample labelled 1,
walking) are committed as plain text in github.com/BlackPer/Legpro, whose bare mirror this tool
reads by default (``--data``: that mirror, or a folder of HuGaDB ``.txt`` files). Nothing of it is
copied into this project and no test depends on it.

**Format** (HuGaDB README): four header lines, then 39 tab-separated columns: for RF, RS, RT,
LF, LS, LT (right/left foot, shin, thigh) ``acc_x..z`` and ``gyro_x..z`` as int16, two EMG
columns, and the activity ID. Accelerometers span ±2 g (16384 per g; the feet clip at it while
walking), gyroscopes ±2000 deg/s (16.4 per deg/s). The files carry no time column: the rate is
the README's total, 2,111,962 samples in 35,903 s = 58.8 Hz. The README's table of corrupted
gyroscopes (amplified ten-fold and clipped) is read from the HuGaDB mirror
(``/work/.mirror/romanchereshnev+HuGaDB/repo``); those sensors are analysed too but reported
apart, as a diagnostic.

**Segments**: every run of one label lasting at least 20 s. Walking (1) and stairs up or down
(3, 4) expect ``walk`` (a runner on stairs is walking), running (2) expects ``run``, standing
(8) expects ``standing``; other labels are not cut. The mirrored files hold walking only.

**Cases**: each sensor alone, with ``--placement`` given and no ``--activity``, through
``calfload analyze --json`` (plain CSV, :mod:`tools.validate_cli`): the original (58.8 Hz, axes as
mounted), a copy in a random mounting, and a copy in another random mounting resampled to 50,
200 or 400 Hz (taken in turn). HuGaDB has no step reference: steps and cadence are printed, the
activity is judged.

**Held out** (declared before any result was seen): a participant's files are held out when
:func:`tools.validate_cases.is_held_out` selects ``"HuGaDB participant NN"``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from calfload.errors import DataError
from calfload.recording import Recording
from calfload.units import STANDARD_GRAVITY_MPS2
from tools.validate_cases import imu_recording, is_held_out, write_or_print
from tools.validate_cli import answer, run_cli, write_plain_csv
from tools.validate_datasets import variant_copy

DEFAULT_DATA: Final = Path("/work/.mirror/BlackPer+Legpro/repo")
README_MIRROR: Final = Path("/work/.mirror/romanchereshnev+HuGaDB/repo")
FS_HZ: Final = 2111962 / 35903
ACC_PER_G: Final = 16384.0
GYR_PER_DPS: Final = 16.4
MIN_SEGMENT_S: Final = 20.0
#: Label ID to the activity expected from ``calfload analyze``.
EXPECTED: Final = {1: "walk", 2: "run", 3: "walk", 4: "walk", 8: "standing"}
LABELS: Final = {1: "walking", 2: "running", 3: "stairs up", 4: "stairs down", 8: "standing"}
#: Column block of each sensor, in the file's and the corrupted table's order.
SENSORS: Final = (
    ("RF", "foot", "right"),
    ("LF", "foot", "left"),
    ("RS", "shank", "right"),
    ("LS", "shank", "left"),
    ("RT", "thigh", "right"),
    ("LT", "thigh", "left"),
)
_FILE_BLOCK: Final = {"RF": 0, "RS": 1, "RT": 2, "LF": 3, "LS": 4, "LT": 5}
COPIES: Final = ("original", "rotated", "resampled")
RATES: Final = ("50hz", "200hz", "400hz")


@dataclass(frozen=True, slots=True)
class Segment:
    """One labelled stretch of one file: its samples (int16 columns) and label."""

    file: str
    participant: int
    label: int
    start_s: float
    data: np.ndarray


@dataclass(frozen=True, slots=True)
class Outcome:
    """One sensor of one segment in one copy, through the command line."""

    segment: Segment
    sensor: str
    placement: str
    copy: str
    corrupted: bool
    activity: str
    steps: int | None
    cadence_spm: float | None

    @property
    def held_out(self) -> bool:
        """The declared rule (module docstring)."""
        return is_held_out(f"HuGaDB participant {self.segment.participant:02d}")

    @property
    def passed(self) -> bool:
        """The expected activity was answered."""
        return self.activity == EXPECTED[self.segment.label]


def files(source: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every HuGaDB ``.txt`` in a folder or a bare git mirror."""
    if (source / ".git").exists():
        source = source / ".git"
    if source.is_dir() and not (source / "objects").is_dir():
        for path in sorted(source.rglob("HuGaDB_*.txt")):
            yield path.name, path.read_text(encoding="utf-8")
        return
    git = ["git", "--git-dir", str(source)]
    listing = subprocess.run([*git, "ls-tree", "-r", "HEAD"], capture_output=True, text=True, check=True)
    for line in listing.stdout.splitlines():
        info, name = line.split("\t", 1)
        if Path(name).name.startswith("HuGaDB_") and name.endswith(".txt"):
            blob = subprocess.run([*git, "cat-file", "blob", info.split()[2]], capture_output=True, check=True)
            yield Path(name).name, blob.stdout.decode("utf-8")


def corrupted_table(mirror: Path = README_MIRROR) -> dict[str, tuple[bool, ...]]:
    """The README's corrupted-gyroscope table: file stem to six flags (RF, LF, RS, LS, RT, LT)."""
    if not mirror.exists():
        return {}
    text = subprocess.run(
        ["git", "--git-dir", str(mirror), "show", "HEAD:README.md"], capture_output=True, text=True, check=False
    ).stdout
    table = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 7 and cells[0].startswith("HuGaDB_"):
            table[cells[0].removesuffix(".txt")] = tuple(c.lower() == "corrupted" for c in cells[1:7])
    return table


def segments(name: str, text: str) -> Iterator[Segment]:
    """Every run of one expected label lasting at least 20 s."""
    rows = [line for line in text.splitlines()[4:] if line.strip()]
    data = np.array([[float(v) for v in line.split()] for line in rows])
    match = re.search(r"_(\d\d)_\d\d", name)
    participant = int(match.group(1)) if match else 0
    labels = data[:, 38].astype(int)
    edges = np.flatnonzero(np.diff(labels)) + 1
    for lo, hi in zip(np.r_[0, edges], np.r_[edges, labels.size], strict=True):
        label = int(labels[lo])
        if label in EXPECTED and (hi - lo) / FS_HZ >= MIN_SEGMENT_S:
            yield Segment(name, participant, label, lo / FS_HZ, data[lo:hi, :36])


def _recording(seg: Segment, code: str, placement: str, side: str) -> Recording:
    block = seg.data[:, 6 * _FILE_BLOCK[code] : 6 * _FILE_BLOCK[code] + 6]
    t = np.arange(block.shape[0]) / FS_HZ
    acc = block[:, :3] / ACC_PER_G * STANDARD_GRAVITY_MPS2
    gyr = block[:, 3:] / GYR_PER_DPS
    return imu_recording(t, acc, gyr, source=f"{seg.file} {code}", placement=placement, side=side)


def run(source: Path, seed: int = 18, tmp: Path | None = None) -> list[Outcome]:
    """Every segment's sensors in every copy, without ``--activity``."""
    import tempfile

    rng = np.random.default_rng(seed)
    bad = corrupted_table()
    out: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="calfload-hugadb-", dir=tmp) as folder:
        for number, seg in enumerate(s for name, text in files(source) for s in segments(name, text)):
            flags = bad.get(Path(seg.file).stem.removesuffix("-Test"), (False,) * 6)
            for k, (code, placement, side) in enumerate(SENSORS):
                try:
                    original = _recording(seg, code, placement, side)
                except DataError as exc:  # what analyze says of the same columns
                    out += [_outcome(seg, code, placement, c, flags[k], str(exc)) for c in COPIES]
                    continue
                for copy in COPIES:
                    variant = {"original": "original", "rotated": "rotated"}.get(copy, RATES[number % len(RATES)])
                    rec = variant_copy(original, variant, rng)
                    path = write_plain_csv(rec, Path(folder) / "case.csv")
                    doc = run_cli([path], placement, ())
                    out.append(_outcome(seg, code, placement, copy, flags[k], doc))
    return out


def _outcome(seg: Segment, code: str, placement: str, copy: str, bad: bool, doc: dict[str, object] | str) -> Outcome:
    if isinstance(doc, str):
        return Outcome(seg, code, placement, copy, bad, f"refused: {doc}", None, None)
    return Outcome(seg, code, placement, copy, bad, *answer(doc))


def _share(hits: int, total: int) -> str:
    return f"{hits} of {total} ({100.0 * hits / total:.0f} %)" if total else "–"


def table_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """The pass per set, gyroscope state, placement and copy; the answers given instead."""
    lines = [
        "| set | gyroscopes | placement | copy | expected answered | answers |",
        "|---|---|---|---|---|---|",
    ]
    keys = sorted(
        {(o.held_out, o.corrupted, o.placement, o.copy) for o in outcomes},
        key=lambda k: (k[0], k[1], ("foot", "shank", "thigh").index(k[2]), COPIES.index(k[3])),
    )
    for held, bad, placement, copy in keys:
        group = [o for o in outcomes if (o.held_out, o.corrupted, o.placement, o.copy) == (held, bad, placement, copy)]
        answers: dict[str, int] = {}
        for o in group:
            answers[o.activity] = answers.get(o.activity, 0) + 1
        told = ", ".join(f"{a} {n}" for a, n in sorted(answers.items(), key=lambda kv: -kv[1]))
        lines.append(
            f"| {'held out' if held else 'looked at'} | {'corrupted' if bad else 'clean'} | {placement} | {copy} | "
            f"{_share(sum(o.passed for o in group), len(group))} | {told} |"
        )
    return lines


def miss_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """One line per miss: the file, sensor, copy, segment, the answer and the cadence behind it."""
    out = []
    for o in outcomes:
        if o.passed:
            continue
        cadence = "" if o.cadence_spm is None else f", {o.steps} steps, {o.cadence_spm:.1f} spm"
        out.append(
            f"- {o.segment.file} {o.sensor} ({o.placement}{', corrupted gyroscope' if o.corrupted else ''}) "
            f"{o.copy}, {LABELS[o.segment.label]} {o.segment.data.shape[0] / FS_HZ:.0f} s"
            f"{' (held out)' if o.held_out else ''}: {o.activity}{cadence}"
        )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases and print the Markdown lines."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate_activity_legs", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="bare mirror or folder of HuGaDB files")
    parser.add_argument("--out", type=Path, help="write the Markdown lines here (default: print)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        parser.error(f"no HuGaDB files at {args.data}: give --data (a bare git mirror or a folder of .txt files)")
    outcomes = run(args.data)
    write_or_print([*table_lines(outcomes), "", *miss_lines(outcomes)], args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
