"""The Marpino one-sensor cases through ``calfload analyze --json`` (``python -m tools.validate_legs --cli``).

Every one-sensor case of :func:`tools.validate_legs.legs_cases` (each sensor alone: the original,
a rotated copy at 100 Hz, and a rotated copy resampled to 50, 200 or 400 Hz) is written as a
plain CSV and analysed by the command line with ``--placement`` given, with ``--activity walk`` and
without it (:mod:`tools.validate_cli`). The table gives the pass per placement, copy and held-out
set, and two diagnostic columns (module docstring of :mod:`tools.validate_legs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from tools.validate_cli import MODES, CliCase, CliRow, cli_rows

if TYPE_CHECKING:
    from tools.validate_legs import LegsCase

#: Copies by the end of the case name, as the table names them.
COPIES: Final = (("original", "originals"), ("rotated", "rotated, 100 Hz"), ("hz", "rotated, resampled 50-400 Hz"))


def copy_of(name: str) -> str:
    """The table's name for the copy a case is."""
    return next(label for suffix, label in COPIES if name.endswith(suffix))


def own_foot_pass(row: CliRow, own_cadence_spm: float | None) -> bool:
    """The issue's pass with the same foot's pressure cadence as the cadence reference."""
    if own_cadence_spm is None or row.activity != "walk" or row.cadence_spm is None or row.steps is None:
        return False
    ref = row.case.ref_steps or 0
    return abs(row.steps - ref) <= max(2.0, 0.03 * ref) and abs(row.cadence_spm - own_cadence_spm) <= 2.0


def run(legs: Sequence[LegsCase]) -> list[tuple[LegsCase, CliRow, CliRow]]:
    """Each one-sensor case with its rows with and without ``--activity``."""
    one = [lc for lc in legs if len(lc.case.recordings) == 1]
    rows = cli_rows(
        [
            CliCase(c.dataset, c.name, c.recordings, c.placement, c.ref_steps, c.ref_cadence_spm)
            for c in (lc.case for lc in one)
        ]
    )
    by_mode = {mode: [r for r in rows if r.mode == mode] for mode, _ in MODES}
    return list(zip(one, by_mode[MODES[0][0]], by_mode[MODES[1][0]], strict=True))


def _share(hits: int, total: int) -> str:
    return f"{hits} ({100.0 * hits / total:.1f} %)" if total else "–"


def table_lines(results: Sequence[tuple[LegsCase, CliRow, CliRow]]) -> list[str]:
    """The pass table and the failing cases."""
    groups: dict[tuple[bool, str, str], list[tuple[LegsCase, CliRow, CliRow]]] = {}
    order = {label: i for i, (_, label) in enumerate(COPIES)}
    for item in results:
        case = item[0].case
        groups.setdefault(("held out" in case.dataset, case.placement, copy_of(case.name)), []).append(item)
    lines = [
        (
            "| placement | copies | files | with `--activity walk` | without `--activity` | walk found without "
            "| reference alternates: files, with / without | same foot's pressure cadence: with / without |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    placements = ("foot", "shank", "thigh")
    for key in sorted(groups, key=lambda k: (k[0], placements.index(k[1]), order[k[2]])):
        group = groups[key]
        n = len(group)
        alt = [g for g in group if g[0].alternates]
        lines.append(
            f"| {key[1]}{' (held out)' if key[0] else ''} | {key[2]} | {n} | "
            f"{_share(sum(g[1].passed for g in group), n)} | {_share(sum(g[2].passed for g in group), n)} | "
            f"{sum(g[2].activity == 'walk' for g in group)} | {len(alt)}: "
            f"{_share(sum(g[1].passed for g in alt), len(alt))} / {_share(sum(g[2].passed for g in alt), len(alt))} | "
            f"{_share(sum(own_foot_pass(g[1], g[0].own_cadence_spm) for g in group), n)} / "
            f"{_share(sum(own_foot_pass(g[2], g[0].own_cadence_spm) for g in group), n)} |"
        )
    return lines


def failing_lines(results: Sequence[tuple[LegsCase, CliRow, CliRow]]) -> list[str]:
    """One line per failing original: activity, steps (reference), cadence (both feet's; the foot's own)."""
    out = []
    for legs, with_hint, without in results:
        if copy_of(legs.case.name) != "originals" or (with_hint.passed and without.passed):
            continue
        same = (with_hint.activity, with_hint.steps, with_hint.cadence_spm) == (
            without.activity,
            without.steps,
            without.cadence_spm,
        )
        told = (
            f"{_outcome(with_hint)}, the same without"
            if same
            else f"{_outcome(with_hint)}; without: {_outcome(without)}"
        )
        own = "–" if legs.own_cadence_spm is None else f"{legs.own_cadence_spm:.1f}"
        out.append(
            f"- {legs.case.dataset} {legs.case.name}: reference {legs.case.ref_steps} steps, "
            f"{legs.case.ref_cadence_spm:.1f} spm (own foot {own}"
            + ("" if legs.alternates else "; the contacts do not alternate")
            + f"); with `--activity walk`: {told}"
        )
    return out


def _outcome(row: CliRow) -> str:
    cadence = "–" if row.cadence_spm is None else f"{row.cadence_spm:.1f}"
    return f"{row.activity}, {row.steps} steps, {cadence} spm"
