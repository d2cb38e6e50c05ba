"""Argument types and helpers shared by command modules (no heavy imports here)."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

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
    written at once: ``json.dump`` with an indent writes every token on its own (about 9,000 writes
    for an hour's run, each through the terminal filter), and a value it cannot encode would
    leave half an object on stdout. The newline goes apart, not onto a copy of the text.
    """
    try:
        text = json_text(obj)
    except _NotPlainError:
        text = json.dumps(_finite(obj), indent=1, ensure_ascii=False, allow_nan=False)
    sys.stdout.write(text)
    sys.stdout.write("\n")


class _NotPlainError(Exception):
    """A value :func:`json_text` leaves to ``json.dumps`` (a subclass of int or str that is no enum, or no JSON)."""


def json_text(obj: object) -> str:
    """``json.dumps(_finite(obj), indent=1, ensure_ascii=False, allow_nan=False)``, the same text, made in one walk.

    ``json.dumps`` with an indent runs its pure-Python encoder (the C one takes no indent): a
    generator per container and a check per value. Here the value rule (:func:`_finite`) and the
    layout are one recursive walk that appends to a list: an hour's ``analyze --json`` 3.7 ->
    1.2 ms warm, about 8 -> 2.5 ms in a fresh process. The scalars are encoded by ``json``'s
    own functions (``encode_basestring``, ``float.__repr__``, ``int.__repr__``), as it does.

    Raises
    ------
    _NotPlainError
        On a value that is not JSON's after :func:`_finite`'s rule (:func:`print_json` then uses
        ``json.dumps``, which encodes it or raises as it always did).
    """
    parts: list[str] = []
    _put(obj, parts, "\n")
    return "".join(parts)


_STRING: Final = json.encoder.encode_basestring  # json's (C) encoder of a str with ensure_ascii=False
_FLOAT: Final = float.__repr__
_INT: Final = int.__repr__


def _put(obj: Any, parts: list[str], newline: str) -> None:
    """Append the JSON text of ``obj`` (``_finite``'s rule applied) at the depth ``newline`` indents to."""
    kind = type(obj)
    if kind is dict:
        _put_dict(obj, parts, newline)
    elif kind is list or kind is tuple:
        _put_list(obj, parts, newline)
    elif kind is float:
        parts.append(_FLOAT(obj) if math.isfinite(obj) else "null")
    elif kind is str:
        parts.append(_STRING(obj))
    elif kind is int:
        parts.append(_INT(obj))
    elif obj is None or obj is True or obj is False:
        parts.append(_CONSTANTS[obj])
    elif (typed := _typed(obj)) is not obj:
        _put(typed, parts, newline)
    elif isinstance(obj, float):  # a finite float subclass (numpy.float64): json writes its float repr
        parts.append(_FLOAT(obj))
    else:
        raise _NotPlainError


def _put_dict(obj: dict[Any, Any], parts: list[str], newline: str) -> None:
    """:func:`_put` of a dict; its floats, strs and ints written in the loop, not by a call each (half the time)."""
    if not obj:
        parts.append("{}")
        return
    inner, mark, separator = newline + " ", len(parts), "{" + newline + " "
    for key, value in obj.items():
        if type(key) is not str:  # _finite's str(key), where two keys may become one: that dict instead
            del parts[mark:]
            _put_dict({str(k): v for k, v in obj.items()}, parts, newline)
            return
        parts.append(separator)
        parts.append(_STRING(key))
        parts.append(": ")
        kind = type(value)
        if kind is float:
            parts.append(_FLOAT(value) if math.isfinite(value) else "null")
        elif kind is str:
            parts.append(_STRING(value))
        elif kind is int:
            parts.append(_INT(value))
        else:
            _put(value, parts, inner)
        separator = "," + inner
    parts.append(newline)
    parts.append("}")


def _put_list(obj: Sequence[Any], parts: list[str], newline: str) -> None:
    """:func:`_put` of a list or tuple, written as :func:`_put_dict` writes a dict's values."""
    if not obj:
        parts.append("[]")
        return
    inner, separator = newline + " ", "[" + newline + " "
    for value in obj:
        parts.append(separator)
        kind = type(value)
        if kind is float:
            parts.append(_FLOAT(value) if math.isfinite(value) else "null")
        elif kind is str:
            parts.append(_STRING(value))
        elif kind is int:
            parts.append(_INT(value))
        else:
            _put(value, parts, inner)
        separator = "," + inner
    parts.append(newline)
    parts.append("]")


_CONSTANTS: Final = {None: "null", True: "true", False: "false"}


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
