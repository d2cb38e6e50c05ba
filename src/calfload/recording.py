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
than about 9.81 is in g and is converted to m/s²; angular rate that is about 57 times smaller than
the rotation the accelerometer sees is in rad/s and is converted to deg/s. Both conversions emit a
:class:`~calfload.errors.UnitConversionWarning`; the file on disk is never changed.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from calfload._files import atomic_writer
from calfload._tables import Table
from calfload.errors import DataError, SchemaError, SignalQualityWarning, UnitConversionWarning
from calfload.schema import ACC_MPS2, GYR_DPS, METADATA_KEY, T_S, TABLES, UNKNOWN_START_UTC, RecordingMeta
from calfload.units import DEG_PER_RAD, STANDARD_GRAVITY_MPS2

#: Shortest recording worth analysing: one slow calf raise takes about 5 s.
MIN_DURATION_S: Final = 4.0
#: Runs of missing sensor values up to this many samples are interpolated; longer runs are refused.
MAX_INTERPOLATED_RUN: Final = 3
#: Longest line of a CSV file (bytes). A row of numbers is under 200 bytes, the metadata line a few KB.
MAX_CSV_LINE_BYTES: Final = 65_536
#: Longest recording (s): two days. A longer file is several sessions.
MAX_DURATION_S: Final = 48 * 3600.0
#: Longest jump in time between two consecutive samples (s) within one recording.
MAX_GAP_S: Final = 6 * 3600.0
#: A recording's span may hold at most this many sampling steps per sample (plus :data:`SPAN_SLACK_S`).
MAX_STEPS_PER_SAMPLE: Final = 10.0
#: Gap time allowed on top of :data:`MAX_STEPS_PER_SAMPLE` (s), for short recordings with one pause.
SPAN_SLACK_S: Final = 600.0


@dataclass(frozen=True, slots=True)
class Recording:
    """One validated sensor stream.

    Parameters
    ----------
    data
        The samples, columns as in ``meta.table``, ``t_s`` strictly increasing.
    meta
        The stream's metadata.
    source
        Where the recording came from (a path), for messages.
    """

    data: pd.DataFrame
    meta: RecordingMeta
    source: str = "<memory>"

    @property
    def t_s(self) -> np.ndarray:
        """Sample times (s) as float64."""
        return self.data[T_S].to_numpy(dtype=np.float64)

    @property
    def duration_s(self) -> float:
        """Time from the first to the last sample."""
        t = self.t_s
        return float(t[-1] - t[0]) if t.size else 0.0

    def column(self, name: str) -> np.ndarray:
        """One column's samples as stored (float32 for sensor values), without a copy where possible."""
        return self.data[name].to_numpy()

    def acc_mps2(self) -> np.ndarray:
        """Accelerometer samples, shape ``(n, 3)``, float64, m/s²."""
        return self.data.loc[:, list(ACC_MPS2)].to_numpy(dtype=np.float64)

    def gyr_dps(self) -> np.ndarray:
        """Gyroscope samples, shape ``(n, 3)``, float64, deg/s."""
        return self.data.loc[:, list(GYR_DPS)].to_numpy(dtype=np.float64)


def make_recording(data: pd.DataFrame, meta: RecordingMeta, *, source: str = "<memory>") -> Recording:
    """Validate ``data`` against ``meta``'s table and wrap both in a :class:`Recording`.

    Raises
    ------
    SchemaError, DataError
        If the table breaks the contract (see the module docstring).
    """
    table = meta.table
    frame = validate_table(data, table, source=source)
    if meta.kind == "imu":
        frame = _normalise_imu_units(frame, source=source)
    return Recording(frame, meta, source)


def validate_table(data: pd.DataFrame, table: Table, *, source: str) -> pd.DataFrame:
    """Check columns, types and time of a stream table; return it with the contract's dtypes.

    Isolated missing sensor values (runs of at most :data:`MAX_INTERPOLATED_RUN` samples) are
    filled by linear interpolation in time, with a :class:`SignalQualityWarning`.
    """
    missing = [n for n in table.required if n not in data.columns]
    if missing:
        raise SchemaError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the {table.kind} "
            f"table needs {', '.join(table.required)}",
            source=source,
            table=table.kind,
            column=missing[0],
        )
    out: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name not in data.columns:
            out[col.name] = pd.Series(pd.NA if col.arrow_type == pa.bool_() else np.nan, index=data.index)
            continue
        values = data[col.name]
        if col.arrow_type == pa.bool_():
            out[col.name] = _booleans(values, col.name, table=table.kind, source=source)
            continue
        target = np.dtype(col.numpy_dtype)
        if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
            # Already numbers (every Parquet file, most CSVs): no parsing, no copy when the type fits.
            out[col.name] = values.astype(target)
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
        out[col.name] = numeric.astype(target)
    frame = pd.DataFrame(out).reset_index(drop=True)
    if frame.empty:
        raise DataError("the recording has no samples; record again or choose another file", source=source)
    _check_time(frame[T_S].to_numpy(), source=source)
    return _fill_isolated_nans(frame, table, source=source)


_TRUE_WORDS: Final = frozenset({"true", "1", "yes", "y", "t"})
_FALSE_WORDS: Final = frozenset({"false", "0", "no", "n", "f"})


def _booleans(values: pd.Series, name: str, *, table: str, source: str) -> pd.Series:
    """A nullable boolean column from booleans, 0/1 or the usual words (true/false, yes/no)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    words = values.astype("string").str.strip().str.lower()
    unknown = words.notna() & ~words.isin(_TRUE_WORDS | _FALSE_WORDS)
    if unknown.any():
        raise SchemaError(
            f"column {name} holds {values[unknown].iloc[0]!r}; use true/false (or 1/0, yes/no) or leave it empty",
            source=source,
            table=table,
            column=name,
        )
    return words.isin(_TRUE_WORDS).astype("boolean").mask(words.isna())


def _check_time(t: np.ndarray, *, source: str) -> None:
    if not np.all(np.isfinite(t)):
        i = int(np.flatnonzero(~np.isfinite(t))[0])
        raise DataError(f"t_s is missing or not finite at row {i}; every sample needs a time", source=source)
    dt_s = np.diff(t)
    if np.any(dt_s <= 0):
        i = int(np.flatnonzero(dt_s <= 0)[0]) + 1
        raise DataError(
            f"t_s is not strictly increasing at row {i} ({t[i - 1]:.6g} s then {t[i]:.6g} s); "
            "sort the rows by time and drop duplicates",
            source=source,
        )
    duration = float(t[-1] - t[0])
    if duration < MIN_DURATION_S:
        raise DataError(
            f"the recording lasts only {duration:.1f} s; calfload needs at least {MIN_DURATION_S:.0f} s of data",
            source=source,
        )
    check_time_span(t, source=source)


def check_time_span(t_s: np.ndarray, *, source: str) -> None:
    """Refuse times whose span is not that of one recording, before any analysis sizes an array from it.

    The analyses resample onto a uniform grid from the first sample to the last, so memory and
    time follow the span, not the number of samples: one stray sample at t = 3e5 s in a 49 KB CSV
    asked for 8 GB. Refused, each in one line naming the rows:

    - a jump between consecutive samples longer than :data:`MAX_GAP_S`;
    - a span longer than :data:`MAX_DURATION_S`;
    - a span holding more than :data:`MAX_STEPS_PER_SAMPLE` typical sampling steps per sample plus
      :data:`SPAN_SLACK_S` of gaps (a file that is mostly gaps).

    Parameters
    ----------
    t_s
        Sample times, finite and strictly increasing, at least two.
    source
        The file, for messages.

    Raises
    ------
    DataError
        Saying where the time jumps and what to do (remove stray rows, split the file).
    """
    steps = np.diff(t_s)
    widest = int(np.argmax(steps))
    if steps[widest] > MAX_GAP_S:
        raise DataError(
            f"t_s jumps by {steps[widest] / 3600:.3g} h between rows {widest} and {widest + 1} "
            f"({t_s[widest]:.6g} s then {t_s[widest + 1]:.6g} s); a recording is one session: remove the stray "
            "rows or split the file at the gap",
            source=source,
        )
    duration = float(t_s[-1] - t_s[0])
    if duration > MAX_DURATION_S:
        raise DataError(
            f"the recording spans {duration / 3600:.3g} h; calfload reads recordings of up to "
            f"{MAX_DURATION_S / 3600:.0f} h: split the file into its sessions",
            source=source,
        )
    step = float(np.median(steps))
    span_steps = duration / step
    if span_steps > MAX_STEPS_PER_SAMPLE * t_s.size + SPAN_SLACK_S / step:
        raise DataError(
            f"the {t_s.size} samples (one every {step:.3g} s) cover {100 * t_s.size / span_steps:.2g} % of the "
            f"{duration:.6g} s from the first to the last: the file is mostly gaps (the longest after row {widest}); "
            "remove stray rows or split the file at its gaps",
            source=source,
        )


def _fill_isolated_nans(frame: pd.DataFrame, table: Table, *, source: str) -> pd.DataFrame:
    t = frame[T_S].to_numpy()
    filled = 0
    for col in table.columns:
        if col.nullable or col.name == T_S:
            continue
        values = frame[col.name].to_numpy(dtype=np.float64)
        nan = ~np.isfinite(values)
        if not nan.any():
            continue
        starts, ends = true_runs(nan)
        longest = int(np.argmax(ends - starts))
        if ends[longest] - starts[longest] > MAX_INTERPOLATED_RUN or nan.all():
            a, b = starts[longest], ends[longest] - 1
            raise DataError(
                f"{col.name} is missing for {ends[longest] - starts[longest]} samples from {t[a]:.2f} s to "
                f"{t[b]:.2f} s; delete those rows (calfload treats missing rows as a gap) and try again",
                source=source,
            )
        values[nan] = np.interp(t[nan], t[~nan], values[~nan])
        frame[col.name] = values.astype(col.numpy_dtype)
        filled += int(nan.sum())
    if filled:
        warnings.warn(
            f"{source}: interpolated {filled} isolated missing sensor values", SignalQualityWarning, stacklevel=3
        )
    return frame


def true_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start (inclusive) and end (exclusive) indices of the True runs in ``mask``.

    Examples
    --------
    >>> true_runs(np.array([False, True, True, False, True]))
    (array([1, 4]), array([3, 5]))
    """
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def _normalise_imu_units(frame: pd.DataFrame, *, source: str) -> pd.DataFrame:
    # The checks read the stored float32 samples: a float64 copy of the recording would double
    # the memory of reading a long file for a decision that needs two significant digits.
    acc = frame.loc[:, list(ACC_MPS2)].to_numpy(dtype=np.float32)
    t = frame[T_S].to_numpy()
    acc_scale = _accelerometer_scale(acc, source=source)
    if acc_scale != 1.0:
        warnings.warn(
            f"{source}: acceleration looks like g (magnitude about 1 at rest); converted to m/s²",
            UnitConversionWarning,
            stacklevel=4,
        )
        for name in ACC_MPS2:
            frame[name] = (frame[name].to_numpy(dtype=np.float64) * acc_scale).astype(np.float32)
        acc = frame.loc[:, list(ACC_MPS2)].to_numpy(dtype=np.float32)
    gyr = frame.loc[:, list(GYR_DPS)].to_numpy(dtype=np.float32)
    if gyro_looks_like_rad_per_s(t, acc, gyr):
        warnings.warn(
            f"{source}: angular rate looks like rad/s (57 times smaller than the rotation the "
            "accelerometer sees); converted to deg/s",
            UnitConversionWarning,
            stacklevel=4,
        )
        for name in GYR_DPS:
            frame[name] = (frame[name].to_numpy(dtype=np.float64) * DEG_PER_RAD).astype(np.float32)
    return frame


def _accelerometer_scale(acc: np.ndarray, *, source: str) -> float:
    """Return 1 for m/s², g for data in g; refuse anything else.

    Judged at rest, where the magnitude is gravity alone: the median magnitude of the steadiest
    tenth of 32-sample windows. Over a whole run the median is about three times gravity
    (swinging feet), so the whole-file median would refuse real running recordings.
    """
    norm = np.linalg.norm(acc, axis=1)
    window = 32
    if norm.size >= 4 * window:
        blocks = norm[: norm.size // window * window].reshape(-1, window)
        steady = np.argsort(blocks.std(axis=1))[: max(1, blocks.shape[0] // 10)]
        typical = float(np.median(blocks[steady]))
    else:
        typical = float(np.median(norm))
    if 6.0 <= typical <= 14.0:
        return 1.0
    if 0.6 <= typical <= 1.4:
        return STANDARD_GRAVITY_MPS2
    raise DataError(
        f"acceleration magnitude is typically {typical:.3g}, neither about 9.81 (m/s²) nor about 1 (g); "
        "check the accelerometer columns and their unit",
        source=source,
    )


def gyro_looks_like_rad_per_s(t_s: np.ndarray, acc_mps2: np.ndarray, gyr: np.ndarray) -> bool:
    """Tell whether gyroscope values are in rad/s rather than deg/s, from the data alone.

    Two physical checks:

    1. A human foot, shank or wrist never turns faster than about 35 rad/s (2,000 deg/s, the
       range of consumer gyroscopes), so readings above 35 are deg/s.
    2. The direction of gravity seen by the accelerometer turns exactly as fast as the sensor
       tilts. Over 0.2 s lags, in quasi-static stretches (acceleration magnitude near 1 g), the
       angular rate perpendicular to gravity must match the rate at which that direction turns:
       a ratio of about 1 in deg/s, about 1/57 in rad/s.

    Parameters
    ----------
    t_s
        Sample times (s).
    acc_mps2
        Acceleration, shape ``(n, 3)``.
    gyr
        Angular rate in unknown unit, shape ``(n, 3)``.

    Returns
    -------
    bool
        True only when there is enough tilting motion to judge and the ratio is below 0.1.
    """
    norm = np.linalg.norm(gyr, axis=1)
    if t_s.size < 50 or float(np.percentile(norm, 99.9)) > 35.0:
        return False
    step_s = float(np.mean(np.diff(t_s)))
    lag = max(1, round(0.2 / step_s))
    kernel = np.ones(lag) / lag
    acc = np.column_stack([np.convolve(acc_mps2[:, i], kernel, mode="valid") for i in range(3)])
    rate = np.column_stack([np.convolve(gyr[:, i], kernel, mode="valid") for i in range(3)])
    if acc.shape[0] <= lag:
        return False
    magnitude = np.linalg.norm(acc, axis=1, keepdims=True)
    direction = acc / np.maximum(magnitude, 1e-9)
    cos_angle = np.clip(np.sum(direction[lag:] * direction[:-lag], axis=1), -1.0, 1.0)
    tilt_rate_dps = np.degrees(np.arccos(cos_angle)) / (lag * step_s)
    # Mean rate over the same lag, perpendicular to gravity.
    mid = rate[lag // 2 : lag // 2 + tilt_rate_dps.size]
    g_dir = direction[:-lag]
    perpendicular = mid - np.sum(mid * g_dir, axis=1, keepdims=True) * g_dir
    gyr_rate = np.linalg.norm(perpendicular, axis=1)
    static = np.abs(magnitude[:-lag, 0] - STANDARD_GRAVITY_MPS2) < 1.0
    moving = static & (tilt_rate_dps > 8.0)
    if moving.sum() * step_s < 1.0:
        return False
    ratio = float(np.median(gyr_rate[moving]) / np.median(tilt_rate_dps[moving]))
    return ratio < 0.1


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
    path = Path(path)
    meta = recording.meta
    schema = meta.table.arrow_schema({METADATA_KEY: meta.to_json().encode()})
    arrays = [pa.array(recording.data[c.name], type=c.arrow_type, from_pandas=True) for c in meta.table.columns]
    with atomic_writer(path, overwrite=overwrite) as fh:
        pq.write_table(pa.Table.from_arrays(arrays, schema=schema), fh, compression="zstd")
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
        pfile = pq.ParquetFile(path)
        file_meta = pfile.schema_arrow.metadata or {}
    except FileNotFoundError:
        raise DataError("no such file; check the path", source=source) from None
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"not a readable Parquet file ({_first_line(exc)})", source=source) from None
    if METADATA_KEY not in file_meta:
        raise SchemaError(
            "the Parquet file has no calfload metadata; read it with calfload.ingest.load_recording (as `calfload "
            "analyze` and `import` do), which says what it assumes",
            source=source,
        )
    try:
        # self_destruct frees each Arrow column once converted: one copy of the data, not two.
        frame = pfile.read().to_pandas(self_destruct=True, split_blocks=True)
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"the Parquet data is damaged ({_first_line(exc)})", source=source) from None
    meta = RecordingMeta.from_json(file_meta[METADATA_KEY], source=source, defaults=guess_meta(frame))
    return make_recording(frame, meta, source=source)


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
        with Path(path).open(encoding="utf-8-sig") as fh:
            first = fh.readline(MAX_CSV_LINE_BYTES + 1)
            header_meta = None
            if first.startswith("# calfload:"):
                header_meta = RecordingMeta.from_json(first.split(":", 1)[1], source=source)
            else:
                fh.seek(0)
            frame = pd.read_csv(fh)
    except FileNotFoundError:
        raise DataError("no such file; check the path", source=source) from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"not a readable CSV file ({_first_line(exc)})", source=source) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    meta = meta or header_meta or guess_meta(frame)
    return make_recording(frame, meta, source=source)


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


def guess_meta(frame: pd.DataFrame) -> RecordingMeta:
    """Metadata for a table without any: kind from the columns, rate from the median step, start unknown."""
    kind = next(
        (k for k, table in TABLES.items() if k != "imu" and set(table.required) <= set(frame.columns)),
        "imu",
    )
    rate = 0.0
    if T_S in frame.columns:
        t = pd.to_numeric(frame[T_S], errors="coerce").to_numpy(dtype=np.float64)
        steps = np.diff(t[np.isfinite(t)])
        steps = steps[steps > 0]
        if steps.size:
            rate = 1.0 / float(np.median(steps))
    return RecordingMeta(
        kind=kind,
        sample_rate_hz=rate if math.isfinite(rate) and rate > 0 else 1.0,
        start_utc=UNKNOWN_START_UTC,
        extra={"origin": "csv without calfload metadata"},
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def read_metadata(path: str | Path) -> RecordingMeta:
    """Read only the metadata of a Parquet recording (no samples)."""
    source = str(path)
    try:
        file_meta = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"not a readable Parquet file ({_first_line(exc)})", source=source) from None
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
