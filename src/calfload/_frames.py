"""pandas tables in and out of :class:`~calfload.recording.Recording` (loaded only where pandas is used).

A recording holds one NumPy array per column so that analysing a file never imports pandas
(about 0.6 s of CPU at every start). Readers of foreign formats, the simulators and users who
want a DataFrame come through here: :func:`frame_columns` turns any table into typed columns
(parsing text, refusing what is not a number), :func:`to_frame` gives a recording's DataFrame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from calfload.errors import SchemaError

if TYPE_CHECKING:
    from calfload._tables import Table

_TRUE_WORDS: Final = frozenset({"true", "1", "yes", "y", "t"})
_FALSE_WORDS: Final = frozenset({"false", "0", "no", "n", "f"})


def frame_columns(frame: pd.DataFrame, table: Table, *, source: str) -> dict[str, np.ndarray]:
    """The table's columns of ``frame`` as NumPy arrays of the contract's dtypes (absent ones left out).

    Booleans (also 0/1 and the usual words) become float32 1/0 with NaN for missing, as a
    :class:`~calfload.recording.Recording` holds them.

    Raises
    ------
    SchemaError
        If a numeric column holds text, or a boolean column a word that is not one.
    """
    out: dict[str, np.ndarray] = {}
    for col in table.columns:
        if col.name not in frame.columns:
            continue
        values = frame[col.name]
        if col.is_bool:
            out[col.name] = _booleans(values, col.name, table=table.kind, source=source)
            continue
        target = np.dtype(col.numpy_dtype)
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            out[col.name] = values.to_numpy(dtype=target, na_value=np.nan)
            continue
        numeric = pd.to_numeric(values, errors="coerce")
        bad = numeric.isna() & values.notna()
        if bad.any():
            first = values[bad].iloc[0]
            raise SchemaError(
                f"column {col.name} holds non-numeric values such as {first!r}; fix or remove those rows",
                source=source,
                table=table.kind,
                column=col.name,
            )
        out[col.name] = numeric.to_numpy(dtype=target, na_value=np.nan)
    return out


def _booleans(values: pd.Series, name: str, *, table: str, source: str) -> np.ndarray:
    """Float32 1/0/NaN from booleans, 0/1 or the usual words (true/false, yes/no)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean").to_numpy(dtype=np.float32, na_value=np.nan)
    words = values.astype("string").str.strip().str.lower()
    unknown = words.notna() & ~words.isin(_TRUE_WORDS | _FALSE_WORDS)
    if unknown.any():
        raise SchemaError(
            f"column {name} holds {values[unknown].iloc[0]!r}; use true/false (or 1/0, yes/no) or leave it empty",
            source=source,
            table=table,
            column=name,
        )
    flags = words.isin(_TRUE_WORDS).to_numpy(dtype=np.float32)
    flags[words.isna().to_numpy()] = np.nan
    return flags


def to_frame(columns: dict[str, np.ndarray], table: Table) -> pd.DataFrame:
    """A DataFrame of a recording's columns in the table's order; booleans as pandas' nullable ``boolean``."""
    data: dict[str, Any] = {}
    for col in table.columns:
        values = columns[col.name]
        if col.is_bool:
            flags = pd.array(values == 1.0, dtype="boolean")
            flags[np.isnan(values)] = pd.NA
            data[col.name] = flags
        else:
            data[col.name] = values
    return pd.DataFrame(data)


__all__ = ["frame_columns", "to_frame"]
