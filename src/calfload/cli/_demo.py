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
        description="Audit the lowering tempo of the sample calf-raise sessions in sample_data/.",
    )
    p.add_argument("--samples", metavar="DIR", type=Path, help="sample folder (default: ./sample_data)")
    p.set_defaults(handler=run)


def find_samples(explicit: Path | None) -> Path:
    """The sample folder: the one given, ./sample_data, or the one beside a source checkout."""
    from calfload.errors import DataError

    candidates = [explicit] if explicit else [Path("sample_data"), Path(__file__).resolve().parents[3] / "sample_data"]
    for folder in candidates:
        if (folder / "calf_tempo_3x12_104hz.parquet").is_file():
            return folder
    raise DataError("sample_data/ not found; run `calfload demo` from the calfload repository folder or pass --samples")


def run(args: argparse.Namespace) -> int:
    """Analyse the sample sessions and print the tempo audit."""
    from calfload.cli._analyze import render_text
    from calfload.ingest import load_recording
    from calfload.signal import analyze

    samples = find_samples(args.samples)
    print("calfload demo: tempo audit of two simulated calf sessions (see sample_data/README.md)\n")
    for name, show_reps in (("calf_tempo_3x12_104hz.parquet", True), ("calf_endurance_52hz.csv", False)):
        path = samples / name
        result = analyze(load_recording(path)).to_dict()
        print(render_text(result, source=str(path), show_reps=show_reps))
        print()
    return 0
