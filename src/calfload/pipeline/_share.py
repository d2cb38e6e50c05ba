"""The one-page summary to hand to the athlete or a clinician: an HTML page, then a PDF of it beside it.

Two steps, so a caller can say where the page is before Chromium prints it (which takes seconds):
:func:`write_share_page` checks both paths, renders the day's review and writes the page;
:func:`write_share_pdf` prints it with headless Chromium.

Examples
--------
>>> import datetime as dt
>>> str(share_name("Zoë", dt.date(2026, 3, 2)))
'calfload-share-zoe-2026-03-02.html'
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from calfload.pipeline._report_files import check_report_path, exists_error, free_name, page_slug, write_report

if TYPE_CHECKING:
    from calfload.journal import Journal
    from calfload.units import UnitSystem


def share_name(athlete: str, day: dt.date) -> Path:
    """The share page's default name: ``calfload-share-NAME-DATE.html`` in the current folder."""
    return Path(f"calfload-share-{page_slug(athlete)}-{day.isoformat()}.html")


def write_share_page(
    journal: Journal,
    day: dt.date | None = None,
    *,
    athlete: str = "athlete",
    out: Path | None = None,
    force: bool = False,
    units: UnitSystem = "metric",
) -> Path:
    """Review ``day`` (default: today) and write its share page; return the page's absolute path.

    Parameters
    ----------
    journal
        The athlete's open journal (only read).
    day
        The day summarised; not after the journal's today.
    athlete
        The name shown on the page and in its default file name.
    out
        The page's path (default: :func:`share_name`, made free with :func:`free_name`). The PDF
        goes beside it with the suffix ``.pdf``.
    force
        Replace an existing page and PDF of that name.
    units
        Units of the page's figures.

    Raises
    ------
    JournalError
        If ``day`` is in the future.
    StorageError
        If the page or its PDF would replace a file without ``force``, or the page cannot be
        written. Both paths are checked before any work.
    """
    from calfload.pipeline._days import past_day
    from calfload.pipeline._review import review_journal
    from calfload.report.share import render_share_html

    day = past_day(day or journal.today, journal.today)
    page = out or free_name(share_name(athlete, day))
    pdf = check_report_path(page, force=force).with_suffix(".pdf")
    if pdf.exists() and not force:
        raise exists_error(pdf)
    review = review_journal(journal, day)
    html = render_share_html(review, athlete=athlete, baseline=journal.baseline_tests(), units=units)
    return write_report(html, page, force=force)


def write_share_pdf(page: Path, *, force: bool = False) -> Path | None:
    """Print the share ``page`` to PDF beside it with headless Chromium; None when no Chromium is found.

    Warns
    -----
    CalfloadWarning
        No Chromium was found (the page stands; print it from a browser).

    Raises
    ------
    StorageError
        Chromium failed, or the PDF cannot be written (the page is written).
    """
    import warnings

    from calfload._files import atomic_writer, os_error_text
    from calfload.errors import CalfloadWarning, StorageError
    from calfload.report.share import find_chromium, print_pdf

    chromium = find_chromium()
    if chromium is None:
        warnings.warn(
            "no Chromium found to print the PDF (install chromium, or name it in CALFLOAD_CHROMIUM); "
            "the HTML page is written: print it from a browser",
            CalfloadWarning,
            stacklevel=2,
        )
        return None
    pdf = page.with_suffix(".pdf")
    try:
        data = print_pdf(page, chromium=chromium)
        with atomic_writer(pdf, overwrite=force) as fh:
            fh.write(data)
    except OSError as exc:
        raise StorageError(f"the page is written, the PDF is not: {os_error_text(exc)}", file=str(pdf)) from None
    return pdf.resolve()


__all__ = ["share_name", "write_share_page", "write_share_pdf"]
