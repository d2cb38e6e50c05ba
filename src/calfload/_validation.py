"""Validation of a recording's columns at the boundary (NumPy only).

See :mod:`calfload.recording` for what is refused and why; :func:`validate_table` checks a
table's columns, types and time, fills isolated missing values and
:func:`normalise_imu_units` converts g and rad/s.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from calfload._order_stats import median as order_median
from calfload._tables import Table
from calfload._unit_checks import accelerometer_scale, gyro_looks_like_rad_per_s
from calfload.errors import DataError, SchemaError, SignalQualityWarning, UnitConversionWarning
from calfload.schema import ACC_MPS2, GYR_DPS, T_S
from calfload.units import DEG_PER_RAD

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import ArrayLike

#: Shortest recording worth analysing: one slow calf raise takes about 5 s.
MIN_DURATION_S: Final = 4.0
#: Runs of missing sensor values up to this many samples are interpolated; longer runs are refused.
MAX_INTERPOLATED_RUN: Final = 3
#: Longest recording (s): two days. A longer file is several sessions.
MAX_DURATION_S: Final = 48 * 3600.0
#: Longest jump in time between two consecutive samples (s) within one recording.
MAX_GAP_S: Final = 6 * 3600.0
#: A recording's span may hold at most this many sampling steps per sample (plus :data:`SPAN_SLACK_S`).
MAX_STEPS_PER_SAMPLE: Final = 10.0
#: Gap time allowed on top of :data:`MAX_STEPS_PER_SAMPLE` (s), for short recordings with one pause.
SPAN_SLACK_S: Final = 600.0


def as_array(values: ArrayLike | pd.Series) -> np.ndarray:
    """A column as a NumPy array; pandas' nullable booleans and objects with None as float 1/0/NaN."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        return values
    to_numpy = getattr(values, "to_numpy", None)
    if to_numpy is not None:  # a pandas Series (a DataFrame passed as the columns), read without importing pandas
        if str(getattr(values, "dtype", "")) in ("boolean", "bool", "object"):
            return np.asarray(to_numpy(dtype=np.float32, na_value=np.nan))
        return np.asarray(to_numpy())
    array = np.asarray(values)
    if array.dtype == object:
        return np.array([np.nan if v is None else float(v) for v in array], dtype=np.float32)
    return array


@dataclass(frozen=True, slots=True, eq=False)
class ValidTable:
    """A stream table's checked columns and what the checks found on the way.

    Compared by identity, as :class:`calfload.recording.Recording` is: ``==`` of two dicts of
    arrays raises, and its generated ``__eq__`` and ``__hash__`` cost every command that reads a file.

    Parameters
    ----------
    columns
        Column name -> samples in the contract's dtypes (see :func:`validate_table`).
    step_s
        The median time step (s), for the unit checks that follow.
    """

    columns: dict[str, np.ndarray]
    step_s: float


def validate_table(data: Mapping[str, ArrayLike] | pd.DataFrame, table: Table, *, source: str) -> dict[str, np.ndarray]:
    """Check columns, types and time of a stream table; return its columns with the contract's dtypes.

    Absent nullable columns are filled with NaN. Isolated missing sensor values (runs of at most
    :data:`MAX_INTERPOLATED_RUN` samples) are filled by linear interpolation in time, with a
    :class:`SignalQualityWarning`.
    """
    return checked_table(data, table, source=source).columns


def checked_table(data: Mapping[str, ArrayLike] | pd.DataFrame, table: Table, *, source: str) -> ValidTable:
    """:func:`validate_table`, with the median time step its time checks found."""
    names = [str(n) for n in data]
    missing = [n for n in table.required if n not in names]
    if missing:
        raise SchemaError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the {table.kind} "
            f"table needs {', '.join(table.required)}",
            source=source,
            table=table.kind,
            column=missing[0],
        )
    if isinstance(data, Mapping):
        given = _array_columns(data, table, source=source)
    else:
        from calfload._frames import frame_columns

        given = frame_columns(data, table, source=source)
    n = given[T_S].size
    if n == 0:
        raise DataError("the recording has no samples; record again or choose another file", source=source)
    columns = {
        c.name: given[c.name] if c.name in given else np.full(n, np.nan, np.float32 if c.is_bool else c.numpy_dtype)
        for c in table.columns
    }
    step_s = _check_time(columns[T_S], source=source)
    _fill_isolated_nans(columns, table, source=source)
    return ValidTable(columns, step_s)


def _array_columns(data: Mapping[str, ArrayLike], table: Table, *, source: str) -> dict[str, np.ndarray]:
    """The table's columns of a mapping of arrays, in the contract's dtypes (text refused in one line)."""
    out: dict[str, np.ndarray] = {}
    for col in table.columns:
        if col.name not in data:
            continue
        values = as_array(data[col.name])
        target = np.dtype(np.float32) if col.is_bool else np.dtype(col.numpy_dtype)
        if values.dtype.kind not in "biuf":
            raise SchemaError(
                f"column {col.name} holds non-numeric values such as {values.ravel()[0]!r}; fix or remove those rows",
                source=source,
                table=table.kind,
                column=col.name,
            )
        out[col.name] = values.astype(target, copy=False)
    return out


def _check_time(t: np.ndarray, *, source: str) -> float:
    """Refuse unusable sample times (see :func:`check_time_span`); return the median time step (s).

    One difference of the times serves every check: the steps' smallest value is positive only
    when every step is (a NaN step fails it too), and with finite ends that makes every time finite
    and increasing. When it fails, the checks are made one by one to name the first bad row.
    """
    steps = np.diff(t)
    if t.size < 2 or not (np.isfinite(t[0]) and np.isfinite(t[-1]) and steps.min() > 0):
        _refuse_time(t, steps, source=source)
    if float(t[-1] - t[0]) < MIN_DURATION_S:
        raise _too_short(t, source=source)
    return check_time_span(t, source=source, steps_s=steps)


def _refuse_time(t: np.ndarray, steps: np.ndarray, *, source: str) -> None:
    """Raise for the first time that is not finite, then the first that does not increase, else for the length."""
    if not np.all(np.isfinite(t)):
        i = int(np.flatnonzero(~np.isfinite(t))[0])
        raise DataError(f"t_s is missing or not finite at row {i}; every sample needs a time", source=source)
    if np.any(steps <= 0):
        i = int(np.flatnonzero(steps <= 0)[0]) + 1
        raise DataError(
            f"t_s is not strictly increasing at row {i} ({t[i - 1]:.6g} s then {t[i]:.6g} s); "
            "sort the rows by time and drop duplicates",
            source=source,
        )
    raise _too_short(t, source=source)


def _too_short(t: np.ndarray, *, source: str) -> DataError:
    """The refusal of a recording shorter than :data:`MIN_DURATION_S`."""
    duration = float(t[-1] - t[0])
    return DataError(
        f"the recording lasts only {duration:.1f} s; calfload needs at least {MIN_DURATION_S:.0f} s of data",
        source=source,
    )


def check_time_span(t_s: np.ndarray, *, source: str, steps_s: np.ndarray | None = None) -> float:
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
    steps_s
        ``np.diff(t_s)`` where the caller has it already.

    Returns
    -------
    float
        The median time step (s), the typical sampling step.

    Raises
    ------
    DataError
        Saying where the time jumps and what to do (remove stray rows, split the file).
    """
    steps = np.diff(t_s) if steps_s is None else steps_s
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
    step = float(order_median(steps))
    span_steps = duration / step
    if span_steps > MAX_STEPS_PER_SAMPLE * t_s.size + SPAN_SLACK_S / step:
        raise DataError(
            f"the {t_s.size} samples (one every {step:.3g} s) cover {100 * t_s.size / span_steps:.2g} % of the "
            f"{duration:.6g} s from the first to the last: the file is mostly gaps (the longest after row {widest}); "
            "remove stray rows or split the file at its gaps",
            source=source,
        )
    return step


def _fill_isolated_nans(columns: dict[str, np.ndarray], table: Table, *, source: str) -> None:
    t = columns[T_S]
    filled = 0
    for col in table.columns:
        if col.nullable or col.name == T_S:
            continue
        values = columns[col.name]
        if np.isfinite(values.min()) and np.isfinite(values.max()):
            continue  # a NaN or an infinity anywhere would be the smallest or the largest
        nan = ~np.isfinite(values)
        starts, ends = true_runs(nan)
        longest = int(np.argmax(ends - starts))
        if ends[longest] - starts[longest] > MAX_INTERPOLATED_RUN or nan.all():
            a, b = starts[longest], ends[longest] - 1
            raise DataError(
                f"{col.name} is missing for {ends[longest] - starts[longest]} samples from {t[a]:.2f} s to "
                f"{t[b]:.2f} s; delete those rows (calfload treats missing rows as a gap) and try again",
                source=source,
            )
        values = values.astype(np.float64)
        values[nan] = np.interp(t[nan], t[~nan], values[~nan])
        columns[col.name] = values.astype(col.numpy_dtype)
        filled += int(nan.sum())
    if filled:
        warnings.warn(
            f"{source}: interpolated {filled} isolated missing sensor values", SignalQualityWarning, stacklevel=3
        )


def true_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start (inclusive) and end (exclusive) indices of the True runs in ``mask``.

    Examples
    --------
    >>> true_runs(np.array([False, True, True, False, True]))
    (array([1, 4]), array([3, 5]))
    """
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def normalise_imu_units(columns: dict[str, np.ndarray], *, source: str, step_s: float | None = None) -> None:
    """Convert acceleration in g to m/s² and angular rate in rad/s to deg/s, in place, with a warning each.

    The checks read the stored float32 columns as they are: no float64 copy and no ``(n, 3)``
    stack of the recording for a decision that needs two significant digits. ``step_s`` is the
    median time step where the time checks found it (:func:`checked_table`).
    """
    t = columns[T_S]
    acc_scale = accelerometer_scale([columns[n] for n in ACC_MPS2], t_s=t, source=source, step_s=step_s)
    if acc_scale != 1.0:
        warnings.warn(
            f"{source}: acceleration looks like g (magnitude about 1 at rest); converted to m/s²",
            UnitConversionWarning,
            stacklevel=4,
        )
        for name in ACC_MPS2:
            columns[name] = (columns[name].astype(np.float64) * acc_scale).astype(np.float32)
    if gyro_looks_like_rad_per_s(t, [columns[n] for n in ACC_MPS2], [columns[n] for n in GYR_DPS]):
        warnings.warn(
            f"{source}: angular rate looks like rad/s (57 times smaller than the rotation the "
            "accelerometer sees); converted to deg/s",
            UnitConversionWarning,
            stacklevel=4,
        )
        for name in GYR_DPS:
            columns[name] = (columns[name].astype(np.float64) * DEG_PER_RAD).astype(np.float32)


__all__ = [
    "MAX_DURATION_S",
    "MAX_GAP_S",
    "MIN_DURATION_S",
    "ValidTable",
    "as_array",
    "check_time_span",
    "checked_table",
    "normalise_imu_units",
    "true_runs",
    "validate_table",
]
