"""The foot cases through ``calfload analyze --json``, with ``--activity walk`` and without it.

Part of ``python -m tools.validate``. Each case's recordings (the real samples, rotated or
resampled where the case says so) are written as plain CSV files without calfload's metadata
line (columns ``t_s``, ``acc_*_mps2``, ``gyr_*_dps``, six significant digits, as another tool
would export them) and given to the command-line entry point in this process, once with
``--activity walk`` and once with the activity left to the detection; ``--placement`` names
where the sensor was worn, as its wearer knows. The JSON's steps, median cadence and activity
are judged with the issue's criteria (a refusal or a wrong activity fails the case).
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from calfload.recording import Recording
from calfload.schema import ACC_MPS2, GYR_DPS, T_S

#: Modes: the label and the extra arguments.
MODES = (("with --activity walk", ("--activity", "walk")), ("without --activity", ()))


@dataclass(frozen=True, slots=True)
class CliCase:
    """One case to run: its data set and name, recordings, placement and references."""

    dataset: str
    name: str
    recordings: tuple[Recording, ...]
    placement: str
    ref_steps: int | None
    ref_cadence_spm: float | None


@dataclass(frozen=True, slots=True)
class CliRow:
    """The outcome of one case in one mode."""

    case: CliCase
    mode: str
    steps: int | None
    cadence_spm: float | None
    activity: str

    @property
    def passed(self) -> bool:
        """Walk found, steps within max(2, 3 %), median cadence within 2 spm (where referenced)."""
        if self.activity != "walk":
            return False
        ok = True
        if self.case.ref_steps is not None:
            ok &= self.steps is not None and abs(self.steps - self.case.ref_steps) <= max(
                2.0, 0.03 * self.case.ref_steps
            )
        if self.case.ref_cadence_spm is not None:
            ok &= self.cadence_spm is not None and abs(self.cadence_spm - self.case.ref_cadence_spm) <= 2.0
        return bool(ok)


def write_plain_csv(rec: Recording, path: Path) -> Path:
    """The recording's IMU columns as a plain CSV (no calfload metadata line)."""
    frame = pd.DataFrame({T_S: rec.t_s})
    for name, block in ((ACC_MPS2, rec.acc_mps2()), (GYR_DPS, rec.gyr_dps())):
        for i, column in enumerate(name):
            frame[column] = block[:, i]
    frame.to_csv(path, index=False, float_format="%.6g")
    return path


def run_cli(files: Sequence[Path], placement: str, extra: Sequence[str]) -> dict[str, object] | str:
    """``calfload analyze FILES --json --placement P [extra]`` in this process: the JSON, or the error line."""
    from calfload.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-q", "analyze", *map(str, files), "--json", "--placement", placement, *extra])
    if code != 0:
        return err.getvalue().strip().splitlines()[-1] if err.getvalue().strip() else f"exit {code}"
    doc = json.loads(out.getvalue())
    return doc if isinstance(doc, dict) else "not a JSON object"


def cli_rows(cases: Sequence[CliCase]) -> list[CliRow]:
    """Every case in both modes."""
    rows: list[CliRow] = []
    with tempfile.TemporaryDirectory(prefix="calfload-validate-") as tmp:
        written: dict[int, Path] = {}
        for case in cases:
            files = []
            for rec in case.recordings:
                if id(rec) not in written:
                    written[id(rec)] = write_plain_csv(rec, Path(tmp) / f"{len(written)}.csv")
                files.append(written[id(rec)])
            for mode, extra in MODES:
                rows.append(_row(case, mode, run_cli(files, case.placement, extra)))
    return rows


def answer(doc: dict[str, object]) -> tuple[str, int | None, float | None]:
    """The activity, steps and median cadence (spm) of an ``analyze --json`` answer (None where absent)."""
    steps = doc.get("steps")
    cadence = doc.get("cadence_spm")
    median = cadence.get("median") if isinstance(cadence, dict) else None
    return (
        str(doc.get("activity")),
        steps if isinstance(steps, int) else None,
        float(median) if isinstance(median, int | float) else None,
    )


def _row(case: CliCase, mode: str, doc: dict[str, object] | str) -> CliRow:
    if isinstance(doc, str):
        return CliRow(case, mode, None, None, f"refused: {doc}")
    activity, steps, median_spm = answer(doc)
    return CliRow(case, mode, steps, median_spm, activity)


def cli_lines(rows: Sequence[CliRow]) -> list[str]:
    """The Markdown section: pass rate per data set and mode, and every failing case."""
    groups: dict[tuple[str, str], list[CliRow]] = {}
    for row in rows:
        groups.setdefault((row.case.dataset, row.mode), []).append(row)
    lines = [
        "## Through `calfload analyze --json`",
        "",
        "The foot cases above, written as plain CSV files (no calfload metadata; `tools/validate_cli.py`) and",
        "analysed by the command line with `--placement foot`, once with `--activity walk` and once without",
        "(the activity detected). Pass: a walk, steps within max(2, 3 %), median cadence within 2 spm.",
        "",
        "| data set | mode | files | pass | walk found |",
        "|---|---|---|---|---|",
    ]
    for (dataset, mode), group in groups.items():
        passed = sum(r.passed for r in group)
        walks = sum(r.activity == "walk" for r in group)
        lines.append(
            f"| {dataset} | {mode} | {len(group)} | {passed} ({100.0 * passed / len(group):.1f} %) | "
            f"{walks} ({100.0 * walks / len(group):.0f} %) |"
        )
    failing = [r for r in rows if not r.passed]
    if failing:
        lines += ["", "Failing: " + "; ".join(_failure(r) for r in failing) + "."]
    return [*lines, ""]


def _failure(row: CliRow) -> str:
    cadence = "–" if row.cadence_spm is None else f"{row.cadence_spm:.1f}"
    ref = "–" if row.case.ref_cadence_spm is None else f"{row.case.ref_cadence_spm:.1f}"
    return (
        f"{row.case.dataset} {row.case.name} {row.mode}: {row.activity}, {row.steps} ({row.case.ref_steps}) steps, "
        f"{cadence} ({ref}) spm"
    )


def pass_rate(rows: Sequence[CliRow]) -> float:
    """Share of rows that pass (NaN without rows)."""
    return float(np.mean([r.passed for r in rows])) if rows else float("nan")


__all__ = ["MODES", "CliCase", "CliRow", "answer", "cli_lines", "cli_rows", "pass_rate", "run_cli", "write_plain_csv"]
