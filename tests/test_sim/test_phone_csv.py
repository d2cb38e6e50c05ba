"""The phone exports' CSV writer gives the bytes pandas' ``to_csv`` gives (it replaced it in the simulators)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from calfload.sim._phone_exports import csv_text

FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


def pandas_text(names: list[str], columns: list[object], *, float_format: str, sep: str, decimal: str) -> str:
    frame = pd.DataFrame(dict(zip(names, columns, strict=True)))
    out = io.StringIO()
    frame.to_csv(out, index=False, float_format=float_format, sep=sep, decimal=decimal)
    return out.getvalue()


@given(
    rows=st.lists(st.tuples(st.integers(-(2**62), 2**62), FLOATS, FLOATS), min_size=1, max_size=30),
    float_format=st.sampled_from(["%.9g", "%.6f", "%.3e"]),
    dialect=st.sampled_from([(",", "."), (";", ","), ("\t", "."), (",", ","), ("\t", ",")]),
)
def test_numbers_as_pandas_writes_them(
    rows: list[tuple[int, float, float]], float_format: str, dialect: tuple[str, str]
) -> None:
    """Integers, floats, NaN (empty), infinities, decimal commas, and quoting when the separator is the decimal mark."""
    sep, decimal = dialect
    ints, xs, ys = (list(c) for c in zip(*rows, strict=True))
    names = ["time", "x", 'y "quoted"']
    columns: list[object] = [np.asarray(ints, dtype=np.int64), np.asarray(xs), ys]
    expected = pandas_text(names, columns, float_format=float_format, sep=sep, decimal=decimal)
    assert csv_text(names, columns, float_format=float_format, sep=sep, decimal=decimal) == expected


@pytest.mark.parametrize(("sep", "decimal"), [(",", "."), (";", ","), (",", ",")])
def test_text_and_python_number_columns_as_pandas_writes_them(sep: str, decimal: str) -> None:
    """ISO times stay as written (their point is not a decimal mark); lists of Python floats are float columns."""
    names = ["timestamp", "t,s", "n"]
    stamps = ["2026-11-02T07:30:00.000000+00:00", "2026-11-02T07:30:00.009615+00:00", 'a "quote"']
    columns: list[object] = [stamps, [0.0, 0.009615384, -1.5e-7], [1, 2, 3]]
    expected = pandas_text(names, columns, float_format="%.6f", sep=sep, decimal=decimal)
    assert csv_text(names, columns, float_format="%.6f", sep=sep, decimal=decimal) == expected
    assert expected.count("\n") == 4
