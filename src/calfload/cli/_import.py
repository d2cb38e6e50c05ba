"""``calfload import FILE...``: store recordings and their analyses in the journal.

The command is one transaction: every file is read and analysed first (nothing is written to the
journal meanwhile), then all sessions are added at once. Importing a file whose content is already
in the journal changes nothing. :func:`import_files` is the library entry point that ``record``
and ``demo`` use as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calfload.cli._common import COLUMNS_HELP, column_map
from calfload.vocabulary import ACTIVITIES, PLACEMENTS, SIDES

if TYPE_CHECKING:
    from calfload.ingest.csv_formats import ColumnMap
    from calfload.loadmodel import Journal, PreparedSession
    from calfload.recording import Recording
    from calfload.signal import SessionAnalysis


#: ``analyzer(recording, activity, placement) -> typed analysis result``.
Analyzer = Callable[["Recording", str | None, str | None], "SessionAnalysis"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportOverrides:
    """Metadata to set on every imported recording (``None`` keeps the file's value).

    Parameters
    ----------
    activity, placement, side, exercise, added_load_kg
        As in the recording metadata.
    start_utc
        The recording's start, for files without one (timezone-aware).
    columns
        Names of CSV columns spelled otherwise (``--columns``).
    """

    activity: str | None = None
    placement: str | None = None
    side: str | None = None
    exercise: str | None = None
    added_load_kg: float | None = None
    start_utc: dt.datetime | None = None
    columns: ColumnMap | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one file."""

    path: Path
    session_id: int
    created: bool
    local_date: dt.date | None
    activity: str | None
    summary: str


def register(sub: Any) -> None:
    """Add the ``import`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="store recordings and their analyses in the journal",
        description=(
            "Analyse recordings (.parquet, .csv, .fit, phone-app export folders or .zip files) and store them "
            "with their analyses in the journal, dated "
            "by the recording's start. Importing the same file again changes nothing; all files are stored "
            "together or not at all. Use `calfload log session ID` to change the exercise or load later."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="recording file(s), or a phone-app export folder or .zip")
    p.add_argument("--columns", type=column_map, metavar="MAP", help=COLUMNS_HELP)
    p.add_argument("--activity", choices=ACTIVITIES, help="what was done, when the file does not say")
    p.add_argument("--placement", choices=PLACEMENTS, help="where the sensor was worn")
    p.add_argument("--side", choices=SIDES, help="which leg the sensor was on")
    p.add_argument("--exercise", metavar="NAME", help="exercise, e.g. single_leg_standing, bilateral_standing, seated")
    p.add_argument("--added-load-kg", type=float, metavar="KG", help="weight carried during the session")
    p.add_argument(
        "--start",
        type=_parse_start,
        metavar="YYYY-MM-DDTHH:MM",
        help="when the recording started (local time unless an offset is given), for files without a start time",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Import the files and print what happened to each."""
    from calfload.cli._common import print_json
    from calfload.errors import JournalError
    from calfload.loadmodel import DB_NAME, Journal, resolve_data_dir
    from calfload.loadmodel._journal import check_exercise

    if args.exercise is not None:
        # Early, before anything is analysed; the journal checks it again against the analysed activity.
        check_exercise(args.exercise, args.activity)
    if args.start is not None and len(args.files) > 1:
        raise JournalError("--start applies to one file; import files with different starts one at a time")
    overrides = ImportOverrides(
        activity=args.activity,
        placement=args.placement,
        side=args.side,
        exercise=args.exercise,
        added_load_kg=args.added_load_kg,
        start_utc=args.start,
        columns=args.columns,
    )
    folder = resolve_data_dir(args.data_dir)
    created = [p for p in (folder, *reversed(folder.parents)) if not p.exists()]
    new_journal = not (folder / DB_NAME).exists()
    try:
        with Journal(args.data_dir) as journal:
            results = import_files(
                journal, [Path(f) for f in args.files], overrides=overrides, progress=not (args.json or args.quiet)
            )
    except BaseException:
        if new_journal:
            _remove_new_journal(folder, created)
        raise
    if args.json:
        print_json(
            {
                "imported": [
                    {
                        "file": str(r.path),
                        "session_id": r.session_id,
                        "created": r.created,
                        "date": r.local_date.isoformat() if r.local_date else None,
                        "activity": r.activity,
                    }
                    for r in results
                ]
            }
        )
        return 0
    for r in results:
        print(r.summary)
    return 0


def _remove_new_journal(folder: Path, created: list[Path]) -> None:
    """Undo the journal a failed first import created: its database and the folders made for it.

    Only files the journal itself writes are removed, and a folder only when it was created now and
    is empty afterwards: a mistyped ``--data-dir`` leaves no trace, and nothing else is touched.
    """
    import shutil

    from calfload.loadmodel import DB_NAME
    from calfload.loadmodel._journal import RECORDINGS_DIR

    for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"):
        (folder / name).unlink(missing_ok=True)
    recordings = folder / RECORDINGS_DIR
    if recordings.is_dir() and not any(p.is_file() for p in recordings.rglob("*")):
        shutil.rmtree(recordings, ignore_errors=True)
    for path in sorted(created, key=lambda p: len(p.parts), reverse=True):
        try:
            path.rmdir()  # only if empty
        except OSError:
            break


def import_files(
    journal: Journal,
    paths: Sequence[Path],
    *,
    overrides: ImportOverrides = ImportOverrides(),
    analyzer: Analyzer | None = None,
    progress: bool = False,
) -> list[ImportResult]:
    """Analyse recording files and add them to the journal in one transaction.

    Parameters
    ----------
    journal
        The open journal.
    paths
        Recording files (any format :func:`calfload.ingest.load_recordings` reads).
    overrides
        Metadata to set on every recording before analysis and storage.
    analyzer
        The analysis step (default: :func:`calfload.signal.analyze`); one call per file.
    progress
        Show a progress bar on standard error while reading and analysing, if it is a terminal.

    Returns
    -------
    list of ImportResult
        One per path, in order; files already in the journal have ``created=False``.

    Raises
    ------
    CalfloadError
        If any file cannot be read, analysed or stored; then the journal is unchanged.
    """
    from calfload.errors import DataError
    from calfload.loadmodel import sha256_of_file
    from calfload.report import Progress

    analyse = analyzer or _default_analyzer
    # 1. Read, analyse and write each new file's streams; the journal is not touched yet.
    plan: list[tuple[Path, str, PreparedSession | None]] = []
    seen: set[str] = set()
    with Progress(len(paths), "importing", enabled=None if progress else False) as bar:
        for path in paths:
            bar.set_detail(path.name)
            if not path.exists():
                raise DataError("no such file; check the path", source=str(path))
            digest = sha256_of_file(path) if path.is_file() else _folder_digest(path)
            if digest in seen or journal.find_content(digest) is not None:
                plan.append((path, digest, None))
                bar.advance()
                continue
            seen.add(digest)
            streams = _load(path, overrides)
            main = _main_stream(streams)
            analysis = analyse(main, overrides.activity, overrides.placement)
            new_session = journal.prepare_session(
                streams=streams,
                analysis=analysis,
                content_sha256=digest,
                source_name=path.name,
                main=main,
                exercise_given=overrides.exercise is not None,
            )
            plan.append((path, digest, new_session))
            bar.advance()
    # 2. Add every new session in one transaction.
    with journal.transaction():
        for _, _, prep in plan:
            if prep is not None:
                journal.add_prepared(prep)
    # 3. Report.
    results = []
    for path, digest, prep in plan:
        sid = journal.find_content(digest)
        record = journal.session(sid) if sid is not None else None
        if record is None:  # pragma: no cover - the transaction above committed every new file
            raise DataError("was not stored; try again", source=str(path))
        if prep is not None:
            summary = (
                f"imported {path.name} as session {record.session_id}: "
                f"{_describe(record.analysis)}, {record.local_date.isoformat()}"
            )
        else:
            summary = f"{path.name} is already in the journal as session {record.session_id}; nothing changed"
        results.append(
            ImportResult(path, record.session_id, prep is not None, record.local_date, record.activity, summary)
        )
    return results


def _default_analyzer(recording: Recording, activity: str | None, placement: str | None) -> SessionAnalysis:
    from calfload.signal import analyze

    return analyze(recording, activity=activity, placement=placement)


def _load(path: Path, overrides: ImportOverrides) -> list[Recording]:
    from calfload.errors import JournalError, SchemaError
    from calfload.ingest import load_recordings
    from calfload.recording import Recording

    changes: dict[str, Any] = {
        k: v
        for k, v in (
            ("activity", overrides.activity),
            ("placement", overrides.placement),
            ("side", overrides.side),
            ("exercise", overrides.exercise),
            ("added_load_kg", overrides.added_load_kg),
            ("start_utc", overrides.start_utc),
        )
        if v is not None
    }
    streams = load_recordings(path, columns=overrides.columns)
    try:
        return [Recording(r.data, r.meta.replace(**changes), r.source) for r in streams] if changes else streams
    except SchemaError as exc:
        raise JournalError(f"{path.name}: {exc}") from None


def _folder_digest(folder: Path) -> str:
    """SHA-256 over a folder's files (names and contents): a re-imported export changes nothing."""
    import hashlib

    from calfload.loadmodel import sha256_of_file

    digest = hashlib.sha256()
    for p in sorted(q for q in folder.rglob("*") if q.is_file()):
        digest.update(f"{p.relative_to(folder).as_posix()}\0{sha256_of_file(p)}\n".encode())
    return digest.hexdigest()


def _main_stream(streams: Sequence[Recording]) -> Recording:
    for kind in ("imu", "footpod"):
        for r in streams:
            if r.meta.kind == kind:
                return r
    return streams[0]


def _describe(analysis: SessionAnalysis) -> str:
    from calfload.report._words import plural
    from calfload.signal import CalfRaiseAnalysis, GaitAnalysis

    if isinstance(analysis, CalfRaiseAnalysis):
        return f"calf raises, {plural(analysis.rep_count, 'rep')} in {plural(len(analysis.sets), 'set')}"
    if isinstance(analysis, GaitAnalysis):
        steps = "unknown steps" if analysis.steps is None else plural(analysis.steps, "step")
        return f"{analysis.activity}, {steps}"
    return f"hops, {plural(analysis.hops, 'contact')}"


def _parse_start(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--start must look like 2024-05-06T07:30, not {text!r}") from None
    if value.tzinfo is None:
        value = value.astimezone()  # a naive time is the computer's local time
    return value.astimezone(dt.UTC)


__all__ = ["ImportOverrides", "ImportResult", "import_files"]
