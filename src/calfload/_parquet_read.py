"""Read a Parquet file with pyarrow's Parquet reader alone, without ``pyarrow.parquet``'s filesystem layer.

``import pyarrow.parquet`` imports ``pyarrow.fs``, and with it ``ssl`` and the S3, GCS, HDFS and
Azure bindings, to resolve a path that may name a remote store. calfload reads local files only,
so the analysis path opens them with ``pyarrow._parquet.ParquetReader``, the reader
``pyarrow.parquet.ParquetFile`` itself wraps (about 0.05 s less CPU at every ``analyze``, measured
in benchmarks/README.md). pyarrow is still the one Parquet reader; where its private reader is not
there as expected (another pyarrow release), :func:`open_parquet` falls back to ``ParquetFile``.
Writing, and reading foreign tables through pandas, keep using ``pyarrow.parquet``.

Both readers map the file into memory rather than reading it into buffers of their own, and read
no column ahead (no ``pre_buffer``): the compressed pages are decoded straight from the page
cache, so a fresh process does not fault in and fill about 1.4 MB of buffer per column of an hour
at 200 Hz, and no I/O threads are started. The decoded columns are Arrow's own buffers, not views
of the file; :meth:`ParquetSource.close` unmaps it once they are read (benchmarks/README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pyarrow as pa


class ParquetSource(Protocol):
    """What calfload reads from an open Parquet file: its Arrow schema and one column at a time."""

    @property
    def schema_arrow(self) -> pa.Schema:
        """The file's Arrow schema, with its key-value metadata."""
        ...

    def read_column(self, name: str) -> pa.ChunkedArray:
        """The column ``name`` (one top-level column of plain values), read on this thread."""
        ...

    def close(self) -> None:
        """Close the file and unmap it (the columns read stay valid)."""
        ...


class _PrivateReader:
    """A file opened with ``pyarrow._parquet.ParquetReader`` (no ``pyarrow.fs``)."""

    def __init__(self, path: str) -> None:
        from pyarrow._parquet import ParquetReader

        self._reader = ParquetReader()
        self._reader.open(path, use_memory_map=True, pre_buffer=False)

    @property
    def schema_arrow(self) -> pa.Schema:
        schema: pa.Schema = self._reader.schema_arrow
        return schema

    def read_column(self, name: str) -> pa.ChunkedArray:
        index = self._reader.column_name_idx(name)
        table: pa.Table = self._reader.read_all(column_indices=[index], use_threads=False)
        return table.column(0)

    def close(self) -> None:
        self._reader.close()


class _PublicReader:
    """A file opened with ``pyarrow.parquet.ParquetFile`` (the fallback)."""

    def __init__(self, path: str) -> None:
        import pyarrow.parquet as pq

        self._file = pq.ParquetFile(path, memory_map=True, pre_buffer=False)

    @property
    def schema_arrow(self) -> pa.Schema:
        return self._file.schema_arrow

    def read_column(self, name: str) -> pa.ChunkedArray:
        return self._file.read(columns=[name], use_threads=False).column(0)

    def close(self) -> None:
        self._file.close()


def _private_reader_works() -> bool:
    try:
        from pyarrow._parquet import ParquetReader
    except ImportError:
        return False
    return all(hasattr(ParquetReader, a) for a in ("open", "schema_arrow", "column_name_idx", "read_all"))


def open_parquet(path: str | Path, *, public: bool | None = None) -> ParquetSource:
    """Open a local Parquet file for reading its schema and columns.

    Parameters
    ----------
    path
        A local file.
    public
        True: through ``pyarrow.parquet.ParquetFile``; False: through pyarrow's private reader;
        None (the default): the private reader where it is there as expected.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    OSError, pyarrow.ArrowException
        If the file cannot be read or is not Parquet.
    """
    if public is None:
        public = not _private_reader_works()
    return _PublicReader(str(path)) if public else _PrivateReader(str(path))


def read_schema(path: str | Path) -> pa.Schema:
    """The Arrow schema (with its metadata) of a local Parquet file; raises as :func:`open_parquet`."""
    source = open_parquet(path)
    try:
        return source.schema_arrow
    finally:
        source.close()


__all__ = ["ParquetSource", "open_parquet", "read_schema"]
