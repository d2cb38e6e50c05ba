"""CSV files as people have them: separators, decimal commas, time units and column names.

A CSV written by calfload (or by hand with the contract's column names) reads as it is. Any other
CSV is read by finding out, from the data itself:

- the **separator** (``,``, ``;`` or tab) and the **decimal mark** (``.`` or ``,``): the pair under
  which every row has the header's number of fields and the most fields read as numbers;
- the **time column** (``t_s``, ``time``, ``timestamp``, ``Time (s)``, ``seconds_elapsed`` ...) and
  its **unit**: stated by the name (``_ms``, ``(s)``, ``[ns]``), else from the values: seconds,
  milliseconds, microseconds or nanoseconds since 1970 (which also gives the start time), a
  sample step that only one unit makes a plausible sensor rate (5-2000 Hz), or ISO 8601 text;
- the **sensor columns**: accelerometer, gyroscope, linear acceleration (gravity removed) and
  gravity x/y/z under the usual spellings (``ax``, ``accX``, ``Acceleration x (m/s^2)``,
  ``gyro_x``, ``Gyroscope x (rad/s)``, ``Linear Acceleration x`` ...), with a unit in the name
  converted (g, rad/s).

Everything assumed is said in one :class:`~calfload.errors.UnitConversionWarning`. ``--columns``
(:class:`ColumnMap`) names columns that are spelled otherwise. A file that stays ambiguous is
refused with one line that says how to name its columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pandas as pd

from calfload.errors import DataError, SchemaError, UnitConversionWarning
from calfload.ingest.csv_time import (
    TIME_UNITS,
    check_imu_time,
    find_time_column,
    normalise_name,
    time_unit_of,
    to_seconds,
)
from calfload.schema import ACC_MPS2, GYR_DPS, T_S
from calfload.units import DEG_PER_RAD, STANDARD_GRAVITY_MPS2

#: Vector quantities a file may hold; each is an ``(n, 3)`` array once read.
QUANTITIES: Final = ("acc", "linear_acc", "gravity", "gyr")
_SEPARATORS: Final = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """How a CSV file writes its fields: separator and decimal mark."""

    separator: str
    decimal: str

    def describe(self) -> str:
        """E.g. ``"semicolon-separated with decimal commas"``."""
        mark = "decimal commas" if self.decimal == "," else "decimal points"
        return f"{_SEPARATORS[self.separator]}-separated with {mark}"


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which file column holds which quantity (``--columns t_ms=timestamp,acc_x_mps2=ax``).

    Parameters
    ----------
    names
        Target name -> the file's column name. Targets are ``t_s``, ``t_ms``, ``t_us``, ``t_ns``
        and the contract's sensor columns (``acc_x_mps2`` ... ``gyr_z_dps``).
    """

    names: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> ColumnMap:
        """Parse ``target=column,target=column``; raise a one-line :class:`DataError` when malformed."""
        allowed = (*TIME_UNITS, *ACC_MPS2, *GYR_DPS)
        pairs = []
        for item in filter(None, (p.strip() for p in text.split(","))):
            target, sep, column = (s.strip() for s in item.partition("="))
            if not sep or not column:
                raise DataError(
                    f"`columns` entry {item!r} must look like target=column, e.g. t_ms=timestamp",
                    value=item,
                    parameter="columns",
                )
            if target not in allowed:
                raise DataError(
                    f"`columns` target {target!r} is unknown; use {', '.join(allowed)}",
                    value=target,
                    expected=", ".join(allowed),
                    parameter="columns",
                )
            pairs.append((target, column))
        if sum(t in TIME_UNITS for t, _ in pairs) > 1:
            raise DataError(
                "`columns` names more than one time column; give one of t_s, t_ms, t_us, t_ns", parameter="columns"
            )
        return cls(tuple(pairs))


@dataclass(frozen=True, slots=True)
class SensorTable:
    """The sensor data of one CSV file, in contract units (m/s², deg/s), not yet validated.

    Parameters
    ----------
    t_s
        Sample times, seconds since ``start_utc`` (or since an unknown origin when that is None).
    start_utc
        Wall-clock time of ``t_s = 0`` when the file gives absolute times.
    vectors
        Quantity (one of :data:`QUANTITIES`) -> ``(n, 3)`` float64 samples.
    stated_units
        Quantities whose unit the file stated (so no guessing is needed downstream).
    assumptions
        What was inferred from the data, for the warning.
    source
        The file, for messages.
    """

    t_s: np.ndarray
    start_utc: dt.datetime | None
    vectors: dict[str, np.ndarray]
    stated_units: frozenset[str] = frozenset()
    assumptions: tuple[str, ...] = ()
    source: str = "<memory>"
    extra_columns: tuple[str, ...] = field(default=())


# ----------------------------------------------------------------------------------------- dialect


def sniff_dialect(text: str, *, source: str) -> CsvDialect:
    """Find the separator and decimal mark of CSV ``text`` from its first rows.

    Raises
    ------
    DataError
        If no separator splits the rows consistently, or rows use different separators.
    """
    lines = [ln for ln in text.splitlines()[:60] if ln.strip() and not ln.startswith("#")]
    if len(lines) < 2:
        raise DataError("the file has no data rows; export the recording again", source=source)
    best: tuple[float, CsvDialect] | None = None
    for sep in _SEPARATORS:
        rows = list(csv.reader(lines, delimiter=sep))
        width = len(rows[0])
        if width < 2 or any(len(r) != width for r in rows[1:]):
            continue
        for decimal in (".", ","):
            if decimal == sep:
                continue
            score = _numeric_share(rows[1:], decimal)
            if best is None or score > best[0]:
                best = (score, CsvDialect(sep, decimal))
    if best is None or best[0] == 0.0:
        raise DataError(_no_dialect_message(lines), source=source)
    return best[1]


def _numeric_share(rows: list[list[str]], decimal: str) -> float:
    cells = [c.strip() for r in rows for c in r]
    if decimal == ",":
        cells = [c.replace(",", ".") for c in cells if "." not in c]
    ok = sum(bool(_NUMBER.fullmatch(c)) for c in cells)
    return ok / max(1, sum(len(r) for r in rows))


_NUMBER: Final = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _no_dialect_message(lines: list[str]) -> str:
    used = [{s for s in _SEPARATORS if s in ln} for ln in lines]
    firsts = {min(u, key=lines[i].index) for i, u in enumerate(used) if u}
    if len(firsts) > 1:
        names = " and ".join(sorted(_SEPARATORS[s] for s in firsts))
        return f"rows use different separators ({names}); save the file with one separator throughout"
    return "cannot tell how the fields are separated (tried comma, semicolon, tab); save it as a comma-separated CSV"


def read_frame(text: str, *, source: str) -> tuple[pd.DataFrame, CsvDialect]:
    """Parse CSV ``text`` with its sniffed dialect; header names stripped."""
    dialect = sniff_dialect(text, source=source)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=dialect.separator, decimal=dialect.decimal, comment="#")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        first = " ".join(str(exc).split())[:120]
        raise DataError(
            f"not a readable CSV file ({first}); check that every row has the header's fields", source=source
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, dialect


# --------------------------------------------------------------------------------------- columns

_PATTERNS: Final = (
    ("linear_acc", re.compile(r"(linear_?acc(el(eration)?)?|lin_?acc|user_?acc(el(eration)?)?)_?([xyz])")),
    ("gravity", re.compile(r"(grav|gravity)_?([xyz])")),
    ("acc", re.compile(r"(acc|accel|accelerometer|acceleration|total_?acc(el(eration)?)?|a)_?([xyz])(_mps2|_g)?")),
    (
        "gyr",
        re.compile(
            r"(gyr|gyro|gyroscope|rot|rotation_?rate|angular_?velocity|angular_?rate|omega|w|g)_?([xyz])"
            r"(_dps|_rads|_radps)?"
        ),
    ),
)


def sensor_columns(columns: list[str], mapping: ColumnMap) -> dict[str, dict[str, tuple[str, str]]]:
    """Quantity -> axis -> (column, stated unit) for every sensor column recognised."""
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for target, col in mapping.names:
        if target in TIME_UNITS:
            continue
        quantity = "acc" if target.startswith("acc") else "gyr"
        found.setdefault(quantity, {})[target[4]] = (col, "")
    for col in columns:
        key, unit = normalise_name(col)
        for quantity, pattern in _PATTERNS:
            m = pattern.fullmatch(key)
            if m:
                axis = next(g for g in m.groups() if g in {"x", "y", "z"})
                unit = unit or {"mps2": "m/s^2", "g": "g", "dps": "deg/s", "rads": "rad/s", "radps": "rad/s"}.get(
                    key.rsplit("_", 1)[-1], ""
                )
                found.setdefault(quantity, {}).setdefault(axis, (col, unit))
                break
    return {q: axes for q, axes in found.items() if set(axes) == {"x", "y", "z"}}


_TO_CONTRACT: Final[dict[str, float]] = {
    "m/s^2": 1.0,
    "m/s²": 1.0,
    "m/s2": 1.0,
    "g": STANDARD_GRAVITY_MPS2,
    "rad/s": DEG_PER_RAD,
    "deg/s": 1.0,
    "°/s": 1.0,
    "dps": 1.0,
}


def sensor_table(frame: pd.DataFrame, mapping: ColumnMap, *, source: str) -> SensorTable:
    """Find time and sensor columns in ``frame`` and convert them to seconds, m/s² and deg/s.

    Raises
    ------
    DataError
        If there is no time column, no recognisable sensor column, or a named column is absent.
    """
    columns = list(frame.columns)
    for _, col in mapping.names:
        if col not in columns:
            raise DataError(
                f"`columns` names {col!r}, which the file lacks; it has {', '.join(columns)}",
                source=source,
                column=col,
                parameter="columns",
            )
    time_target = next(((t, c) for t, c in mapping.names if t in TIME_UNITS), None)
    time_col = time_target[1] if time_target else find_time_column(columns)
    if time_col is None:
        raise DataError(
            f"no time column (looked for t_s, time, timestamp, Time (s) ...) among {', '.join(columns)}; "
            "name it with `columns` t_s=NAME (or t_ms, t_us, t_ns)",
            source=source,
            parameter="columns",
        )
    factor = TIME_UNITS[time_target[0]] if time_target else time_unit_of(time_col)
    t_s, start, assumption = to_seconds(frame[time_col], time_col, factor=factor, source=source)
    if factor is not None and time_target is None:
        t_s, assumption = check_imu_time(t_s, time_col)
    found = sensor_columns([c for c in columns if c != time_col], mapping)
    if not found:
        raise SchemaError(
            f"no accelerometer or gyroscope x/y/z columns among {', '.join(columns)}; name them with "
            "`columns` acc_x_mps2=NAME,...,gyr_z_dps=NAME",
            source=source,
        )
    vectors: dict[str, np.ndarray] = {}
    stated = set()
    for quantity, axes in found.items():
        block = np.column_stack([_numbers(frame[axes[a][0]], axes[a][0], source) for a in "xyz"])
        unit = axes["x"][1]
        if unit in _TO_CONTRACT:
            block = block * _TO_CONTRACT[unit]
            stated.add(quantity)
        vectors[quantity] = block
    notes = (assumption,) if assumption else ()
    return SensorTable(t_s, start, vectors, frozenset(stated), notes, source)


def _numbers(values: pd.Series, name: str, source: str) -> np.ndarray:
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() & values.notna()
    if bad.any():
        raise SchemaError(
            f"column {name!r} holds non-numeric values such as {values[bad].iloc[0]!r}; fix or remove those rows",
            source=source,
            column=name,
        )
    return numeric.to_numpy(dtype=np.float64)


def warn_assumed(source: str, notes: list[str]) -> None:
    """One warning that lists everything inferred about a file."""
    if notes:
        unique = list(dict.fromkeys(notes))
        warnings.warn(f"{source}: assumed {'; '.join(unique)}", UnitConversionWarning, stacklevel=3)


def has_contract_columns(columns: list[str]) -> bool:
    """Whether the columns already are the contract's IMU columns."""
    return {T_S, *ACC_MPS2, *GYR_DPS} <= set(columns)


__all__ = [
    "ColumnMap",
    "CsvDialect",
    "SensorTable",
    "check_imu_time",
    "find_time_column",
    "read_frame",
    "sensor_columns",
    "sensor_table",
    "sniff_dialect",
    "to_seconds",
    "warn_assumed",
]
