"""Samples of one PMD stream placed on the sensor's own clock, frame by frame.

A frame's timestamp belongs to its last sample (the Polar SDK's rule); the samples are spread
evenly since the previous frame, or at the nominal period after a reconnect or a loss. Samples
not later than the last kept one are duplicates. A frame whose timestamp does not continue the
stream is a reset or jumped clock after a reconnect; within a connection it is held back and
rejected on its own, unless :data:`CONFIRM_FRAMES` frames in a row confirm a new clock.
:class:`~calfload.ingest.decoding.SessionDecoder` keeps one per started measurement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

from calfload.errors import DecodeError
from calfload.ingest.pmd import MeasurementType

#: Fraction of the nominal period that frame-to-frame spacing may deviate before it is a gap.
PERIOD_TOLERANCE: Final = 0.2
#: Frames in a row, continuing each other but not their stream, that confirm a jumped device clock.
CONFIRM_FRAMES: Final = 3
#: Recent frames whose receive times say where the device clock should be (about 6 s of a
#: Polar's frames; short enough that 30 ppm of drift moves the estimate by microseconds).
RECENT_ANCHORS: Final = 64


@dataclass(slots=True)
class PmdStream:
    """Samples of one PMD measurement (accelerometer or gyroscope) in device time.

    Parameters
    ----------
    measurement
        :class:`~calfload.ingest.pmd.MeasurementType` value.
    rate_hz, resolution_bits, channels
        As requested in the start command.
    factor
        From the start response.
    """

    measurement: int
    rate_hz: float
    resolution_bits: int = 16
    channels: int = 3
    factor: float = 1.0
    prev_frame_ns: int | None = None
    last_sample_ns: int | None = None
    device_ns: list[np.ndarray] = field(default_factory=list)
    values: list[np.ndarray] = field(default_factory=list)
    anchors_device_ns: list[int] = field(default_factory=list)
    anchors_host_ns: list[int] = field(default_factory=list)
    gaps_device_ns: list[tuple[int, int]] = field(default_factory=list)
    #: Index of the first chunk (and anchor) of each device-clock segment after the first.
    clock_segments: list[int] = field(default_factory=list)
    #: Clock segment of each entry of ``gaps_device_ns``.
    gaps_segment: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    count: int = 0
    #: Whether ``factor`` came from a start reply (not the default).
    factor_known: bool = False
    #: Frames out of line with the stream, held back until more confirm a new clock.
    held: list[tuple[int, np.ndarray, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The measurement's name (``ACC``, ``GYRO``)."""
        try:
            return MeasurementType(self.measurement).name
        except ValueError:
            return f"measurement {self.measurement}"

    def _out_of_line(self, timestamp_ns: int, n: int, host_ns: int) -> bool:
        """Whether a frame's timestamp does not continue the stream's device clock.

        Going back by up to about a frame is a repeat of data already kept (dropped as a
        duplicate); further back, or stamped clearly later than the host's receive time allows
        (against the recent frames' earliest arrivals), is a reset or jumped clock, or a malformed
        timestamp.
        """
        if self.last_sample_ns is None or not self.anchors_host_ns:
            return False
        frame_ns = n * 1e9 / self.rate_hz
        device_gap = timestamp_ns - self.last_sample_ns
        # A frame reaches the host late, never before it was stamped: the smallest host-minus-
        # device offset of the recent frames is the nearest to the true one (the last frame's
        # alone may have come late, which would make a prompt frame look early).
        segment_start = self.clock_segments[-1] if self.clock_segments else 0
        recent = slice(max(segment_start, len(self.anchors_host_ns) - RECENT_ANCHORS), None)
        best_offset = min(
            h - d for h, d in zip(self.anchors_host_ns[recent], self.anchors_device_ns[recent], strict=True)
        )
        ahead_ns = best_offset - (host_ns - timestamp_ns)
        return device_gap < -1.5 * frame_ns or ahead_ns > max(0.5e9, 2 * frame_ns)

    def _new_clock(self, timestamp_ns: int, why: str) -> None:
        """Start a new device-clock segment at the frame stamped ``timestamp_ns``."""
        direction = "back" if self.last_sample_ns is not None and timestamp_ns < self.last_sample_ns else "forward"
        self.notes.append(
            f"the sensor's clock jumped {direction} {why}; the samples after it are timed on their own clock"
        )
        self.clock_segments.append(len(self.anchors_host_ns))
        self.last_sample_ns = None
        self.prev_frame_ns = None

    def _hold_back(self, timestamp_ns: int, samples: np.ndarray, host_ns: int) -> bool:
        """Hold back a frame that is out of line within a connection; True once a new clock is confirmed.

        A single frame off the line is a malformed timestamp and is rejected on its own. When
        :data:`CONFIRM_FRAMES` frames in a row continue each other but not the stream, the
        sensor's clock really jumped: they start a new clock segment.
        """
        held = self.held
        if held:
            last_ts, _, last_host = held[-1]
            frame_ns = samples.shape[0] * 1e9 / self.rate_hz
            gap = timestamp_ns - last_ts
            if not -0.5 * frame_ns < gap <= (host_ns - last_host) + max(0.5e9, 2 * frame_ns):
                held.clear()
        held.append((timestamp_ns, samples, host_ns))
        return len(held) >= CONFIRM_FRAMES

    def add_frame(self, timestamp_ns: int, samples: np.ndarray, host_ns: int) -> int:
        """Place a decoded frame's samples in device time; return how many were new.

        Raises
        ------
        DecodeError
            If the frame's timestamp is out of line with the stream within a connection (held
            back: it is used only if the following frames confirm a new clock).
        """
        n = samples.shape[0]
        if self._out_of_line(timestamp_ns, n, host_ns):
            if self.prev_frame_ns is None:
                self._new_clock(timestamp_ns, "after a reconnect")
            elif self._hold_back(timestamp_ns, samples, host_ns):
                frames, self.held = self.held, []
                self._new_clock(frames[0][0], "during the recording")
                return sum(self._place(*frame) for frame in frames)
            else:
                gap_s = (timestamp_ns - (self.last_sample_ns or 0)) / 1e9
                raise DecodeError(f"PMD frame dated {gap_s:+.3g} s off its stream's clock; skipped")
        self.held.clear()
        return self._place(timestamp_ns, samples, host_ns)

    def _place(self, timestamp_ns: int, samples: np.ndarray, host_ns: int) -> int:
        n = samples.shape[0]
        nominal_ns = 1e9 / self.rate_hz
        step_ns = nominal_ns
        if self.prev_frame_ns is not None:
            spacing = (timestamp_ns - self.prev_frame_ns) / n
            if abs(spacing - nominal_ns) <= PERIOD_TOLERANCE * nominal_ns:
                step_ns = spacing
        times = timestamp_ns - np.round(step_ns * np.arange(n - 1, -1, -1)).astype(np.int64)
        if self.last_sample_ns is not None:
            keep = times > self.last_sample_ns
            if not keep.all():
                times, samples = times[keep], samples[keep]
            if times.size and times[0] - self.last_sample_ns > (1 + PERIOD_TOLERANCE) * max(step_ns, nominal_ns):
                self.gaps_device_ns.append((self.last_sample_ns, int(times[0])))
                self.gaps_segment.append(len(self.clock_segments))
        self.prev_frame_ns = timestamp_ns
        if not times.size:
            return 0
        self.device_ns.append(times)
        self.values.append(samples.astype(np.float32))
        self.anchors_device_ns.append(timestamp_ns)
        self.anchors_host_ns.append(host_ns)
        self.last_sample_ns = int(times[-1])
        self.count += times.size
        return int(times.size)


__all__ = ["CONFIRM_FRAMES", "PERIOD_TOLERANCE", "PmdStream"]
