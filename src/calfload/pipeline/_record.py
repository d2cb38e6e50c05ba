"""After a recording: add it to the athlete's journal, when they keep one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from calfload.pipeline._import import ImportResult, import_files


def add_recording_to_journal(files: Sequence[Path], *, data_dir: str | None) -> ImportResult | None:
    """Import a finished recording's main stream file into the journal, if the journal exists.

    Only a journal the athlete already keeps is written to (``calfload log`` or ``import``
    create it); recording never creates one. The file is imported with :func:`import_files`,
    exactly as ``calfload import`` would.

    Returns
    -------
    ImportResult or None
        What happened to the file; None when there is no journal or no file.

    Raises
    ------
    CalfloadError
        If the recording cannot be analysed or stored (it stays on disk).
    """
    from calfload.journal import DB_NAME, Journal, resolve_data_dir

    folder = resolve_data_dir(data_dir)
    if not files or not (folder / DB_NAME).is_file():
        return None
    with Journal(folder) as journal:
        (imported,) = import_files(journal, list(files[:1]))
    return imported


__all__ = ["add_recording_to_journal"]
