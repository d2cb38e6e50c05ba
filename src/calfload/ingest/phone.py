"""Phone sensor-app exports: Sensor Logger and phyphox folders or zips, and generic CSV files.

Phone apps write each sensor to its own file, often without gravity:

- **Sensor Logger** (Kelvin Choi, tszheichoi/awesome-sensor-logger, UNITS.md): ``Accelerometer.csv``
  (acceleration *without* gravity, m/s²), ``TotalAcceleration.csv`` (with gravity, Android),
  ``Gravity.csv`` (m/s²), ``Gyroscope.csv`` (rad/s); columns ``time`` (ns since 1970),
  ``seconds_elapsed``, ``z``, ``y``, ``x``.
- **phyphox** (RWTH Aachen): one CSV per sensor (``Accelerometer.csv`` with ``"Time (s)"``,
  ``"Acceleration x (m/s^2)"`` ...; ``Gyroscope.csv`` with ``"Gyroscope x (rad/s)"``; ``Linear
  Acceleration x (m/s^2)`` when gravity was removed), exported comma-, tab- or semicolon-separated
  (the last with decimal commas), and ``meta/time.csv`` with the wall-clock start.

The files are joined on time (the gyroscope interpolated onto the accelerometer's samples where
both cover), and gravity is added back: from the app's own gravity file when there is one, else
estimated from the gyroscope (see :func:`estimate_gravity`), said in a warning.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from calfload._metadata_limits import clip
from calfload._stats import median, percentile
from calfload.errors import DataError, SchemaError
from calfload.ingest.csv_formats import (
    ColumnMap,
    SensorTable,
    check_imu_time,
    read_frame,
    sensor_table,
    to_seconds,
    warn_assumed,
)
from calfload.ingest.phone_gravity import estimate_gravity
from calfload.recording import (
    MIN_DURATION_S,
    Recording,
    check_csv_lines,
    guess_meta,
    make_recording,
    read_csv,
    read_parquet,
)
from calfload.schema import ACC_MPS2, GYR_DPS, T_S, TABLES, UNKNOWN_START_UTC, RecordingMeta
from calfload.units import DEG_PER_RAD

#: Sensor Logger file stem (lower case) -> the quantity it holds.
SENSOR_LOGGER_FILES: Final[dict[str, str]] = {
    "totalacceleration": "acc",
    "accelerometer": "linear_acc",
    "gravity": "gravity",
    "gyroscope": "gyr",
}


@dataclass(frozen=True, slots=True)
class CsvFile:
    """One CSV file's name and text (from a folder or a zip)."""

    name: str
    text: str


# ---------------------------------------------------------------------------------------- layouts


def load_export(path: Path, columns: ColumnMap | None = None) -> list[Recording]:
    """Read a recording folder (calfload's Parquet streams) or a phone-app export folder or zip.

    A folder of calfload Parquet files gives every stream in it (IMU, foot pod, heart rate), a
    two-sensor session folder those of its ``left`` and ``right`` folders; a phone-app export
    (Sensor Logger, phyphox, or CSV files of one recording) gives one IMU stream.

    Raises
    ------
    DataError
        If the export holds no usable accelerometer and gyroscope data.
    """
    if path.is_dir() and any(path.glob("*.parquet")):
        return [read_parquet(p) for p in sorted(path.glob("*.parquet"))]
    sides = [path / "left", path / "right"]  # a two-sensor session of `calfload record` (ingest/pair.py)
    if path.is_dir() and all(any(side.glob("*.parquet")) for side in sides):
        return [read_parquet(p) for side in sides for p in sorted(side.glob("*.parquet"))]
    if path.suffix.lower() in (".xlsx", ".xls"):
        from calfload.ingest.phone_excel import excel_files

        files = excel_files(path)
    else:
        files = list(_zip_files(path) if path.suffix.lower() == ".zip" else _folder_files(path))
    if not files:
        raise DataError("holds no CSV files; give the folder or .zip the phone app exported", source=str(path))
    start = _phyphox_start(files)
    data = [f for f in files if not f.name.replace("\\", "/").startswith("meta/")]
    if _is_sensor_logger(data):
        return [combine(_sensor_logger_tables(data, str(path)), source=str(path), origin="Sensor Logger export")]
    tables = []
    for f in data:
        frame, dialect = read_frame(f.text, source=f"{path}/{f.name}")
        table = sensor_table(frame, columns or ColumnMap(), source=f"{path}/{f.name}")
        notes = list(table.assumptions)
        if dialect.separator != "," or dialect.decimal != ".":
            notes.insert(0, f"the file is {dialect.describe()}")
        tables.append(_with(table, assumptions=tuple(notes)))
    origin = "phyphox export" if start is not None else "CSV files of one recording"
    return [combine(tables, source=str(path), origin=origin, start_utc=start)]


def _folder_files(path: Path) -> Iterable[CsvFile]:
    for p in sorted(path.rglob("*.csv")):
        yield CsvFile(p.relative_to(path).as_posix(), _text(p.read_bytes(), str(p)))


def _zip_files(path: Path) -> Iterable[CsvFile]:
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.lower().endswith(".csv") and not info.is_dir():
                    yield CsvFile(info.filename, _text(zf.read(info), f"{path}/{info.filename}"))
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"not a readable zip file ({exc}); export it again", source=str(path)) from None


def _text(raw: bytes, source: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError("is not a text file; give a CSV export", source=source)  # pragma: no cover - cp1252 decodes all


def _stem(name: str) -> str:
    return Path(name).stem.lower().replace(" ", "").replace("_", "")


def _is_sensor_logger(files: list[CsvFile]) -> bool:
    head = {_stem(f.name): f.text.split("\n", 1)[0].strip().lower() for f in files}
    return any(stem in SENSOR_LOGGER_FILES and "seconds_elapsed" in h for stem, h in head.items())


def _sensor_logger_tables(files: list[CsvFile], source: str) -> list[SensorTable]:
    tables = []
    for f in files:
        quantity = SENSOR_LOGGER_FILES.get(_stem(f.name))
        if quantity is None:
            continue
        name = f"{source}/{f.name}"
        frame, _ = read_frame(f.text, source=name)
        missing = [c for c in ("time", "x", "y", "z") if c not in frame.columns]
        if missing:
            raise DataError(f"lacks Sensor Logger's column {missing[0]!r}; export the recording again", source=name)
        t_s, start, _ = to_seconds(frame["time"], "time", factor=1e-9, source=name)
        block = frame.loc[:, ["x", "y", "z"]].to_numpy(dtype=np.float64)
        if quantity == "gyr":
            block = block * DEG_PER_RAD  # Sensor Logger writes rad/s
        tables.append(SensorTable(t_s, start, {quantity: block}, frozenset({quantity}), (), name))
    return tables


def _phyphox_start(files: list[CsvFile]) -> dt.datetime | None:
    """The wall-clock start from phyphox's ``meta/time.csv`` (event START, system time in s)."""
    meta = next((f for f in files if f.name.replace("\\", "/").lower().endswith("meta/time.csv")), None)
    if meta is None:
        return None
    try:
        frame, _ = read_frame(meta.text, source=meta.name)
        row = frame[frame.iloc[:, 0].astype(str).str.upper() == "START"].iloc[0]
        return dt.datetime.fromtimestamp(float(row.iloc[2]), tz=dt.UTC)
    except (DataError, IndexError, ValueError, OverflowError):
        return None


def _with(table: SensorTable, **changes: object) -> SensorTable:
    from dataclasses import replace

    return replace(table, **changes)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------- single files


def read_csv_file(path: Path, columns: ColumnMap | None = None) -> Recording:
    """Read one CSV file: the contract's columns, a generic sensor CSV, or one file of a Sensor Logger export.

    A ``# calfload:`` first line or the contract's column names read as they are (whatever the
    separator and decimal mark); other column names are recognised or mapped by ``columns``.
    """
    source = str(path)
    try:
        check_csv_lines(path, source=source)  # before the whole file is read: a 1 GB line is no recording
        text = _text(path.read_bytes(), source)
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror}); check the path", source=source) from None
    if text.startswith("# calfload:"):
        return read_csv(path)
    if _is_sensor_logger([CsvFile(path.name, text)]):
        return load_export(path.parent, columns)[0]
    frame, dialect = read_frame(text, source=source)
    notes = [] if (dialect.separator, dialect.decimal) == (",", ".") else [f"the file is {dialect.describe()}"]
    return recording_from_frame(frame, source=source, columns=columns, notes=notes)


def recording_from_frame(
    frame: pd.DataFrame, *, source: str, columns: ColumnMap | None = None, notes: list[str] | None = None
) -> Recording:
    """A recording from a table without calfload metadata (a plain CSV, a foreign Parquet file).

    The contract's column names read as they are (kind from the columns, rate from the step, start
    unknown); other names are recognised or mapped by ``columns``. Everything assumed is warned.
    """
    notes = list(notes or [])
    contract = next((t for t in TABLES.values() if set(t.required) <= set(frame.columns)), None)
    if columns is None and contract is not None:
        if contract.kind == "imu":
            frame[T_S], note = check_imu_time(_numeric_time(frame[T_S], source=source), T_S)
            notes += [note] if note else []
        warn_assumed(source, notes)
        return make_recording(frame, guess_meta(frame), source=source)
    table = sensor_table(frame, columns or ColumnMap(), source=source)
    return combine([_with(table, assumptions=(*notes, *table.assumptions))], source=source, origin="CSV file")


def _numeric_time(values: pd.Series, *, source: str) -> np.ndarray:
    """``t_s`` as float64; a text in it is a one-line :class:`SchemaError`, not a ValueError."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        first = clip(repr(values[bad].iloc[0]), 60)
        raise SchemaError(
            f"column {T_S} holds non-numeric values such as {first}; fix or remove those rows",
            source=source,
            table="imu",
            column=T_S,
        )
    return numbers.to_numpy(dtype=np.float64)


# ------------------------------------------------------------------------------------------- join


def combine(tables: list[SensorTable], *, source: str, origin: str, start_utc: dt.datetime | None = None) -> Recording:
    """Join partial sensor tables (accelerometer, gyroscope, gravity) into one IMU recording.

    Raises
    ------
    DataError
        If accelerometer or gyroscope data are missing, or they do not overlap in time.
    """
    by_quantity = {q: t for t in tables for q in t.vectors}
    base, gyr_t = _base_and_gyroscope(by_quantity, source)
    notes = [n for t in tables for n in t.assumptions]
    t_s = base.t_s
    lo, hi = t_s[0], t_s[-1]
    shifted = {q: _shift(t, base) for q, t in by_quantity.items()}
    needed = ["gyr"] if "acc" in base.vectors else ["gyr", *(["gravity"] if "gravity" in shifted else [])]
    for q in needed:
        lo, hi = max(lo, shifted[q][0]), min(hi, shifted[q][-1])
    if hi - lo < MIN_DURATION_S:
        raise DataError(
            f"the accelerometer and gyroscope data overlap for only {max(0.0, hi - lo):.1f} s; give files of the "
            "same recording",
            source=source,
        )
    keep = (t_s >= lo) & (t_s <= hi)
    t = t_s[keep]
    gyr = _interp(t, shifted["gyr"], gyr_t.vectors["gyr"])
    if "acc" in base.vectors:
        acc = base.vectors["acc"][keep]
    else:
        lin = base.vectors["linear_acc"][keep]
        if "gravity" in by_quantity:
            acc = lin + _interp(t, shifted["gravity"], by_quantity["gravity"].vectors["gravity"])
            notes.append("acceleration without gravity, gravity added back from the app's gravity file")
        else:
            gyr_dps = gyr if "gyr" in gyr_t.stated_units else _as_dps(gyr)
            gravity, note = estimate_gravity(t, lin, gyr_dps)
            acc = lin + gravity
            notes.append(note)
    start = start_utc or base.start_utc
    origin_start = (start + dt.timedelta(seconds=float(t[0]))) if start is not None else UNKNOWN_START_UTC
    frame = pd.DataFrame({T_S: t - t[0]})
    for i, name in enumerate(ACC_MPS2):
        frame[name] = acc[:, i]
    for i, name in enumerate(GYR_DPS):
        frame[name] = gyr[:, i]
    steps = np.diff(t)
    rate = 1.0 / float(median(steps[steps > 0])) if np.any(steps > 0) else 1.0
    meta = RecordingMeta(
        kind="imu",
        sample_rate_hz=rate if math.isfinite(rate) else 1.0,
        start_utc=origin_start,
        origin=origin,
    )
    warn_assumed(source, notes)
    return make_recording(frame, meta, source=source)


def _base_and_gyroscope(by_quantity: dict[str, SensorTable], source: str) -> tuple[SensorTable, SensorTable]:
    """The accelerometer table (with gravity if there is one) and the gyroscope table; both are needed."""
    gyr_t = by_quantity.get("gyr")
    base = by_quantity.get("acc") or by_quantity.get("linear_acc")
    if base is None:
        what = "gyroscope" if gyr_t is not None else "sensor"
        raise DataError(
            f"{what} data with no matching accelerometer file; export the accelerometer too and give the "
            "folder (or .zip) that holds both",
            source=source,
        )
    if gyr_t is None:
        raise DataError(
            "accelerometer data with no gyroscope (rotation rate) file; calfload needs both, so export the "
            "gyroscope too and give the folder (or .zip) that holds both",
            source=source,
        )
    return base, gyr_t


def _shift(table: SensorTable, base: SensorTable) -> np.ndarray:
    """``table``'s times on ``base``'s clock (same origin unless both give wall-clock starts)."""
    if table.start_utc is None or base.start_utc is None:
        return table.t_s
    return table.t_s + (table.start_utc - base.start_utc).total_seconds()


def _interp(t: np.ndarray, t_src: np.ndarray, values: np.ndarray) -> np.ndarray:
    order = np.argsort(t_src, kind="stable")
    return np.column_stack([np.interp(t, t_src[order], values[order, i]) for i in range(3)])


def _as_dps(gyr: np.ndarray) -> np.ndarray:
    """Angular rate of unstated unit in deg/s: a foot never turns faster than 35 rad/s."""
    return gyr if float(percentile(np.linalg.norm(gyr, axis=1), 99.9)) > 35.0 else gyr * DEG_PER_RAD


__all__ = ["SENSOR_LOGGER_FILES", "combine", "estimate_gravity", "load_export", "read_csv_file", "recording_from_frame"]
