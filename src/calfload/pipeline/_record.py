"""After a recording: add it to the athlete's journal, when they keep one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from calfload.pipeline._import import ImportResult, import_files


def main_stream_file(files: Sequence[Path]) -> Path | None:
    """The file of a recording that stands for it in the journal: the IMU stream, else the foot pod's.

    Examples
    --------
    >>> main_stream_file([Path("heart_rate.parquet"), Path("imu.parquet")]).name
    'imu.parquet'
    >>> main_stream_file([]) is None
    True
    """
    ranked = sorted(files, key=lambda f: (not f.name.startswith("imu"), not f.name.startswith("footpod")))
    return ranked[0] if ranked else None


def add_recording_to_journal(files: Sequence[Path], *, data_dir: str | None) -> ImportResult | None:
    """Import a finished recording's main stream file (:func:`main_stream_file`) into the journal, if it exists.

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
    main = main_stream_file(files)
    if main is None or not (folder / DB_NAME).is_file():
        return None
    with Journal(folder) as journal:
        (imported,) = import_files(journal, [main])
    return imported


__all__ = ["add_recording_to_journal", "main_stream_file"]
