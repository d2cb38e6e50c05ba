"""``calfload review [--date D] [--json]``: today's flag, why, the next step and the last four weeks."""

from __future__ import annotations

import argparse

from calfload.cli._arg_types import parse_date
from calfload.cli._commands import CommandAdder


def register(sub: CommandAdder) -> None:
    """Add the ``review`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "review",
        description=(
            "Review a day from the journal: the flag (back off / hold / progress), its reasons, the next step of "
            "the programme, and the last four weeks of sessions, load and pain."
        ),
    )
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="the day to review (default: today)")
    p.add_argument(
        "--programme",
        choices=("default", "alfredson", "hsr"),
        help="the calf programme to judge against (default: the journal's, see `calfload log programme`)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Review the day and print it."""
    from calfload.cli._common import print_json
    from calfload.journal import Journal
    from calfload.pipeline import review_journal

    with Journal(args.data_dir, create=False) as journal:
        review = review_journal(journal, args.date, programme=args.programme)
    if args.json:
        print_json(review.to_dict())
    else:
        from calfload.report._review_text import render_review_text  # --json loads no renderer

        print(render_review_text(review, units=args.units))
    return 0
