"""The Marpino left+right pairs through ``calfload analyze LEFT RIGHT --json`` (``tools.validate_legs --pairs``).

Each recording's two sensors of one placement (foot, shank, thigh) are written as two calfload
CSV files (metadata line: placement, side, the same start time; the six IMUs are synchronised)
and given together to the command line, with ``--activity walk`` and without it, in the original
and in a copy where each sensor has its own random mounting and both are resampled to one rate
(50, 200 or 400 Hz in turn). Judged as the one-sensor cases (steps within max(2, 3 %), median
cadence within 2 spm of the pressure reference, a walk found); for the feet, ``both_feet``'s
ground-contact-time balance (left share of the two median contact times) beside the pressure
sensors' (contact: loading after a swing; lift: unloading; :func:`tools.validate_legs.pressure_events`).
The bad-input cases on real files: two files of the same side, one file given twice, and the two
feet with one start time moved by two hours (no overlap).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from calfload.recording import Recording, write_csv
from tools.validate_cases import is_held_out
from tools.validate_cli import MODES, run_cli
from tools.validate_datasets import variant_copy
from tools.validate_legs import RATES, SENSORS, _cadence_spm, _reference, _sensor, alternates

#: A start time for both files of a pair (the recordings carry none; their clocks are one).
START_UTC: Final = dt.datetime(2018, 6, 1, 10, 0, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class PairCase:
    """The left and right sensors of one placement in one recording, with the pressure reference."""

    name: str
    held_out: bool
    placement: str
    variant: str
    left: Recording
    right: Recording
    ref_steps: int
    ref_cadence_spm: float
    #: The pressure sensors' left share of the two feet's median contact times (%).
    ref_balance_left_pct: float | None
    alternates: bool


@dataclass(frozen=True, slots=True)
class PairRow:
    """One pair through the command line in one mode."""

    case: PairCase
    mode: str
    activity: str
    steps: int | None
    cadence_spm: float | None
    balance_left_pct: float | None

    @property
    def passed(self) -> bool:
        """A walk, steps within max(2, 3 %) and median cadence within 2 spm of the reference."""
        ref = self.case.ref_steps
        return (
            self.activity == "walk"
            and self.steps is not None
            and self.cadence_spm is not None
            and abs(self.steps - ref) <= max(2.0, 0.03 * ref)
            and abs(self.cadence_spm - self.case.ref_cadence_spm) <= 2.0
        )


def contact_ms(contacts_s: np.ndarray, lifts_s: np.ndarray) -> float | None:
    """Median time from each contact to the first lift after it (before the next contact), in ms."""
    times = []
    for i, c in enumerate(contacts_s.tolist()):
        after = lifts_s[lifts_s > c]
        nxt = contacts_s[i + 1] if i + 1 < contacts_s.size else np.inf
        if after.size and after[0] < nxt:
            times.append(1000.0 * (float(after[0]) - c))
    return float(np.median(times)) if times else None


def pair_cases(frames: Iterator[tuple[str, pd.DataFrame]], seed: int = 13) -> Iterator[PairCase]:
    """Every recording's pairs per placement: the original and a rotated, resampled copy (module docstring)."""
    rng = np.random.default_rng(seed)
    for number, (name, frame) in enumerate(frames):
        events = _reference(frame)
        if events is None:
            continue
        contacts = [events[s][0] for s in ("left", "right")]
        cadence = _cadence_spm(contacts)
        if cadence is None:
            continue
        left_ms, right_ms = (contact_ms(*events[s]) for s in ("left", "right"))
        balance = None if left_ms is None or right_ms is None else 100.0 * left_ms / (left_ms + right_ms)
        label = name.removeprefix("Dataset/").removesuffix(".xlsx")
        for placement in ("foot", "shank", "thigh"):
            recs = [_sensor(frame, SENSORS[(placement, s)], placement, s, label) for s in ("left", "right")]
            rate = RATES[number % len(RATES)]
            for variant in ("original", rate):
                left, right = (variant_copy(r, variant, rng) for r in recs)
                yield PairCase(
                    label,
                    is_held_out(name),
                    placement,
                    variant,
                    left,
                    right,
                    int(sum(c.size for c in contacts)),
                    cadence,
                    balance,
                    alternates(contacts[0], contacts[1]),
                )


def _written(rec: Recording, path: Path, shift_s: float = 0.0) -> Path:
    return write_csv(rec.with_meta(start_utc=START_UTC + dt.timedelta(seconds=shift_s)), path)


def run_pairs(cases: Sequence[PairCase]) -> list[PairRow]:
    """Every pair in both modes through the command line."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="calfload-pairs-") as tmp:
        for case in cases:
            files = [_written(case.left, Path(tmp) / "left.csv"), _written(case.right, Path(tmp) / "right.csv")]
            for mode, extra in MODES:
                rows.append(_row(case, mode, run_cli(files, case.placement, extra)))
            for f in files:
                f.unlink()
    return rows


def _row(case: PairCase, mode: str, doc: dict[str, object] | str) -> PairRow:
    if isinstance(doc, str):
        return PairRow(case, mode, f"refused: {doc}", None, None, None)
    steps = doc.get("steps")
    cadence = doc.get("cadence_spm")
    median = cadence.get("median") if isinstance(cadence, dict) else None
    feet = doc.get("both_feet")
    balance = feet.get("contact_balance_left_pct") if isinstance(feet, dict) else None
    return PairRow(
        case,
        mode,
        str(doc.get("activity")),
        steps if isinstance(steps, int) else None,
        float(median) if isinstance(median, int | float) else None,
        float(balance) if isinstance(balance, int | float) else None,
    )


def bad_input_lines(case: PairCase, shank_left: Recording) -> list[str]:
    """The issue's bad-input cases on one real recording: what the command line answers, one line each."""
    lines = []
    with tempfile.TemporaryDirectory(prefix="calfload-pairs-") as tmp:
        left = _written(case.left, Path(tmp) / "left_foot.csv")
        tries = (
            ("two files of the same side (left foot, left shank)", [left, _written(shank_left, Path(tmp) / "ls.csv")]),
            ("one file given twice", [left, left]),
            ("the two feet two hours apart", [left, _written(case.right, Path(tmp) / "late.csv", 7200.0)]),
        )
        for what, files in tries:
            answer = run_cli(files, "foot", ("--activity", "walk"))
            told = answer.replace(f"{tmp}/", "") if isinstance(answer, str) else f"accepted: {answer.get('steps')}"
            lines.append(f"- {what} ({case.name}): `{told}`")
    return lines


def _share(hits: int, total: int) -> str:
    return f"{hits} ({100.0 * hits / total:.1f} %)" if total else "–"


def table_lines(rows: Sequence[PairRow]) -> list[str]:
    """Pass per placement, held-out set and copy; steps, cadence and (feet) balance errors."""
    groups: dict[tuple[bool, str, bool], list[PairRow]] = {}
    for row in rows:
        key = (row.case.held_out, row.case.placement, row.case.variant != "original")
        groups.setdefault(key, []).append(row)
    lines = [
        (
            "| placement | copies | pairs | with `--activity walk` | without `--activity` | steps median abs error "
            "| cadence median abs error spm | contact balance error, median / max pp |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    placements = ("foot", "shank", "thigh")
    for key in sorted(groups, key=lambda k: (k[0], placements.index(k[1]), k[2])):
        group = groups[key]
        hint = [r for r in group if r.mode == MODES[0][0]]
        free = [r for r in group if r.mode == MODES[1][0]]
        steps = [abs(r.steps - r.case.ref_steps) for r in hint if r.steps is not None]
        cad = [abs(r.cadence_spm - r.case.ref_cadence_spm) for r in hint if r.cadence_spm is not None]
        bal = [
            abs(r.balance_left_pct - r.case.ref_balance_left_pct)
            for r in hint
            if r.balance_left_pct is not None and r.case.ref_balance_left_pct is not None
        ]
        lines.append(
            f"| {key[1]}{' (held out)' if key[0] else ''} | "
            f"{'rotated, resampled 50-400 Hz' if key[2] else 'originals'} | {len(hint)} | "
            f"{_share(sum(r.passed for r in hint), len(hint))} | {_share(sum(r.passed for r in free), len(free))} | "
            f"{np.median(steps) if steps else float('nan'):.0f} | {np.median(cad) if cad else float('nan'):.1f} | "
            + (f"{np.median(bal):.1f} / {np.max(bal):.1f} |" if bal else "– |")
        )
    return lines


def failing_lines(rows: Sequence[PairRow]) -> list[str]:
    """One line per failing original pair (with `--activity walk`, and without where it differs)."""
    out = []
    for row in rows:
        case = row.case
        if case.variant != "original" or row.passed:
            continue
        cadence = "–" if row.cadence_spm is None else f"{row.cadence_spm:.1f}"
        out.append(
            f"- {case.placement}{' (held out)' if case.held_out else ''} {case.name} {row.mode}: reference "
            f"{case.ref_steps} steps, {case.ref_cadence_spm:.1f} spm"
            + ("" if case.alternates else " (the contacts do not alternate)")
            + f"; {row.activity}, {row.steps} steps, {cadence} spm"
        )
    return out


def section_lines(frames: Iterator[tuple[str, pd.DataFrame]]) -> list[str]:
    """The pairs' table, the failing original pairs and the bad-input answers."""
    cases = list(pair_cases(frames))
    rows = run_pairs(cases)
    first = next(c for c in cases if c.placement == "foot" and c.variant == "original")
    shank = next(c for c in cases if c.placement == "shank" and c.name == first.name and c.variant == "original")
    return [
        *table_lines(rows),
        "",
        "Failing original pairs:",
        "",
        *failing_lines(rows),
        "",
        "Bad input on real files (`--placement foot --activity walk`):",
        "",
        *bad_input_lines(first, shank.left),
    ]
