"""``calfload report --athlete NAME --share``: the one-page summary to hand over, as HTML and PDF.

Parsing and printing only: :func:`calfload.pipeline.write_share_page` and
:func:`calfload.pipeline.write_share_pdf` do the work.
"""

from __future__ import annotations

import argparse


def run_share(args: argparse.Namespace) -> int:
    """Write the share page (HTML), say where it is, then print it to PDF beside it."""
    from calfload.errors import DataError
    from calfload.journal import Journal
    from calfload.pipeline import write_share_page, write_share_pdf

    if args.files or args.session is not None or args.since is not None:
        raise DataError("--share summarises an athlete's journal; leave out FILE, --session and --since")
    with Journal(args.data_dir, create=False) as journal:
        page = write_share_page(
            journal,
            args.date,
            athlete=getattr(args, "athlete_name", None) or "athlete",
            out=args.out,
            force=args.force,
            units=args.units,
        )
    print(page)
    pdf = write_share_pdf(page, force=args.force)
    if pdf is not None:
        print(pdf)
    return 0
