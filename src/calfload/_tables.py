"""The building blocks of the declared tables: a :class:`Column` and a :class:`Table`.

The recordings' stream tables (:mod:`calfload.schema`) and the analyses' result tables
(:mod:`calfload._result_tables`, re-exported by :mod:`calfload.schema`) are both declared with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from calfload.units import unit_of

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a stream table.

    Parameters
    ----------
    name
        Column name; its suffix is the unit (see :mod:`calfload.units`).
    arrow_type
        The Arrow type the column is stored as.
    nullable
        Whether missing values are allowed.
    description
        What the column means.
    """

    name: str
    arrow_type: pa.DataType
    nullable: bool
    description: str

    @property
    def unit(self) -> str:
        """The unit the column's name declares (``""`` when dimensionless)."""
        return unit_of(self.name)

    @property
    def numpy_dtype(self) -> str:
        """The numpy dtype the column has once read into pandas."""
        return np.dtype(self.arrow_type.to_pandas_dtype()).name

    @property
    def is_bool(self) -> bool:
        """Whether the column holds booleans (a recording keeps them as float32 1/0, NaN for missing)."""
        return bool(self.arrow_type == pa.bool_())


@dataclass(frozen=True, slots=True)
class Table:
    """A stream kind: its columns in order.

    Parameters
    ----------
    kind
        The value of the metadata's ``kind``.
    columns
        The columns, time first.
    """

    kind: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in order."""
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the non-nullable columns (a file must have them)."""
        return tuple(c.name for c in self.columns if not c.nullable)

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def arrow_schema(self, metadata: dict[bytes | str, bytes | str] | None = None) -> pa.Schema:
        """The Arrow schema of the table, with per-field unit metadata."""
        fields = [
            pa.field(c.name, c.arrow_type, nullable=c.nullable, metadata={b"unit": c.unit.encode()})
            for c in self.columns
        ]
        return pa.schema(fields, metadata=metadata)

    def frame(self, rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
        """A pandas DataFrame of ``rows`` with this table's columns and types (pandas imported only here).

        Examples
        --------
        >>> t = Table("demo", (Column("t_s", pa.float64(), False, "time"), Column("n", pa.int32(), True, "count")))
        >>> t.frame([{"t_s": 0.5, "n": 2}, {"t_s": 1.0, "n": None}]).dtypes.astype(str).tolist()
        ['float64', 'float64']
        """
        return pa.Table.from_pylist(list(rows), schema=self.arrow_schema()).to_pandas()
