"""``calfload report --athlete NAME --share``: the one-page summary to hand over, as HTML and PDF."""

from __future__ import annotations

import argparse
import re
import unicodedata
import warnings
from pathlib import Path


def run_share(args: argparse.Namespace) -> int:
    """Write the share page (HTML) and print it to PDF beside it with headless Chromium."""
    from calfload._files import atomic_writer, os_error_text
    from calfload.cli._report import check_report_path, free_name, write_report
    from calfload.errors import CalfloadWarning, DataError, JournalError, StorageError
    from calfload.journal import Journal
    from calfload.pipeline import review_journal
    from calfload.report.share import find_chromium, print_pdf, render_share_html

    if args.files or args.session is not None or args.since is not None:
        raise DataError("--share summarises an athlete's journal; leave out FILE, --session and --since")
    name = getattr(args, "athlete_name", None) or "athlete"
    with Journal(args.data_dir, create=False) as journal:
        day = args.date or journal.today
        if day > journal.today:
            raise JournalError(f"{day.isoformat()} is in the future; give today or an earlier day")
        out = args.out or free_name(Path(f"calfload-share-{_slug(name)}-{day.isoformat()}.html"))
        pdf = check_report_path(out, force=args.force).with_suffix(".pdf")
        if pdf.exists() and not args.force:
            raise StorageError(f"{pdf} already exists; give --out another name, or add --force to replace it")
        html = render_share_html(
            review_journal(journal, day), athlete=name, baseline=journal.baseline_tests(), units=args.units
        )
    page = write_report(html, out, force=args.force)
    print(page)
    chromium = find_chromium()
    if chromium is None:
        warnings.warn(
            "no Chromium found to print the PDF (install chromium, or name it in CALFLOAD_CHROMIUM); "
            "the HTML page is written: print it from a browser",
            CalfloadWarning,
            stacklevel=1,
        )
        return 0
    try:
        data = print_pdf(page, chromium=chromium)
        with atomic_writer(pdf, overwrite=args.force) as fh:
            fh.write(data)
    except OSError as exc:
        raise StorageError(f"the page is written, the PDF is not: {os_error_text(exc)}") from None
    print(pdf.resolve())
    return 0


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "athlete"
