"""Argument types and helpers shared by command modules (no heavy imports here)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

from calfload.errors import CalfloadError, JournalError
from calfload.units import CM_PER_INCH, KG_PER_LB, KM_PER_MILE

if TYPE_CHECKING:
    from calfload.ingest.csv_formats import ColumnMap


def bounded_float(low: float, high: float, *, what: str) -> Callable[[str], float]:
    """An argparse type accepting a float in ``[low, high]`` with a message that says the range."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low:g} and {high:g}, not {value:g}")
        return value

    return parse


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


COLUMNS_HELP = (
    "name CSV columns spelled otherwise, e.g. t_ms=timestamp,acc_x_mps2=ax,...,gyr_z_dps=gz "
    "(time targets: t_s, t_ms, t_us, t_ns)"
)


def column_map(text: str) -> ColumnMap:
    """An argparse type for ``--columns``: a :class:`calfload.ingest.csv_formats.ColumnMap`."""
    from calfload.cli._errors import cli_message
    from calfload.errors import DataError
    from calfload.ingest.csv_formats import ColumnMap

    try:
        return ColumnMap.parse(text)
    except DataError as exc:
        raise argparse.ArgumentTypeError(cli_message(exc)) from None


def print_json(obj: object) -> None:
    """Print one JSON object on stdout (no NaN: those become null).

    Typed values are serialised here, at the edge: dataclasses become objects (their fields),
    dates and times ISO 8601 text, paths text, enums their values. The text is made first and
    written once: ``json.dump`` with an indent writes every token on its own (about 9,000 writes
    for an hour's run, each through the terminal filter), and a value it cannot encode would
    leave half an object on stdout.
    """
    sys.stdout.write(json.dumps(_finite(obj), indent=1, ensure_ascii=False, allow_nan=False) + "\n")


#: JSON's own values, returned as they are by :func:`_finite` (exact types: subclasses such as an
#: ``IntEnum`` or ``numpy.float64`` take the full rule).
_PLAIN: Final = frozenset({str, int, bool, type(None)})


def _finite(obj: object) -> object:
    """``obj`` with its typed values made JSON's and non-finite floats None.

    The plain types come first, by exact type: most of an analysis's values are floats, strings
    and numbers in dicts and lists, and the full rule's imports and checks per value cost a run
    hour's output about 5 ms (loaded).
    """
    kind = type(obj)
    if kind is float:
        return obj if math.isfinite(cast("float", obj)) else None
    if kind in _PLAIN:
        return obj
    if kind is dict:
        return {str(k): _finite(v) for k, v in cast("dict[object, object]", obj).items()}
    if kind is list or kind is tuple:
        return [_finite(v) for v in cast("Sequence[object]", obj)]
    return _typed(obj)


def _typed(obj: object) -> object:
    """:func:`_finite` of any other value: subclasses, dataclasses, dates, paths, enums, sets."""
    import dataclasses
    import datetime as dt
    import enum
    from pathlib import PurePath

    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | frozenset | set):
        return [_finite(v) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _finite(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dt.date | dt.datetime | dt.time):
        return obj.isoformat()
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return _finite(obj.value)
    return obj
