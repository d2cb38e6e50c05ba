"""``calfload reanalyze [--since D] [--until D] [--apply]``: today's algorithms over the stored recordings.

Parsing and printing only: :func:`calfload.pipeline.reanalyze` does the work. Without
``--apply`` nothing changes; with it, every changed session is updated in one transaction.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from calfload.cli._arg_types import parse_date
from calfload.cli._commands import CommandAdder
from calfload.units import plural

if TYPE_CHECKING:
    from calfload.pipeline import SessionChange, SessionFigures


def register(sub: CommandAdder) -> None:
    """Add the ``reanalyze`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "reanalyze",
        description=(
            "Analyse every recorded session in the journal again (or those from --since to --until) and show, per "
            "session, what changes: reps, tempo pass rate, steps, cadence and load. Nothing is changed unless "
            "--apply is given; then all changed sessions are updated in one transaction."
        ),
    )
    p.add_argument("--since", type=parse_date, metavar="YYYY-MM-DD", help="first day (default: the first session)")
    p.add_argument("--until", type=parse_date, metavar="YYYY-MM-DD", help="last day (default: today)")
    p.add_argument("--apply", action="store_true", help="store the new analyses (one transaction)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Re-analyse, print the differences, and store them with ``--apply``."""
    from calfload.cli._common import print_json
    from calfload.journal import Journal
    from calfload.pipeline import apply_reanalysis, reanalyze

    with Journal(args.data_dir, create=False) as journal:
        changes = reanalyze(journal, since=args.since, until=args.until)
        applied = apply_reanalysis(journal, changes) if args.apply else 0
    if args.json:
        print_json({"sessions": [_change_doc(c) for c in changes], "applied": applied})
    else:
        print(render_changes(changes, applied=applied, apply=args.apply))
    return 0


def render_changes(changes: list[SessionChange], *, applied: int, apply: bool) -> str:
    """One row per session: the figures before -> after, and what was done."""
    from calfload.report import Col, render_table

    if not changes:
        return "No recorded sessions in that range; nothing to re-analyse."
    rows = [
        [c.session_id, c.local_date.isoformat(), c.activity, *_cells(c.before, c.after), c.error or _what(c)]
        for c in changes
    ]
    cols = [Col("session"), Col("date", align="<"), Col("activity", align="<")]
    cols += [Col(name, align="<") for name in ("reps", "tempo pass", "steps", "cadence (spm)", "load (AU)")]
    cols.append(Col("", align="<"))
    changed = sum(c.changed for c in changes)
    if apply:
        tail = f"{plural(applied, 'session')} updated in the journal."
    elif changed:
        tail = f"{plural(changed, 'session')} would change; nothing was changed (add --apply to store them)."
    else:
        tail = "Nothing would change."
    return render_table(cols, rows) + "\n" + tail


def _cells(before: SessionFigures, after: SessionFigures | None) -> list[str]:
    def pair(a: object, b: object, fmt: str) -> str:
        text_a = "-" if a is None else format(a, fmt)
        if after is None:
            return text_a
        text_b = "-" if b is None else format(b, fmt)
        return text_a if text_a == text_b else f"{text_a} -> {text_b}"

    a = after or before
    return [
        pair(before.reps, a.reps, "d"),
        pair(before.tempo_pass_rate, a.tempo_pass_rate, ".0%"),
        pair(before.steps, a.steps, "d"),
        pair(before.cadence_spm, a.cadence_spm, ".1f"),
        pair(before.load_au, a.load_au, ".2f"),
    ]


def _what(change: SessionChange) -> str:
    return "changed" if change.changed else "unchanged"


def _change_doc(c: SessionChange) -> dict[str, object]:
    def figs(f: SessionFigures | None) -> dict[str, object] | None:
        if f is None:
            return None
        return {
            "reps": f.reps,
            "tempo_pass_rate": f.tempo_pass_rate,
            "steps": f.steps,
            "cadence_spm": f.cadence_spm,
            "load_au": round(f.load_au, 3),
        }

    return {
        "session_id": c.session_id,
        "date": c.local_date.isoformat(),
        "activity": c.activity,
        "file": c.source_name,
        "before": figs(c.before),
        "after": figs(c.after),
        "changed": c.changed,
        "error": c.error,
    }


__all__ = ["register", "render_changes", "run"]
