"""``calfload test``: the heel-rise endurance test (analyse, compare sides, store) and its metronome.

``calfload test metronome`` beats 60 per minute (up on one beat, down on the next: 30 raises per
minute) while the athlete records with ``calfload record``. ``calfload test heel-rise --left FILE
--right FILE --affected SIDE`` counts each side's raises to fatigue, measures each rise's height
and the total work, computes the limb symmetry index and stores each side as a baseline test in
the journal. The heel-to-ball length is entered once (``--foot-length-cm``) and kept.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from calfload.cli._common import MeasureRange, add_measure, bounded_float, print_json
from calfload.cli._errors import cli_text
from calfload.cli._log import parse_date
from calfload.cli._terminal import unfiltered
from calfload.errors import DataError
from calfload.units import CM_PER_INCH, UnitSystem, in_units
from calfload.vocabulary import BODY_MASS_RANGE_KG, FOOT_LENGTH_RANGE_CM

if TYPE_CHECKING:
    from calfload.loadmodel._heel_rise_change import HeelRiseChange
    from calfload.loadmodel._heel_rise_norms import HeelRiseReading
    from calfload.pipeline import HeelRiseTest


def register(sub: Any) -> None:
    """Add the ``test`` command and its subcommands."""
    p: argparse.ArgumentParser = sub.add_parser(
        "test",
        description="Baseline tests measured from recordings.",
    )
    kinds = p.add_subparsers(dest="test", metavar="TEST", required=True)

    hr = kinds.add_parser(
        "heel-rise",
        help="single-leg heel raises to fatigue: reps, height, work, symmetry",
        description=(
            "Analyse one recording per side of single-leg heel raises to fatigue (30 per minute, `calfload test "
            "metronome`). Reps count until the athlete stops or a rise is lower than half of the first ones. "
            "Each side is stored in the journal as a baseline test (see `calfload review`)."
        ),
    )
    hr.add_argument("--left", metavar="FILE", help="recording of the left leg's test")
    hr.add_argument("--right", metavar="FILE", help="recording of the right leg's test")
    hr.add_argument(
        "--affected", choices=("left", "right"), help="the painful side: the symmetry index is affected ÷ other"
    )
    add_measure(
        hr,
        "--foot-length-cm",
        limits=MeasureRange(*FOOT_LENGTH_RANGE_CM, refuse=DataError),
        help="heel to ball of the foot (entered once, then kept in the journal)",
    )
    add_measure(
        hr,
        "--body-mass-kg",
        limits=MeasureRange(*BODY_MASS_RANGE_KG),
        help="for the work (default: the journal's latest body mass)",
    )
    hr.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="the day of the test (default: today)")
    hr.add_argument("--age", type=int, choices=range(10, 100), metavar="YEARS", help="for the norm by decade")
    hr.add_argument("--sex", choices=("male", "female"), help="for the norm (Hébert-Losier 2017)")
    hr.add_argument("--no-save", action="store_true", help="analyse only; change nothing in the journal")
    hr.add_argument("--json", action="store_true", help="print one JSON object")
    hr.set_defaults(handler=run_heel_rise)

    met = kinds.add_parser(
        "metronome",
        help="a 60 bpm terminal metronome: up on one beat, down on the next",
        description="Beat the test's tempo in the terminal (with the terminal bell) until Ctrl-C.",
    )
    met.add_argument("--bpm", type=bounded_float(20.0, 240.0, what="--bpm"), default=60.0, help="beats per minute")
    met.add_argument("--beats", type=int, metavar="N", help="stop after N beats (default: until Ctrl-C)")
    met.add_argument("--quiet-bell", action="store_true", help="show the beats without the terminal bell")
    met.set_defaults(handler=run_metronome)


def run_heel_rise(args: argparse.Namespace) -> int:
    """Analyse each side's test, compare them and store them."""
    from calfload.errors import DataError
    from calfload.journal import Journal
    from calfload.loadmodel._heel_rise_change import heel_rise_changes
    from calfload.loadmodel._heel_rise_norms import read_heel_rise
    from calfload.pipeline import FOOT_LENGTH_SETTING, heel_rise_test, store_heel_rise_test

    files = {side: path for side, path in (("left", args.left), ("right", args.right)) if path}
    if not files:
        raise DataError("give the test's recording with --left FILE and/or --right FILE")
    with Journal(args.data_dir, create=not args.no_save) as journal:
        # 0 is a (wrong) value to refuse, not a missing one.
        stored = _positive(journal.settings().get(FOOT_LENGTH_SETTING))
        foot_length = args.foot_length_cm if args.foot_length_cm is not None else stored
        masses = journal.body_mass_entries()
        mass = args.body_mass_kg or (masses[-1][1] if masses else None)
        test = heel_rise_test(files, affected_side=args.affected, foot_length_cm=foot_length, body_mass_kg=mass)
        reading = read_heel_rise(
            {side: r.reps for side, r in test.sides.items()},
            {side: r.mean_height_cm for side, r in test.sides.items()},
            test.symmetry,
            age=args.age,
            sex=args.sex,
        )
        save = not args.no_save
        replaced: list[str] = []
        if save:
            replaced = store_heel_rise_test(journal, test, args.date, foot_length_cm=args.foot_length_cm)
        changes = heel_rise_changes(journal.baseline_tests(), until=args.date or journal.today) if save else ()
        changes = tuple(c for c in changes if c.side in test.sides)
    if args.json:
        print_json(_heel_rise_doc(test, reading, changes, stored=save, replaced=replaced))
    else:
        print(
            render_heel_rise_text(
                test, reading, changes, stored=save, replaced=replaced, mass_known=mass is not None, units=args.units
            )
        )
    return 0


def _heel_rise_doc(
    test: HeelRiseTest,
    reading: HeelRiseReading,
    changes: Sequence[HeelRiseChange],
    *,
    stored: bool,
    replaced: Sequence[str],
) -> dict[str, object]:
    """The ``calfload test heel-rise --json`` object."""
    doc: dict[str, object] = {**test.to_dict(), "stored": stored, "reading": reading.to_dict()}
    if stored:
        doc["replaced"] = list(replaced)
    # The test's own date is the object's "date" already.
    doc["change_since_last"] = [{k: v for k, v in c.to_dict().items() if k != "date"} for c in changes]
    return doc


def render_heel_rise_text(
    test: HeelRiseTest,
    reading: HeelRiseReading,
    changes: Sequence[HeelRiseChange] = (),
    *,
    stored: bool,
    replaced: Sequence[str] = (),
    mass_known: bool,
    units: UnitSystem = "metric",
) -> str:
    """Terminal rendering of a heel-rise test: one line per side, the symmetry index, what was stored.

    Parameters
    ----------
    test
        Both sides' results and their symmetry (:func:`calfload.pipeline.heel_rise_test`).
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
    """
    from calfload.report import Col, render_table
    from calfload.report._table import wrap_line

    unit, per_cm = ("in", 1 / CM_PER_INCH) if units == "imperial" else ("cm", 1.0)

    out = ["Heel-rise endurance test", ""]
    out.append(
        render_table(
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
                for side, r in test.sides.items()
            ],
        )
    )
    sym = test.symmetry
    if sym is not None:
        work = "-" if sym.work_pct is None else f"{round(sym.work_pct, 1):.0f} %"
        height = "-" if sym.height_pct is None else f"{round(sym.height_pct, 1):.0f} %"
        out += [
            "",
            *wrap_line(
                f"Limb symmetry index ({sym.affected_side} ÷ other): reps {round(sym.reps_pct, 1):.0f} %, "
                f"height {height}, work {work}",
                hang="    ",
            ),
        ]
    out.append("")
    for line in reading.lines:
        out += wrap_line(in_units(line, units), hang="    ")
    for w in reading.warnings:
        out += wrap_line(f"Warning: {cli_text(w)}", hang="    ")
    if changes:
        out += ["", "  Change since the last test:"]
        for c in changes:
            out += wrap_line(in_units(c.text(), units), indent="    ", hang="      ")
    if not mass_known:
        out += wrap_line("No body mass in the journal, so no work: `calfload log mass KG` or --body-mass-kg.")
    if replaced:
        out += wrap_line(f"Replaces the earlier test of that day ({', '.join(replaced)}; kept in `calfload undelete`).")
    out.append("  Stored in the journal as baseline tests." if stored else "  Not stored (--no-save).")
    return "\n".join(out)


def run_metronome(args: argparse.Namespace) -> int:
    """Beat until Ctrl-C or ``--beats``."""
    try:
        metronome(args.bpm, beats=args.beats, bell=not args.quiet_bell)
    except KeyboardInterrupt:
        print()
    return 0


def metronome(
    bpm: float,
    *,
    beats: int | None = None,
    bell: bool = True,
    out: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Print ``UP`` and ``down`` alternately at ``bpm`` (drift-free: beats are scheduled on the clock).

    Returns
    -------
    int
        The number of beats given.
    """
    stream = out or sys.stdout
    period = 60.0 / bpm
    start = clock()
    n = 0
    while beats is None or n < beats:
        delay = start + n * period - clock()
        if delay > 0:
            sleep(delay)
        word = "UP  " if n % 2 == 0 else "down"
        if bell:  # the terminal's bell, past the filter that escapes control characters from data
            unfiltered(stream).write("\a")
        stream.write(f"\r{word}  rep {n // 2 + 1:3d}")
        stream.flush()
        n += 1
    stream.write("\n")
    return n


def _positive(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and value > 0 else None


__all__ = ["metronome", "register"]
