"""``calfload demo``: the main jobs on the bundled sample recordings."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``demo`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "demo",
        help="run calfload on the bundled sample recordings",
        description="Audit the lowering tempo of the sample calf-raise sessions installed with calfload.",
    )
    p.add_argument(
        "--samples", metavar="DIR", type=Path, help="sample folder (default: the samples installed with calfload)"
    )
    p.add_argument(
        "--report-dir",
        metavar="DIR",
        type=Path,
        help="where the demo journal and its period report go (default: a new temporary folder)",
    )
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
    """Analyse the sample sessions and print the tempo audit."""
    from calfload.cli._analyze import render_text
    from calfload.ingest import load_recording
    from calfload.signal import analyze

    samples = find_samples(args.samples)
    print("calfload demo: tempo audit of two simulated calf sessions (see calfload/sample_data/README.md)\n")
    for name, show_reps in (("calf_tempo_3x12_104hz.parquet", True), ("calf_endurance_52hz.csv", False)):
        path = samples / name
        result = analyze(load_recording(path)).to_dict()
        print(render_text(result, source=str(path), show_reps=show_reps))
        print()
    return demo_period_report(samples, args.report_dir)


def demo_period_report(samples: Path, report_dir: Path | None) -> int:
    """Write the period report of a demo journal (never the user's) and print where it is."""
    import tempfile

    from calfload.errors import CalfloadError

    folder = report_dir or Path(tempfile.mkdtemp(prefix="calfload-demo-"))
    data_dir = folder / "journal"
    if data_dir.exists() and any(data_dir.iterdir()):
        print(f"calfload demo: {data_dir} is not empty; give --report-dir a new folder")
        return 1
    print("calfload demo: four weeks of the sample sessions in a demo journal, and their period report")
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
        print(f"calfload demo: the period report could not be made here ({exc}); the tempo audit above stands")
        return 1
    print(f"  demo journal: {data_dir}")
    print(f"  period report: {out}")
    return 0
