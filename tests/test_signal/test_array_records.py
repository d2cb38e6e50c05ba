"""Records of the analysis that hold arrays compare by identity (``eq=False``).

A generated ``==`` over array fields can only raise (or, with one-element arrays, answer by
accident) and a generated hash can only fail; and Python 3.11 compiles each generated method
when the class is made, at every command's start (benchmarks/README.md).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import numpy as np

import calfload.signal
from calfload.signal._gait_types import StrideEvents


def _signal_records() -> list[type]:
    """Every dataclass declared in a module of :mod:`calfload.signal`."""
    records = []
    for info in pkgutil.iter_modules(calfload.signal.__path__, "calfload.signal."):
        module = importlib.import_module(info.name)
        records += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == info.name
        ]
    return records


def test_a_signal_record_whose_compared_fields_hold_arrays_has_no_generated_eq() -> None:
    holding = [
        record
        for record in _signal_records()
        if any(f.compare and "ndarray" in str(f.type) for f in dataclasses.fields(record))
    ]
    assert len(holding) >= 10  # the grid, the events, the steps, the cadence, the calf track ...
    assert [r.__qualname__ for r in holding if r.__dataclass_params__.eq] == []  # type: ignore[attr-defined]


def test_records_holding_arrays_are_equal_to_themselves_only_and_hashable() -> None:
    a = StrideEvents(contact_at_s=np.array([1.0, 2.0]))
    b = StrideEvents(contact_at_s=np.array([1.0, 2.0]))
    same = a
    assert a == same
    assert a != b
    assert len({a, b, same}) == 2
