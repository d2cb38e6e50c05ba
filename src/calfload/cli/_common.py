"""Argument types and helpers shared by command modules (no heavy imports here)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any, Final

from calfload.units import CM_PER_INCH, KG_PER_LB, KM_PER_MILE


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


def add_measure(
    parser: Any,
    flag: str,
    *,
    help: str,  # noqa: A002
    type: Callable[[str], float] = float,  # noqa: A002
    dest: str | None = None,
    metavar: str | None = None,
) -> None:
    """Add a metric option and its imperial twin (``--distance-km`` and ``--distance-mi``).

    The two exclude each other and store the same metric value under one ``dest``: what the
    journal keeps is SI whichever was given. ``type`` checks the metric value (its range).
    """
    unit = flag.rsplit("-", 1)[1]
    imperial, factor = IMPERIAL_TWINS[unit]
    twin = flag[: -len(unit)] + imperial
    dest = dest or flag[2:].replace("-", "_")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(flag, dest=dest, type=type, metavar=metavar or unit.upper(), help=help)
    group.add_argument(
        twin,
        dest=dest,
        type=_imperial(type, factor, imperial, unit),
        metavar=imperial.upper(),
        help=f"{flag} in {imperial}",
    )


def _imperial(parse: Callable[[str], float], factor: float, unit: str, metric: str) -> Callable[[str], float]:
    """An argparse type: a number of ``unit`` converted to ``metric`` and checked by ``parse``."""

    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"give a number of {unit}, not {text[:40]!r}") from None
        try:
            return parse(repr(value * factor))
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(f"{value:g} {unit} is {value * factor:.4g} {metric}: {exc}") from None

    return convert


COLUMNS_HELP = (
    "name CSV columns spelled otherwise, e.g. t_ms=timestamp,acc_x_mps2=ax,...,gyr_z_dps=gz "
    "(time targets: t_s, t_ms, t_us, t_ns)"
)


def column_map(text: str) -> Any:
    """An argparse type for ``--columns``: a :class:`calfload.ingest.csv_formats.ColumnMap`."""
    from calfload.cli._errors import cli_message
    from calfload.errors import DataError
    from calfload.ingest.csv_formats import ColumnMap

    try:
        return ColumnMap.parse(text)
    except DataError as exc:
        raise argparse.ArgumentTypeError(cli_message(exc)) from None


def print_json(obj: Any) -> None:
    """Print one JSON object on stdout (no NaN: those become null).

    Typed values are serialised here, at the edge: dataclasses become objects (their fields),
    dates and times ISO 8601 text, paths text, enums their values.
    """
    json.dump(_finite(obj), sys.stdout, indent=1, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")


def _finite(obj: Any) -> Any:
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
