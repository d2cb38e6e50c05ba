"""Aligned plain-text tables with units in the headers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Col:
    """A table column: header, alignment and how to format a value."""

    header: str
    fmt: str = "{}"
    align: str = ">"
    missing: str = "-"

    def cell(self, value: object) -> str:
        """Format one value (``None`` prints as ``missing``)."""
        return self.missing if value is None else self.fmt.format(value)


def render_table(columns: Sequence[Col], rows: Sequence[Sequence[object]], *, indent: str = "  ") -> str:
    """Render rows under headers, each column as wide as its widest cell.

    Examples
    --------
    >>> print(render_table([Col("set"), Col("reps")], [[1, 12], [2, 10]]))
      set  reps
        1    12
        2    10
    """
    cells = [[c.cell(v) for c, v in zip(columns, row, strict=True)] for row in rows]
    widths = [max([len(c.header), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(f"{c.header:{c.align}{w}}" for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(f"{v:{c.align}{w}}" for c, v, w in zip(columns, r, widths, strict=True)) for r in cells]
    return "\n".join(indent + line.rstrip() for line in lines)
