"""Reading JSON objects into frozen dataclasses, every value checked against its field's annotation.

The one checked reader behind :func:`calfload.signal.from_record` (stored analyses), parameter
records, the recording metadata's facts (:mod:`calfload._recording_facts`) and other stored rows
(:func:`row_from_record`): JSON lists become tuples, integers
floats where a float is declared, nested objects dataclasses; anything else is a one-line
:class:`~calfload.errors.RecordError` naming the key path.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import TypeVar

from calfload.errors import RecordError

_T = TypeVar("_T")


class Doc:
    """A JSON object being read, with its key path for error messages."""

    def __init__(self, doc: Mapping[str, object], source: str | None, path: str) -> None:
        self.doc, self.source, self.path = doc, source, path

    @classmethod
    def of(cls, value: object, source: str | None, path: str) -> Doc:
        if not isinstance(value, Mapping):
            raise RecordError(f"{path} is not an object", source=source, key=path, expected="an object")
        return cls(value, source, path)

    def get(self, key: str, tp: object, default: object = dataclasses.MISSING) -> typing.Any:
        if key not in self.doc:
            if default is dataclasses.MISSING:
                raise RecordError(f"{self.path}.{key} is missing", source=self.source, key=f"{self.path}.{key}")
            return default
        return _coerce(self.doc[key], tp, self.source, f"{self.path}.{key}")

    def child(self, key: str) -> Doc:
        return Doc.of(self.doc.get(key, {}), self.source, f"{self.path}.{key}")

    def rows(self, key: str, cls: type[_T]) -> tuple[_T, ...]:
        items = self.doc.get(key) or []
        if not isinstance(items, list):
            raise RecordError(f"{self.path}.{key} is not a list", source=self.source, key=f"{self.path}.{key}")
        return tuple(Doc.of(x, self.source, f"{self.path}.{key}[{i}]").row(cls) for i, x in enumerate(items))

    def row(self, cls: type[_T]) -> _T:
        kwargs: dict[str, object] = {}
        for name, tp, has_default in _row_fields(cls):
            if name in self.doc or not has_default:
                kwargs[name] = self.get(name, tp)
        return cls(**kwargs)


_ROW_FIELDS: dict[type, tuple[tuple[str, object, bool], ...]] = {}


def _row_fields(cls: type) -> tuple[tuple[str, object, bool], ...]:
    """Each field's name, resolved annotation and whether it has a default, once per class.

    ``typing.get_type_hints`` evaluates every annotation string anew; called per row it took 3.2 s
    of a 4.4 s review of a year's journal (6,400 rep rows).
    """
    if cls not in _ROW_FIELDS:
        hints = typing.get_type_hints(cls)
        missing = dataclasses.MISSING
        _ROW_FIELDS[cls] = tuple(
            (f.name, hints[f.name], f.default is not missing or f.default_factory is not missing)
            for f in dataclasses.fields(cls)
        )
    return _ROW_FIELDS[cls]


def _coerce(value: object, tp: object, source: str | None, path: str) -> object:
    """Check ``value`` against the annotation ``tp`` (JSON lists become tuples, ints floats)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return _coerce(value, arg, source, path)
            except RecordError as exc:
                errors.append(exc)
        raise errors[0]
    if origin is typing.Literal and value in args:
        return value
    if origin is tuple and isinstance(value, list | tuple):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(v, args[0], source, f"{path}[{i}]") for i, v in enumerate(value))
        if len(args) == len(value):
            return tuple(
                _coerce(v, a, source, f"{path}[{i}]") for i, (v, a) in enumerate(zip(value, args, strict=True))
            )
    elif tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    elif (
        (tp is int and isinstance(value, int) and not isinstance(value, bool))
        or (tp is bool and isinstance(value, bool))
        or (tp is str and isinstance(value, str))
    ):
        return value
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return Doc.of(value, source, path).row(tp)
    raise RecordError(f"{path} = {value!r} is not a {tp}", source=source, key=path, expected=str(tp))


def row_from_record(cls: type[_T], doc: object, *, source: str | None = None, path: str = "$") -> _T:
    """Return a frozen dataclass from its JSON object, each value checked against the field's annotation.

    Keys the class does not know are ignored (a record written by a later calfload may hold more);
    a missing key takes the field's default; a value of the wrong type is a :class:`RecordError`
    naming its key path.
    """
    return Doc.of(doc, source, path).row(cls)


__all__ = ["Doc", "row_from_record"]
