"""``calfload check`` and ``calfload backup``: is the journal whole, and a consistent copy of it."""

from __future__ import annotations

import argparse
from pathlib import Path

from calfload.cli._commands import CommandAdder
from calfload.units import plural

#: Exit code of ``check`` when it finds a problem (the journal's error code).
EXIT_DAMAGED = 5


def register(sub: CommandAdder) -> None:
    """Add the ``check`` and ``backup`` commands."""
    check: argparse.ArgumentParser = sub.add_parser(
        "check",
        description=(
            "Check the journal without changing it: SQLite's integrity check, its foreign keys and schema, and "
            "for every session that its stored recording is there, readable, and holds the session's metadata. "
            "Exit code 0 when healthy, 5 when a problem was found (each listed on its own line)."
        ),
    )
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(handler=run_check)
    backup: argparse.ArgumentParser = sub.add_parser(
        "backup",
        description=(
            "Copy the journal with SQLite's online backup (a consistent snapshot even while another command "
            "writes) and every stored recording it refers to into DIR, a new or empty folder. Restore by "
            "pointing --data-dir (or CALFLOAD_HOME) at the copy."
        ),
    )
    backup.add_argument("dest", type=Path, metavar="DIR", help="a new or empty folder for the copy")
    backup.add_argument("--json", action="store_true", help="print what was copied as one JSON object")
    backup.set_defaults(handler=run_backup)


def run_check(args: argparse.Namespace) -> int:
    """Check the journal and list what is wrong."""
    from calfload.cli._common import print_json
    from calfload.journal._health import check_journal

    health = check_journal(args.data_dir)
    if args.json:
        print_json(
            {
                "journal": str(health.path),
                "ok": health.ok,
                "sessions": health.sessions,
                "recordings": health.recordings,
                "problems": list(health.problems),
            }
        )
    elif health.ok:
        print(f"{health.path}: ok ({health.sessions} sessions, {health.recordings} stored recordings checked)")
    else:
        print(f"{health.path}: {plural(len(health.problems), 'problem')}; restore a copy made with `calfload backup`:")
        for line in health.problems:
            print(f"  {line}")
    return 0 if health.ok else EXIT_DAMAGED


def run_backup(args: argparse.Namespace) -> int:
    """Copy the journal into a new folder."""
    from calfload.journal._health import backup_journal

    result = backup_journal(args.dest, args.data_dir)
    if args.json:
        from calfload.cli._common import print_json

        print_json({"backup": result.path, "sessions": result.sessions, "recordings": result.recordings})
    elif not args.quiet:  # -q: nothing on success (was: printed anyway)
        print(f"backed up {result.sessions} sessions and {result.recordings} recordings to {result.path}")
    return 0


__all__ = ["register"]
