"""Recordings in memory and on disk: Parquet and CSV, validated at the boundary.

A :class:`Recording` is a validated table of one stream plus its :class:`RecordingMeta`.
Reading refuses what the analysis cannot trust and says so in one line naming the file:

- a missing column, a non-numeric column;
- time that is missing, NaN or not strictly increasing;
- a burst of missing sensor values (isolated missing samples are interpolated, with a warning);
- an empty file, or one shorter than :data:`MIN_DURATION_S`;
- an unknown major schema version;
- input whose size is not that of a recording, refused before any array is sized from it (so
  memory stays a fixed multiple of the number of samples): a CSV line longer than
  :data:`MAX_CSV_LINE_BYTES`, a jump in time longer than :data:`MAX_GAP_S` (a stray sample hours
  away), a span longer than :data:`MAX_DURATION_S`, or a span that is mostly gaps (the analyses
  resample onto a uniform grid over the whole span; see :func:`check_time_span`).

Units are checked from the data itself. Acceleration whose magnitude at rest is about 1 rather
than about 9.81 is in g and is converted to m/s² (a sensor that never rests may read up to 3 g in
its steadiest windows; see :mod:`calfload._unit_checks`); angular rate that is about 57 times smaller than
the rotation the accelerometer sees is in rad/s and is converted to deg/s. Both conversions emit a
:class:`~calfload.errors.UnitConversionWarning`; the file on disk is never changed.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np
import pyarrow as pa

from calfload._arrow import arrow_column, arrow_to_numpy
from calfload._csv_text import MAX_CSV_LINE_BYTES, check_csv_lines, csv_columns, first_line, pandas_csv
from calfload._files import atomic_writer
from calfload._parquet_read import ParquetSource, open_parquet, read_schema
from calfload._stats import median
from calfload._unit_checks import gyro_looks_like_rad_per_s
from calfload._validation import (
    MAX_DURATION_S,
    MAX_GAP_S,
    MIN_DURATION_S,
    as_array,
    check_time_span,
    checked_table,
    normalise_imu_units,
    true_runs,
    validate_table,
)
from calfload.errors import DataError, SchemaError
from calfload.schema import ACC_MPS2, GYR_DPS, METADATA_KEY, T_S, TABLES, UNKNOWN_START_UTC, RecordingMeta

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import ArrayLike

    from calfload.schema import MetaChanges


@dataclass(frozen=True, slots=True, eq=False)
class Recording:
    """One validated sensor stream: one NumPy array per column, and its metadata.

    The analyses read columns as arrays (:meth:`column`, :attr:`t_s`, :meth:`acc_mps2`), so
    analysing a file never imports pandas; :meth:`to_pandas` (or :attr:`data`) gives a DataFrame
    for those who want one. The arrays are read-only views: a recording never changes.

    Parameters
    ----------
    columns
        Column name -> samples, every column of ``meta.table`` and the same length, ``t_s``
        (float64) strictly increasing, sensor values float32; a boolean column is float32 1/0
        with NaN where missing. Build one from a table with :func:`make_recording`, which
        validates it.
    meta
        The stream's metadata.
    source
        Where the recording came from (a path), for messages.
    median_step_s
        The median of the time steps ``np.diff(t_s)`` (s) where reading measured it already (the
        time checks do), so the analyses' grids need not sort an hour of steps again; None when
        not known (the grids then measure it).
    """

    columns: Mapping[str, np.ndarray]
    meta: RecordingMeta
    source: str = "<memory>"
    median_step_s: float | None = None

    def __post_init__(self) -> None:
        views = {}
        for name, values in self.columns.items():
            view = as_array(values).view()
            view.flags.writeable = False
            views[str(name)] = view
        object.__setattr__(self, "columns", MappingProxyType(views))

    @property
    def t_s(self) -> np.ndarray:
        """Sample times (s) as float64."""
        return np.asarray(self.columns[T_S], dtype=np.float64)

    @property
    def n_samples(self) -> int:
        """Number of samples."""
        return int(self.columns[T_S].size)

    @property
    def duration_s(self) -> float:
        """Time from the first to the last sample."""
        t = self.t_s
        return float(t[-1] - t[0]) if t.size else 0.0

    def column(self, name: str) -> np.ndarray:
        """One column's samples as stored (float32 for sensor values), without a copy."""
        return self.columns[name]

    def acc_mps2(self) -> np.ndarray:
        """Accelerometer samples, shape ``(n, 3)``, float64, m/s²."""
        return np.column_stack([self.columns[n] for n in ACC_MPS2]).astype(np.float64, copy=False)

    def gyr_dps(self) -> np.ndarray:
        """Gyroscope samples, shape ``(n, 3)``, float64, deg/s."""
        return np.column_stack([self.columns[n] for n in GYR_DPS]).astype(np.float64, copy=False)

    def with_meta(self, **changes: Unpack[MetaChanges]) -> Recording:
        """The same samples with metadata fields changed (as :meth:`RecordingMeta.replace`)."""
        return Recording(self.columns, self.meta.replace(**changes), self.source, self.median_step_s)

    def to_pandas(self) -> pd.DataFrame:
        """The samples as a new pandas DataFrame (imports pandas; booleans as nullable ``boolean``)."""
        from calfload._frames import to_frame

        return to_frame(dict(self.columns), self.meta.table)

    @property
    def data(self) -> pd.DataFrame:
        """The samples as a pandas DataFrame, built on each access (see :meth:`to_pandas`)."""
        return self.to_pandas()


def make_recording(
    data: Mapping[str, ArrayLike] | pd.DataFrame, meta: RecordingMeta, *, source: str = "<memory>"
) -> Recording:
    """Validate a table against ``meta``'s table and wrap both in a :class:`Recording`.

    Parameters
    ----------
    data
        Column name -> values (NumPy arrays, or anything NumPy makes one of: lists, tuples; then
        pandas is never imported), or a pandas DataFrame (text columns are parsed as numbers;
        booleans may be 0/1 or words).
    meta
        The stream's metadata; ``meta.table`` names the columns.
    source
        The file, for messages.

    Raises
    ------
    SchemaError, DataError
        If the table breaks the contract (see the module docstring).
    """
    table = checked_table(data, meta.table, source=source)
    if meta.kind == "imu":
        normalise_imu_units(table.columns, source=source, step_s=table.step_s)
    return Recording(table.columns, meta, source, table.step_s)


# --------------------------------------------------------------------------------------------- Parquet


def write_parquet(recording: Recording, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a recording as Parquet with the contract's schema and metadata.

    The file is written under a unique temporary name, synced, and moved into place atomically
    (:func:`calfload._files.atomic_writer`): an interrupted write never leaves a half file under
    ``path``, and after a power cut the file is whole. It is created readable by its owner only.

    Parameters
    ----------
    recording
        What to write.
    path
        The file to create.
    overwrite
        Replace an existing file: only for a file calfload wrote for this very purpose (the same
        recording written again). By default an existing file is left alone.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is false.
    OSError
        If the disk refuses the file (full, too large, no permission).
    """
    import pyarrow.parquet as pq  # writing only: reading does without pyarrow.parquet (calfload._parquet_read)

    path = Path(path)
    meta = recording.meta
    schema = meta.table.arrow_schema({METADATA_KEY: meta.to_json().encode()})
    arrays = [arrow_column(recording.column(c.name), c.arrow_type) for c in meta.table.columns]
    # Times are all different and rise smoothly: a dictionary of them overflows and falls back
    # after its first megabyte, while their bytes split by significance compress to almost
    # nothing. An hour at 200 Hz: t_s 1.2 MB -> 0.04 MB, read in 3 ms instead of 12 ms. (Both
    # options take a list of columns, as pyarrow documents; its type stubs say only bool.)
    encodings: dict[str, Any] = {
        "use_dictionary": [c.name for c in meta.table.columns if c.name != T_S],
        "use_byte_stream_split": [T_S],
    }
    with atomic_writer(path, overwrite=overwrite) as fh:
        pq.write_table(pa.Table.from_arrays(arrays, schema=schema), fh, compression="zstd", **encodings)
    return path


def read_parquet(path: str | Path) -> Recording:
    """Read and validate a recording written in the contract's Parquet form.

    Raises
    ------
    DataError, SchemaError
        If the file is not Parquet, has no ``calfload`` metadata, has an unknown major schema
        version, or breaks the table contract.
    """
    source = str(path)
    try:
        pfile = open_parquet(path)
        file_meta = pfile.schema_arrow.metadata or {}
    except FileNotFoundError:
        raise DataError("no such file; check the path", source=source) from None
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"not a readable Parquet file ({first_line(exc)})", source=source) from None
    try:
        if METADATA_KEY not in file_meta:
            raise SchemaError(
                "the Parquet file has no calfload metadata; read it with calfload.ingest.load_recording (as "
                "`calfload analyze` and `import` do), which says what it assumes",
                source=source,
            )
        columns = _parquet_columns(pfile)
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"the Parquet data is damaged ({first_line(exc)})", source=source) from None
    finally:
        pfile.close()  # unmapped before the checks: the columns are Arrow's own buffers
    meta = RecordingMeta.from_json(file_meta[METADATA_KEY], source=source, defaults=lambda: guess_meta(columns))
    return make_recording(columns, meta, source=source)


def _parquet_columns(pfile: ParquetSource) -> dict[str, np.ndarray]:
    """The stream columns of a Parquet file (those any table declares) as NumPy arrays, one at a time.

    Reading the whole Arrow table and converting it held two copies of the data at the peak;
    column by column, only one column is ever held twice, and each Arrow column is released once
    converted.
    """
    known = {c.name for table in TABLES.values() for c in table.columns}
    columns: dict[str, np.ndarray] = {}
    for name in pfile.schema_arrow.names:
        if name in known:
            chunked = pfile.read_column(name)
            columns[name] = arrow_to_numpy(chunked)
            del chunked
    return columns


# ------------------------------------------------------------------------------------------------ CSV


def read_csv(path: str | Path, *, meta: RecordingMeta | None = None) -> Recording:
    """Read a CSV file with the contract's column names.

    A ``# calfload: {...}`` first line carries the metadata. Without it the stream kind is
    guessed from the columns, the sample rate from the median time step, and the start time is
    taken as unknown (1970-01-01 UTC).
    """
    source = str(path)
    try:
        check_csv_lines(Path(path), source=source)
        line = _csv_metadata_line(Path(path))
        header_meta = None
        if line is not None:
            header_meta = RecordingMeta.from_json(line, source=source)
            columns = csv_columns(Path(path))
            if columns is not None:
                return make_recording(columns, meta or header_meta, source=source)
    except FileNotFoundError:
        raise DataError("no such file; check the path", source=source) from None
    except (OSError, UnicodeDecodeError, pa.ArrowException) as exc:
        raise DataError(f"not a readable CSV file ({first_line(exc)})", source=source) from None
    frame = pandas_csv(Path(path), skip_header=header_meta is not None, source=source)
    return make_recording(frame, meta or header_meta or guess_meta(frame), source=source)


def write_csv(recording: Recording, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a recording as CSV with a ``# calfload:`` metadata first line (atomically, as :func:`write_parquet`)."""
    path = Path(path)
    with atomic_writer(path, overwrite=overwrite) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        text.write(f"# calfload: {recording.meta.to_json()}\n")
        # Ten significant digits: time keeps 0.1 ms at a day's length (six digits lost the 10 ms
        # steps of 100 Hz data after 1000 s); float32 sensor values need nine.
        recording.data.to_csv(text, index=False, float_format="%.10g")
        text.flush()
        text.detach()
    return path


def guess_meta(data: Mapping[str, ArrayLike] | pd.DataFrame) -> RecordingMeta:
    """Metadata for a table without any: kind from the columns, rate from the median step, start unknown."""
    names = {str(n) for n in data}
    kind = next((k for k, table in TABLES.items() if k != "imu" and set(table.required) <= names), "imu")
    rate = 0.0
    if T_S in names:
        t = _floats(data[T_S])
        steps = np.diff(t[np.isfinite(t)])
        steps = steps[steps > 0]
        if steps.size:
            rate = 1.0 / float(median(steps))
    return RecordingMeta(
        kind=kind,
        sample_rate_hz=rate if math.isfinite(rate) and rate > 0 else 1.0,
        start_utc=UNKNOWN_START_UTC,
        origin="csv without calfload metadata",
    )


def _floats(values: ArrayLike | pd.Series) -> np.ndarray:
    """Values as float64, anything that is not a number as NaN."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        return np.array([_float_or_nan(v) for v in np.asarray(values, dtype=object)], dtype=np.float64)


def _float_or_nan(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _csv_metadata_line(path: Path) -> str | None:
    """The JSON of a calfload CSV file's ``# calfload:`` first line, or None (raises OSError, UnicodeDecodeError)."""
    with path.open(encoding="utf-8-sig") as fh:
        first = fh.readline(MAX_CSV_LINE_BYTES + 1)
    return first.split(":", 1)[1] if first.startswith("# calfload:") else None


def read_metadata(path: str | Path) -> RecordingMeta:
    """Read only the metadata of a Parquet recording or of a calfload CSV file (no samples)."""
    source = str(path)
    if Path(path).suffix.lower() == ".csv":
        try:
            line = _csv_metadata_line(Path(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(f"not a readable CSV file ({first_line(exc)})", source=source) from None
        if line is None:
            raise SchemaError("the CSV file has no calfload metadata line", source=source)
        return RecordingMeta.from_json(line, source=source)
    try:
        file_meta = read_schema(path).metadata or {}
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"not a readable Parquet file ({first_line(exc)})", source=source) from None
    if METADATA_KEY not in file_meta:
        raise SchemaError("the Parquet file has no calfload metadata", source=source)
    return RecordingMeta.from_json(file_meta[METADATA_KEY], source=source)


__all__ = [
    "MAX_CSV_LINE_BYTES",
    "MAX_DURATION_S",
    "MAX_GAP_S",
    "MIN_DURATION_S",
    "Recording",
    "check_csv_lines",
    "check_time_span",
    "guess_meta",
    "gyro_looks_like_rad_per_s",
    "make_recording",
    "read_csv",
    "read_metadata",
    "read_parquet",
    "true_runs",
    "validate_table",
    "write_csv",
    "write_parquet",
]
