"""CSV text to columns, bounded: line lengths checked before any parser sizes a buffer from them.

:func:`check_csv_lines` refuses a line longer than :data:`MAX_CSV_LINE_BYTES` while holding one
fixed-size chunk; :func:`csv_columns` reads a calfload CSV's numbers with Arrow (no pandas), and
:func:`pandas_csv` reads anything else, naming the first value it cannot parse.
:mod:`calfload.recording` builds recordings from them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa

from calfload._arrow import arrow_to_numpy
from calfload.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

#: Longest line of a CSV file (bytes). A row of numbers is under 200 bytes, the metadata line a few KB.
MAX_CSV_LINE_BYTES: Final = 65_536


def csv_columns(path: Path) -> dict[str, np.ndarray] | None:
    """A calfload CSV's columns read by Arrow (no pandas), or None when a column holds text.

    Text in a numeric column (or words in a boolean one) goes the pandas way, which parses what
    it can and names the first bad value.
    """
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(skip_rows=1, use_threads=False))
    columns: dict[str, np.ndarray] = {}
    for name, chunked in zip(table.column_names, table.columns, strict=True):
        if not (pa.types.is_floating(chunked.type) or pa.types.is_integer(chunked.type) or chunked.type == pa.bool_()):
            if chunked.null_count == len(chunked):  # an empty column (all missing)
                columns[name.strip()] = np.full(len(chunked), np.nan)
                continue
            return None
        columns[name.strip()] = arrow_to_numpy(chunked)
    return columns


def pandas_csv(path: Path, *, skip_header: bool, source: str) -> pd.DataFrame:
    """A CSV read by pandas (text in numeric columns parsed as far as it goes); the metadata line skipped."""
    import pandas as pd

    try:
        with path.open(encoding="utf-8-sig") as fh:
            if skip_header:
                fh.readline(MAX_CSV_LINE_BYTES + 1)
            frame = pd.read_csv(fh)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"not a readable CSV file ({first_line(exc)})", source=source) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def check_csv_lines(path: Path, *, source: str, chunk_bytes: int = 1 << 20) -> None:
    """Refuse a CSV with a line longer than :data:`MAX_CSV_LINE_BYTES`, reading it in fixed-size chunks.

    pandas sizes its buffers by the longest line: a 1 GB one-line file took 9.7 GB. The scan holds
    one chunk at a time, so its memory does not grow with the file.
    """
    run = 0  # bytes of the line still open at the end of the previous chunk
    lines = 0
    with path.open("rb") as fh:
        while chunk := fh.read(chunk_bytes):
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 0x0A)
            if ends.size:
                longest = max(run + int(ends[0]), int(np.max(np.diff(ends), initial=1)) - 1)
                at = lines + 1 if run + int(ends[0]) >= longest else lines + 2 + int(np.argmax(np.diff(ends)))
                run = len(chunk) - int(ends[-1]) - 1
            else:
                longest, at, run = run + len(chunk), lines + 1, run + len(chunk)
            if max(longest, run) > MAX_CSV_LINE_BYTES:
                raise DataError(
                    f"line {at if longest > MAX_CSV_LINE_BYTES else lines + ends.size + 1} is longer than "
                    f"{MAX_CSV_LINE_BYTES // 1024} KB; a recording CSV has one row of numbers per line: "
                    "check that this is the right file",
                    source=source,
                )
            lines += int(ends.size)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


__all__ = ["MAX_CSV_LINE_BYTES", "check_csv_lines", "csv_columns", "first_line", "pandas_csv"]
