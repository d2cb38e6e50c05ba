"""Analyse every recording under a folder tree in parallel: a local process pool or a Dask cluster.

One function, :func:`analyze_file`, is mapped over the files by a :class:`concurrent.futures.Executor`:
a :class:`~concurrent.futures.ProcessPoolExecutor` by default, or the executor of a
``dask.distributed`` client when a scheduler address is given (the same code path). Results go to
one Parquet file per run under ``RESULTS/results/`` (one row per recording: ``file``, ``sha256``,
``kind``, ``rep_count`` and the other scalar figures of the typed result's record form, plus the
whole record as JSON) and failures to ``RESULTS/failures.parquet``. A file whose content hash is
already in the results is skipped on a rerun; a file that fails is reported and never stops the batch.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

from calfload._files import private_dir, write_bytes_atomic
from calfload.errors import CalfloadError, DataError, StorageError
from calfload.signal import AnalysisResult, record_json

if TYPE_CHECKING:
    import pyarrow as pa

#: File endings :func:`find_recordings` picks up.
RECORDING_SUFFIXES: Final = (".parquet", ".csv", ".fit")
#: Folder of the results dataset under RESULTS, and the failures table.
RESULTS_DIR: Final = "results"
FAILURES_FILE: Final = "failures.parquet"
#: Seconds to wait for a Dask scheduler before saying it cannot be reached.
CONNECT_TIMEOUT_S: Final = 10.0


_P = ParamSpec("_P")
_T = TypeVar("_T")


class InProcessExecutor(Executor):
    """Run each call at once in this process: the one-process baseline (``workers=1``)."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        """Call ``fn`` now and return its finished future."""
        future: Future[_T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future, as a pool does
            future.set_exception(exc)
        return future


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What analysing one file gave: the result's record as JSON, or the one-line error."""

    file: str
    sha256: str
    record_json: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What one ``batch`` run did."""

    analysed: int
    failed: int
    skipped: int
    results_dir: Path
    failures: tuple[FileOutcome, ...]


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's content (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def analyze_file(path: str) -> FileOutcome:
    """Analyse one recording file; never raises for the file's own faults (the error is returned).

    Parameters
    ----------
    path
        The recording (.parquet, .csv or .fit).
    """
    from calfload.ingest import load_recordings
    from calfload.signal import analyze

    file = Path(path)
    try:
        sha = file_sha256(file)
    except OSError as exc:
        return FileOutcome(path, "", None, f"cannot read the file: {exc.strerror or exc}")
    try:
        streams = [r for r in load_recordings(file) if r.meta.kind != "heart_rate"]
        if not streams:
            raise DataError("no IMU or foot-pod stream in the file")
        # The IMU stream, else the foot pod, as ``calfload analyze`` chooses.
        main = sorted(streams, key=lambda r: {"imu": 0, "footpod": 1}.get(r.meta.kind, 2))[0]
        result: AnalysisResult = analyze(main)
        return FileOutcome(path, sha, record_json(result), None)
    except CalfloadError as exc:
        return FileOutcome(path, sha, None, " ".join(str(exc).split()))
    except Exception as exc:  # noqa: BLE001 - one bad file must never stop a cohort batch
        return FileOutcome(path, sha, None, f"{type(exc).__name__}: {' '.join(str(exc).split())}")


def find_recordings(root: Path, *, exclude: Path | None = None) -> list[Path]:
    """Return every recording file under ``root`` (sorted), leaving out the folder ``exclude``."""
    if not root.is_dir():
        raise DataError(f"{root} is not a folder; give the folder that holds the recordings")
    skip = exclude.resolve() if exclude is not None else None
    found = []
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() not in RECORDING_SUFFIXES or not p.is_file():
            continue
        if skip is not None and p.resolve().is_relative_to(skip):
            continue
        found.append(p)
    return found


def result_row(outcome: FileOutcome) -> dict[str, object]:
    """The results row of a successful outcome: file, hash, and the record's scalar figures."""
    if outcome.record_json is None:
        raise ValueError("a failed outcome has no results row")
    # The worker wrote the record with record_json (to_record's form): read back as JSON, not
    # re-built as a typed result, which would cost this one process a from_record per file.
    record = json.loads(outcome.record_json)
    row: dict[str, object] = {"file": outcome.file, "sha256": outcome.sha256, "kind": record["result"]}
    for key, value in record.items():
        if isinstance(value, dict):
            row.update({f"{key}_{k}": v for k, v in value.items() if _scalar(v)})
        elif _scalar(value) and key != "result":
            row[key] = value
    row.setdefault("rep_count", None)
    row["record_json"] = outcome.record_json
    return row


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def done_hashes(results: Path) -> set[str]:
    """Content hashes of the files already in the results dataset under ``results``."""
    import pyarrow.parquet as pq

    folder = results / RESULTS_DIR
    if not folder.is_dir():
        return set()
    hashes: set[str] = set()
    for part in sorted(folder.glob("*.parquet")):
        hashes.update(str(h) for h in pq.read_table(part, columns=["sha256"]).column("sha256").to_pylist())
    return hashes


def run_batch(root: Path, results: Path, *, scheduler: str | None = None, workers: int | None = None) -> BatchSummary:
    """Analyse the recordings under ``root`` not yet in ``results`` and write their rows.

    Parameters
    ----------
    root
        Folder tree of recordings.
    results
        Output folder (created); the results dataset is ``results/results/*.parquet``.
    scheduler
        ``tcp://HOST:PORT`` of a Dask scheduler; None for a local process pool.
    workers
        Local pool size (default: the number of CPUs); 1 analyses in this process, without a pool.

    Raises
    ------
    DataError
        If ``root`` is not a folder or the scheduler cannot be reached (nothing is created then).
    """
    files = find_recordings(root, exclude=results)
    if scheduler is not None:
        client = connect(scheduler)
        try:
            return _run(files, results, client.get_executor())
        finally:
            client.close()
    n_workers = workers or os.cpu_count() or 1
    if n_workers == 1:
        return _run(files, results, InProcessExecutor())
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        return _run(files, results, pool)


def connect(scheduler: str) -> Any:
    """Connect to a Dask scheduler (a ``distributed.Client``), or raise a one-line :class:`DataError`."""
    try:
        # Imported by name: Dask is an optional extra (``calfload[cluster]``).
        client_cls = importlib.import_module("distributed").Client
    except ImportError:
        raise DataError("`scheduler` needs Dask: pip install 'calfload[cluster]'", parameter="scheduler") from None
    if not scheduler.startswith("tcp://"):
        raise DataError(f"scheduler address {scheduler!r} must look like tcp://HOST:PORT")
    try:
        return client_cls(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DataError(
            f"cannot reach the Dask scheduler at {scheduler} ({' '.join(str(exc).split())[:200]}); "
            "start it or check the address; nothing was written"
        ) from None


def _run(files: Sequence[Path], results: Path, executor: Executor) -> BatchSummary:
    done = done_hashes(results)
    todo = [f for f in files if file_sha256(f) not in done]
    skipped = len(files) - len(todo)
    outcomes = list(executor.map(analyze_file, [str(f) for f in todo]))
    good = [o for o in outcomes if o.error is None]
    bad = tuple(o for o in outcomes if o.error is not None)
    _write(results, good, bad)
    return BatchSummary(len(good), len(bad), skipped, results, bad)


def _write(results: Path, good: Iterable[FileOutcome], bad: Sequence[FileOutcome]) -> None:
    # pyarrow straight from the rows: pandas would be this one process's largest import (~0.5 s).
    import pyarrow as pa

    rows = [result_row(o) for o in good]
    try:
        folder = results / RESULTS_DIR
        private_dir(folder)
        if rows:
            n = len(list(folder.glob("part-*.parquet")))
            columns = list(dict.fromkeys(k for row in rows for k in row))  # every key, first-seen order
            _atomic_parquet(
                pa.Table.from_pylist(rows, schema=_inferred(rows, columns)), folder / f"part-{n:05d}.parquet"
            )
        text = pa.string()
        failures = pa.table(
            {
                "file": pa.array([o.file for o in bad], text),
                "sha256": pa.array([o.sha256 for o in bad], text),
                "error": pa.array([o.error for o in bad], text),
            }
        )
        _atomic_parquet(failures, results / FAILURES_FILE)
    except OSError as exc:
        raise StorageError(f"cannot write the results under {results}: {exc.strerror or exc}") from None


def _inferred(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> pa.Schema:
    """One type per column from all rows (a column that is None in the first row is still typed)."""
    import pyarrow as pa

    values: dict[str, list[Any]] = {name: [row.get(name) for row in rows] for name in columns}
    return pa.schema([(name, pa.array(column).type) for name, column in values.items()])


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` as one private (0600), atomically replaced Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    write_bytes_atomic(path, sink.getvalue().to_pybytes(), overwrite=True)
