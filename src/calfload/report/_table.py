"""Aligned plain-text tables with units in the headers, fitted to the terminal's width.

A table wider than the terminal first wraps its headers at spaces (a header is never narrower than
its longest word), then drops columns in the order their :attr:`Col.drop` gives, and says which
columns it left out. A wider terminal shows everything on one header line.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

#: Width assumed when neither ``$COLUMNS`` nor a terminal says otherwise (a pipe, a file).
DEFAULT_COLUMNS = 80
#: Prose lines are wrapped at the terminal's width but never wider than this (for readability).
MAX_PROSE_COLUMNS = 100
_GAP = "  "


def terminal_columns() -> int:
    """The terminal's width in columns: ``$COLUMNS``, else the terminal's, else 80."""
    return max(shutil.get_terminal_size((DEFAULT_COLUMNS, 24)).columns, 20)


@dataclass(frozen=True, slots=True)
class Col:
    """A table column: header, alignment, how to format a value, and when to leave it out.

    ``drop`` ranks the columns that may be left out when the table does not fit: an empty one
    (every value missing) goes first, then the highest rank; 0 (the default) is never dropped.
    """

    header: str
    fmt: str = "{}"
    align: str = ">"
    missing: str = "-"
    drop: int = 0

    def cell(self, value: object) -> str:
        """Format one value (``None`` prints as ``missing``)."""
        return self.missing if value is None else self.fmt.format(value)


def render_table(
    columns: Sequence[Col], rows: Sequence[Sequence[object]], *, indent: str = "  ", width: int | None = None
) -> str:
    """Render rows under headers, each column as wide as its widest cell, within ``width`` columns.

    Parameters
    ----------
    columns, rows
        The columns and one sequence of values per row, in column order.
    indent
        Put before every line.
    width
        The widest a line may be (default: :func:`terminal_columns`).

    Examples
    --------
    >>> print(render_table([Col("set"), Col("reps")], [[1, 12], [2, 10]]))
      set  reps
        1    12
        2    10
    >>> cols = [Col("set"), Col("mean lowering (s)"), Col("tempo", drop=1)]
    >>> print(render_table(cols, [[1, 3.2, "ok"]], width=40))
      set  mean lowering (s)  tempo
        1                3.2     ok
    >>> print(render_table(cols, [[1, 3.2, "ok"]], width=20))
      set      mean
           lowering
                (s)
        1       3.2
      (not shown at 20
       columns: tempo)
    """
    limit = terminal_columns() if width is None else width
    cells = [[c.cell(v) for c, v in zip(columns, row, strict=True)] for row in rows]
    keep = list(range(len(columns)))
    lines = _lines(columns, cells, wrap=False)
    while _widest(lines, indent) > limit:
        lines = _lines([columns[i] for i in keep], [[r[i] for i in keep] for r in cells], wrap=True)
        droppable = [i for i in keep if columns[i].drop > 0]
        if _widest(lines, indent) <= limit or not droppable:
            break
        # A column with nothing in it goes first, then the highest rank, then the rightmost.
        keep.remove(max(droppable, key=lambda i: (all(r[i] == columns[i].missing for r in cells), columns[i].drop, i)))
    out = [indent + line for line in lines]
    hidden = [c.header for i, c in enumerate(columns) if i not in keep]
    if hidden:
        note = f"(not shown at {limit} columns: {', '.join(hidden)})"
        out += wrap_line(note, indent=indent, hang=indent + " ", width=limit)
    return "\n".join(out)


def _lines(columns: Sequence[Col], cells: Sequence[Sequence[str]], *, wrap: bool) -> list[str]:
    values = [max((len(r[i]) for r in cells), default=0) for i in range(len(columns))]
    if wrap:
        heads = [_wrapped(c.header, v) for c, v in zip(columns, values, strict=True)]
    else:
        heads = [[c.header] for c in columns]
    widths = [max(v, *(len(h) for h in head)) for v, head in zip(values, heads, strict=True)]
    depth = max((len(h) for h in heads), default=1)
    lines = []
    for level in range(depth):
        parts = [(h[level] if level < len(h) else "") for h in heads]
        lines.append(_GAP.join(_pad(p, c.align, w) for p, c, w in zip(parts, columns, widths, strict=True)))
    lines += [_GAP.join(_pad(v, c.align, w) for c, v, w in zip(columns, r, widths, strict=True)) for r in cells]
    return [line.rstrip() for line in lines]


def _widest(lines: Sequence[str], indent: str) -> int:
    return max((len(indent + line) for line in lines), default=0)


def _wrapped(header: str, value_width: int) -> list[str]:
    """``header`` wrapped at spaces to ``value_width`` (or its longest word); ``×`` stays with the word after it.

    Examples
    --------
    >>> _wrapped("sets × reps", 4)
    ['sets', '× reps']
    """
    glued = _AFTER_OPERATOR.sub("\u00a0", header)  # a no-break space: textwrap does not split there
    longest_word = max(len(word) for word in glued.split(" ")) if glued.strip() else 0
    lines = textwrap.wrap(glued, max(value_width, longest_word, 1), break_long_words=False) or [""]
    return [line.replace("\u00a0", " ") for line in lines]


#: The space after an operator in a header ("sets × reps" never leaves "×" on a line of its own).
_AFTER_OPERATOR: Final = re.compile(r"(?<=[×÷]) ")


def _pad(text: str, align: str, width: int) -> str:
    return f"{text:{align}{width}}"


def wrap_line(text: str, *, indent: str = "  ", hang: str | None = None, width: int | None = None) -> list[str]:
    """Wrap one line of prose at word boundaries to fit ``width`` (default: the terminal's).

    A number and its unit stay on one line ("90 s", not "90" and "s" on the next).

    Examples
    --------
    >>> wrap_line("a rep lowered too fast", indent="  - ", hang="    ", width=14)
    ['  - a rep', '    lowered', '    too fast']
    >>> wrap_line("asks for 60-90 s", width=16)
    ['  asks for', '  60-90 s']
    """
    limit = min(terminal_columns() if width is None else width, MAX_PROSE_COLUMNS)
    lines = textwrap.wrap(
        _NUMBER_UNIT.sub("\\1\u00a0\\2", text),  # a no-break space: textwrap does not split there
        limit,
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_on_hyphens=False,
        break_long_words=False,  # a path longer than the line stays whole (copy and paste)
    ) or [indent.rstrip()]
    return [line.replace("\u00a0", " ") for line in lines]


#: A number followed by a unit of the figures calfload prints (kept together by :func:`wrap_line`).
_NUMBER_UNIT: Final = re.compile(r"(\d) (s|ms|min|h|km|mi|m|kg|lb|cm|in|mm|J|W|AU|Hz|%|reps|bpm|spm)(?!\w)")


__all__ = ["DEFAULT_COLUMNS", "MAX_PROSE_COLUMNS", "Col", "render_table", "terminal_columns", "wrap_line"]
