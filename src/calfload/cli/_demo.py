"""``calfload demo``: the main jobs on the bundled sample recordings."""

from __future__ import annotations

import argparse
from pathlib import Path

from calfload.cli._commands import CommandAdder


def register(sub: CommandAdder) -> None:
    """Add the ``demo`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "demo",
        description=(
            "Audit the lowering tempo of the sample calf-raise sessions installed with calfload, then build a demo "
            "journal of four weeks of them and write its period report. The demo journal goes to --data-dir when "
            "given (a new or empty folder: the demo never writes into an existing journal), else to a new "
            "temporary folder."
        ),
    )
    p.add_argument(
        "--samples", metavar="DIR", type=Path, help="sample folder (default: the samples installed with calfload)"
    )
    p.add_argument(
        "--report-dir",
        metavar="DIR",
        type=Path,
        help="where the period report goes (default: the demo journal's folder)",
    )
    p.add_argument("--json", action="store_true", help="print the analyses and the report's path as one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the sample sessions and print the tempo audit, then write the demo period report."""
    from calfload.cli._analyze import render_text
    from calfload.cli._common import print_json
    from calfload.cli._errors import cli_text
    from calfload.ingest import load_recording
    from calfload.pipeline._demo import check_demo_folder, sample_folder, write_demo_report
    from calfload.report._table import wrap_line
    from calfload.signal import analyze

    samples = sample_folder(args.samples)
    demo_dir = None if args.data_dir is None else check_demo_folder(Path(args.data_dir))  # before the analyses
    if not args.json:
        intro = "calfload demo: tempo audit of two simulated calf sessions (see calfload/sample_data/README.md)"
        print("\n".join(wrap_line(intro, indent="", hang="  ")) + "\n")
    analyses = []
    for name, show_reps in (("calf_tempo_3x12_104hz.parquet", True), ("calf_endurance_52hz.csv", False)):
        path = samples / name
        analysis = analyze(load_recording(path))
        analyses.append({"file": path, "analysis": analysis.to_dict()})
        if not args.json:
            print(render_text(analysis, source=name, show_reps=show_reps, units=args.units))
            print()
    if not args.json:
        journal_intro = "calfload demo: four weeks of the sample sessions in a demo journal, and their period report"
        print("\n".join(wrap_line(journal_intro, indent="", hang="  ")))
    made = write_demo_report(samples, args.report_dir, data_dir=demo_dir)
    problem = None if made.problem is None else cli_text(made.problem)
    if args.json:
        print_json(
            {"analyses": analyses, "journal": made.journal_dir, "period_report": made.report, "problem": problem}
        )
    elif problem is not None:
        print("\n".join(wrap_line(f"calfload demo: {problem}", indent="", hang="  ")))
    else:
        print(f"  demo journal: {made.journal_dir}")
        print(f"  period report: {made.report}")
        if demo_dir is not None:
            print(
                "\n".join(wrap_line(f"next: calfload --data-dir {made.journal_dir} review", indent="  ", hang="    "))
            )
    return 1 if problem is not None else 0
