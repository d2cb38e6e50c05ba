"""What ``record`` and ``recover`` print: the live status line fitted to the terminal, and the result.

The status line is rewritten in place on a terminal and always fits its width (read again at every
redraw, so a resized window is followed): the least important fields go first. The result goes to
stderr as text, or to stdout as one JSON object with ``--json``.
"""

from __future__ import annotations

import shutil
import sys
from typing import TYPE_CHECKING

from calfload.cli._terminal import fit_message
from calfload.units import hms

if TYPE_CHECKING:
    from calfload.ingest.finalize import FinalizeResult
    from calfload.ingest.recorder import RecorderStatus


def status_line(status: RecorderStatus, width: int) -> str:
    """The status as one line of at most ``width - 1`` characters (the cursor never wraps).

    The elapsed time and the sample rate (or "reconnecting…") always show; then the live
    feedback and cadence; then counters, the zero ones last. A foot pod sends about one packet
    a second: its line leads with the cadence, then packets per second. A live text longer than
    what is left is cut with an ellipsis.
    """
    rate = status.rate_text() if status.connected else "reconnecting…"
    cadence = "cadence –" if status.cadence_spm is None else f"cadence {status.cadence_spm:.0f} spm"
    first = [hms(status.elapsed_s), *([cadence, rate] if status.footpod else [rate])]
    counters = [("reconnects", status.reconnects), ("bad", status.bad), ("dropped", status.dropped)]
    extra = [cadence] if status.cadence_spm is not None and not status.footpod else []
    extra += [f"{name} {n}" for name, n in counters if n] + [f"{name} {n}" for name, n in counters if not n]
    room = max(width - 1, 20)
    parts = list(first)
    if status.live:
        left = room - len(" | ".join(parts)) - 3
        live = status.live if len(status.live) <= left else status.live[: max(left - 1, 0)] + "…"
        if left > 8:
            parts.append(live)
    for part in extra:
        if len(" | ".join([*parts, part])) <= room:
            parts.append(part)
    return " | ".join(parts)[:room]


class StatusPrinter:
    """The live status line: rewritten in place on a terminal, one line per second otherwise."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.width = 0

    def show(self, status: RecorderStatus) -> None:
        """Draw one status (nothing with ``-q``)."""
        if self.quiet:
            return
        line = status_line(status, shutil.get_terminal_size((80, 24)).columns)
        if self.tty:
            print("\r" + line.ljust(self.width), end="", file=sys.stderr, flush=True)
            self.width = len(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def finish(self) -> None:
        """End the status line (a new line after the last redraw)."""
        if self.tty and self.width:
            print(file=sys.stderr)


def print_result(result: FinalizeResult, reconnects: int) -> None:
    """What finalising wrote, on stderr: one line per stream file, the counts, the notes."""
    for rec in result.recordings:
        gaps = rec.meta.gaps
        lost = sum(b - a for a, b in gaps)
        gap_text = f", {len(gaps)} gap{'s' if len(gaps) != 1 else ''} ({lost:.1f} s)" if gaps else ""
        print(
            f"wrote {result.folder / (rec.meta.kind + '.parquet')}: {rec.n_samples} samples, "
            f"{hms(rec.duration_s)}{gap_text}",
            file=sys.stderr,
        )
    stats = result.stats
    print(
        f"notifications {stats.notifications}, bad {stats.bad}, duplicates dropped {stats.duplicates}, "
        f"reconnects {reconnects}",
        file=sys.stderr,
    )
    for note in result.notes:
        print(fit_message(f"calfload: note: {note}", sys.stderr), file=sys.stderr)


def result_json(result: FinalizeResult, reconnects: int, journal: str | None) -> dict[str, object]:
    """The ``--json`` object of ``record`` and ``recover``: the folder, each stream file, counts, notes."""
    streams = [
        {
            "path": result.folder / (rec.meta.kind + ".parquet"),
            "kind": rec.meta.kind,
            "samples": rec.n_samples,
            "duration_s": rec.duration_s,
            "gaps_s": [[a, b] for a, b in rec.meta.gaps],
        }
        for rec in result.recordings
    ]
    stats = result.stats
    return {
        "folder": result.folder,
        "streams": streams,
        "notifications": stats.notifications,
        "bad": stats.bad,
        "duplicates_dropped": stats.duplicates,
        "reconnects": reconnects,
        "notes": list(result.notes),
        "journal": journal,
    }


__all__ = ["StatusPrinter", "print_result", "result_json", "status_line"]
