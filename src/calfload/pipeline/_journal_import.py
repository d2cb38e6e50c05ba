"""A failed command leaves no journal behind: a first import, a first entry, any command.

:func:`import_into_journal` is ``calfload import`` without the printing: it opens (or starts) the
journal in a folder, imports the files with :func:`calfload.pipeline.import_files`, and when the
import fails and the journal was made for it, removes what was made, so a mistyped data folder
leaves no trace. :func:`no_new_journal_on_failure` does the same around any command (the CLI runs
every command inside it: ``log pain --morning 11`` in a new folder used to leave an empty journal).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line runs every command inside the guard below: it must not import the analyses
    from calfload.pipeline._import import ImportFailure, ImportOverrides, ImportResult


class _NothingImportedError(Exception):
    """Every file failed: undo a journal started for the import."""


def import_into_journal(
    data_dir: str | Path | None,
    paths: Sequence[Path],
    *,
    overrides: ImportOverrides | None = None,
    progress: bool = False,
    failed: list[ImportFailure] | None = None,
) -> list[ImportResult]:
    """Import ``paths`` into the journal in ``data_dir`` (started when there is none).

    Parameters
    ----------
    data_dir
        The journal's folder; None for ``$CALFLOAD_HOME`` or the platform's user data folder.
    paths, overrides, progress, failed
        As for :func:`calfload.pipeline.import_files` (with ``failed``, the good files are imported
        and the bad ones listed there; when none is imported, a journal this call started is
        removed).

    Returns
    -------
    list of ImportResult
        One per path imported or already stored, in order.

    Raises
    ------
    CalfloadError
        If a file cannot be read, analysed or stored (and ``failed`` is None). The journal is then
        as it was; a journal this call started is removed with the folders made for it.
    """
    from calfload.journal import Journal, resolve_data_dir
    from calfload.pipeline._import import ImportOverrides, import_files

    folder = resolve_data_dir(data_dir)
    try:
        with no_new_journal_on_failure(folder), Journal(folder) as journal:
            results = import_files(
                journal, list(paths), overrides=overrides or ImportOverrides(), progress=progress, failed=failed
            )
            if failed and not results:
                raise _NothingImportedError
            return results
    except _NothingImportedError:
        return []


@contextlib.contextmanager
def no_new_journal_on_failure(
    data_dir: str | Path | None, *, failures: tuple[type[BaseException], ...] = (BaseException,)
) -> Iterator[None]:
    """Run the body; if it raises and there was no journal in ``data_dir`` before, remove the one it started.

    Parameters
    ----------
    data_dir
        The journal's folder; None for ``$CALFLOAD_HOME`` or the platform's user data folder.
    failures
        The exceptions that undo the new journal. Around a whole command only the command's own
        failure (:class:`~calfload.errors.CalfloadError`) does: a broken pipe or Ctrl-C while it
        prints what it stored must not remove what it stored.
    """
    from calfload.journal._paths import DB_NAME, resolve_data_dir

    folder = resolve_data_dir(data_dir)
    created = [p for p in (folder, *reversed(folder.parents)) if not p.exists()]
    new_journal = not (folder / DB_NAME).exists()
    try:
        yield
    except failures:
        if new_journal:
            remove_new_journal(folder, created)
        raise


def remove_new_journal(folder: Path, created: Sequence[Path]) -> None:
    """Undo a journal a failed command started: its database and the folders made for it.

    Only files the journal itself writes are removed, and a folder only when it was created now and
    is empty afterwards; nothing else is touched.
    """
    import shutil  # here: every command runs inside the guard, and shutil imports bz2 and lzma

    from calfload.journal._paths import DB_NAME, RECORDINGS_DIR

    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"):
        (folder / name).unlink(missing_ok=True)
    recordings = folder / RECORDINGS_DIR
    if recordings.is_dir() and not any(p.is_file() for p in recordings.rglob("*")):
        shutil.rmtree(recordings, ignore_errors=True)
    for path in sorted(created, key=lambda p: len(p.parts), reverse=True):
        try:
            path.rmdir()  # only if empty
        except OSError:
            break


__all__ = ["import_into_journal", "no_new_journal_on_failure", "remove_new_journal"]
