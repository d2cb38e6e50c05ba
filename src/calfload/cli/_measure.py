"""Options that take a measure in a metric unit or its imperial twin (``--distance-km`` / ``--distance-mi``).

Apart from :mod:`calfload.cli._common` so that the commands without such options (``analyze``,
``review``) do not create :class:`MeasureRange` (a frozen dataclass: its methods are generated
when the class is created, at every start).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from calfload.errors import CalfloadError, JournalError
from calfload.units import CM_PER_INCH, KG_PER_LB, KM_PER_MILE

#: Metric unit -> (its imperial twin, what the twin's value is multiplied by to give the metric one).
IMPERIAL_TWINS: Final = {"km": ("mi", KM_PER_MILE), "kg": ("lb", KG_PER_LB), "cm": ("in", CM_PER_INCH)}


@dataclass(frozen=True)
class MeasureRange:
    """The values a measure may take, in its metric unit: from ``low`` (excluded with ``above_low``) to ``high``.

    ``refuse`` is the error a value outside them raises (its exit code): :class:`JournalError` for
    what the journal keeps, :class:`DataError` for what an analysis needs.
    """

    low: float
    high: float
    above_low: bool = False
    refuse: type[CalfloadError] = JournalError

    def check(self, value: float, *, what: str, unit: str, factor: float = 1.0) -> float:
        """``value`` (in ``unit``, ``factor`` of the metric unit) as metric, or the error in ``unit``.

        The range is said in ``unit``, rounded inwards so that every value it allows is allowed
        (``--added-load-lb must be from 0 to 440.9 lb, not 500``).
        """
        low, high = self.low / factor, self.high / factor
        too_low = value <= low if self.above_low else value < low
        if not math.isfinite(value) or too_low or value > high:
            lo_text, hi_text = f"{math.ceil(low * 10) / 10:g}", f"{math.floor(high * 10) / 10:g}"
            allowed = (
                f"above {lo_text} and at most {hi_text} {unit}"
                if self.above_low
                else f"from {lo_text} to {hi_text} {unit}"
            )
            raise self.refuse(f"{what} must be {allowed}, not {value:g}", value=value, expected=f"{allowed}")
        # a value at a bound in lb or miles may land a rounding error outside it in kg or km
        return min(max(value * factor, self.low), self.high)


def add_measure(
    parser: argparse.ArgumentParser,
    flag: str,
    *,
    help: str,  # noqa: A002
    limits: MeasureRange | None = None,
    dest: str | None = None,
    metavar: str | None = None,
) -> None:
    """Add a metric option and its imperial twin (``--distance-km`` and ``--distance-mi``).

    The two exclude each other and store the same metric value under one ``dest``: what the
    journal keeps is SI whichever was given. A value outside ``limits`` is refused in the unit and
    flag the user typed, with ``limits.refuse``'s exit code.
    """
    unit = flag.rsplit("-", 1)[1]
    imperial, factor = IMPERIAL_TWINS[unit]
    twin = flag[: -len(unit)] + imperial
    dest = dest or flag[2:].replace("-", "_")
    group = parser.add_mutually_exclusive_group()
    for option, shown, times, metavar_text, help_text in (
        (flag, unit, 1.0, metavar or unit.upper(), help),
        (twin, imperial, factor, imperial.upper(), f"{flag} in {imperial}"),
    ):
        group.add_argument(
            option,
            dest=dest,
            type=_number(shown),
            action=_Measure,
            unit=shown,
            factor=times,
            limits=limits,
            metavar=metavar_text,
            help=help_text,
        )


def _number(unit: str) -> Callable[[str], float]:
    """An argparse type: a number of ``unit``, said in the message when it is not one."""

    def parse(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"give a number of {unit}, not {text[:40]!r}") from None

    return parse


class _Measure(argparse.Action):
    """Store a measure in its metric unit, after checking it in the unit typed (:meth:`MeasureRange.check`).

    The error is raised here rather than in the type, where argparse would turn it into a usage
    error; the command line prints it as one line with its exit code.
    """

    def __init__(
        self,
        option_strings: list[str],
        dest: str,
        *,
        unit: str,
        factor: float,
        limits: MeasureRange | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(option_strings, dest, **kwargs)
        self.unit, self.factor, self.limits = unit, factor, limits

    def __call__(
        self,
        parser: argparse.ArgumentParser,  # noqa: ARG002
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        value = float(str(values))
        if self.limits is None:
            metric = value * self.factor
        else:
            metric = self.limits.check(value, what=option_string or self.dest, unit=self.unit, factor=self.factor)
        setattr(namespace, self.dest, metric)


__all__ = ["IMPERIAL_TWINS", "MeasureRange", "add_measure"]
