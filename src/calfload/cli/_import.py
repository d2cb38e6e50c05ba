"""``calfload import FILE...``: store recordings and their analyses in the journal.

Parsing and printing only: :func:`calfload.pipeline.import_into_journal` does the work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from calfload.cli._commands import CommandAdder
from calfload.cli._common import COLUMNS_HELP, column_map
from calfload.cli._measure import MeasureRange, add_measure
from calfload.cli._terminal import fit_message
from calfload.vocabulary import ACTIVITIES, ADDED_LOAD_RANGE_KG, PLACEMENTS, SIDES

if TYPE_CHECKING:
    from calfload.pipeline import ImportFailure, ImportResult


def register(sub: CommandAdder) -> None:
    """Add the ``import`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        description=(
            "Analyse recordings (.parquet, .csv, .fit, phone-app export folders or .zip files) and store them "
            "with their analyses in the journal, dated "
            "by the recording's start. Importing the same file again changes nothing. A file that cannot be "
            "read or analysed is left out with one line saying why (exit code 3) and the others are stored. "
            "Use `calfload log session ID` to change the exercise or load later."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="recording files, or a phone-app export folder or .zip")
    p.add_argument("--columns", type=column_map, metavar="MAP", help=COLUMNS_HELP)
    p.add_argument("--activity", choices=ACTIVITIES, help="what was done, when the file does not say")
    p.add_argument("--placement", choices=PLACEMENTS, help="where the sensor was worn")
    p.add_argument("--side", choices=SIDES, help="which leg the sensor was on")
    p.add_argument("--exercise", metavar="NAME", help="exercise, e.g. single_leg_standing, bilateral_standing, seated")
    add_measure(
        p, "--added-load-kg", limits=MeasureRange(*ADDED_LOAD_RANGE_KG), help="weight carried during the session"
    )
    p.add_argument(
        "--start",
        type=_parse_start,
        metavar="YYYY-MM-DDTHH:MM",
        help="when the recording started (local time unless an offset is given), for files without a start time",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Import the files and print what happened to each."""
    from calfload.journal import check_exercise
    from calfload.pipeline import ImportOverrides, import_into_journal

    if args.exercise is not None:
        # Early, before anything is analysed; the journal checks it again against the analysed activity.
        check_exercise(args.exercise, args.activity)
    overrides = ImportOverrides(
        activity=args.activity,
        placement=args.placement,
        side=args.side,
        exercise=args.exercise,
        added_load_kg=args.added_load_kg,
        start_utc=args.start,
        columns=args.columns,
    )
    failed: list[ImportFailure] = []
    paths = [Path(f) for f in args.files]
    results = import_into_journal(
        args.data_dir, paths, overrides=overrides, progress=not (args.json or args.quiet), failed=failed
    )
    failed.sort(key=lambda f: paths.index(f.path))  # in the order given
    messages = [_failure_line(f) for f in failed]
    _print_results(results, messages, json_out=args.json)
    for message in messages:
        print(fit_message(f"calfload: error: {message}", sys.stderr), file=sys.stderr)
    return failed[0].error.exit_code if failed else 0


def _print_results(results: list[ImportResult], failures: list[str], *, json_out: bool) -> None:
    from calfload.cli._common import print_json

    if json_out:
        imported = [
            {
                "file": str(r.path),
                "session_id": r.session_id,
                "created": r.created,
                "date": r.local_date.isoformat() if r.local_date else None,
                "activity": r.activity,
            }
            for r in results
        ]
        print_json({"imported": imported, "failed": failures})
        return
    for r in results:
        print(fit_message(r.summary, sys.stdout))  # wrapped at words on a terminal, one line when piped


def _failure_line(failure: ImportFailure) -> str:
    """Why a file was left out, in one line that names it."""
    from calfload.cli import _one_line
    from calfload.cli._errors import cli_message

    message = _one_line(cli_message(failure.error))
    return message if failure.path.name in message else f"{failure.path}: {message}"


def _parse_start(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--start must look like 2024-05-06T07:30, not {text!r}") from None
    if value.tzinfo is None:
        value = value.astimezone()  # a naive time is the computer's local time
    return value.astimezone(dt.UTC)


__all__ = ["register", "run"]
