"""``calfload correct``, ``delete`` and ``undelete``: fix the journal, with an audit trail; nothing is lost.

``correct SESSION`` changes a session's activity (re-analysing its recording), exercise, side,
added load or date. ``delete session ID`` and ``delete entry KIND --date D`` move a session or an
entry into the audit trail; ``undelete`` lists the deletions and ``undelete N`` puts one back. (The
export restore is ``calfload restore EXPORT_DIR``; ``undelete`` is for single deletions.) Every
change is one transaction; wrong input is one line and changes nothing. ``review`` reads the
corrected history.
"""

from __future__ import annotations

import argparse

from calfload.cli._arg_types import parse_date, session_id
from calfload.cli._commands import CommandAdder
from calfload.cli._measure import MeasureRange, add_measure
from calfload.vocabulary import ADDED_LOAD_RANGE_KG


def register(sub: CommandAdder) -> None:
    """Add the ``correct``, ``delete`` and ``undelete`` commands."""
    from calfload.vocabulary import ACTIVITIES

    fix: argparse.ArgumentParser = sub.add_parser(
        "correct",
        description=(
            "Correct a stored session (`calfload review` lists the ids). A new activity re-analyses the "
            "session's recording as that activity. The old values stay in the audit trail."
        ),
    )
    fix.add_argument("session_id", type=session_id, metavar="SESSION", help="session id")
    fix.add_argument("--activity", choices=ACTIVITIES, help="what the session was")
    fix.add_argument("--exercise", metavar="NAME", help="e.g. single_leg_standing, bilateral_standing, seated")
    fix.add_argument("--side", choices=("left", "right", "both", "unknown"), help="the leg the sensor was on")
    add_measure(fix, "--added-load-kg", limits=MeasureRange(*ADDED_LOAD_RANGE_KG), help="weight carried (kg)")
    fix.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="the day it really was")
    fix.set_defaults(handler=run_correct)

    delete: argparse.ArgumentParser = sub.add_parser(
        "delete",
        description="Delete a session or an entry. Nothing is lost: `calfload undelete` lists and restores them.",
    )
    what = delete.add_subparsers(dest="what", metavar="WHAT", required=True)
    ses = what.add_parser("session", help="a session by id", description="Delete a session by its id.")
    ses.add_argument("session_id", type=session_id, metavar="ID", help="session id")
    ses.set_defaults(handler=run_delete_session)
    ent = what.add_parser(
        "entry",
        help="a pain, mass, VISA-A or baseline entry of a day",
        description="Delete the pain, body-mass, VISA-A or baseline entry of a day.",
    )
    ent.add_argument("kind", choices=("pain", "mass", "visa-a", "baseline"), help="which entry")
    ent.add_argument("--date", type=parse_date, required=True, metavar="YYYY-MM-DD", help="its day")
    ent.add_argument("--side", choices=("left", "right"), help="baseline entries: which leg")
    ent.add_argument("--source", choices=("logged", "measured"), help="baseline entries: when a day has both")
    ent.set_defaults(handler=run_delete_entry)

    undo: argparse.ArgumentParser = sub.add_parser(
        "undelete",
        description="Without N: list the deletions in the audit trail. With N: put deletion N back.",
    )
    undo.add_argument("trash_id", type=int, nargs="?", metavar="N", help="the deletion to undo")
    undo.set_defaults(handler=run_undelete)


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text)


def run_correct(args: argparse.Namespace) -> int:
    """Correct a session."""
    from calfload.journal import Journal
    from calfload.pipeline import correct_session
    from calfload.report._logged_text import session_corrected

    with Journal(args.data_dir, create=False) as journal:
        record = correct_session(
            journal,
            args.session_id,
            activity=args.activity,
            exercise=args.exercise,
            side=args.side,
            added_load_kg=args.added_load_kg,
            day=args.date,
        )
    _say(args, session_corrected(record, args.units))
    return 0


def run_delete_session(args: argparse.Namespace) -> int:
    """Delete a session."""
    from calfload.journal import Journal

    with Journal(args.data_dir, create=False) as journal:
        trash_id = journal.delete_session(args.session_id)
    _say(args, f"deleted session {args.session_id}; `calfload undelete {trash_id}` puts it back")
    return 0


def run_delete_entry(args: argparse.Namespace) -> int:
    """Delete an entry of a day."""
    from calfload.journal import Journal

    with Journal(args.data_dir, create=False) as journal:
        trash_id = journal.delete_entry(args.kind, args.date, side=args.side, source=args.source)
    _say(args, f"deleted the {args.kind} entry of {args.date.isoformat()}; `calfload undelete {trash_id}` puts it back")
    return 0


def run_undelete(args: argparse.Namespace) -> int:
    """List deletions, or undo one."""
    from calfload.journal import Journal

    with Journal(args.data_dir, create=False) as journal:
        if args.trash_id is None:
            items = journal.deleted_items()
            if not items:
                _say(args, "nothing has been deleted")
            from calfload.report._table import wrap_line

            for item in items:
                back = f", undeleted {item.undeleted_utc[:10]}" if item.undeleted_utc else ""
                line = f"{item.trash_id:4d}  {item.what}  (deleted {item.deleted_utc[:10]}{back})"
                print("\n".join(wrap_line(line, indent="", hang="      ")))
            return 0
        restored = journal.undelete(args.trash_id)
    _say(args, f"restored {restored}")
    return 0


__all__ = ["register"]
