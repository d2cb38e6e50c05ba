"""Every parameter class in calfload: frozen, each field documented with its unit, JSON round trip.

The classes are found by walking the installed package (every dataclass whose name ends in
``Params`` or ``Parameters``), not from a hand-kept list, so a new parameter class is checked the
day it is added.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
import re
import typing
from collections.abc import Mapping
from types import MappingProxyType

import pytest

import calfload
from calfload.signal import params_from_record, params_record

#: Name endings that carry a unit (a count's unit is what it counts).
UNIT_SUFFIXES = (
    *("_s", "_ms", "_hz", "_deg", "_dps", "_mps", "_mps2", "_per_mps", "_g", "_bw", "_kg", "_m", "_cm", "_spm"),
    *("_days", "_weeks", "_pct", "_points"),
    *("_reps", "_sets", "_entries", "_sessions", "_contacts", "_runs", "_windows", "_strides"),
)
#: Name endings of dimensionless quantities.
DIMENSIONLESS_SUFFIXES = ("fraction", "share", "ratio", "factor", "exponent")
#: A unit stated in the description instead of the name.
UNIT_IN_TEXT = re.compile(r"\((dimensionless|0-10 scale|standard deviations)|; dimensionless\)|\(0-10 scale\)")


def _parameter_classes() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(calfload.__path__, "calfload."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and dataclasses.is_dataclass(obj)
                and obj.__module__ == module.__name__
                and name.endswith(("Params", "Parameters"))
            ):
                found[f"{obj.__module__}.{name}"] = obj
    return [found[k] for k in sorted(found)]


CLASSES = _parameter_classes()


def _documented(cls: type) -> dict[str, str]:
    """Field name -> description from the numpy ``Parameters`` section of the class docstring."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    section = doc.split("Parameters\n----------\n", 1)[1] if "Parameters\n----------\n" in doc else ""
    section = re.split(r"\n\S[^\n]*\n-{3,}\n", section)[0]
    out: dict[str, str] = {}
    names: list[str] = []
    for line in section.splitlines():
        if line and not line.startswith(" "):
            names = [n.strip() for n in line.split(":")[0].split(",")]
            for n in names:
                out[n] = ""
        elif names:
            for n in names:
                out[n] += " " + line.strip()
    return out


def _needs_unit(tp: object) -> bool:
    if typing.get_origin(tp) is tuple:
        return all(_needs_unit(a) for a in typing.get_args(tp))
    return tp in (int, float)


def test_classes_are_found() -> None:
    names = {c.__name__ for c in CLASSES}
    assert {"CalfRaiseParams", "GaitParams", "HopParams", "HeelRiseParams", "ActivityParams"} <= names
    assert {"FlagParameters", "LoadModelParameters"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_frozen(cls: type) -> None:
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_field_documented_with_its_unit(cls: type) -> None:
    documented = _documented(cls)
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            continue  # a group of parameters, checked as a class of its own
        assert documented.get(f.name, "").strip(), f"{cls.__name__}.{f.name} is not in the docstring's Parameters"
        if not _needs_unit(tp):
            continue  # a choice (str, Literal) or a switch (bool)
        unit_in_name = f.name.endswith(UNIT_SUFFIXES) or f.name.endswith(DIMENSIONLESS_SUFFIXES)
        assert unit_in_name or UNIT_IN_TEXT.search(documented[f.name]), (
            f"{cls.__name__}.{f.name}: no unit in its name or its description"
        )


def _to_json(params: object) -> object:
    """Nested parameter groups become nested objects."""
    record = params_record(params)
    return {k: _to_json(v) if dataclasses.is_dataclass(v) else v for k, v in record.items()}


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_json_round_trip(cls: type) -> None:
    defaults = cls()
    assert params_from_record(cls, json.loads(json.dumps(_to_json(defaults)))) == defaults
    for preset in _presets(cls):
        assert params_from_record(cls, json.loads(json.dumps(_to_json(preset)))) == preset


def _presets(cls: type) -> list[object]:
    presets = getattr(cls, "PRESETS", None)
    if presets is None:
        return []
    return [cls(**overrides) for overrides in presets.values()]


@pytest.mark.parametrize("cls", [c for c in CLASSES if hasattr(c, "PRESETS")], ids=lambda c: c.__name__)
def test_presets_are_read_only(cls: type) -> None:
    presets = cls.PRESETS  # type: ignore[attr-defined]
    assert isinstance(presets, MappingProxyType)
    for name, overrides in presets.items():
        assert isinstance(overrides, MappingProxyType), name
        with pytest.raises(TypeError):
            overrides["max_rate_hz"] = 1.0  # type: ignore[index]


def test_load_model_presets_are_read_only() -> None:
    from calfload.loadmodel import PRESETS, LoadModelParameters

    presets: Mapping[str, object] = PRESETS
    assert isinstance(presets, MappingProxyType)
    with pytest.raises(TypeError):
        presets["mine"] = LoadModelParameters()  # type: ignore[index]


def test_unknown_key_is_refused() -> None:
    from calfload.errors import RecordError
    from calfload.signal import CalfRaiseParams

    record = {**params_record(CalfRaiseParams()), "rest_tilt_degrees": 1.0}
    with pytest.raises(RecordError, match="rest_tilt_degrees"):
        params_from_record(CalfRaiseParams, record)
