"""Finalise a recording folder: decode its raw log into the contract's Parquet files.

The same function ends every ``calfload record`` and is what ``calfload recover`` runs on a
folder whose recorder was killed, so a recovered recording is exactly what a clean stop would
have written from the same data. Running it twice gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from calfload import _stats
from calfload._logger import package_logger
from calfload.errors import DataError
from calfload.ingest.decoding import DecodeStats, SessionDecoder
from calfload.ingest.rawlog import LOG_FILE, LogReadReport, SessionHeader, output_error, read_raw_log, read_session
from calfload.ingest.timeline import build_recordings
from calfload.recording import Recording, write_parquet

logger = package_logger(__name__)

#: How far a record's receive time may sit from those of the records around it (s).
HOST_TIME_TOLERANCE_S: Final = 60.0


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
    damaged_bytes
        Bytes of damaged records skipped inside the raw log (the note says where).
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
    damaged_bytes: int = 0


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
    records = list(read_raw_log(folder / LOG_FILE, report))
    in_order = host_times_in_order(np.fromiter((r.host_ns for r in records), dtype=np.int64, count=len(records)))
    for record, ok in zip(records, in_order, strict=True):
        if ok:
            decoder.feed_record(record)
        else:
            decoder.stats.bad += 1
            decoder.stats.last_error = "a raw-log record whose receive time is out of order with its neighbours"
    return header, decoder, report


def host_times_in_order(host_ns: np.ndarray) -> np.ndarray:
    """Which records' receive times agree with their neighbours' (a boolean mask).

    The recorder writes records in the order it receives them, on a monotonic clock, so receive
    times never go back. A time that sits more than :data:`HOST_TIME_TOLERANCE_S` from the
    median of the five records around it is a damaged record (a genuine jump, such as a long
    reconnect, moves the median with it once three records lie beyond it).
    """
    if host_ns.size < 3:
        return np.ones(host_ns.size, dtype=bool)
    padded = np.pad(host_ns, 2, mode="reflect")
    median = _stats.median(np.lib.stride_tricks.sliding_window_view(padded, 5), axis=1)
    off_ns = np.abs(host_ns.astype(np.float64) - median)
    return np.asarray(off_ns <= HOST_TIME_TOLERANCE_S * 1e9)


def finalize_session(
    folder: str | Path,
    *,
    t0_ns: float | None = None,
    decoded: tuple[SessionHeader, SessionDecoder, LogReadReport] | None = None,
) -> FinalizeResult:
    """Decode ``folder``'s raw log and write ``imu.parquet`` / ``footpod.parquet`` / ``heart_rate.parquet``.

    ``t0_ns`` is the host time of ``t_s = 0`` (default: the earliest sample; see
    :func:`~calfload.ingest.timeline.build_recordings`); ``decoded`` is the folder's
    :func:`decode_session`, when the caller has it already.

    Raises
    ------
    DataError
        If there is no recording, or no stream holds enough data to save.
    OutputError
        If the Parquet files cannot be written (the raw log is left untouched).
    """
    folder = Path(folder)
    header, decoder, report = decoded or decode_session(folder)
    recordings, notes = build_recordings(decoder, header, log=report, t0_ns=t0_ns)
    log_note = report.note()
    if log_note is not None:
        notes.insert(0, log_note)
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
        folder,
        tuple(files),
        tuple(recordings),
        tuple(notes),
        decoder.stats,
        report.torn_tail_bytes,
        header,
        report.damaged_bytes,
    )


__all__ = ["FinalizeResult", "decode_session", "finalize_session", "host_times_in_order"]
