"""``calfload roster [--date D] [--json] [--html FILE]``: every athlete's flag today, back off first."""

from __future__ import annotations

import argparse
from pathlib import Path

from calfload.cli._arg_types import parse_date
from calfload.cli._commands import CommandAdder
from calfload.units import UnitSystem


def register(sub: CommandAdder) -> None:
    """Add the ``roster`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "roster",
        description=(
            "Review every athlete of the data folder for the day and list them back off first, then hold, then "
            "progress, those who stopped logging last: the deciding reason, days since the last session, "
            "programme sessions in the last 14 days against the target, the morning-pain trend and the last "
            "heel-rise limb symmetry index."
        ),
    )
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="the day (default: today)")
    p.add_argument("--json", action="store_true", help="print a JSON array in rank order")
    p.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="also write the roster as an HTML page, with each athlete's period report beside it",
    )
    p.add_argument("--force", action="store_true", help="replace existing pages named by --html")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the roster and print it (and write the pages)."""
    from calfload.cli._athlete import unnamed_athlete
    from calfload.cli._common import print_json
    from calfload.journal import list_athletes, resolve_data_dir, today_local
    from calfload.pipeline import athlete_pages
    from calfload.pipeline._days import past_day
    from calfload.pipeline.roster import build_roster, write_roster_pages
    from calfload.report.roster import render_roster_text, roster_record

    folder, unnamed = resolve_data_dir(args.data_dir), unnamed_athlete(args)
    day = past_day(args.date or today_local(), today_local())
    pages = None
    if args.html is not None:  # every page's path is checked before any work
        names = [a.name for a in list_athletes(folder, unnamed=unnamed)]
        pages = athlete_pages(args.html, names, force=args.force)
    rows = build_roster(folder, day, unnamed=unnamed)
    if pages is not None:
        write_roster_pages(rows, day, args.html, pages, force=args.force, units=_units(args))
    if args.json:
        print_json([roster_record(r) for r in rows])
    else:
        print(render_roster_text(rows, day.isoformat(), units=_units(args)))
        if args.html is not None and not args.quiet:
            print(f"\nwritten: {args.html.expanduser().resolve()} and {len(pages or {})} period reports beside it")
    return 0


def _units(args: argparse.Namespace) -> UnitSystem:
    return "imperial" if getattr(args, "units", None) == "imperial" else "metric"


__all__ = ["register"]
