"""``calfload recover``: finish a recording whose recorder was interrupted (killed, crashed, power cut)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calfload.cli._commands import CommandAdder


def register(subparsers: CommandAdder) -> None:
    """Add the ``recover`` command."""
    p = subparsers.add_parser(
        "recover",
        description=(
            "Decode the raw log that `calfload record` keeps in DIR and write the recording's Parquet "
            "files, exactly as a clean stop would have. Safe to run more than once."
        ),
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="the recording folder (record's --out)")
    p.add_argument("--json", action="store_true", help="print what was written as one JSON object on stdout")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Finalise the folder and report what was written (holding the folder's lock)."""
    from calfload.ingest.folderlock import FolderLock

    lock = FolderLock(args.folder)
    if args.folder.is_dir():
        lock.acquire()  # a folder `record` is still writing is refused, not finalised half-way
    try:
        return _recover(args)
    finally:
        lock.release()


def _recover(args: argparse.Namespace) -> int:
    from calfload.cli._common import print_json
    from calfload.cli._record import add_session_to_journal
    from calfload.cli._record_output import print_result, result_json
    from calfload.ingest.finalize import finalize_session

    result = finalize_session(args.folder)
    if not args.json and not args.quiet:
        print_result(result, result.stats.reconnects)
    message = add_session_to_journal(result, data_dir=args.data_dir)
    if args.json:
        print_json(result_json(result, result.stats.reconnects, message))
    elif message:
        from calfload.cli._terminal import fit_message

        print(fit_message(message, sys.stderr), file=sys.stderr)
    return 0


__all__ = ["register", "run"]
