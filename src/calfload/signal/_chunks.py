"""Long signals in overlapping windows, with the results of processing them whole.

A ten-hour recording at 200 Hz is 7.2 million samples; every float64 array of that length is
58 MB, and a filter or peak search makes several. The gait analysis therefore runs its local
steps (the front end, the filters, the peak searches) window by window: each window is a core
of ``chunk_n`` samples plus ``margin_n`` samples of context on each side, and only the core's
results are kept. Steps that need the whole recording (the principal axis, percentiles, the sign
vote) run on the assembled per-sample arrays, so they are the same whatever the chunk length.

The margin is long enough for every local step: the slowest filter (a 2 Hz Butterworth
low-pass) forgets its start within about 4 s to double precision, and the widest searches (a
swing's end, 1 s; the distance between swings, 0.45 s) reach far less. Within the margin the
values agree with the whole-signal ones to rounding (about 1e-16 relative), so the events found
are the same.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload.signal._kernels import find_peaks
from calfload.signal._preprocess import lowpass

#: Context on each side of a window's core (s); see the module docstring.
CHUNK_MARGIN_S: Final = 10.0


@dataclass(frozen=True, slots=True)
class Window:
    """Samples ``[lo, hi)`` are processed; the results for ``[start, end)`` (the core) are kept."""

    lo: int
    hi: int
    start: int
    end: int

    @property
    def core(self) -> slice:
        """The core's position inside the window."""
        return slice(self.start - self.lo, self.end - self.lo)


@dataclass(frozen=True, slots=True)
class Chunks:
    """How ``n`` samples are cut into windows: cores of ``chunk_n`` samples with ``margin_n`` of context.

    Attributes
    ----------
    n
        Samples in the signal.
    chunk_n
        Samples in each core (the last may be shorter); at least ``n`` means one window.
    margin_n
        Samples of context on each side of a core.
    """

    n: int
    chunk_n: int
    margin_n: int

    @classmethod
    def of(cls, n: int, fs_hz: float, chunk_s: float | None) -> Chunks:
        """Cores of ``chunk_s`` seconds (one window when None) at ``fs_hz``, :data:`CHUNK_MARGIN_S` of context."""
        chunk_n = n if chunk_s is None else max(1, round(chunk_s * fs_hz))
        return cls(n, max(1, chunk_n), round(CHUNK_MARGIN_S * fs_hz))

    def windows(self) -> Iterator[Window]:
        """The windows, in order; their cores tile ``[0, n)``."""
        for start in range(0, self.n, self.chunk_n):
            end = min(self.n, start + self.chunk_n)
            yield Window(max(0, start - self.margin_n), min(self.n, end + self.margin_n), start, end)


def chunked_lowpass(x: np.ndarray, cutoff_hz: float, fs_hz: float, chunks: Chunks) -> np.ndarray:
    """:func:`calfload.signal._preprocess.lowpass` of a 1-D signal, window by window."""
    out = np.empty(x.shape)
    for w in chunks.windows():
        out[w.start : w.end] = lowpass(x[w.lo : w.hi, None], cutoff_hz, fs_hz)[w.core, 0]
    return out


def lowpass_in_place(x: np.ndarray, cutoff_hz: float, fs_hz: float, chunks: Chunks) -> None:
    """:func:`chunked_lowpass` of ``x`` (1-D, or ``(n, channels)``) written over ``x``, without a second whole array.

    A window reads its margins' samples, so its core is written only once no later window reads
    them (the next window starts after the core's end): the values of :func:`chunked_lowpass`.
    """
    pending: deque[tuple[Window, np.ndarray]] = deque()
    for w in chunks.windows():
        while pending and pending[0][0].end <= w.lo:
            done, core = pending.popleft()
            x[done.start : done.end] = core
        window = x[w.lo : w.hi]
        pending.append(
            (w, lowpass(window.reshape(window.shape[0], -1), cutoff_hz, fs_hz)[w.core].reshape(-1, *x.shape[1:]))
        )
    for done, core in pending:
        x[done.start : done.end] = core


def chunked_peaks(
    x: np.ndarray,
    chunks: Chunks,
    *,
    height: float | None = None,
    distance: int | None = None,
    prominence: float | None = None,
) -> np.ndarray:
    """Indices of :func:`calfload.signal._kernels.find_peaks` of ``x``, searched window by window."""
    found = []
    for w in chunks.windows():
        peaks, _ = find_peaks(x[w.lo : w.hi], height=height, distance=distance, prominence=prominence)
        peaks = peaks + w.lo
        found.append(peaks[(peaks >= w.start) & (peaks < w.end)])
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


__all__ = ["CHUNK_MARGIN_S", "Chunks", "Window", "chunked_lowpass", "chunked_peaks", "lowpass_in_place"]
