"""One capture session: the data path from notification to raw log, and the link task.

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

A :class:`RecorderStatus` goes to ``on_status`` every second; an optional live hook gets the
recent motion samples in a worker thread (so analysis never delays the data path) and returns a
short text for the status line, for example the rep count.

:func:`calfload.ingest.recorder.capture` creates the folder, runs a session and shuts it down.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, Final

from calfload._logger import package_logger
from calfload.errors import DeviceError
from calfload.ingest.clock import Clock
from calfload.ingest.decoding import SessionDecoder
from calfload.ingest.devices import DeviceIO, StartedDevice, start_device, stop_device
from calfload.ingest.gatt import Channel, DeviceKind
from calfload.ingest.link import BluetoothUnavailableError, Connector, DeviceRefusedError, GattLink, LinkLostError
from calfload.ingest.live import LiveHook, RecorderStatus, live_imu_window
from calfload.ingest.pmd import OP_START, ControlPointMessage, ControlPointResponse, Setting
from calfload.ingest.rawlog import SYNC_INTERVAL_S, OutputError, RawLogWriter, encode_event

logger = package_logger(__name__)

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


class CaptureSession(DeviceIO):
    """One capture session (internal; use :func:`calfload.ingest.recorder.capture`)."""

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
        self.footpod = False  # the device connected is a foot pod (about one packet a second)
        self.decode_failures = 0
        self.closing = asyncio.Event()
        self.live_task: asyncio.Future[str | None] | None = None

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
        """Append each queued record to the raw log and feed it to the live decoder, until the end marker."""
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
        """Write and sync what the log holds; an output error stops the recording."""
        data = self.writer.take()
        if not data or self.error is not None:
            return
        try:
            await asyncio.to_thread(self.writer.write_and_sync, data)
        except OutputError as exc:
            self.error = exc
            self.stop.set()

    async def report_status(self) -> None:
        """Send a :class:`RecorderStatus` every STATUS_INTERVAL_S and start the live hook."""
        previous = 0
        while True:
            await self.clock.sleep(STATUS_INTERVAL_S)
            counts = self.decoder.sample_counts()
            imu = self.decoder.imu_sample_count()
            main = imu or counts.get("footpod", 0)
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
                    footpod=self.footpod,
                )
            )
            previous = main

    def _run_live_hook(self) -> None:
        if self.live_hook is None:
            return
        task = self.live_task
        if task is not None:
            if not task.done():
                return
            if task.exception() is None:
                self.live_text = task.result()
            else:
                logger.debug("live hook failed: %s", task.exception())
        window = live_imu_window(self.decoder, LIVE_WINDOW_S, origin_ns=self.start_ns)
        if window is not None:
            self.live_task = asyncio.ensure_future(asyncio.to_thread(self.live_hook, window))

    async def watch_duration(self) -> None:
        """Stop the recording ``duration_s`` after the first connection."""
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
            self.footpod = started.kind == DeviceKind.FOOTPOD
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


__all__ = ["CaptureSession"]
