"""Open any supported recording: a file by its suffix, or a phone-app export folder or zip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload.errors import DataError
from calfload.recording import Recording, read_csv, read_parquet

if TYPE_CHECKING:
    # The readers of other people's CSV files use pandas: imported only when such a file is read.
    from calfload.ingest.csv_formats import ColumnMap

Loader = Callable[[Path, "ColumnMap | None"], list[Recording]]


def _parquet(path: Path, columns: ColumnMap | None) -> list[Recording]:
    """A calfload Parquet file, or any Parquet table of sensor data (read with stated assumptions)."""
    import pyarrow as pa

    from calfload._parquet_read import read_schema
    from calfload.schema import METADATA_KEY

    try:
        metadata = read_schema(path).metadata or {}
    except (OSError, pa.ArrowException):
        metadata = {METADATA_KEY: b""}  # let read_parquet say what is wrong
    if METADATA_KEY in metadata and columns is None:
        return [read_parquet(path)]
    import pyarrow.parquet as pq

    from calfload.ingest.phone import recording_from_frame

    try:
        frame = pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"the Parquet data is damaged ({str(exc).splitlines()[0]})", source=str(path)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    note = "no calfload metadata (sensor placement and side unknown)"
    return [recording_from_frame(frame, source=str(path), columns=columns, notes=[note])]


def _csv(path: Path, columns: ColumnMap | None) -> list[Recording]:
    if _starts_with(path, b"# calfload:"):
        return [read_csv(path)]  # calfload's own CSV: read by Arrow, no pandas
    from calfload.ingest.phone import read_csv_file

    return [read_csv_file(path, columns)]


def _starts_with(path: Path, prefix: bytes) -> bool:
    """Whether the file's text starts with ``prefix`` (after a UTF-8 byte-order mark)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(prefix) + 3)
    except OSError:
        return False  # the reader says what is wrong
    return head.removeprefix(b"\xef\xbb\xbf").startswith(prefix)


def _fit(path: Path, _columns: ColumnMap | None) -> list[Recording]:
    # fitdecode loads only for FIT files: it is not needed to read Parquet or CSV.
    from calfload.ingest.fit import read_fit

    return read_fit(path)


def _export(path: Path, columns: ColumnMap | None) -> list[Recording]:
    from calfload.ingest.phone import load_export

    return load_export(path, columns)


#: Suffix -> loader. A loader returns every stream the file holds (a FIT file may hold several).
LOADERS: Final[dict[str, Loader]] = {
    ".parquet": _parquet,
    ".csv": _csv,
    ".fit": _fit,
    ".zip": _export,
    ".xlsx": _export,  # phyphox's Excel export (ingest/phone_excel.py)
    ".xls": _export,  # the same from old Android versions of phyphox (BIFF8)
}


def load_recordings(path: str | Path, *, columns: ColumnMap | None = None) -> list[Recording]:
    """Read every stream in a recording file, or the recording in a phone-app export folder or zip.

    Parameters
    ----------
    path
        A ``.parquet``, ``.csv``, ``.fit``, ``.zip``, ``.xlsx`` or ``.xls`` file, or a folder of CSV files.
    columns
        Names of columns a CSV spells otherwise (``--columns``).

    Raises
    ------
    DataError
        If the file does not exist, has an unsupported suffix, or breaks the contract.
    """
    path = Path(path)
    if path.is_dir():
        return _export(path, columns)
    loader = LOADERS.get(path.suffix.lower())
    if not path.exists():  # said first: a mistyped folder has no suffix, and is not an unsupported type
        raise DataError("no such file or folder; check the path", source=str(path))
    if loader is None:
        raise DataError(
            f"unsupported file type {path.suffix or '(none)'}; calfload reads {', '.join(sorted(LOADERS))} files "
            "and folders of CSV files",
            source=str(path),
        )
    if not path.is_file():
        raise DataError("not a file or a folder; check the path", source=str(path))
    return loader(path, columns)


def load_recording(path: str | Path, *, kind: str | None = None, columns: ColumnMap | None = None) -> Recording:
    """Read the main stream of a recording file (the IMU stream if there is one).

    Parameters
    ----------
    path
        A ``.parquet``, ``.csv`` (or other registered) file, or a phone-app export.
    kind
        Prefer the stream of this kind when the file holds several.
    columns
        Names of columns a CSV spells otherwise (``--columns``).
    """
    streams = load_recordings(path, columns=columns)
    preferred = [kind] if kind else ["imu", "footpod"]
    for wanted in preferred:
        for rec in streams:
            if rec.meta.kind == wanted:
                return rec
    return streams[0]
