"""Two sensors in one session: both feet recorded at once on one host clock.

``calfload record --device L --device R --side left --side right --out DIR`` runs one capture per
sensor in one event loop, on one clock, into ``DIR/left`` and ``DIR/right`` (each a complete
recording folder that ``calfload recover`` can finish on its own). Finalising maps each sensor's
clock onto the host clock as for one sensor (:mod:`calfload.ingest.timeline`: the lower envelope
of the receive times, with the drift corrected), gives both the same ``t_s = 0`` (the earliest
sample of either), and writes ``DIR/session.json`` with each clock's measured drift and the
residual offset between the two sensors after alignment.

The residual is estimated from the data: per :data:`~calfload.ingest.timeline.DRIFT_WINDOW_S`
window, the least-delayed frame of each sensor sits some latency above its fitted line; the
difference between the two sensors' latencies in the same window is how far their timelines can
disagree there.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from calfload._files import write_bytes_atomic
from calfload._stats import unique
from calfload.errors import DataError
from calfload.ingest.decoding import SessionDecoder
from calfload.ingest.finalize import FinalizeResult, decode_session, finalize_session
from calfload.ingest.pmd import MeasurementType
from calfload.ingest.timeline import DRIFT_WINDOW_S, collect_streams, fit_device_clock

if TYPE_CHECKING:
    from calfload.ingest.clock import Clock
    from calfload.ingest.link import Connector
    from calfload.ingest.rawlog import SessionHeader
    from calfload.ingest.recorder import CaptureSummary, LiveHook, RecorderStatus

    StatusHook = Callable[[RecorderStatus], None]

SIDES: Final = ("left", "right")
PAIR_FILE: Final = "session.json"


@dataclass(frozen=True, slots=True)
class SensorClock:
    """How one sensor's clock was put on the host clock.

    Parameters
    ----------
    side
        ``left`` or ``right``.
    device_timed
        True when the sensor stamps its samples (Polar PMD); False when samples are placed by
        their receive times (WitMotion, foot pods).
    drift_ppm
        Measured rate of the sensor's clock against the host's, corrected (0 when host-timed or
        too short to measure).
    window_latency_ms
        Per window, the least-delayed frame's distance above the fitted line (device-timed only).
    """

    side: str
    device_timed: bool
    drift_ppm: float
    window_latency_ms: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class PairAlignment:
    """What ``DIR/session.json`` records about the two clocks.

    Parameters
    ----------
    t0_monotonic_ns
        Host time of ``t_s = 0`` for both sensors.
    residual_offset_ms
        Largest estimated disagreement between the two timelines after alignment (None when a
        sensor is host-timed: both are then on the host clock, up to their link latencies).
    sensors
        Each sensor's clock.
    """

    t0_monotonic_ns: int
    residual_offset_ms: float | None
    sensors: tuple[SensorClock, ...]


def side_folders(out: Path) -> tuple[Path, Path]:
    """The left and right recording folders of a two-sensor session."""
    return out / SIDES[0], out / SIDES[1]


def _sensor_clock(decoder: SessionDecoder, folder: Path, side: str) -> tuple[SensorClock, float]:
    """A side's clock and the host time of its earliest sample."""
    streams, _ = collect_streams(decoder)
    if not streams:
        raise DataError("no samples were received", source=str(folder))
    first_ns = min(float(s.host_ns[0]) for s in streams)
    acc = decoder.pmd.get(MeasurementType.ACC)
    if acc is None or len(acc.anchors_host_ns) < 3 or acc.clock_segments:
        return SensorClock(side, False, 0.0, ()), first_ns
    device = np.asarray(acc.anchors_device_ns, dtype=np.int64)
    host = np.asarray(acc.anchors_host_ns, dtype=np.int64)
    clock = fit_device_clock(device, host)
    above = host - clock.to_host_ns(device)
    window = np.floor((host - host[0]) / (DRIFT_WINDOW_S * 1e9)).astype(np.int64)
    latency = [float(above[window == w].min()) / 1e6 for w in unique(window)]
    return SensorClock(side, True, (1.0 / clock.slope - 1.0) * 1e6, tuple(latency)), first_ns


def _residual_ms(left: SensorClock, right: SensorClock) -> float | None:
    if not (left.device_timed and right.device_timed):
        return None
    n = min(len(left.window_latency_ms), len(right.window_latency_ms))
    if n == 0:
        return None
    diff = np.subtract(left.window_latency_ms[:n], right.window_latency_ms[:n])
    return float(np.max(np.abs(diff)))


def finalize_pair(out: Path) -> tuple[tuple[FinalizeResult, FinalizeResult], PairAlignment]:
    """Finalise both sides on one ``t_s = 0`` and write ``out/session.json``.

    Raises
    ------
    DataError
        If a side holds nothing to save.
    OutputError
        If a file cannot be written.
    """
    folders = side_folders(out)
    decoded = [decode_session(folder) for folder in folders]
    clocks = [_sensor_clock(d[1], f, side) for d, f, side in zip(decoded, folders, SIDES, strict=True)]
    t0_ns = min(first for _, first in clocks)
    results = (
        finalize_session(folders[0], t0_ns=t0_ns, decoded=decoded[0]),
        finalize_session(folders[1], t0_ns=t0_ns, decoded=decoded[1]),
    )
    left, right = clocks[0][0], clocks[1][0]
    alignment = PairAlignment(round(t0_ns), _residual_ms(left, right), (left, right))
    doc = {"folders": list(SIDES), **asdict(alignment)}
    write_bytes_atomic(out / PAIR_FILE, json.dumps(doc, indent=2).encode(), overwrite=True)
    return results, alignment


async def capture_pair(
    connectors: tuple[Connector, Connector],
    out: Path,
    headers: tuple[SessionHeader, SessionHeader],
    *,
    clock: Clock,
    duration_s: float | None,
    stop: asyncio.Event | None = None,
    on_status: tuple[StatusHook | None, StatusHook | None] = (None, None),
    live_hooks: tuple[LiveHook | None, LiveHook | None] = (None, None),
) -> tuple[CaptureSummary, CaptureSummary]:
    """Record the left and right sensor at once, on ``clock``, into ``out/left`` and ``out/right``.

    Both stop together: on ``stop``, at ``duration_s``, or when either fails (the other is then
    stopped cleanly and the error raised).
    """
    from calfload._files import private_dir
    from calfload.ingest.recorder import capture

    stop = stop or asyncio.Event()
    private_dir(out)
    tasks = [
        asyncio.ensure_future(capture(c, f, h, clock=clock, duration_s=duration_s, stop=stop, on_status=s, live_hook=k))
        for c, f, h, s, k in zip(connectors, side_folders(out), headers, on_status, live_hooks, strict=True)
    ]
    try:
        left, right = await asyncio.gather(*tasks)
    except BaseException:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return left, right


__all__ = ["PAIR_FILE", "SIDES", "PairAlignment", "SensorClock", "capture_pair", "finalize_pair", "side_folders"]
