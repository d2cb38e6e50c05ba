"""Terminal rendering of a heel-rise endurance test: one line per side, the symmetry, the reading, what was stored."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from calfload.loadmodel._heel_rise_change import HeelRiseChange
from calfload.loadmodel._heel_rise_norms import HeelRiseReading
from calfload.report._table import Col, render_table, wrap_line
from calfload.signal import HeelRiseResult, SymmetryIndex
from calfload.units import CM_PER_INCH, UnitSystem, in_units


def _sides_table(sides: Mapping[str, HeelRiseResult], units: UnitSystem) -> str:
    """One row per side: reps, heights, work, what ended the test and where the height came from."""
    unit, per_cm = ("in", 1 / CM_PER_INCH) if units == "imperial" else ("cm", 1.0)
    return render_table(
        [
            Col("side", align="<"),
            Col("reps"),
            Col(f"mean height ({unit})", "{:.1f}"),
            Col(f"first reps ({unit})", "{:.1f}"),
            Col("work (J)", "{:.0f}"),
            Col("ended by", align="<"),
            Col("height from", align="<"),
        ],
        [
            [
                side,
                r.reps,
                round(r.mean_height_cm, 2) * per_cm,
                round(r.reference_height_cm, 2) * per_cm,
                None if r.work_j is None else round(r.work_j, 1),
                "rise below half" if r.ended_by == "height" else "athlete stopped",
                "foot pitch" if r.method == "foot_pitch" else "shank displacement",
            ]
            for side, r in sides.items()
        ],
    )


def _symmetry_lines(sym: SymmetryIndex) -> list[str]:
    """The limb symmetry index of reps, height and work, as judged (to one decimal)."""
    work = "-" if sym.work_pct is None else f"{round(sym.work_pct, 1):.0f} %"
    height = "-" if sym.height_pct is None else f"{round(sym.height_pct, 1):.0f} %"
    return [
        "",
        *wrap_line(
            f"Limb symmetry index ({sym.affected_side} ÷ other): reps {round(sym.reps_pct, 1):.0f} %, "
            f"height {height}, work {work}",
            hang="    ",
        ),
    ]


def _reading_lines(
    reading: HeelRiseReading,
    changes: Sequence[HeelRiseChange],
    units: UnitSystem,
    flag_words: Callable[[str], str],
) -> list[str]:
    """The norms, the warnings and each side's change since its last test."""
    out: list[str] = [""]
    for line in reading.lines:
        out += wrap_line(in_units(line, units), hang="    ")
    for w in reading.warnings:
        out += wrap_line(f"Warning: {flag_words(w)}", hang="    ")
    if changes:
        out += ["", "  Change since the last test:"]
        for c in changes:
            out += wrap_line(in_units(c.text(), units), indent="    ", hang="      ")
    return out


def render_heel_rise_text(
    sides: Mapping[str, HeelRiseResult],
    symmetry: SymmetryIndex | None,
    reading: HeelRiseReading,
    changes: Sequence[HeelRiseChange] = (),
    *,
    stored: bool,
    replaced: Sequence[str] = (),
    mass_known: bool,
    units: UnitSystem = "metric",
    flag_words: Callable[[str], str] = str,
) -> str:
    """Terminal rendering of a heel-rise test: one line per side, the symmetry index, what was stored.

    Parameters
    ----------
    sides
        Each side's result (:func:`calfload.pipeline.heel_rise_test`).
    symmetry
        The limb symmetry index, when the affected side is known.
    reading
        What the test means against the norms.
    changes
        The change of each tested side since its last test.
    stored
        Whether the test was stored in the journal (not with ``--no-save``).
    replaced
        The earlier tests of that day the stored one replaces.
    mass_known
        Whether a body mass gave the work.
    units
        Heights in cm, or in inches for ``"imperial"``.
    flag_words
        How a warning's argument names read (the command line gives its flags).
    """
    out = ["Heel-rise endurance test", "", _sides_table(sides, units)]
    if symmetry is not None:
        out += _symmetry_lines(symmetry)
    out += _reading_lines(reading, changes, units, flag_words)
    if not mass_known:
        how = (
            "`calfload log mass LB --lb` or --body-mass-lb"
            if units == "imperial"
            else "`calfload log mass KG` or --body-mass-kg"
        )
        out += wrap_line(f"No body mass in the journal, so no work: {how}.")
    if replaced:
        out += wrap_line(f"Replaces the earlier test of that day ({', '.join(replaced)}; kept in `calfload undelete`).")
    out.append("  Stored in the journal as baseline tests." if stored else "  Not stored (--no-save).")
    return "\n".join(out)


__all__ = ["render_heel_rise_text"]
