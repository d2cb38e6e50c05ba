"""The collector: connect, stream, write crash-safely, reconnect, report status.

Data path::

    notification callback ──(host time, channel, bytes)──▶ asyncio.Queue ──▶ consumer
                                                                        ├─▶ raw log (fsync'd every 0.25 s)
                                                                        └─▶ SessionDecoder (live counts)

The callback only timestamps and enqueues. The consumer appends each record to the raw log
(:mod:`calfload.ingest.rawlog`) and feeds the live decoder; a flush task writes and ``fsync``'s
the log in a worker thread every :data:`~calfload.ingest.rawlog.SYNC_INTERVAL_S`. Recorder
events (connected, stream settings, disconnected) travel through the same queue, so the log
keeps their order with the data.

The link task connects through a :class:`~calfload.ingest.link.Connector` (bleak or a virtual
device), configures the streams, and waits for a stop request, a disconnect or a stall (no data
for :data:`STALL_TIMEOUT_S`). After a drop it reconnects with exponential back-off from
:data:`BACKOFF_INITIAL_S` to :data:`BACKOFF_MAX_S`, for as long as the recording runs.

A status snapshot goes to ``on_status`` every second; an optional live hook gets the recent motion
samples in a worker thread (so analysis never delays the data path) and returns a short text for
the status line, for example the rep count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from calfload.errors import CalfloadError, DeviceError
from calfload.ingest.clock import Clock, MonotonicClock
from calfload.ingest.decoding import SessionDecoder
from calfload.ingest.devices import DeviceIO, StartedDevice, start_device, stop_device
from calfload.ingest.folderlock import FolderLock
from calfload.ingest.gatt import Channel
from calfload.ingest.link import BluetoothUnavailableError, Connector, DeviceRefusedError, GattLink, LinkLostError
from calfload.ingest.live import LiveWindow, live_imu_window
from calfload.ingest.pmd import OP_START, ControlPointMessage, ControlPointResponse, Setting
from calfload.ingest.rawlog import (
    LOG_FILE,
    SESSION_FILE,
    SYNC_INTERVAL_S,
    OutputError,
    RawLogWriter,
    SessionHeader,
    create_session,
    encode_event,
)

logger = logging.getLogger(__name__)

BACKOFF_INITIAL_S: Final = 0.2
BACKOFF_MAX_S: Final = 1.0
#: Connection attempts before the first successful connection gives up.
FIRST_CONNECT_ATTEMPTS: Final = 3
#: Silence on a connected link after which it is treated as dropped.
STALL_TIMEOUT_S: Final = 5.0
STATUS_INTERVAL_S: Final = 1.0
LIVE_WINDOW_S: Final = 30.0
QUEUE_SIZE: Final = 20_000
#: How often a wait for a control-point reply checks whether the stream's data already arrives.
REPLY_POLL_S: Final = 0.1

LiveHook = Callable[[LiveWindow], str | None]


@dataclass(frozen=True, slots=True)
class RecorderStatus:
    """A snapshot for the live status line.

    Parameters
    ----------
    elapsed_s
        Time since the first connection.
    samples_per_s
        Motion (or foot-pod) samples received over the last status interval.
    samples
        Samples of the main stream so far.
    bad
        Malformed notifications skipped.
    dropped
        Notifications lost because the queue was full, plus duplicates dropped.
    reconnects
        Reconnections so far.
    connected
        Whether the link is up.
    live
        Text from the live hook (rep count, lowering time), or None.
    cadence_spm
        Latest foot-pod cadence, when recording a foot pod.
    """

    elapsed_s: float
    samples_per_s: float
    samples: int
    bad: int
    dropped: int
    reconnects: int
    connected: bool
    live: str | None = None
    cadence_spm: float | None = None

    def line(self) -> str:
        """Return the status as one line."""
        minutes, seconds = divmod(int(self.elapsed_s), 60)
        parts = [
            f"{minutes:02d}:{seconds:02d}",
            f"{self.samples_per_s:5.0f} samples/s" if self.connected else "reconnecting…",
            f"bad {self.bad}",
            f"dropped {self.dropped}",
            f"reconnects {self.reconnects}",
        ]
        if self.cadence_spm is not None:
            parts.append(f"cadence {self.cadence_spm:.0f} spm")
        if self.live:
            parts.append(self.live)
        return " | ".join(parts)


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


class _Capture(DeviceIO):
    """One capture session (internal; use :func:`capture`)."""

    def __init__(
        self,
        connector: Connector,
        writer: RawLogWriter,
        clock: Clock,
        *,
        rate_hz: float | None,
        duration_s: float | None,
        stop: asyncio.Event,
        on_status: Callable[[RecorderStatus], None] | None,
        live_hook: LiveHook | None,
        start_ns: int,
    ) -> None:
        self.connector = connector
        self.writer = writer
        self.clock = clock
        self.rate_hz = rate_hz
        self.duration_s = duration_s
        self.stop = stop
        self.on_status = on_status
        self.live_hook = live_hook
        self.start_ns = start_ns
        self.queue: asyncio.Queue[tuple[int, int, bytes] | None] = asyncio.Queue(QUEUE_SIZE)
        self.control_point: asyncio.Queue[ControlPointResponse] = asyncio.Queue()
        self.decoder = SessionDecoder(on_control_point=self._on_control_point)
        self.connected = False
        self.first_connect_ns: int | None = None
        self.last_data_ns = 0
        self.overflows = 0
        self.error: OutputError | None = None
        self.live_text: str | None = None
        self.decode_failures = 0
        self.closing = asyncio.Event()
        self._live_task: asyncio.Future[str | None] | None = None

    # ----------------------------------------------------------------------------- DeviceIO

    def notify_callback(self, channel: Channel) -> Callable[[bytes], None]:
        """Return the callback for one channel: timestamp and enqueue, nothing else."""
        clock, queue = self.clock, self.queue

        def on_notify(data: bytes) -> None:
            try:
                queue.put_nowait((clock.monotonic_ns(), channel, data))
            except asyncio.QueueFull:
                self.overflows += 1

        return on_notify

    def event(self, kind: str, /, **fields: Any) -> None:
        """Enqueue a recorder event."""
        payload = encode_event(kind, **fields)
        try:
            self.queue.put_nowait((self.clock.monotonic_ns(), Channel.EVENT, payload))
        except asyncio.QueueFull:
            self.overflows += 1

    async def control_point_response(self, opcode: int, measurement: int, timeout_s: float) -> ControlPointResponse:
        """Wait for the matching PMD control-point response (decoded by the consumer).

        A start whose reply is lost but whose data arrives has worked: once new samples of the
        stream arrive, and its scale factor is known from an earlier reply, the wait ends with
        that factor, instead of a timeout and another reconnect while the data keeps flowing.
        """
        stream = self.decoder.pmd.get(measurement)
        count_before = stream.count if stream is not None else 0
        try:
            async with asyncio.timeout(self.clock.wall_s(timeout_s)):
                while True:
                    try:
                        reply = await asyncio.wait_for(self.control_point.get(), self.clock.wall_s(REPLY_POLL_S))
                    except TimeoutError:
                        running = opcode == OP_START and stream is not None and stream.factor_known
                        if running and stream is not None and stream.count > count_before:
                            logger.info("the reply to starting %s was lost, but its data arrives", stream.name)
                            factor: dict[int, tuple[float, ...]] = {int(Setting.FACTOR): (stream.factor,)}
                            return ControlPointResponse(OP_START, measurement, 0, False, factor)
                        continue
                    if reply.opcode == opcode and reply.measurement_type == measurement:
                        return reply
        except TimeoutError:
            raise LinkLostError(f"the sensor did not answer a control-point request within {timeout_s:g} s") from None

    def _on_control_point(self, message: ControlPointMessage) -> None:
        if isinstance(message, ControlPointResponse):
            self.control_point.put_nowait(message)

    def elapsed_s(self) -> float:
        """Return the clock seconds since the first connection (0 before it)."""
        if self.first_connect_ns is None:
            return 0.0
        return (self.clock.monotonic_ns() - self.first_connect_ns) / 1e9

    # ----------------------------------------------------------------------------- tasks

    async def consume(self) -> None:
        while True:
            item = await self.queue.get()
            if item is None:
                return
            host_ns, channel, payload = item
            self.writer.append(host_ns, channel, payload)
            if channel not in (Channel.EVENT, Channel.PMD_CONTROL_POINT):
                self.last_data_ns = host_ns
            try:
                self.decoder.feed(host_ns, channel, payload)
            except Exception as exc:  # a decoder bug must not stop the raw log being written
                self.decode_failures += 1
                if self.decode_failures == 1:
                    logger.warning(
                        "live decoding failed (%s: %s); the raw log keeps everything", type(exc).__name__, exc
                    )
                    logger.debug("live decoding failure", exc_info=True)

    def drain_queue(self) -> None:
        """Append whatever is still queued to the log (when the consumer is gone)."""
        while not self.queue.empty():
            item = self.queue.get_nowait()
            if item is not None:
                self.writer.append(*item)

    async def flush_periodically(self) -> None:
        """Write and sync the log every SYNC_INTERVAL_S until ``closing`` is set.

        Ending on the flag, rather than by cancellation, lets a write already handed to a worker
        thread finish before the final flush and close.
        """
        while not self.closing.is_set():
            await self._sleep_unless(self.closing, SYNC_INTERVAL_S)
            await self.flush()

    async def flush(self) -> None:
        data = self.writer.take()
        if not data or self.error is not None:
            return
        try:
            await asyncio.to_thread(self.writer.write_and_sync, data)
        except OutputError as exc:
            self.error = exc
            self.stop.set()

    async def report_status(self) -> None:
        previous = 0
        while True:
            await self.clock.sleep(STATUS_INTERVAL_S)
            counts = self.decoder.sample_counts()
            main = self.decoder.imu_sample_count() or counts.get("footpod", 0)
            self._run_live_hook()
            if self.on_status is None:
                previous = main
                continue
            rsc = self.decoder.rsc
            cadence = rsc.values[-1][1] if rsc is not None and rsc.values else None
            elapsed = self.elapsed_s()
            stats = self.decoder.stats
            self.on_status(
                RecorderStatus(
                    elapsed_s=elapsed,
                    samples_per_s=(main - previous) / STATUS_INTERVAL_S,
                    samples=main,
                    bad=stats.bad,
                    dropped=stats.duplicates + self.overflows,
                    reconnects=stats.reconnects,
                    connected=self.connected,
                    live=self.live_text,
                    cadence_spm=cadence,
                )
            )
            previous = main

    def _run_live_hook(self) -> None:
        if self.live_hook is None:
            return
        task = self._live_task
        if task is not None:
            if not task.done():
                return
            if task.exception() is None:
                self.live_text = task.result()
            else:
                logger.debug("live hook failed: %s", task.exception())
        window = live_imu_window(self.decoder, LIVE_WINDOW_S, origin_ns=self.start_ns)
        if window is not None:
            self._live_task = asyncio.ensure_future(asyncio.to_thread(self.live_hook, window))

    async def watch_duration(self) -> None:
        if self.duration_s is None:
            return
        while self.first_connect_ns is None:
            await self.clock.sleep(0.05)
        await self.clock.sleep(self.duration_s)
        self.stop.set()

    async def _wait_for_drop(self, dropped: asyncio.Event) -> str:
        """Return why streaming on this link ended: 'stop', 'disconnected' or 'stalled'."""
        self.last_data_ns = self.clock.monotonic_ns()
        stop_wait = asyncio.ensure_future(self.stop.wait())
        drop_wait = asyncio.ensure_future(dropped.wait())
        try:
            while True:
                await asyncio.wait(
                    {stop_wait, drop_wait}, timeout=self.clock.wall_s(0.5), return_when="FIRST_COMPLETED"
                )
                if self.stop.is_set():
                    return "stop"
                if dropped.is_set():
                    return "disconnected"
                if self.clock.monotonic_ns() - self.last_data_ns > STALL_TIMEOUT_S * 1e9:
                    return "stalled"
        finally:
            stop_wait.cancel()
            drop_wait.cancel()

    def _drain_control_point(self) -> None:
        """Forget control-point replies of an earlier connection."""
        while not self.control_point.empty():
            self.control_point.get_nowait()

    async def run_link(self) -> None:
        """Connect, stream, and reconnect after drops until the recording stops.

        Before the first connection, a lost link is retried :data:`FIRST_CONNECT_ATTEMPTS` times
        and any other device error ends the capture. After it, every device error except a
        refused configuration is treated as a lost link and retried with back-off (BlueZ reports
        routine connection failures as errors), until the recording is stopped.
        """
        backoff = BACKOFF_INITIAL_S
        attempts = 0
        while not self.stop.is_set():
            dropped = asyncio.Event()
            link: GattLink | None = None
            self._drain_control_point()
            try:
                attempts += 1
                link = await self.connector.connect(dropped.set)
                started = await start_device(link, self, self.rate_hz)
            except DeviceRefusedError:
                if link is not None:
                    await link.disconnect()
                raise
            except DeviceError as exc:
                if link is not None:
                    await link.disconnect()
                if self.first_connect_ns is None and (
                    attempts >= FIRST_CONNECT_ATTEMPTS or not isinstance(exc, LinkLostError)
                ):
                    raise
                log = logger.warning if isinstance(exc, BluetoothUnavailableError) else logger.info
                log("connection attempt failed: %s; retrying in %.1f s", exc, backoff)
                await self._sleep_unless(self.stop, backoff)
                backoff = min(2 * backoff, BACKOFF_MAX_S)
                continue
            backoff = BACKOFF_INITIAL_S
            self.event("device", model=started.model)
            self.connected = True
            if self.first_connect_ns is None:
                self.first_connect_ns = self.clock.monotonic_ns()
            reason = await self._wait_for_drop(dropped)
            self.connected = False
            if reason == "stop":
                await self._stop_streams(link, started)
                self.event("stopped")
                return
            self.event(reason)
            logger.info("link %s; reconnecting", reason)
            await link.disconnect()

    async def _stop_streams(self, link: GattLink, started: StartedDevice) -> None:
        try:
            async with asyncio.timeout(self.clock.wall_s(3.0)):
                await stop_device(link, started.kind, self)
        except TimeoutError:
            logger.info("the device did not confirm stopping its streams")
        await link.disconnect()

    async def _sleep_unless(self, event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.clock.wall_s(seconds)):
                await event.wait()


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
    session = _Capture(
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
    workers = [
        asyncio.create_task(session.consume(), name="consume"),
        asyncio.create_task(session.flush_periodically(), name="flush"),
        asyncio.create_task(session.report_status(), name="status"),
        asyncio.create_task(session.watch_duration(), name="duration"),
    ]
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
    stats = session.decoder.stats
    elapsed = session.elapsed_s()
    return CaptureSummary(
        folder=folder,
        elapsed_s=elapsed,
        reconnects=stats.reconnects,
        bad=stats.bad,
        duplicates=stats.duplicates,
        queue_overflows=session.overflows,
        error=session.error,
        stopped_by=stopped_by,
        decode_failures=session.decode_failures,
    )


async def _shut_down(session: _Capture, workers: list[asyncio.Task[None]], writer: RawLogWriter) -> None:
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
    if session._live_task is not None:
        with contextlib.suppress(Exception):
            await session._live_task
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
