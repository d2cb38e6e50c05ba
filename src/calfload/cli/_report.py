"""``calfload report``: one self-contained HTML file with plots, for a session or a period.

- ``calfload report FILE`` — a recording (analysed now);
- ``calfload report --session ID`` — a journal session (its stored analysis and recording);
- ``calfload report [--since 4w] [--date D]`` — the period ending on ``D`` (default today).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from calfload.cli._arg_types import MAX_SESSION_ID, parse_date
from calfload.cli._commands import CommandAdder
from calfload.pipeline._session_report import MAX_PERIOD_DAYS
from calfload.units import UnitSystem
from calfload.vocabulary import ACTIVITIES, PLACEMENTS

if TYPE_CHECKING:
    from calfload.pipeline import SessionPage

DEFAULT_SINCE = "4w"
_SPAN = re.compile(r"^\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)
MAX_SINCE_DAYS = MAX_PERIOD_DAYS  # a whole history: the journal holds nothing before 2000


def register(sub: CommandAdder) -> None:
    """Add the ``report`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "report",
        description=(
            "Write one self-contained HTML file (plots inline, opens without network access). With a recording "
            "FILE or --session ID: that session (calf raises: raise angle by phase, lowering per rep against the "
            "target, the set table; walks and runs: cadence over time, steps, contact time, device). Otherwise "
            "the period ending on --date: daily load with its 7- and 28-day averages, pain, flags, today's flag "
            "with reasons and next step, and the baseline tests."
        ),
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="recording files of one session")
    p.add_argument("--session", type=_session_id, metavar="ID", help="a journal session (see `calfload review`)")
    p.add_argument(
        "--since",
        type=parse_since,
        metavar="SPAN",
        help=f"period length: 4w, 10d, or a start date YYYY-MM-DD (default {DEFAULT_SINCE})",
    )
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="last day of the period (default: today)")
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE.html",
        help="where to write the report (default: a new name in ./); an existing file is replaced only with --force",
    )
    p.add_argument("--force", action="store_true", help="replace an existing report named by --out")
    # --units is the option every command takes (before or after the command name): a --units of
    # report's own defaulted to None after the name and hid `calfload --units imperial report FILE`.
    p.add_argument("--json", action="store_true", help="print the written report's path and kind as one JSON object")
    p.add_argument("--activity", choices=ACTIVITIES, help="override the recording's activity (FILE only)")
    p.add_argument("--placement", choices=PLACEMENTS, help="override where the sensor was worn (FILE only)")
    p.add_argument(
        "--share",
        action="store_true",
        help="a one-page summary to hand to the athlete or a clinician, as HTML and a PDF beside it",
    )
    p.set_defaults(handler=run)


def parse_since(text: str) -> int | dt.date:
    """``4w`` / ``10d`` as a number of days, or a start date."""
    m = _SPAN.match(text)
    if m:
        days = int(m.group(1)) * (7 if m.group(2).lower() == "w" else 1)
        if not 1 <= days <= MAX_SINCE_DAYS:
            raise argparse.ArgumentTypeError(f"--since must be between 1d and {MAX_SINCE_DAYS // 7}w, not {text!r}")
        return days
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--since takes 4w, 10d or a date like 2024-05-06, not {text!r}") from None


def _session_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--session takes a session id (a whole number), not {text!r}") from None
    if not 1 <= value <= MAX_SESSION_ID:
        raise argparse.ArgumentTypeError(f"--session takes a session id (1 or more), not {text[:40]}")
    return value


def run(args: argparse.Namespace) -> int:
    """Build the report and write it."""
    from calfload.errors import DataError
    from calfload.pipeline._report_files import check_report_path, free_name, write_report

    if args.share:
        from calfload.cli._share import run_share

        return run_share(args)

    if args.files and args.session is not None:
        raise DataError("give a recording FILE or --session ID, not both")
    session_mode = bool(args.files) or args.session is not None
    if session_mode and (args.since is not None or args.date is not None):
        raise DataError("--since and --date are for period reports; leave them out with FILE or --session")
    if not args.files and (args.activity or args.placement):
        raise DataError("--activity and --placement apply to a recording FILE")
    if args.out is not None:
        check_report_path(args.out, force=args.force)  # before the work, not after it
    if args.files:
        kind, (html, default_name) = "recording", _file_report(args)
    elif args.session is not None:
        kind, (html, default_name) = "session", _session_report(args)
    else:
        kind, (html, default_name) = "period", _period_report(args)
    if args.out is not None:
        out = write_report(html, args.out, force=args.force)
    else:
        out = write_report(html, free_name(Path(default_name)))
    if args.json:
        from calfload.cli._common import print_json

        print_json({"report": out.resolve(), "kind": kind, "bytes": len(html.encode("utf-8"))})
    else:
        print(out)
    return 0


def _file_report(args: argparse.Namespace) -> tuple[str, str]:
    """A recording's page: every stream of each FILE (or recording folder), heart rate joined as in ``analyze``."""
    from calfload.pipeline import recording_session
    from calfload.pipeline._report_files import report_name
    from calfload.report import Progress

    with Progress(len(args.files) + 2, "report", enabled=_quiet(args)) as bar:
        page = recording_session(
            args.files, activity=args.activity, placement=args.placement, data_dir=args.data_dir, steps=bar
        )
        bar.set_detail("drawing")
        html = _render_session(page, args)
        bar.advance()
    return html, report_name(page.day, page.analysis.activity, fallback=page.name)


def _session_report(args: argparse.Namespace) -> tuple[str, str]:
    """A journal session's page, from its stored analysis and recordings."""
    from calfload.pipeline import stored_session
    from calfload.pipeline._report_files import report_name
    from calfload.report import Progress

    with Progress(2, "report", enabled=_quiet(args)) as bar:
        page = stored_session(args.data_dir, args.session, steps=bar)
        html = _render_session(page, args)
        bar.advance()
    return html, report_name(page.day, page.analysis.activity, fallback=page.name)


def _render_session(page: SessionPage, args: argparse.Namespace) -> str:
    from calfload.report._html_session import render_session_html

    return render_session_html(
        page.analysis,
        recordings=page.recordings,
        heart_rate=page.heart_rate,
        source=page.source,
        recorded=page.recorded,
        units=_units(args),
        cadence=page.cadence,
    )


def _period_report(args: argparse.Namespace) -> tuple[str, str]:
    from calfload.journal import Journal
    from calfload.loadmodel._period import reviews_needed
    from calfload.pipeline import period_days, review_period
    from calfload.report import Progress
    from calfload.report._html_period import render_period_html

    with Journal(args.data_dir, create=False) as journal:
        day = args.date or journal.today
        since = period_days(
            day, args.since if args.since is not None else parse_since(DEFAULT_SINCE), today=journal.today
        )
        with Progress(reviews_needed(since) + 1, "report", enabled=_quiet(args)) as bar:
            bar.set_detail("reading the journal")
            period = review_period(journal, day, since_days=since, on_review=bar.advance)
            bar.set_detail("drawing")
            html = render_period_html(period, units=_units(args))
            bar.advance()
    return html, f"calfload-period-{day.isoformat()}.html"


def _quiet(args: argparse.Namespace) -> bool | None:
    """``False`` (no progress bar) with ``--quiet``; otherwise None: draw on a terminal."""
    return False if getattr(args, "quiet", False) else None


def _units(args: argparse.Namespace) -> UnitSystem:
    """``imperial`` when the command line or config.toml says so, else ``metric``."""
    return "imperial" if getattr(args, "units", None) == "imperial" else "metric"


__all__ = ["parse_since", "register"]
