"""The columnar FIT reader against fitdecode on every real FIT file: ``python -m tools.validate_fit_columns``.

``python -m tools.validate_fit_columns [--mirror DIR] [--folder DIR ...] [--digests OUT]``

Every ``*.fit`` file of the git mirrors under ``--mirror`` (read into a temporary folder, never
into the repository) and of the ``--folder`` trees (by default ../shared/validation's FIT folders)
is read twice: by :func:`calfload.ingest.fit_records.read_columns` (records column by column)
and by :func:`calfload.ingest.fit_messages.decode_fit` (every message by fitdecode, the
reference), and then by :func:`calfload.ingest.fit.read_fit` both ways. A file passes when the
columnar reader gives the same messages (records bit for bit) and the same recordings, or leaves
the file to fitdecode (``None``), and always leaves a file fitdecode refuses. CPU time of both
readers is reported per file, and the outcome per file as a Markdown table on stdout.

``--digests OUT`` writes the digest of what fitdecode gave for each folder file (relative to
../shared/validation) to OUT: tests/test_ingest/fit_decoded_digests.json, which the tests check
the columnar reader against without decoding the files again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final
from unittest import mock

from calfload.errors import DataError
from calfload.ingest import fit
from calfload.ingest.fit_columns import NUMERIC_FIELDS
from calfload.ingest.fit_messages import FitMessages, decode_fit
from calfload.ingest.fit_records import read_columns
from tools.validate_cases import write_or_print
from tools.validate_fit_cli import DEFAULT_MIRROR, FitFile, collect

VALIDATION: Final = Path(__file__).resolve().parents[1] / ".." / "shared" / "validation"
DEFAULT_FOLDERS: Final = (VALIDATION / "fit_public_repos", VALIDATION / "fit_running_files_fitdecode")


def digest(messages: FitMessages) -> str:
    """SHA-256 of the records table (bit for bit) and the other messages' values as repr gives them."""
    h = hashlib.sha256(messages.records.time_s.tobytes())
    for name in NUMERIC_FIELDS:
        h.update(messages.records.values[name].tobytes())
    rest = (messages.sessions, messages.laps, messages.devices, messages.timer_events, messages.file_id)
    h.update(repr((messages.records.activity_type.tolist(), *rest, messages.sport, messages.absolute_time)).encode())
    return h.hexdigest()


def _timed(call: Callable[[], object]) -> tuple[object, float]:
    start = time.process_time()
    try:
        answer = call()
    except DataError as exc:
        answer = f"refused: {exc}"
    return answer, time.process_time() - start


def _recordings(path: Path, *, columns: bool) -> object:
    """``read_fit(path)``'s streams as comparable values (metadata and column bytes), or its refusal."""
    with mock.patch.object(fit, "read_columns", wraps=read_columns if columns else lambda _: None):
        try:
            streams = fit.read_fit(path)
        except DataError as exc:
            return str(exc)
    return [(s.meta, {k: v.tobytes() for k, v in s.columns.items()}) for s in streams]


def compare(path: Path) -> tuple[str, float, float]:
    """The outcome for one file (``same``, ``left to fitdecode``, or what differs) and each reader's CPU seconds."""
    got, columns_s = _timed(lambda: read_columns(path))
    want, full_s = _timed(lambda: decode_fit(path, source=str(path)))
    if isinstance(want, str):
        return ("same refusal" if got is None else "NOT REFUSED"), columns_s, full_s
    if got is None:
        return "left to fitdecode", columns_s, full_s
    assert isinstance(got, FitMessages)
    assert isinstance(want, FitMessages)
    if digest(got) != digest(want):
        return "MESSAGES DIFFER", columns_s, full_s
    if _recordings(path, columns=True) != _recordings(path, columns=False):
        return "RECORDINGS DIFFER", columns_s, full_s
    return "same", columns_s, full_s


def table(files: list[FitFile]) -> tuple[list[str], int]:
    """Markdown lines of the comparison, and how many files failed."""
    lines = ["| file | KB | outcome | columns (s) | fitdecode (s) |", "|---|---|---|---|---|"]
    failed = 0
    for f in files:
        outcome, columns_s, full_s = compare(f.path)
        failed += outcome.isupper()
        size_kb = f.path.stat().st_size / 1024
        lines.append(f"| {f.origin} | {size_kb:.0f} | {outcome} | {columns_s:.3f} | {full_s:.3f} |")
    counts: dict[str, int] = {}
    for line in lines[2:]:
        outcome = line.split(" | ")[2]
        counts[outcome] = counts.get(outcome, 0) + 1
    lines.append("")
    lines.append(f"{len(files)} files: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    return lines, failed


def main(argv: list[str] | None = None) -> int:
    """Compare every file, print the Markdown table (or write it to ``--out``), write the digests if asked."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate_fit_columns", description=__doc__.split("\n")[0])
    parser.add_argument("--mirror", type=Path, default=None, help=f"git mirrors to read (e.g. {DEFAULT_MIRROR})")
    parser.add_argument("--folder", type=Path, action="append", default=None, help="plain folders of FIT files")
    parser.add_argument("--digests", type=Path, default=None, help="write fitdecode's digests of the folder files")
    parser.add_argument("--out", type=Path, default=None, help="write the table here instead of printing it")
    args = parser.parse_args(argv)
    folders = [p for p in (args.folder or DEFAULT_FOLDERS) if p.is_dir()]
    with tempfile.TemporaryDirectory(prefix="calfload-fit-columns-") as tmp:
        files = collect(args.mirror, folders, Path(tmp) / "files")
        lines, failed = table(files)
    write_or_print(lines, args.out)
    if args.digests is not None:
        digests = {}
        for p in sorted(q for folder in folders for q in folder.rglob("*") if q.suffix.lower() == ".fit"):
            try:
                digests[str(p.resolve().relative_to(VALIDATION.resolve()))] = digest(decode_fit(p, source=str(p)))
            except DataError:
                continue
        args.digests.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
