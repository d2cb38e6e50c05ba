"""The recorder's host clock: real monotonic time, or a faster one for virtual devices in tests.

Everything in the collector that reads the time or waits goes through a :class:`Clock`, so a
virtual device and the recorder can share a clock running ``time_scale`` times faster than the
wall clock. Device-side quantities (sample rates, fault times, back-off) are then all expressed
in the clock's seconds and stay consistent.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Protocol


class Clock(Protocol):
    """A monotonic clock the recorder reads and sleeps on."""

    @property
    def time_scale(self) -> float:
        """How many clock seconds pass per wall-clock second."""
        ...

    def monotonic_ns(self) -> int:
        """Return the current time in ns (monotonic, arbitrary origin)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of clock time."""
        ...

    def wall_s(self, seconds: float) -> float:
        """Convert clock seconds into wall seconds (for timeouts handed to other libraries)."""
        ...


@dataclass(frozen=True, slots=True)
class MonotonicClock:
    """The host's monotonic clock (``time.monotonic_ns``)."""

    time_scale: float = 1.0

    def monotonic_ns(self) -> int:
        """Return ``time.monotonic_ns()``."""
        return time.monotonic_ns()

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds``."""
        await asyncio.sleep(seconds)

    def wall_s(self, seconds: float) -> float:
        """Return ``seconds`` unchanged."""
        return seconds


@dataclass(frozen=True, slots=True)
class ScaledClock:
    """A monotonic clock running ``time_scale`` times faster than the wall clock.

    It reads as the host monotonic clock at the moment it was created and then advances
    ``time_scale`` ns per wall-clock ns.
    """

    time_scale: float
    origin_ns: int = field(default_factory=time.monotonic_ns)

    def monotonic_ns(self) -> int:
        """Return the scaled time."""
        return self.origin_ns + round((time.monotonic_ns() - self.origin_ns) * self.time_scale)

    async def sleep(self, seconds: float) -> None:
        """Sleep ``seconds`` of scaled time."""
        await asyncio.sleep(seconds / self.time_scale)

    def wall_s(self, seconds: float) -> float:
        """Return the wall-clock length of ``seconds`` of scaled time."""
        return seconds / self.time_scale


def make_clock(time_scale: float = 1.0) -> Clock:
    """Return the real clock for ``time_scale == 1``, else a :class:`ScaledClock`."""
    return MonotonicClock() if time_scale == 1.0 else ScaledClock(time_scale)


__all__ = ["Clock", "MonotonicClock", "ScaledClock", "make_clock"]
