"""``calfload export DIR`` and ``calfload restore EXPORT_DIR``: everything out as CSV and Parquet, and back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from calfload.cli._commands import CommandAdder
from calfload.units import plural

if TYPE_CHECKING:
    from calfload.journal._export import ExportResult


def register(sub: CommandAdder) -> None:
    """Add the ``export`` and ``restore`` commands."""
    export: argparse.ArgumentParser = sub.add_parser(
        "export",
        description=(
            "Write sessions, analyses, pain and other entries, baselines, settings, daily loads and flags of every "
            "athlete into DIR, a new or empty folder: one CSV per table (for spreadsheets) and a Parquet dataset "
            "per table partitioned by athlete and date (sessions/athlete=NAME/date=YYYY-MM-DD/...), with the "
            "recordings beside them; with --athlete NAME, that athlete only. Exporting the same data twice gives "
            "identical files."
        ),
    )
    export.add_argument("dest", type=Path, metavar="DIR", help="a new or empty folder")
    export.add_argument("--json", action="store_true", help="print one JSON object")
    export.set_defaults(handler=run_export)
    restore: argparse.ArgumentParser = sub.add_parser(
        "restore",
        description=(
            "Rebuild the data folder (--data-dir, else CALFLOAD_HOME, else the platform's) from a folder written "
            "by `calfload export`: every athlete, every row with its id and times, and the recordings. The data "
            "folder must be new or empty; a failed restore leaves nothing behind."
        ),
    )
    restore.add_argument("export_dir", type=Path, metavar="EXPORT_DIR", help="a folder written by calfload export")
    restore.add_argument("--json", action="store_true", help="print one JSON object")
    restore.set_defaults(handler=run_restore)


def run_export(args: argparse.Namespace) -> int:
    """Export every athlete of the data folder."""
    from calfload.cli._athlete import unnamed_athlete
    from calfload.journal import resolve_data_dir
    from calfload.journal._export import export_folder

    folder, only = resolve_data_dir(args.data_dir), getattr(args, "athlete", None)
    result = export_folder(folder, args.dest.expanduser(), unnamed=unnamed_athlete(args), only=only)
    _print(args, "exported", result)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Rebuild the data folder from an export."""
    from calfload.journal import resolve_data_dir
    from calfload.journal._export import restore_folder

    result = restore_folder(args.export_dir.expanduser(), resolve_data_dir(args.data_dir))
    _print(args, "restored", result)
    return 0


def _print(args: argparse.Namespace, verb: str, result: ExportResult) -> None:
    from calfload.cli._common import print_json

    if args.json:
        print_json(
            {
                "folder": str(result.folder),
                "athletes": list(result.athletes),
                "rows": result.rows,
                "recordings": result.recordings,
            }
        )
    elif not args.quiet:
        sessions = result.rows.get("sessions", 0)
        print(
            f"{verb} {plural(len(result.athletes), 'athlete')}, {plural(sessions, 'session')} and "
            f"{plural(result.recordings, 'recording')}: {result.folder}"
        )
