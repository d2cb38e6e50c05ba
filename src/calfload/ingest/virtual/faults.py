"""Faults a virtual device injects on demand, from ``--fault`` specifications.

=========================  ============================================================
``disconnect@5s:3s``       the link drops at 5 s and the device is off the air for 3 s
                           (a link made before 8 s drops even if the host runs late)
``stall@10s:2s``           the link stays up but no notification arrives for 2 s
                           (the samples of those 2 s are lost, as when a sensor's buffer
                           overflows; a Polar loses the samples it took in them, by its
                           own clock, whenever the host reads)
``garbage:0.05``           5 % of notifications are preceded by a malformed one (extra
                           notifications: no data is lost)
``duplicate:0.01``         1 % of notifications are delivered twice
``lost-reply@5s``          the first reply to starting the gyroscope after 5 s is lost
                           (the stream starts all the same)
=========================  ============================================================

Times are seconds since the recorder first tried to connect to the device (a connection takes
0.05 s), not since the device was switched on: on a busy computer ``record`` may take seconds to
start, and a window counted from the switch-on could pass before the streams start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from calfload.errors import CalfloadError


class FaultSpecError(CalfloadError):
    """A ``--fault`` value cannot be understood (exit code 2, a usage error)."""

    exit_code = 2


_WINDOW: Final = re.compile(r"^(disconnect|stall)@(\d+(?:\.\d+)?)s?:(\d+(?:\.\d+)?)s?$")
_RATE: Final = re.compile(r"^(garbage|duplicate):(\d*\.?\d+)$")
_LOST_REPLY: Final = re.compile(r"^lost-reply@(\d+(?:\.\d+)?)s?$")


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """The faults of one virtual device.

    Parameters
    ----------
    disconnects
        ``(start_s, duration_s)`` windows during which the device is off the air.
    stalls
        ``(start_s, duration_s)`` windows during which notifications are lost.
    garbage_fraction
        Share of notifications preceded by a malformed one.
    duplicate_fraction
        Share of notifications delivered twice.
    lost_replies
        Times after which the next gyroscope start reply is not delivered.
    seed
        Seed of the random choices.
    """

    disconnects: tuple[tuple[float, float], ...] = ()
    stalls: tuple[tuple[float, float], ...] = ()
    garbage_fraction: float = 0.0
    duplicate_fraction: float = 0.0
    seed: int = 0
    specs: tuple[str, ...] = field(default=())
    lost_replies: tuple[float, ...] = ()

    def off_air(self, t_s: float) -> bool:
        """Whether the device is unreachable at ``t_s``."""
        return any(a <= t_s < a + d for a, d in self.disconnects)

    def stalled(self, t_s: float) -> bool:
        """Whether notifications are being lost at ``t_s``."""
        return any(a <= t_s < a + d for a, d in self.stalls)


def parse_faults(specs: Iterable[str], *, seed: int = 0) -> FaultPlan:
    """Parse ``--fault`` values into a :class:`FaultPlan`.

    Raises
    ------
    FaultSpecError
        If a value is not one of the documented forms.

    Examples
    --------
    >>> parse_faults(["disconnect@5s:3s", "garbage:0.05"]).disconnects
    ((5.0, 3.0),)
    """
    disconnects: list[tuple[float, float]] = []
    stalls: list[tuple[float, float]] = []
    garbage = duplicate = 0.0
    lost: list[float] = []
    specs = tuple(specs)
    for spec in specs:
        text = spec.strip().lower()
        if m := _WINDOW.match(text):
            window = (float(m.group(2)), float(m.group(3)))
            (disconnects if m.group(1) == "disconnect" else stalls).append(window)
        elif m := _LOST_REPLY.match(text):
            lost.append(float(m.group(1)))
        elif m := _RATE.match(text):
            value = float(m.group(2))
            if not 0 <= value <= 1:
                raise FaultSpecError(
                    f"`fault` {spec}: the fraction must be between 0 and 1", value=spec, parameter="fault"
                )
            if m.group(1) == "garbage":
                garbage = value
            else:
                duplicate = value
        else:
            raise FaultSpecError(
                f"`fault` {spec!r} is not understood; "
                "use disconnect@5s:3s, stall@10s:2s, garbage:0.05, duplicate:0.01 or lost-reply@5s",
                value=spec,
                parameter="fault",
            )
    return FaultPlan(tuple(disconnects), tuple(stalls), garbage, duplicate, seed, specs, tuple(sorted(lost)))


__all__ = ["FaultPlan", "FaultSpecError", "parse_faults"]
