"""``calfload roster [--date D] [--json] [--html FILE]``: every athlete's flag today, back off first."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from calfload.cli._arg_types import parse_date
from calfload.cli._commands import CommandAdder
from calfload.units import UnitSystem

if TYPE_CHECKING:
    from calfload.pipeline.roster import RosterRow


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
    from calfload.cli._config import data_dir
    from calfload.errors import JournalError
    from calfload.journal import today_local
    from calfload.pipeline.roster import build_roster
    from calfload.report.roster import render_roster_text, roster_record

    folder = data_dir(args.data_dir)
    today = today_local()
    day = args.date or today
    if day > today:
        raise JournalError(f"{day.isoformat()} is in the future; give today or an earlier day")
    pages = _page_paths(args.html, folder, unnamed_athlete(args), force=args.force) if args.html else None
    rows = build_roster(folder, day, unnamed=unnamed_athlete(args))
    if pages is not None:
        _write_pages(rows, day, pages, args.html, force=args.force, units=_units(args))
    if args.json:
        print_json([roster_record(r) for r in rows])
    else:
        print(render_roster_text(rows, day.isoformat(), units=_units(args)))
        if args.html is not None and not args.quiet:
            print(f"\nwritten: {args.html.expanduser().resolve()} and {len(pages or {})} period reports beside it")
    return 0


def _page_paths(html: Path, folder: Path, unnamed: str, *, force: bool) -> dict[str, Path]:
    """Where each athlete's period report goes (``ROSTER-NAME.html`` beside ``html``), checked before any work."""
    import re
    import unicodedata

    from calfload.cli._report import check_report_path
    from calfload.errors import StorageError
    from calfload.journal import list_athletes

    check_report_path(html, force=force)
    if not html.expanduser().parent.is_dir():
        raise StorageError(f"the folder of {html} does not exist; create it or give --html another path")
    paths: dict[str, Path] = {}
    for athlete in list_athletes(folder, unnamed=unnamed):
        ascii_name = unicodedata.normalize("NFKD", athlete.name).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "athlete"
        path = html.with_name(f"{html.stem}-{slug}.html")
        n = 1
        while path in paths.values():
            n += 1
            path = html.with_name(f"{html.stem}-{slug}-{n}.html")
        paths[athlete.name] = check_report_path(path, force=force)
    return paths


def _write_pages(
    rows: tuple[RosterRow, ...], day: dt.date, pages: dict[str, Path], html: Path, *, force: bool, units: UnitSystem
) -> None:
    from calfload.cli._report import write_report
    from calfload.journal import Journal
    from calfload.pipeline import review_period
    from calfload.report._html_period import render_period_html
    from calfload.report.roster import render_roster_html

    links: dict[str, str] = {}
    for row in rows:
        path = pages.get(row.name)
        if path is None or not (row.journal_dir / "journal.sqlite3").is_file():
            continue
        with Journal(row.journal_dir, create=False) as journal:
            period = review_period(journal, day, since_days=28)
        write_report(render_period_html(period, units=units), path, force=force)
        links[row.name] = path.name
    write_report(render_roster_html(rows, day.isoformat(), links, units=units), html, force=force)


def _units(args: argparse.Namespace) -> UnitSystem:
    return "imperial" if getattr(args, "units", None) == "imperial" else "metric"


__all__ = ["register"]
