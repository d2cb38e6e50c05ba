"""``calfload batch DIR --out RESULTS``: analyse every recording under a folder tree in parallel."""

from __future__ import annotations

import argparse
from pathlib import Path

from calfload.cli._commands import CommandAdder


def register(sub: CommandAdder) -> None:
    """Add the ``batch`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "batch",
        description=(
            "Analyse every .parquet, .csv and .fit recording under DIR on a local process pool, or on a Dask "
            "cluster with --scheduler (pip install 'calfload[cluster]'). Writes a Parquet results dataset "
            "RESULTS/results/ (one row per recording: file, rep_count and the other summary figures) and "
            "RESULTS/failures.parquet. A file that fails is listed and never stops the batch; a rerun skips "
            "files already analysed (same content)."
        ),
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="folder tree of recordings")
    p.add_argument("--out", type=Path, required=True, metavar="RESULTS", help="folder for the results")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask scheduler's workers")
    p.add_argument("--json", action="store_true", help="print what the batch did as one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the batch and print what it did."""
    from calfload.cli._errors import cli_text
    from calfload.pipeline.batch import run_batch

    summary = run_batch(args.folder, args.out, scheduler=args.scheduler)
    if args.json:
        from calfload.cli._common import print_json

        print_json(
            {
                "analysed": summary.analysed,
                "failed": summary.failed,
                "skipped": summary.skipped,
                "results": summary.results_dir,
                "failures": [{"file": bad.file, "error": cli_text(bad.error or "")} for bad in summary.failures],
            }
        )
    elif not args.quiet:
        from calfload.report._table import wrap_line

        lines = []
        for bad in summary.failures:
            reason = cli_text(bad.error or "")
            lines.append(f"failed: {reason}" if bad.file in reason else f"failed: {bad.file}: {reason}")
        lines.append(
            f"{summary.analysed} analysed, {summary.failed} failed, {summary.skipped} skipped; "
            f"results in {summary.results_dir}"
        )
        for line in lines:  # at the terminal's width (a failure's reason can be long)
            print("\n".join(wrap_line(line, indent="", hang="  ")))
    return 0
