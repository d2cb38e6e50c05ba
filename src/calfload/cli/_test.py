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
from collections.abc import Callable
from typing import TextIO

from calfload.cli._arg_types import parse_date
from calfload.cli._commands import CommandAdder
from calfload.cli._common import bounded_float, print_json
from calfload.cli._errors import cli_text
from calfload.cli._measure import MeasureRange, add_measure
from calfload.cli._terminal import unfiltered
from calfload.errors import DataError
from calfload.vocabulary import BODY_MASS_RANGE_KG, FOOT_LENGTH_RANGE_CM


def register(sub: CommandAdder) -> None:
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
    from calfload.pipeline import run_heel_rise_test
    from calfload.report._heel_rise_text import render_heel_rise_text

    files = {side: path for side, path in (("left", args.left), ("right", args.right)) if path}
    if not files:
        raise DataError("give the test's recording with --left FILE and/or --right FILE")
    outcome = run_heel_rise_test(
        args.data_dir,
        files,
        affected_side=args.affected,
        foot_length_cm=args.foot_length_cm,
        body_mass_kg=args.body_mass_kg,
        day=args.date,
        age=args.age,
        sex=args.sex,
        save=not args.no_save,
    )
    if args.json:
        print_json(outcome.to_dict())
    else:
        print(
            render_heel_rise_text(
                outcome.test.sides,
                outcome.test.symmetry,
                outcome.reading,
                outcome.changes,
                stored=outcome.stored,
                replaced=outcome.replaced,
                mass_known=outcome.body_mass_kg is not None,
                units=args.units,
                flag_words=cli_text,
            )
        )
    return 0


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


__all__ = ["metronome", "register"]
