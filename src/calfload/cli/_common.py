"""Argument types and helpers shared by command modules (no heavy imports here)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from typing import Any


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
