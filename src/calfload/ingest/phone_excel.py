"""phyphox's Excel export (``.xlsx``, and the old ``.xls``), read as the CSV export it mirrors.

phyphox (RWTH Aachen; ``DataExport.java`` of phyphox-android, ``ExcelFormat``) writes one sheet
per export set, named like the CSV export's file (``Accelerometer``, ``Gyroscope``, ``Linear
Acceleration``, ``Raw Data``), with a header row of the same column names (``Time (s)``,
``Acceleration x (m/s^2)`` ...) and one row of numbers per sample (``NaN`` text where a column is
shorter). Two more sheets, ``Metadata Device`` and ``Metadata Time`` (event, experiment time,
system time in s, system time text), hold what the CSV export puts in ``meta/device.csv`` and
``meta/time.csv``. Each sheet becomes that CSV file, so the CSV export's reading applies
unchanged: the same column names, gravity rules and start time.

Old Android versions of phyphox wrote the same layout as ``.xls`` (the binary BIFF8 format, through
Apache POI's ``HSSFWorkbook``: at most 65,536 rows a sheet, and ``proeprty`` misspelt in the header
of ``Metadata Device``). Reading needs openpyxl for ``.xlsx`` and xlrd for ``.xls`` (both in
``pip install 'calfload[excel]'``).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload.errors import DataError

if TYPE_CHECKING:
    from calfload.ingest.phone import CsvFile

#: Sheet name (lower case) -> the CSV export's file name for it.
META_SHEETS: Final = {"metadata time": "meta/time.csv", "metadata device": "meta/device.csv"}
#: Rows read from one sheet at most (the CSV reader's own limits apply after this).
MAX_ROWS: Final = 5_000_000


def excel_files(path: Path) -> list[CsvFile]:
    """Every sheet of a phyphox ``.xlsx`` or ``.xls`` export as the CSV file phyphox's CSV export would hold.

    Raises
    ------
    DataError
        For a file openpyxl or xlrd cannot read, or when the reader is not installed.
    """
    from calfload.ingest.phone import CsvFile

    if path.suffix.lower() == ".xls":
        return _xls_files(path)
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:
        raise DataError(
            "reading Excel exports needs openpyxl: pip install 'calfload[excel]' (or export CSV)", source=str(path)
        ) from None
    import zipfile

    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, InvalidFileException) as exc:
        what = type(exc).__name__
        raise DataError(f"not a readable Excel file ({what}); export it again", source=str(path)) from None
    try:
        return [
            CsvFile(META_SHEETS.get(sheet.title.lower(), f"{sheet.title}.csv"), _sheet_csv(sheet, path))
            for sheet in book.worksheets
        ]
    finally:
        book.close()


def _xls_files(path: Path) -> list[CsvFile]:
    """The sheets of an old phyphox ``.xls`` export (BIFF8, read by xlrd) as CSV files."""
    from calfload.ingest.phone import CsvFile

    try:
        import xlrd  # type: ignore[import-untyped]
    except ImportError:
        raise DataError(
            "reading old Excel (.xls) exports needs xlrd: pip install 'calfload[excel]' (or export CSV)",
            source=str(path),
        ) from None
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except (OSError, ValueError, KeyError, IndexError, xlrd.XLRDError) as exc:
        what = type(exc).__name__
        raise DataError(f"not a readable Excel (.xls) file ({what}); export it again", source=str(path)) from None
    try:
        files = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.nrows > MAX_ROWS:
                raise DataError(f"sheet {sheet.name!r} has over {MAX_ROWS:,} rows", source=str(path))
            rows = (sheet.row_values(n) for n in range(sheet.nrows))
            files.append(CsvFile(META_SHEETS.get(sheet.name.lower(), f"{sheet.name}.csv"), _rows_csv(rows)))
            book.unload_sheet(index)
        return files
    finally:
        book.release_resources()


def _rows_csv(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _sheet_csv(sheet: object, path: Path) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for n, row in enumerate(sheet.iter_rows(values_only=True)):  # type: ignore[attr-defined]
        if n >= MAX_ROWS:
            raise DataError(f"sheet {sheet.title!r} has over {MAX_ROWS:,} rows", source=str(path))  # type: ignore[attr-defined]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "NaN"  # repr: every digit, read back exactly
    return str(value)


__all__ = ["META_SHEETS", "excel_files"]
