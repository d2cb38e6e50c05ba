"""``--json``'s value rule (``cli._common._finite``) and text (``json_text``): the fast paths give the full rule's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from pathlib import PurePosixPath

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.cli._common import _finite, json_text, print_json


def _full_rule(obj: object) -> object:
    """The rule as it was written before the fast path: every value through every check."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _full_rule(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | frozenset | set):
        return [_full_rule(v) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _full_rule(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dt.date | dt.datetime | dt.time):
        return obj.isoformat()
    if isinstance(obj, PurePosixPath):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return _full_rule(obj.value)
    return obj


class _Side(enum.StrEnum):
    LEFT = "left"


class _Count(enum.IntEnum):
    TWO = 2


@dataclasses.dataclass(frozen=True)
class _Row:
    value: object
    when: dt.date


_LEAVES = st.one_of(
    st.floats(width=64),
    st.floats(width=64).map(np.float64),  # a float subclass
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.none(),
    st.text(max_size=5),
    st.sampled_from([_Side.LEFT, _Count.TWO, PurePosixPath("a/b.parquet"), dt.date(2026, 12, 2)]),
    st.datetimes(timezones=st.just(dt.UTC)),
)


def _nested(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.one_of(st.text(max_size=3), st.integers(0, 9)), children, max_size=4),
        st.builds(_Row, value=children, when=st.just(dt.date(2026, 1, 1))),
        st.frozensets(st.integers(0, 5), max_size=3),
    )


@settings(max_examples=100, deadline=None)
@given(st.recursive(_LEAVES, _nested, max_leaves=20))
def test_the_fast_path_gives_the_full_rules_values(value: object) -> None:
    ours, theirs = _finite(value), _full_rule(value)
    assert ours == theirs
    assert repr(ours) == repr(theirs)  # the same types too (True is not 1, a float not an int)


class _Odd(int):
    """An int subclass that is no enum: ``json_text`` leaves it to ``json.dumps``."""


def _json_dumps(value: object) -> str:
    """The text ``print_json`` wrote before ``json_text``: the value rule, then ``json.dumps``."""
    return json.dumps(_finite(value), indent=1, ensure_ascii=False, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.recursive(_LEAVES | st.sampled_from([math.nan, -math.inf, 'é\n"\u2028', 10**30]), _nested, max_leaves=30))
def test_json_text_is_json_dumps_text(value: object) -> None:
    assert json_text(value) == _json_dumps(value)


@pytest.mark.parametrize(
    "value",
    [
        {1: "a", "1": "b", "c": [1.0]},  # str(key) makes two keys one: the later value, the first place
        {"a": {2: float("inf")}, "b": [[], {}, ()]},
        [True, False, None, 0, -0.0, 1e300, "", {"": []}],
        np.float64(2.5),
    ],
)
def test_json_text_of_keys_and_constants(value: object) -> None:
    assert json_text(value) == _json_dumps(value)


def test_values_json_text_leaves_alone_go_through_json_dumps(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"odd": [_Odd(3)], "x": 1.5})
    assert capsys.readouterr().out == _json_dumps({"odd": [_Odd(3)], "x": 1.5}) + "\n"
    for bad in (object(), np.int64(3)):
        with pytest.raises(TypeError):
            print_json({"first": 1, "bad": [bad]})
        assert capsys.readouterr().out == ""
