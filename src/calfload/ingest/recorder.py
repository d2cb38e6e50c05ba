"""The collector: connect, stream, write crash-safely, reconnect, report status.

:func:`capture` creates the recording folder, takes its lock, runs one
:class:`~calfload.ingest.capture_session.CaptureSession` (the data path from notification to the
``fsync``'d raw log, and the link task that reconnects after drops) and shuts it down without
losing what is queued. A :class:`RecorderStatus` goes to ``on_status`` every second.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from calfload._logger import package_logger
from calfload.errors import CalfloadError, DeviceError
from calfload.ingest.capture_session import CaptureSession
from calfload.ingest.clock import Clock, MonotonicClock
from calfload.ingest.folderlock import FolderLock
from calfload.ingest.link import Connector
from calfload.ingest.live import LiveHook, RecorderStatus
from calfload.ingest.rawlog import LOG_FILE, SESSION_FILE, OutputError, RawLogWriter, SessionHeader, create_session

logger = package_logger(__name__)


@dataclass(frozen=True, slots=True)
class CaptureSummary:
    """How a capture ended."""

    folder: Path
    elapsed_s: float
    reconnects: int
    bad: int
    duplicates: int
    queue_overflows: int
    error: OutputError | None
    stopped_by: CalfloadError | None = None
    decode_failures: int = 0


async def capture(
    connector: Connector,
    folder: Path,
    header: SessionHeader,
    *,
    clock: Clock | None = None,
    duration_s: float | None = None,
    stop: asyncio.Event | None = None,
    on_status: Callable[[RecorderStatus], None] | None = None,
    live_hook: LiveHook | None = None,
    lock: FolderLock | None = None,
) -> CaptureSummary:
    """Record from a device into ``folder`` until ``stop`` is set or ``duration_s`` has passed.

    Parameters
    ----------
    connector
        Finds and connects to the device (bleak or virtual).
    folder
        The recording folder; created, and must not already hold a recording.
    header
        The session header to write first.
    clock
        Host clock (the real one by default; a scaled one for fast virtual devices).
    duration_s
        Stop after this long from the first connection (clock seconds); None runs until ``stop``.
    stop
        Set it (e.g. from a signal handler) to end the recording cleanly.
    on_status
        Receives a :class:`RecorderStatus` every second.
    live_hook
        Receives the recent motion samples about once a second in a worker thread; returns text
        for the status line.
    lock
        The folder's lock, taken as soon as the folder is created; the caller releases it (after
        finalising). Without one, the folder is locked only while capturing.

    Returns
    -------
    CaptureSummary
        Counts, the output error that ended the capture early (``error``) and the device error
        that ended it after data had been recorded (``stopped_by``), if any. The raw log is closed
        and synced; finalise it with :func:`calfload.ingest.finalize.finalize_session`.

    Raises
    ------
    OutputError
        If the folder cannot be created or already holds a recording.
    DeviceError
        If the device cannot be found or refuses the configuration before the first connection
        (the folder is then removed again).
    RecordingBusyError
        If another process (a ``recover``) took the new folder's lock first.
    """
    clock = clock or MonotonicClock()
    stop = stop or asyncio.Event()
    created_folder = not folder.exists()  # noqa: ASYNC240 - one stat before anything runs
    create_session(folder, header)
    own_lock = lock is None
    lock = lock or FolderLock(folder)
    lock.acquire()
    try:
        return await _capture_locked(
            connector, folder, header, clock, stop, duration_s, on_status, live_hook, created_folder=created_folder
        )
    finally:
        if own_lock:
            lock.release()


async def _capture_locked(
    connector: Connector,
    folder: Path,
    header: SessionHeader,
    clock: Clock,
    stop: asyncio.Event,
    duration_s: float | None,
    on_status: Callable[[RecorderStatus], None] | None,
    live_hook: LiveHook | None,
    *,
    created_folder: bool,
) -> CaptureSummary:
    writer = RawLogWriter(folder)
    session = CaptureSession(
        connector,
        writer,
        clock,
        rate_hz=header.rate_hz,
        duration_s=duration_s,
        stop=stop,
        on_status=on_status,
        live_hook=live_hook,
        start_ns=header.start_monotonic_ns,
    )
    workers = _start_workers(session)
    stopped_by: CalfloadError | None = None
    try:
        await session.run_link()
    except BaseException as exc:
        await _shut_down(session, workers, writer)
        if session.first_connect_ns is None:
            # Never connected: leave no half-made recording behind, so the same --out can be reused.
            _remove_unused_session(folder, created_folder=created_folder)
            raise
        if not isinstance(exc, Exception):
            raise
        # Data was recorded: return, so the caller can still finalise what the log holds.
        if isinstance(exc, CalfloadError):
            stopped_by = exc
        else:
            logger.debug("capture stopped", exc_info=True)
            stopped_by = DeviceError(f"the recording stopped on an unexpected error ({type(exc).__name__}: {exc})")
    else:
        await _shut_down(session, workers, writer)
    return _summary(session, folder, stopped_by)


def _start_workers(session: CaptureSession) -> list[asyncio.Task[None]]:
    """The capture's helpers: the consumer first and the flusher second (:func:`_shut_down` relies on it)."""
    return [
        asyncio.create_task(session.consume(), name="consume"),
        asyncio.create_task(session.flush_periodically(), name="flush"),
        asyncio.create_task(session.report_status(), name="status"),
        asyncio.create_task(session.watch_duration(), name="duration"),
    ]


def _summary(session: CaptureSession, folder: Path, stopped_by: CalfloadError | None) -> CaptureSummary:
    """What the capture delivered and what stopped it."""
    stats = session.decoder.stats
    return CaptureSummary(
        folder=folder,
        elapsed_s=session.elapsed_s(),
        reconnects=stats.reconnects,
        bad=stats.bad,
        duplicates=stats.duplicates,
        queue_overflows=session.overflows,
        error=session.error,
        stopped_by=stopped_by,
        decode_failures=session.decode_failures,
    )


async def _shut_down(session: CaptureSession, workers: list[asyncio.Task[None]], writer: RawLogWriter) -> None:
    """Drain the queue into the log, stop the helpers, sync and close the log.

    Never waits on a full queue: the end marker is put without blocking, and if the consumer is
    gone (or does not finish), what is still queued is appended to the log here.
    """
    consumer, flusher, *others = workers
    for task in others:
        task.cancel()
    if not consumer.done():
        try:
            session.queue.put_nowait(None)
        except asyncio.QueueFull:
            consumer.cancel()  # the queue is drained below instead
        await asyncio.wait({consumer}, timeout=5.0)
        if not consumer.done():
            consumer.cancel()
    with contextlib.suppress(BaseException):
        await consumer
    session.drain_queue()
    session.closing.set()
    await asyncio.gather(flusher, *others, return_exceptions=True)  # the in-flight write finishes
    if session.live_task is not None:
        with contextlib.suppress(Exception):
            await session.live_task
    await session.flush()
    with contextlib.suppress(OSError, OutputError):
        writer.close()


def _remove_unused_session(folder: Path, *, created_folder: bool) -> None:
    for name in (LOG_FILE, SESSION_FILE):
        with contextlib.suppress(OSError):
            (folder / name).unlink()
    if created_folder:
        with contextlib.suppress(OSError):
            folder.rmdir()


__all__ = ["CaptureSummary", "LiveHook", "RecorderStatus", "capture"]
