"""Import recording files into the journal: read, analyse, store, in one transaction.

:func:`import_files` reads and analyses every file first (nothing is written to the journal
meanwhile), then adds all sessions at once. Importing a file whose content is already in the
journal changes nothing. ``calfload import``, ``record``, ``recover`` and ``demo`` all call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calfload.ingest.csv_formats import ColumnMap
    from calfload.journal import Journal, PreparedSession
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
    from calfload.journal import sha256_of_file
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
        return [r.with_meta(**changes) for r in streams] if changes else streams
    except SchemaError as exc:
        raise JournalError(f"{path.name}: {exc}") from None


def _folder_digest(folder: Path) -> str:
    """SHA-256 over a folder's files (names and contents): a re-imported export changes nothing."""
    import hashlib

    from calfload.journal import sha256_of_file

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
    from calfload.signal import CalfRaiseAnalysis, GaitAnalysis
    from calfload.units import plural

    if isinstance(analysis, CalfRaiseAnalysis):
        return f"calf raises, {plural(analysis.rep_count, 'rep')} in {plural(len(analysis.sets), 'set')}"
    if isinstance(analysis, GaitAnalysis):
        steps = "unknown steps" if analysis.steps is None else plural(analysis.steps, "step")
        return f"{analysis.activity}, {steps}"
    return f"hops, {plural(analysis.hops, 'contact')}"


__all__ = ["ImportOverrides", "ImportResult", "import_files"]
