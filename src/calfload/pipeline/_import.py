"""Import recording files into the journal: read, analyse, store, in one transaction.

:func:`import_files` pairs the two feet of a run from the files' metadata, then reads and
analyses one session at a time and stages its streams in the data folder (nothing is written to
the journal meanwhile, and only one session's samples are held in memory), then adds all
sessions at once. Importing a file whose content is already in the journal changes nothing.
``calfload import``, ``record``, ``recover`` and ``demo`` all call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar, cast

from calfload.pipeline._pairing import MIN_OVERLAP, foot_facts, pair_feet

_T = TypeVar("_T")

if TYPE_CHECKING:
    from calfload.errors import CalfloadError
    from calfload.ingest.csv_formats import ColumnMap
    from calfload.journal import Journal, PreparedSession
    from calfload.recording import Recording
    from calfload.schema import MetaChanges, RecordingMeta
    from calfload.signal import SessionAnalysis


#: ``analyzer(recording or the two feet, activity, placement) -> typed analysis result``.
Analyzer = Callable[["Recording | list[Recording]", str | None, str | None], "SessionAnalysis"]


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


@dataclass(frozen=True, slots=True)
class ImportFailure:
    """A file left out of an import: it could not be read, analysed or checked for the journal."""

    path: Path
    error: CalfloadError


def import_files(
    journal: Journal,
    paths: Sequence[Path],
    *,
    overrides: ImportOverrides = ImportOverrides(),
    analyzer: Analyzer | None = None,
    progress: bool = False,
    failed: list[ImportFailure] | None = None,
) -> list[ImportResult]:
    """Analyse recording files and add them to the journal in one transaction.

    Two files that are the left and the right foot of one walk or run (foot IMUs of opposite
    sides whose times overlap by at least half the shorter one) are one session with both feet,
    as ``analyze LEFT RIGHT`` joins them; so are the two feet of a two-sensor session folder. The
    files are paired from their metadata (:mod:`calfload.pipeline._pairing`: calfload Parquet
    files and recording folders carry side, start and time span), so no file's samples are read
    before its session's turn; the pair is checked again with the samples (:func:`pair_problem`).

    Parameters
    ----------
    journal
        The open journal.
    paths
        Recording files (any format :func:`calfload.ingest.load_recordings` reads).
    overrides
        Metadata to set on every recording before analysis and storage.
    analyzer
        The analysis step (default: :func:`calfload.signal.analyze`); one call per session, with
        one recording or the two feet.
    progress
        Show a progress bar on standard error while reading and analysing, if it is a terminal.
    failed
        When given, a file that cannot be found, read, analysed or checked for the journal is
        left out and added here (the two feet of a pair: both when their joint analysis fails,
        the other foot alone when one cannot be read), and the other files are imported;
        otherwise such a file fails the whole import.

    Returns
    -------
    list of ImportResult
        One per path imported or already stored, in order; files already in the journal have
        ``created=False``.

    Raises
    ------
    JournalError
        If ``overrides.start_utc`` is given for more than one file (nothing is read).
    CalfloadError
        If a file cannot be read, analysed or stored (and ``failed`` is None), or storing fails;
        then the journal is unchanged. A session is never stored in part.
    """
    from calfload.errors import JournalError
    from calfload.report import Progress

    if overrides.start_utc is not None and len(paths) > 1:
        raise JournalError(
            "`start` applies to one file; import files with different starts one at a time",
            value=len(paths),
            parameter="start",
        )
    # 1. Each file's content hash, and the feet paired from the metadata alone (no samples read).
    found = _find_new(journal, paths, failed)
    new = [(path, digest) for path, digest, known in found if not known]
    # Named columns read every file as another program's table, without calfload's metadata: no sides to pair.
    change = _meta_changes(overrides)
    groups = pair_feet([None if overrides.columns is not None else foot_facts(path, change) for path, _ in new])
    # 2. One session at a time: read, analyse, stage its streams in the data folder; the journal is not touched.
    plan: dict[str, PreparedSession] = {}
    try:
        with Progress(len(new), "importing", enabled=None if progress else False) as bar:
            for group in groups:
                files = [new[i] for i in group]
                bar.set_detail(" + ".join(path.name for path, _ in files))
                for prep in _prepare(journal, files, overrides, analyzer or _default_analyzer, failed):
                    plan.update(dict.fromkeys([prep.content_sha256, *(d for d, _ in prep.files)], prep))
                bar.advance(len(files))
        # 3. Add every new session in one transaction.
        with journal.transaction():
            for prep in {id(p): p for p in plan.values()}.values():  # the two feet's files share one
                journal.add_prepared(prep)
    except BaseException:
        for prep in plan.values():
            journal.discard_prepared(prep)
        raise
    # 4. Report.
    return [
        _result(journal, path, digest, None if known else plan[digest])
        for path, digest, known in found
        if known or digest in plan
    ]


def _find_new(
    journal: Journal, paths: Sequence[Path], failed: list[ImportFailure] | None
) -> list[tuple[Path, str, bool]]:
    """``(path, content hash, known)`` of each path found: known for content already stored or given twice."""
    from calfload.errors import DataError
    from calfload.journal import sha256_of_file

    out: list[tuple[Path, str, bool]] = []
    seen: set[str] = set()
    for path in paths:
        if not path.exists():
            missing = DataError("no such file; check the path", source=str(path))
            if failed is None:
                raise missing
            failed.append(ImportFailure(path, missing))
            continue
        digest = sha256_of_file(path) if path.is_file() else _folder_digest(path)
        out.append((path, digest, digest in seen or journal.find_content(digest) is not None))
        seen.add(digest)
    return out


def _prepare(
    journal: Journal,
    files: Sequence[tuple[Path, str]],
    overrides: ImportOverrides,
    analyse: Analyzer,
    failed: list[ImportFailure] | None,
) -> list[PreparedSession]:
    """One session's files read, analysed, checked and staged: one session, or one per file if they are not two feet.

    Two files paired by their metadata are checked again with their samples (:func:`pair_problem`:
    two files holding the same data are not two feet); if they fail, each is a session of its own.
    With ``failed``, a file that cannot be read or a session that cannot be analysed or checked is
    listed there instead of raising.
    """
    from calfload.pipeline._streams import feet_pair, pair_problem

    read: list[tuple[tuple[Path, str], list[Recording]]] = []
    for file in files:
        one = _attempt(partial(_load, file[0], overrides), [file], failed)
        if one is not None:
            read.append((file, one))
    if len(read) == 2:
        (_, first), (_, second) = read
        left, right = sorted((_main_stream(first), _main_stream(second)), key=lambda r: r.meta.side)
        if pair_problem(left, right, min_overlap=MIN_OVERLAP) is None:
            pair = [file for file, _ in read]
            step = partial(_stage, journal, pair, [*first, *second], [left, right], overrides, analyse)
            joint = _attempt(step, pair, failed)
            return [] if joint is None else [joint]
    staged = (
        _attempt(partial(_stage, journal, [file], one, feet_pair(one), overrides, analyse), [file], failed)
        for file, one in read
    )
    return [prep for prep in staged if prep is not None]


def _attempt(
    step: Callable[[], _T], files: Sequence[tuple[Path, str]], failed: list[ImportFailure] | None
) -> _T | None:
    """``step()``; with ``failed``, a calfload error lists ``files`` there and gives None instead."""
    from calfload.errors import CalfloadError

    try:
        return step()
    except CalfloadError as exc:
        if failed is None:
            raise
        failed.extend(ImportFailure(path, exc) for path, _ in files)
        return None


def _stage(
    journal: Journal,
    files: Sequence[tuple[Path, str]],
    streams: list[Recording],
    feet: list[Recording],
    overrides: ImportOverrides,
    analyse: Analyzer,
) -> PreparedSession:
    """Analyse one session (the two feet together where there are two) and stage its streams."""
    import hashlib

    main = feet[0] if feet else _main_stream(streams)
    digests = [d for _, d in files]
    joined = len(files) > 1
    return journal.prepare_session(
        streams=streams,
        analysis=analyse(feet or main, overrides.activity, overrides.placement),
        content_sha256=hashlib.sha256("\0".join(["feet", *sorted(digests)]).encode()).hexdigest()
        if joined
        else digests[0],
        source_name=" + ".join(p.name for p, _ in files),
        main=main,
        exercise_given=overrides.exercise is not None,
        files=tuple((d, p.name) for p, d in files) if joined else (),
    )


def _result(journal: Journal, path: Path, digest: str, prep: PreparedSession | None) -> ImportResult:
    from calfload.errors import DataError

    sid = journal.find_content(digest)
    record = journal.session(sid) if sid is not None else None
    if record is None:  # pragma: no cover - the transaction above committed every new file
        raise DataError("was not stored; try again", source=str(path))
    if prep is not None and prep.files and path.name != prep.files[0][1]:
        summary = f"{path.name} is the other foot of session {record.session_id}, imported with {prep.files[0][1]}"
    elif prep is not None:
        feet = ", both feet" if record.side == "both" else ""
        summary = (
            f"imported {path.name} as session {record.session_id}: "
            f"{_describe(record.analysis)}{feet}, {record.local_date.isoformat()}"
        )
    else:
        summary = f"{path.name} is already in the journal as session {record.session_id}; nothing changed"
    return ImportResult(path, record.session_id, prep is not None, record.local_date, record.activity, summary)


def _default_analyzer(
    recording: Recording | list[Recording], activity: str | None, placement: str | None
) -> SessionAnalysis:
    from calfload.signal import analyze

    return analyze(recording, activity=activity, placement=placement)


def _load(path: Path, overrides: ImportOverrides) -> list[Recording]:
    from calfload.errors import JournalError, SchemaError
    from calfload.ingest import load_recordings

    changes = _changes(overrides)
    streams = load_recordings(path, columns=overrides.columns)
    try:
        return [r.with_meta(**changes) for r in streams] if changes else streams
    except SchemaError as exc:
        raise JournalError(f"{path.name}: {exc}") from None


#: The overrides that are metadata fields, by the same name (``RecordingMeta.replace`` keywords).
_META_OVERRIDES: Final = ("activity", "placement", "side", "exercise", "added_load_kg", "start_utc")


def _changes(overrides: ImportOverrides) -> MetaChanges:
    """The metadata fields the overrides set (``RecordingMeta.replace`` keywords)."""
    set_here = {name: getattr(overrides, name) for name in _META_OVERRIDES if getattr(overrides, name) is not None}
    # ImportOverrides declares each of these with its field's type (or None, left out here).
    return cast("MetaChanges", set_here)


def _meta_changes(overrides: ImportOverrides) -> Callable[[RecordingMeta], RecordingMeta]:
    """The overrides as a change of one stream's metadata (for pairing, before any samples are read)."""
    changes = _changes(overrides)
    return (lambda meta: meta.replace(**changes)) if changes else (lambda meta: meta)


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


__all__ = ["ImportFailure", "ImportOverrides", "ImportResult", "import_files"]
