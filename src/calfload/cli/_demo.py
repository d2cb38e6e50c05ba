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


def find_samples(explicit: Path | None) -> Path:
    """The sample folder: the one given, else the one installed with the package (package data)."""
    from calfload.errors import DataError

    if explicit is None:
        from importlib.resources import files

        explicit = Path(str(files("calfload") / "sample_data"))
        where = "the installed calfload package"
    else:
        where = str(explicit)
    if not (explicit / "calf_tempo_3x12_104hz.parquet").is_file():
        raise DataError(
            f"the sample recordings are missing from {where}; reinstall calfload (pip install --force-reinstall "
            "calfload) or pass --samples DIR"
        )
    return explicit


def run(args: argparse.Namespace) -> int:
    """Analyse the sample sessions and print the tempo audit, then write the demo period report."""
    from calfload.cli._analyze import render_text
    from calfload.cli._common import print_json
    from calfload.ingest import load_recording
    from calfload.signal import analyze

    samples = find_samples(args.samples)
    demo_dir = None if args.data_dir is None else Path(args.data_dir)
    if demo_dir is not None and _holds_anything(demo_dir):  # said before the analyses, not after
        from calfload.errors import JournalError

        raise JournalError(
            f"{demo_dir} is not empty; give --data-dir a new or empty folder (the demo never writes into a journal)"
        )
    from calfload.report._table import wrap_line

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
    code, journal, report, problem = demo_period_report(samples, args.report_dir, data_dir=demo_dir)
    if args.json:
        print_json({"analyses": analyses, "journal": journal, "period_report": report, "problem": problem})
    elif problem is not None:
        print("\n".join(wrap_line(f"calfload demo: {problem}", indent="", hang="  ")))
    else:
        print(f"  demo journal: {journal}")
        print(f"  period report: {report}")
        if demo_dir is not None:
            print("\n".join(wrap_line(f"next: calfload --data-dir {journal} review", indent="  ", hang="    ")))
    return code


def demo_period_report(
    samples: Path, report_dir: Path | None, *, data_dir: Path | None = None
) -> tuple[int, Path | None, Path | None, str | None]:
    """Write the period report of a demo journal (never the user's).

    Parameters
    ----------
    samples
        The sample recordings' folder.
    report_dir
        Where the report goes (default: ``data_dir``, else a new temporary folder's).
    data_dir
        The demo journal's folder: new or empty (default: ``journal`` in a new temporary folder).

    Returns
    -------
    tuple
        The exit code, the demo journal's folder, the report's path, and what went wrong (or None).
    """
    import tempfile

    from calfload.errors import CalfloadError

    if data_dir is None:
        folder = report_dir or Path(tempfile.mkdtemp(prefix="calfload-demo-"))
        data_dir = folder / "journal"
        again = "give --report-dir a new folder"
    else:
        folder = report_dir or data_dir
        again = "give --data-dir a new or empty folder (the demo never writes into a journal)"
    if _holds_anything(data_dir):
        return 1, None, None, f"{data_dir} is not empty; {again}"
    try:
        from calfload.cli._report import free_name, write_report
        from calfload.journal import Journal
        from calfload.pipeline import build_demo_journal, review_period
        from calfload.report import render_period_html

        build_demo_journal(data_dir, samples)
        with Journal(data_dir) as journal:
            html = render_period_html(review_period(journal))
            out = write_report(html, free_name(folder / f"calfload-period-{journal.today.isoformat()}.html"))
    except (ImportError, CalfloadError) as exc:
        return 1, data_dir, None, f"the period report could not be made here ({exc}); the tempo audit above stands"
    return 0, data_dir, out, None


def _holds_anything(folder: Path) -> bool:
    """Whether ``folder`` exists and is not an empty folder (a file there counts)."""
    return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))
