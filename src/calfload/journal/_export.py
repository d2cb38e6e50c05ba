"""Export a data folder (every athlete, every table) as CSV and a Parquet dataset, and restore it.

Layout of an export folder::

    manifest.json                     format, schema version, athletes and tables (no timestamps)
    athletes.csv                      the athletes in their folder's order (the first is the folder's own)
    sessions.csv, pain.csv, ...       one CSV per journal table, every column, an ``athlete`` column first
    daily.csv                         daily load, its 7- and 28-day averages and the day's flag (derived)
    sessions/athlete=NAME/date=YYYY-MM-DD/part-0.parquet
    pain/athlete=NAME/date=.../part-0.parquet, ...   tables without a date: TABLE/athlete=NAME/part-0.parquet
    recordings/athlete=NAME/recordings/...           the stored recordings, as the journal names them

Partition values are percent-encoded (``Sam%20Runner``), which DuckDB, Spark, Polars and pyarrow
decode, so ``read_parquet('EXPORT/sessions/**/*.parquet', hive_partitioning = true)`` gives an
``athlete`` and a ``date`` column beside the table's own. Every table of the journal is exported
with every column, whatever migrations added, so a restore loses nothing; the derived ``daily``
table is not restored but recomputed. An export holds no export time: exporting the same data
twice gives identical files.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import shutil
import sqlite3
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from calfload._files import atomic_writer, os_error_text, private_dir
from calfload.errors import JournalError, StorageError
from calfload.journal._athletes import AthleteProfile, add_athlete, find_athlete, list_athletes
from calfload.journal._journal import Journal
from calfload.journal._migrations import SCHEMA_VERSION
from calfload.journal._paths import DB_NAME

FORMAT: Final = "calfload-export"
#: Journal table -> export name. Tables not listed keep their own name.
EXPORT_NAMES: Final = {
    "session": "sessions",
    "stream": "streams",
    "session_file": "session_files",
    "session_edit": "session_edits",
    "baseline_test": "baseline_tests",
    "setting": "settings",
    "deleted_row": "deleted_rows",
}
#: The date column each table is partitioned by (tables not listed are partitioned by athlete only).
DATE_COLUMNS: Final = {
    "session": "local_date",
    "pain": "day",
    "body_mass": "day",
    "baseline_test": "day",
    "visa_a": "day",
}
#: Tables of the folder, not of one athlete's journal (exported as ``athletes``), and derived tables
#: (each session's computed load and the trends' state: recomputed when the restore's transaction commits).
NOT_EXPORTED: Final = frozenset({"athlete", "session_load", "load_day", "load_state"})
DAILY: Final = "daily"
_ARROW_TYPES: Final = {"INTEGER": "int64", "REAL": "float64", "TEXT": "string"}


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export or a restore wrote: athletes, rows per table, recordings."""

    folder: Path
    athletes: tuple[str, ...]
    rows: dict[str, int]
    recordings: int


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def export_folder(data_dir: Path, dest: Path, *, unnamed: str, only: str | None = None) -> ExportResult:
    """Write every athlete of ``data_dir`` (or the one called ``only``) into the new or empty folder ``dest``.

    Raises
    ------
    StorageError
        If ``dest`` is a file or a folder that is not empty, or the disk refuses a file.
    JournalError
        If there is nothing to export, or a journal cannot be read.
    """
    _refuse_non_empty(dest, "export")
    athletes = list_athletes(data_dir, unnamed=unnamed)
    if only is not None:
        athletes = [find_athlete(data_dir, only, unnamed=unnamed)]
    present = [a for a in athletes if (a.journal_dir / DB_NAME).is_file()]
    if not present:
        raise JournalError(f"no journal in {data_dir}; nothing to export (check `data_dir`)")
    tables: dict[str, list[tuple[str, _Table]]] = {}
    for athlete in present:
        for table in _read_tables(athlete):
            tables.setdefault(table.name, []).append((athlete.name, table))
    try:
        private_dir(dest)
        recordings = _write_everything(dest, [a.name for a in present], tables, present)
    except OSError as exc:
        raise StorageError(f"cannot write the export in {dest}: {os_error_text(exc)}") from None
    rows = {EXPORT_NAMES.get(n, n): sum(len(t.rows) for _, t in ts) for n, ts in tables.items()}
    return ExportResult(dest, tuple(a.name for a in present), rows, recordings)


def _write_everything(
    dest: Path, names: list[str], tables: dict[str, list[tuple[str, _Table]]], athletes: list[AthleteProfile]
) -> int:
    _write_csv(dest / "athletes.csv", ("name",), [(n,) for n in names])
    for name, per_athlete in sorted(tables.items()):
        _write_table(dest, name, per_athlete)
    recordings = 0
    for athlete in athletes:
        recordings += _copy_recordings(athlete, dest / "recordings" / _part("athlete", athlete.name))
    manifest = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "athletes": names,
        "tables": {
            EXPORT_NAMES.get(n, n): {"columns": list(ts[0][1].columns), "types": list(ts[0][1].types)}
            for n, ts in sorted(tables.items())
        },
    }
    _write_bytes(dest / "manifest.json", (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode())
    return recordings


def _read_tables(athlete: AthleteProfile) -> list[_Table]:
    with Journal(athlete.journal_dir, create=False) as journal:
        conn = journal._conn  # one consistent snapshot of every table: a read transaction
        conn.execute("BEGIN")
        try:
            names = [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
                if str(r[0]) not in NOT_EXPORTED
            ]
            tables = [_read_table(conn, n) for n in names]
        finally:
            conn.execute("COMMIT")
        tables.append(_daily_table(journal))
    return tables


def _read_table(conn: sqlite3.Connection, name: str) -> _Table:
    info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
    columns = tuple(str(r[1]) for r in info)
    types = tuple(_ARROW_TYPES.get(str(r[2]).upper(), "string") for r in info)
    keys = [str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5] > 0] or list(columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    order = ", ".join(f'"{k}"' for k in keys)
    rows = conn.execute(f'SELECT {listed} FROM "{name}" ORDER BY {order}').fetchall()
    return _Table(name, columns, types, [tuple(r) for r in rows])


def _daily_table(journal: Journal) -> _Table:
    """Daily load, its averages and the flag of every day from the first entry to the last (derived)."""
    from calfload.loadmodel import DEFAULT_PARAMETERS, PROGRAMMES, daily_trend, flag_history

    params = PROGRAMMES.get(journal.settings().get("programme") or "default", DEFAULT_PARAMETERS)
    everything = journal.history(dt.date.max, params)
    first = everything.first_date
    columns = ("date", "load_au", "acute_au", "chronic_au", "flag", "rules")
    types = ("string", "float64", "float64", "float64", "string", "string")
    if first is None:
        return _Table(DAILY, columns, types, [])
    last = max([s.local_date for s in everything.sessions] + list(everything.pain))
    history = journal.history(last, params)
    trend = daily_trend(first, history.daily_load_au(first, last), params.trend)
    flags = flag_history(history, first, last, params)
    rows = [
        (
            f.day.isoformat(),
            round(float(trend.load_au[i]), 4),
            round(float(trend.acute_au[i]), 4),
            round(float(trend.chronic_au[i]), 4),
            f.flag,
            " ".join(f.rules),
        )
        for i, f in enumerate(flags)
    ]
    return _Table(DAILY, columns, types, rows)


def _write_table(dest: Path, name: str, per_athlete: list[tuple[str, _Table]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = EXPORT_NAMES.get(name, name)
    columns, types = per_athlete[0][1].columns, per_athlete[0][1].types
    _write_csv(dest / f"{out}.csv", ("athlete", *columns), [(a, *r) for a, t in per_athlete for r in t.rows])
    date_column = "date" if name == DAILY else DATE_COLUMNS.get(name)
    schema = pa.schema([(c, getattr(pa, t)()) for c, t in zip(columns, types, strict=True)])
    for athlete, table in per_athlete:
        groups: dict[str | None, list[tuple[Any, ...]]] = {}
        index = columns.index(date_column) if date_column else -1
        for row in table.rows:
            groups.setdefault(str(row[index]) if index >= 0 else None, []).append(row)
        for day, rows in sorted(groups.items(), key=lambda kv: kv[0] or ""):
            folder = dest / out / _part("athlete", athlete)
            if day is not None:
                folder = folder / _part("date", day)
            arrow = pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in rows], schema=schema)
            buffer = io.BytesIO()
            pq.write_table(arrow, buffer, compression="zstd")
            private_dir(folder)
            _write_bytes(folder / "part-0.parquet", buffer.getvalue())


def _copy_recordings(athlete: AthleteProfile, dest: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{athlete.journal_dir / DB_NAME}?mode=ro", uri=True)) as conn:
        paths = sorted({str(r[0]) for r in conn.execute("SELECT path FROM stream")})
    for rel in paths:
        source = athlete.journal_dir / rel
        if not source.is_file():
            raise JournalError(f"a stored recording of {athlete.name} is missing ({source}); run `calfload check`")
        _copy_file(source, dest / rel)
    return len(paths)


# ------------------------------------------------------------------------------------------ restore


def restore_folder(export: Path, data_dir: Path) -> ExportResult:
    """Rebuild a data folder from an export: every athlete, every row with its id and times, the recordings.

    The folder is built beside ``data_dir`` and moved into place at the end, so a failed restore
    leaves nothing behind.

    Raises
    ------
    JournalError
        If ``export`` is not a calfload export, or one of another schema version.
    StorageError
        If ``data_dir`` holds anything, or the disk refuses a file.
    """
    manifest = _read_manifest(export)
    _refuse_non_empty(data_dir, "restore")
    build = data_dir.with_name(f".{data_dir.name}.restoring")
    if build.exists():
        shutil.rmtree(build)
    try:
        result = _restore_into(export, build, manifest)
        if data_dir.exists():
            data_dir.rmdir()
        build.rename(data_dir)
    except OSError as exc:
        shutil.rmtree(build, ignore_errors=True)
        raise StorageError(f"cannot restore into {data_dir}: {os_error_text(exc)}") from None
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return ExportResult(data_dir, result.athletes, result.rows, result.recordings)


def _restore_into(export: Path, build: Path, manifest: dict[str, Any]) -> ExportResult:
    import pyarrow.dataset as ds

    names: list[str] = list(manifest["athletes"])
    rows: dict[str, int] = {}
    recordings = 0
    for name in names:
        athlete = add_athlete(build, name, unnamed=name)
        with Journal(athlete.journal_dir) as journal, journal.transaction() as conn:
            conn.execute("DELETE FROM setting")  # the new journal's own settings give way to the exported ones
            for table in _restore_order(conn, manifest):
                out = EXPORT_NAMES.get(table, table)
                folder = export / out / _part("athlete", name)
                if not folder.is_dir():
                    continue
                data = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
                columns = list(manifest["tables"][out]["columns"])
                records = data.select(columns).to_pylist()
                marks = ", ".join("?" * len(columns))
                listed = ", ".join(f'"{c}"' for c in columns)
                conn.executemany(
                    f'INSERT INTO "{table}" ({listed}) VALUES ({marks})',
                    [tuple(r[c] for c in columns) for r in records],
                )
                rows[out] = rows.get(out, 0) + len(records)
        source = export / "recordings" / _part("athlete", name)
        for path in sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else []:
            _copy_file(path, athlete.journal_dir / path.relative_to(source))
            recordings += 1
    return ExportResult(build, tuple(names), rows, recordings)


def _restore_order(conn: sqlite3.Connection, manifest: dict[str, Any]) -> list[str]:
    """The journal's tables that the export holds, parents before the tables whose rows refer to them."""
    exported = set(manifest["tables"])
    tables = [
        str(r[0])
        for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    tables = [t for t in tables if EXPORT_NAMES.get(t, t) in exported and t not in NOT_EXPORTED]
    parents = {t: {str(r[2]) for r in conn.execute(f'PRAGMA foreign_key_list("{t}")')} for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = sorted(t for t in tables if t not in ordered and parents[t] <= set(ordered) | {t})
        if not ready:
            raise JournalError("the journal's tables refer to each other in a circle; cannot restore")
        ordered.extend(ready)
    return ordered


def _read_manifest(export: Path) -> dict[str, Any]:
    path = export / "manifest.json"
    try:
        manifest: object = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise JournalError(f"{export} is not a calfload export (no readable manifest.json)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise JournalError(f"{export} is not a calfload export (manifest.json is another format)")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise JournalError(
            f"{export} was written with journal schema version {manifest.get('schema_version')}, this calfload "
            f"has {SCHEMA_VERSION}; restore it with the calfload that wrote it"
        )
    return manifest


# ------------------------------------------------------------------------------------------ files


def _part(key: str, value: str) -> str:
    return f"{key}={urllib.parse.quote(value, safe='')}"


def _refuse_non_empty(folder: Path, what: str) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise StorageError(f"{folder} is not an empty folder; give `calfload {what}` a new or empty folder")


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in r] for r in rows])
    _write_bytes(path, text.getvalue().encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    with atomic_writer(path) as fh:
        fh.write(data)


def _copy_file(source: Path, target: Path) -> None:
    private_dir(target.parent)
    with source.open("rb") as src, atomic_writer(target) as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)


__all__ = ["ExportResult", "export_folder", "restore_folder"]
