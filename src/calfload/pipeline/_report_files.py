"""Where a report is written: its default name, a free name, and a write that never replaces stored data.

A report is one HTML file (the share page adds a PDF beside it). Its path must end in ``.html``
(or ``.htm``), so a report can never take the name of a recording, a journal or a raw log; an
existing file is replaced only when the caller says ``force``; a default name never replaces
anything (``-2``, ``-3``, ... are added). The errors name the argument that gave the path
(``out`` unless the caller says otherwise, in backticks, as :mod:`calfload.errors` asks) and carry
the path as :attr:`~calfload.errors.CalfloadError.file`.

Examples
--------
>>> import datetime as dt
>>> report_name(dt.date(2026, 11, 30), "calf_raise", fallback="imu")
'2026-11-30-calf-raise-report.html'
>>> page_slug("Zoë O'Neil")
'zoe-o-neil'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from calfload.errors import StorageError

#: Suffixes a report may have: anything else could be a recording, a journal or a raw log.
REPORT_SUFFIXES: Final = (".html", ".htm")


def check_report_path(path: Path, *, force: bool, argument: str = "out") -> Path:
    """Refuse a folder, a name not ending in ``.html``, a path below a file, or an existing file (unless ``force``).

    Missing folders on the way are not refused: :func:`write_report` makes them.

    Parameters
    ----------
    path
        Where the report would go (``~`` is expanded).
    force
        Whether an existing file of that name may be replaced.
    argument
        The name of the caller's argument that gave ``path``, for the error.

    Returns
    -------
    Path
        ``path`` with ``~`` expanded.

    Raises
    ------
    StorageError
        One line saying what to give instead; its ``file`` is the path, its ``parameter`` ``argument``.
    """
    path = path.expanduser()
    if path.is_dir():
        raise _refused(path, f"is a folder; give `{argument}` a file name such as report.html", argument)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise _refused(
            path,
            "is not an .html name; a report never replaces a recording, a journal or another file: "
            f"give `{argument}` a name ending in .html",
            argument,
        )
    if path.exists() and not force:
        raise exists_error(path, argument)
    missing = _missing_folders(path.parent)
    above = (missing[-1] if missing else path).parent
    if not above.is_dir():
        raise _refused(
            path, f"is below {above}, which is a file, not a folder; give `{argument}` another path", argument
        )
    return path


def _missing_folders(folder: Path) -> list[Path]:
    """The folders from ``folder`` up that do not exist yet, innermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders a failed write made (innermost first), as long as they are empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def exists_error(path: Path, argument: str = "out") -> StorageError:
    """The error for an output file that exists and may not be replaced."""
    return _refused(path, f"already exists; give `{argument}` another name, or add `force` to replace it", argument)


def _refused(path: Path, why: str, argument: str) -> StorageError:
    return StorageError(f"{path} {why}", file=str(path), parameter=argument, expected="a new file name ending in .html")


def write_report(html: str, path: Path, *, force: bool = False, argument: str = "out") -> Path:
    """Write the page atomically and privately (``0600``) and return its absolute path.

    Parameters
    ----------
    html
        The page.
    path
        Where to write it; it must end in ``.html`` (or ``.htm``), so it can never name a
        recording, a journal or a raw log. Missing folders on the way are made (``0700``, health
        data), and removed again when the page cannot be written.
    force
        Replace an existing file of that name (never a folder, never a non-HTML file).
    argument
        The name of the caller's argument that gave ``path``, for the error.

    Raises
    ------
    StorageError
        One line: the name is not an HTML name, the file exists and ``force`` is false, or the
        disk refuses the file (full, too large, no permission). Nothing existing has changed.
    """
    from calfload._files import atomic_writer, os_error_text, private_dir

    path = check_report_path(path, force=force, argument=argument)
    made = _missing_folders(path.parent)
    try:
        private_dir(path.parent)
        with atomic_writer(path, overwrite=force) as fh:
            fh.write(html.encode("utf-8"))
    except FileExistsError:
        _remove_empty(made)
        raise exists_error(path, argument) from None
    except OSError as exc:
        _remove_empty(made)
        raise StorageError(
            f"cannot write {path}: {os_error_text(exc)}; or choose another `{argument}`",
            file=str(path),
            parameter=argument,
        ) from None
    return path.resolve()


def free_name(path: Path) -> Path:
    """``path`` if no file has that name, else the first of ``stem-2.html``, ``stem-3.html``, ... that is free."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def report_name(day: dt.date | None, activity: str, *, fallback: str) -> str:
    """A session report's default file name from its date and activity: ``2026-11-30-run-report.html``.

    Without a known date, ``fallback`` (the file's name) stands in for it. :func:`free_name`
    then adds ``-2``, ``-3``, ... so no report is ever replaced.

    Examples
    --------
    >>> report_name(None, "run", fallback="imu")
    'imu-run-report.html'
    """
    lead = day.isoformat() if day is not None else fallback
    return f"{lead}-{activity.replace('_', '-')}-report.html"


def page_slug(name: str) -> str:
    """An athlete's name as a file-name part: ASCII letters and digits joined by ``-`` (``athlete`` if none)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "athlete"


def athlete_pages(html: Path, names: Iterable[str], *, force: bool, argument: str = "html") -> dict[str, Path]:
    """Where each athlete's page goes beside the roster page ``html``: ``ROSTER-NAME.html``, checked before any work.

    Two names with the same slug get ``-2``, ``-3``, ... in the order given.

    Raises
    ------
    StorageError
        If ``html`` or a page path is refused (:func:`check_report_path`). A folder that does
        not exist yet is made when the pages are written.
    """
    check_report_path(html, force=force, argument=argument)
    paths: dict[str, Path] = {}
    for name in names:
        slug = page_slug(name)
        path, n = html.with_name(f"{html.stem}-{slug}.html"), 1
        while path in paths.values():
            n += 1
            path = html.with_name(f"{html.stem}-{slug}-{n}.html")
        paths[name] = check_report_path(path, force=force, argument=argument)
    return paths


__all__ = [
    "REPORT_SUFFIXES",
    "athlete_pages",
    "check_report_path",
    "exists_error",
    "free_name",
    "page_slug",
    "report_name",
    "write_report",
]
