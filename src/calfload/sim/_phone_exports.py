"""Write a simulated session the way phone sensor apps and spreadsheets export recordings.

The layouts follow each app's published format (see ``docs/recordings.md``); the values are the
simulator's, so an import can be checked against the session's ground truth:

- :func:`write_sensor_logger`: Sensor Logger's ``Accelerometer.csv`` (without gravity),
  ``Gravity.csv``, ``TotalAcceleration.csv`` and ``Gyroscope.csv`` (rad/s), columns
  ``time`` (ns since 1970), ``seconds_elapsed``, ``z``, ``y``, ``x``; the gyroscope sampled half a
  sample later than the accelerometer, as separate sensors are.
- :func:`write_phyphox`: phyphox's ``Accelerometer.csv`` ("Acceleration with g") or
  ``Linear Accelerometer.csv``, ``Gyroscope.csv`` and ``meta/time.csv``, in any of its three CSV
  flavours (comma, tab, semicolon with decimal commas), as a folder or zip.
- :func:`write_generic_csv`: one file, time in s, ms, µs, ns (relative or since 1970) or ISO 8601,
  any separator and decimal mark, column names of choice.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from calfload.recording import Recording
from calfload.units import DEG_PER_RAD


def _gyro_half_sample_later(recording: Recording) -> tuple[np.ndarray, np.ndarray]:
    t = recording.t_s
    t_gyr = t[:-1] + np.diff(t) / 2
    gyr = recording.gyr_dps()
    return t_gyr, np.column_stack([np.interp(t_gyr, t, gyr[:, i]) for i in range(3)])


def _need(gravity_mps2: np.ndarray | None) -> np.ndarray:
    if gravity_mps2 is None:
        raise ValueError("phone exports without gravity need the simulated gravity (SimulatedSession.gravity_mps2)")
    return gravity_mps2


def write_sensor_logger(
    recording: Recording,
    gravity_mps2: np.ndarray | None,
    folder: str | Path,
    *,
    files: Sequence[str] = ("Accelerometer", "Gravity", "Gyroscope"),
) -> Path:
    """Write a Sensor Logger export folder holding ``files`` (any of the four) and Metadata.csv."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    start_ns = int(recording.meta.start_utc.timestamp() * 1e9)
    acc = recording.acc_mps2()
    gravity = _need(gravity_mps2)
    t_gyr, gyr = _gyro_half_sample_later(recording)
    streams = {
        "Accelerometer": (recording.t_s, acc - gravity),
        "Gravity": (recording.t_s, gravity),
        "TotalAcceleration": (recording.t_s, acc),
        "Gyroscope": (t_gyr, gyr / DEG_PER_RAD),
    }
    for name in files:
        t, xyz = streams[name]
        columns = [start_ns + np.round(t * 1e9).astype(np.int64), t, xyz[:, 2], xyz[:, 1], xyz[:, 0]]
        text = csv_text(["time", "seconds_elapsed", "z", "y", "x"], columns, float_format="%.9g")
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    (folder / "Metadata.csv").write_text("version,device name,recording time,platform\n1.40,Pixel,now,android\n")
    return folder


def write_phyphox(
    recording: Recording,
    gravity_mps2: np.ndarray | None,
    target: str | Path,
    *,
    linear: bool = False,
    flavour: str = "comma",
) -> Path:
    """Write a phyphox export of accelerometer and gyroscope: a folder, a zip, or an ``.xlsx`` or ``.xls`` workbook.

    The workbook follows phyphox's Excel export (phyphox-android ``DataExport.ExcelFormat``): one
    sheet per set named like the CSV file, a header row, rows of numbers, then the sheets
    ``Metadata Device`` and ``Metadata Time``. ``.xlsx`` needs openpyxl (the ``excel`` extra);
    ``.xls`` is the old Android versions' BIFF8 file (Apache POI's ``HSSFWorkbook``, whose
    ``Metadata Device`` header says ``proeprty``), written with xlwt (the ``dev`` extra: tests only).

    Parameters
    ----------
    linear
        Write "Linear Acceleration" (gravity removed) instead of "Acceleration with g".
    flavour
        ``"comma"`` (comma, decimal point), ``"tab"`` or ``"semicolon"`` (decimal comma).
    """
    sep, decimal = {"comma": (",", "."), "tab": ("\t", "."), "semicolon": (";", ",")}[flavour]
    acc = recording.acc_mps2() - (_need(gravity_mps2) if linear else 0.0)
    label, file_name = ("Linear Acceleration", "Linear Accelerometer") if linear else ("Acceleration", "Accelerometer")
    t_gyr, gyr = _gyro_half_sample_later(recording)
    gyr = gyr / DEG_PER_RAD
    target = Path(target)
    if target.suffix.lower() in (".xlsx", ".xls"):
        old = target.suffix.lower() == ".xls"
        sheets: dict[str, list[list[object]]] = {
            file_name: _phyphox_rows(
                recording.t_s, acc, [f"{label} {a} (m/s^2)" for a in "xyz"], "Absolute acceleration (m/s^2)"
            ),
            "Gyroscope": _phyphox_rows(t_gyr, gyr, [f"Gyroscope {a} (rad/s)" for a in "xyz"], "Absolute (rad/s)"),
            "Metadata Device": [
                ["proeprty" if old else "property", "value"],
                ["deviceModel", "Pixel"],
                ["version", "1.1.16"],
            ],
            "Metadata Time": [
                ["event", "experiment time", "system time", "system time text"],
                ["START", 0.0, recording.meta.start_utc.timestamp(), "start"],
            ],
        }
        return _write_xls(sheets, target) if old else _write_xlsx(sheets, target)
    texts = {
        f"{file_name}.csv": _phyphox_table(
            recording.t_s, acc, [f"{label} {a} (m/s^2)" for a in "xyz"], "Absolute acceleration (m/s^2)", sep, decimal
        ),
        "Gyroscope.csv": _phyphox_table(
            t_gyr, gyr, [f"Gyroscope {a} (rad/s)" for a in "xyz"], "Absolute (rad/s)", sep, decimal
        ),
        "meta/time.csv": sep.join(['"event"', '"experiment time"', '"system time"', '"system time text"'])
        + "\n"
        + sep.join(['"START"', _num(0.0, decimal), _num(recording.meta.start_utc.timestamp(), decimal), '"start"'])
        + "\n",
    }
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w") as zf:
            for name, text in texts.items():
                zf.writestr(name, text)
        return target
    for name, text in texts.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
    return target


def _phyphox_rows(t: np.ndarray, xyz: np.ndarray, names: list[str], absolute: str) -> list[list[object]]:
    norm = np.linalg.norm(xyz, axis=1)
    return [["Time (s)", *names, absolute], *np.column_stack([t, xyz, norm]).tolist()]


def _write_xlsx(sheets: dict[str, list[list[object]]], target: Path) -> Path:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def _write_xls(sheets: dict[str, list[list[object]]], target: Path) -> Path:
    """An old (BIFF8) Excel file: numbers as 64-bit floats, text as text (xlwt; at most 65,536 rows a sheet)."""
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(target))
    return target


def _num(value: float, decimal: str) -> str:
    text = f"{value:.9E}"
    return text.replace(".", decimal)


def _phyphox_table(t: np.ndarray, xyz: np.ndarray, names: list[str], absolute: str, sep: str, decimal: str) -> str:
    """A phyphox CSV: quoted names, then each value as ``%.9E`` with ``decimal`` for the point (one format a row)."""
    header = sep.join(f'"{n}"' for n in ["Time (s)", *names, absolute]) + "\n"
    norm = np.linalg.norm(xyz, axis=1)
    row = sep.join(["%.9E"] * 5)
    rows = [row % values for values in zip(t.tolist(), *xyz.T.tolist(), norm.tolist(), strict=True)]
    body = "\n".join(rows) + "\n" if rows else ""
    return header + (body.replace(".", decimal) if decimal != "." else body)


def write_generic_csv(
    recording: Recording,
    path: str | Path,
    *,
    time_unit: str = "s",
    epoch: bool = False,
    sep: str = ",",
    decimal: str = ".",
    names: Sequence[str] = ("time", "ax", "ay", "az", "gx", "gy", "gz"),
) -> Path:
    """Write one CSV with time in ``time_unit`` (s, ms, us, ns or iso) and the sensor columns as ``names``.

    ``epoch`` counts time from 1970 instead of from the recording's start (ISO is always absolute).
    """
    t = recording.t_s
    start = recording.meta.start_utc
    if time_unit == "iso":
        stamps = [start + dt.timedelta(seconds=float(s)) for s in t]
        time_col: Sequence[object] = [s.isoformat(timespec="microseconds") for s in stamps]
    else:
        factor = {"s": 1.0, "ms": 1e3, "us": 1e6, "ns": 1e9}[time_unit]
        origin = start.timestamp() if epoch else 0.0
        values = (
            (origin + t) * factor if time_unit != "ns" else np.round(t * 1e9).astype(np.int64) + (int(origin * 1e9))
        )
        time_col = values.tolist()
    block = np.column_stack([recording.acc_mps2(), recording.gyr_dps()])
    columns = [time_col, *(block[:, i] for i in range(len(names) - 1))]
    text = csv_text(names, columns, float_format="%.6f", sep=sep, decimal=decimal)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


def csv_text(
    names: Sequence[str],
    columns: Sequence[object],
    *,
    float_format: str,
    sep: str = ",",
    decimal: str = ".",
) -> str:
    r"""The CSV text pandas' ``DataFrame.to_csv(index=False)`` writes for these columns, without pandas.

    pandas formats every float through a Python callable with a missing-value test per value
    (about 5 µs each, seconds for a phone export); here each column is formatted in one list
    comprehension. The rules are pandas': float columns through ``float_format`` with the first
    ``.`` made ``decimal`` and NaN left empty, integers as ``str``, other values as text; a field
    holding ``sep``, a quote or a line break is quoted (the ``csv`` module's minimal quoting);
    lines end in ``\n``.

    Parameters
    ----------
    names
        Column names (the header).
    columns
        One sequence per name, all of one length: float or integer arrays, or lists of Python
        floats, integers or strings (a list is a float column when pandas would make it one).
    float_format, sep, decimal
        As ``DataFrame.to_csv``.
    """
    fields = [_quoted([str(n) for n in names], sep)]
    for column in columns:
        values = np.asarray(column)
        if values.dtype.kind == "f":
            floats = values.astype(np.float64)
            text = [float_format % v for v in floats.tolist()]
            if decimal != ".":
                text = [v.replace(".", decimal, 1) for v in text]
            for i in np.flatnonzero(np.isnan(floats)).tolist():
                text[i] = ""
        else:
            text = [str(v) for v in (values.tolist() if values.dtype.kind in "iu" else values.astype(object).tolist())]
        fields.append(_quoted(text, sep))
    header, *body = fields
    return "\n".join([sep.join(header), *(sep.join(row) for row in zip(*body, strict=True))]) + "\n"


def _quoted(text: list[str], sep: str) -> list[str]:
    """``text`` with the csv module's minimal quoting: fields holding ``sep``, ``"`` or a line break quoted."""
    special = (sep, '"', "\n", "\r")
    joined = "".join(text)
    if not any(c in joined for c in special):
        return text
    return ['"' + v.replace('"', '""') + '"' if any(c in v for c in special) else v for v in text]


__all__ = ["csv_text", "write_generic_csv", "write_phyphox", "write_sensor_logger"]
