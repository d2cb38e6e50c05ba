"""Live feedback while recording: the recent motion samples on a provisional clock, the status line.

The final timeline (drift-corrected, lower-envelope offsets) needs the whole session; live
feedback only needs the last few seconds on a clock that is right to within the link latency.
PMD samples are placed with the offset of the newest frame (device time to host time); WitMotion
samples are spaced at the nominal period back from the newest receive time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from calfload.ingest.decoding import PmdStream, SessionDecoder
from calfload.ingest.pmd import MeasurementType
from calfload.units import STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True)
class LiveWindow:
    """Recent six-axis samples.

    Parameters
    ----------
    t_s
        Sample times, seconds since the recording started (provisional clock).
    acc_mps2
        Specific force, shape ``(n, 3)``.
    gyr_dps
        Angular rate, shape ``(n, 3)``.
    sample_rate_hz
        Nominal rate.
    """

    t_s: np.ndarray
    acc_mps2: np.ndarray
    gyr_dps: np.ndarray
    sample_rate_hz: float


def _recent_pmd(stream: PmdStream, window_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Host-clock times (ns, float) and values of a PMD stream's last ``window_s``."""
    need = int(window_s * stream.rate_hz) + 1
    times: list[np.ndarray] = []
    values: list[np.ndarray] = []
    have = 0
    for t, v in zip(reversed(stream.device_ns), reversed(stream.values), strict=True):
        times.append(t)
        values.append(v)
        have += t.size
        if have >= need:
            break
    offset = stream.anchors_host_ns[-1] - stream.anchors_device_ns[-1]
    device = np.concatenate(times[::-1])[-need:]
    return (device + offset).astype(np.float64), np.concatenate(values[::-1])[-need:].astype(np.float64)


def live_imu_window(decoder: SessionDecoder, window_s: float, *, origin_ns: int) -> LiveWindow | None:
    """Return the last ``window_s`` of six-axis motion, or None when there is none yet.

    Parameters
    ----------
    decoder
        The recorder's live decoder.
    window_s
        How much recent data to return.
    origin_ns
        Host time of ``t_s = 0``.
    """
    acc = decoder.pmd.get(MeasurementType.ACC)
    gyr = decoder.pmd.get(MeasurementType.GYRO)
    if acc is not None and gyr is not None and acc.count > 1 and gyr.count > 1:
        t_acc, v_acc = _recent_pmd(acc, window_s)
        t_gyr, v_gyr = _recent_pmd(gyr, window_s)
        gyro = np.column_stack([np.interp(t_acc, t_gyr, v_gyr[:, i]) for i in range(3)])
        return LiveWindow((t_acc - origin_ns) / 1e9, v_acc, gyro, acc.rate_hz)
    wit = decoder.witmotion
    if wit is not None and wit.count > 1:
        n = min(wit.count, int(window_s * wit.rate_hz) + 1)
        rows = np.asarray(wit.values[-n:], dtype=np.float64)
        t_s = (wit.host_ns[-1] - origin_ns) / 1e9 - np.arange(n - 1, -1, -1) / wit.rate_hz
        return LiveWindow(t_s, rows[:, :3] * STANDARD_GRAVITY_MPS2, rows[:, 3:6], wit.rate_hz)
    return None


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
    footpod
        Whether the main stream is a foot pod's: about one measurement (one notification) a
        second, so the status leads with the cadence and counts packets, not samples.
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
    footpod: bool = False

    def line(self) -> str:
        """Return the status as one line."""
        minutes, seconds = divmod(int(self.elapsed_s), 60)
        parts = [
            f"{minutes:02d}:{seconds:02d}",
            self.rate_text() if self.connected else "reconnecting…",
            f"bad {self.bad}",
            f"dropped {self.dropped}",
            f"reconnects {self.reconnects}",
        ]
        if self.cadence_spm is not None:
            parts.append(f"cadence {self.cadence_spm:.0f} spm")
        if self.live:
            parts.append(self.live)
        return " | ".join(parts)

    def rate_text(self) -> str:
        """What arrives per second: samples of a motion sensor, packets of a foot pod."""
        if self.footpod:
            return f"{self.samples_per_s:.0f} packet{'' if round(self.samples_per_s) == 1 else 's'}/s"
        return f"{self.samples_per_s:.0f} samples/s"


__all__ = ["LiveHook", "LiveWindow", "RecorderStatus", "live_imu_window"]
