"""``--json``'s value rule (``cli._common._finite``): the plain types' fast path gives what the full rule gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from pathlib import PurePosixPath

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.cli._common import _finite


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
