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
    from calfload.report import Progress
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


def import_files(
    journal: Journal,
    paths: Sequence[Path],
    *,
    overrides: ImportOverrides = ImportOverrides(),
    analyzer: Analyzer | None = None,
    progress: bool = False,
) -> list[ImportResult]:
    """Analyse recording files and add them to the journal in one transaction.

    Two files that are the left and the right foot of one walk or run (foot IMUs of opposite
    sides whose times overlap by at least half the shorter one, as :func:`pair_problem` checks
    them) are one session with both feet, as ``analyze LEFT RIGHT`` joins them; so are the two
    feet of a two-sensor session folder.

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

    Returns
    -------
    list of ImportResult
        One per path, in order; files already in the journal have ``created=False``.

    Raises
    ------
    CalfloadError
        If any file cannot be read, analysed or stored; then the journal is unchanged.
    """
    from calfload.report import Progress

    # 1. Read each new file, pair the feet, analyse, write the streams; the journal is not touched yet.
    with Progress(len(paths), "importing", enabled=None if progress else False) as bar:
        loaded = _read_new(journal, paths, overrides, bar)
        plan = _prepare(journal, _sessions(loaded), overrides, analyzer or _default_analyzer)
    # 2. Add every new session in one transaction.
    with journal.transaction():
        for prep in {id(p): p for p in plan.values()}.values():  # the two feet's files share one
            journal.add_prepared(prep)
    # 3. Report.
    return [
        _result(journal, path, digest, None if streams is None else plan[digest]) for path, digest, streams in loaded
    ]


@dataclass(frozen=True, slots=True)
class _Group:
    """The files of one new session: one file, or the left and the right foot's."""

    files: tuple[tuple[Path, str, list[Recording]], ...]

    @property
    def streams(self) -> list[Recording]:
        return [r for _, _, streams in self.files for r in streams]

    @property
    def feet(self) -> list[Recording]:
        from calfload.pipeline._streams import feet_pair

        if len(self.files) == 2:
            return sorted((_main_stream(f[2]) for f in self.files), key=lambda r: r.meta.side)
        return feet_pair(self.files[0][2])


def _read_new(
    journal: Journal, paths: Sequence[Path], overrides: ImportOverrides, bar: Progress
) -> list[tuple[Path, str, list[Recording] | None]]:
    """``(path, content hash, streams)`` of each path; streams None for content already stored or given twice."""
    from calfload.errors import DataError
    from calfload.journal import sha256_of_file

    out: list[tuple[Path, str, list[Recording] | None]] = []
    seen: set[str] = set()
    for path in paths:
        bar.set_detail(path.name)
        if not path.exists():
            raise DataError("no such file; check the path", source=str(path))
        digest = sha256_of_file(path) if path.is_file() else _folder_digest(path)
        known = digest in seen or journal.find_content(digest) is not None
        seen.add(digest)
        out.append((path, digest, None if known else _load(path, overrides)))
        bar.advance()
    return out


def _sessions(loaded: Sequence[tuple[Path, str, list[Recording] | None]]) -> list[_Group]:
    """The new files grouped into sessions: the two feet of one walk or run together, in file order."""
    new = [(p, d, s) for p, d, s in loaded if s is not None]
    groups: list[_Group] = []
    used: set[int] = set()
    for i, item in enumerate(new):
        if i in used:
            continue
        used.add(i)
        partner = next(
            (j for j in range(i + 1, len(new)) if j not in used and _same_run(item[2], new[j][2])),
            None,
        )
        if partner is not None:
            used.add(partner)
        groups.append(_Group((item,) if partner is None else (item, new[partner])))
    return groups


def _same_run(a: list[Recording], b: list[Recording]) -> bool:
    """Whether two files' streams are the two feet of one walk or run (opposite sides, overlapping)."""
    from calfload.pipeline._streams import pair_problem
    from calfload.schema import UNKNOWN_START_UTC

    left, right = _main_stream(a), _main_stream(b)
    if {left.meta.side, right.meta.side} != {"left", "right"}:
        return False
    if any(
        r.meta.kind != "imu" or r.meta.placement != "foot" or r.meta.start_utc == UNKNOWN_START_UTC
        for r in (left, right)
    ):
        return False
    return pair_problem(left, right, min_overlap=0.5) is None


def _prepare(
    journal: Journal, groups: Sequence[_Group], overrides: ImportOverrides, analyse: Analyzer
) -> dict[str, PreparedSession]:
    """Each new session analysed and its streams checked, keyed by the content hash of each of its files."""
    import hashlib

    plan: dict[str, PreparedSession] = {}
    for group in groups:
        feet = group.feet
        main = feet[0] if feet else _main_stream(group.streams)
        digests = [d for _, d, _ in group.files]
        joined = len(group.files) > 1
        prep = journal.prepare_session(
            streams=group.streams,
            analysis=analyse(feet or main, overrides.activity, overrides.placement),
            content_sha256=hashlib.sha256("\0".join(["feet", *sorted(digests)]).encode()).hexdigest()
            if joined
            else digests[0],
            source_name=" + ".join(p.name for p, _, _ in group.files),
            main=main,
            exercise_given=overrides.exercise is not None,
            files=tuple((d, p.name) for p, d, _ in group.files) if joined else (),
        )
        plan.update(dict.fromkeys(digests, prep))
    return plan


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
