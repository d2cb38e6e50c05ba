"""Finalise a recording folder: decode its raw log into the contract's Parquet files.

The same function ends every ``calfload record`` and is what ``calfload recover`` runs on a
folder whose recorder was killed, so a recovered recording is exactly what a clean stop would
have written from the same data. Running it twice gives the same files.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from calfload.errors import DataError
from calfload.ingest.decoding import DecodeStats, SessionDecoder
from calfload.ingest.rawlog import LOG_FILE, LogReadReport, SessionHeader, output_error, read_raw_log, read_session
from calfload.ingest.timeline import build_recordings
from calfload.recording import Recording, write_parquet

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FinalizeResult:
    """What finalising wrote.

    Parameters
    ----------
    folder
        The recording folder.
    files
        The Parquet files written, one per stream.
    recordings
        The recordings in those files.
    notes
        Why any stream was left out.
    stats
        Notification counts from decoding the raw log.
    torn_tail_bytes
        Bytes of an incomplete last record ignored (non-zero after a crash).
    header
        The session header.
    """

    folder: Path
    files: tuple[Path, ...]
    recordings: tuple[Recording, ...]
    notes: tuple[str, ...]
    stats: DecodeStats
    torn_tail_bytes: int
    header: SessionHeader


def decode_session(folder: Path) -> tuple[SessionHeader, SessionDecoder, LogReadReport]:
    """Read a folder's header and feed its whole raw log through a :class:`SessionDecoder`.

    Raises
    ------
    DataError
        If the folder holds no recording or its log is not a calfload raw log.
    """
    header = read_session(folder)
    decoder = SessionDecoder()
    report = LogReadReport()
    for record in read_raw_log(folder / LOG_FILE, report):
        decoder.feed_record(record)
    return header, decoder, report


def finalize_session(folder: str | Path) -> FinalizeResult:
    """Decode ``folder``'s raw log and write ``imu.parquet`` / ``footpod.parquet`` / ``heart_rate.parquet``.

    Raises
    ------
    DataError
        If there is no recording, or no stream holds enough data to save.
    OutputError
        If the Parquet files cannot be written (the raw log is left untouched).
    """
    folder = Path(folder)
    header, decoder, report = decode_session(folder)
    extra = {
        "device_requested": header.device,
        "raw_log": LOG_FILE,
        "time_scale": header.time_scale,
        "torn_tail_bytes": report.torn_tail_bytes,
    }
    if header.faults:
        extra["faults"] = list(header.faults)
    recordings, notes = build_recordings(decoder, header, extra=extra)
    if not recordings:
        why = "; ".join(notes) if notes else "no samples were received"
        raise DataError(f"nothing to save ({why})", source=str(folder))
    files: list[Path] = []
    for rec in recordings:
        path = folder / f"{rec.meta.kind}.parquet"
        try:
            write_parquet(rec, path, overwrite=True)  # the folder is this recording's (session.json claims it)
        except OSError as exc:
            raise output_error(exc, folder, written=True) from None
        files.append(path)
    for note in notes:
        logger.warning("%s: %s", folder, note)
    return FinalizeResult(
        folder, tuple(files), tuple(recordings), tuple(notes), decoder.stats, report.torn_tail_bytes, header
    )


__all__ = ["FinalizeResult", "decode_session", "finalize_session"]
