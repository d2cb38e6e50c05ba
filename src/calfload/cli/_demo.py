"""``calfload demo``: the main jobs on the bundled sample recordings."""

from __future__ import annotations

import argparse
import datetime as dt
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


#: Demo calendar: (days before today, sample file, pain during, pain after, morning pain the next day).
DEMO_SESSIONS: tuple[tuple[int, str, int, int, int], ...] = (
    (27, "calf_tempo_3x12_104hz.parquet", 2, 2, 1),
    (25, "calf_tempo_3x12_104hz.parquet", 2, 2, 1),
    (22, "calf_endurance_52hz.csv", 1, 2, 1),
    (20, "calf_tempo_3x12_104hz.parquet", 2, 2, 1),
    (18, "calf_tempo_3x12_104hz.parquet", 2, 1, 1),
    (15, "calf_endurance_52hz.csv", 1, 1, 0),
    (13, "calf_tempo_3x12_104hz.parquet", 2, 2, 1),
    (11, "calf_tempo_3x12_104hz.parquet", 2, 2, 1),
    (8, "calf_endurance_52hz.csv", 2, 2, 1),
    (6, "calf_tempo_3x12_104hz.parquet", 2, 3, 1),
    (4, "calf_tempo_3x12_104hz.parquet", 3, 3, 2),
    (1, "calf_tempo_3x12_104hz.parquet", 3, 4, 3),
)
DEMO_BODY_MASS_KG = 70.0
#: Heel-rise endurance tests (simulated recordings): (days before today, left reps, right reps).
#: The left leg is the affected one; it catches up over the four weeks.
DEMO_BASELINE: tuple[tuple[int, int, int], ...] = ((27, 18, 25), (1, 22, 25))


def build_demo_journal(data_dir: Path, samples: Path) -> None:
    """Fill a new journal in ``data_dir`` with four weeks of the sample sessions, pain and baseline tests.

    The sample recordings are re-dated (a copy per session, written in ``data_dir``) so that the
    sessions fall on the days of :data:`DEMO_SESSIONS` before today; nothing outside ``data_dir``
    is written.
    """
    from calfload._files import private_dir
    from calfload.cli._import import import_files
    from calfload.ingest import load_recording
    from calfload.journal import Journal
    from calfload.recording import Recording, write_parquet

    copies = data_dir / "demo_recordings"
    private_dir(copies)
    with Journal(data_dir) as journal:
        today = journal.today
        files: list[Path] = []
        originals = {name: load_recording(samples / name) for name in {s[1] for s in DEMO_SESSIONS}}
        for days_ago, name, *_ in DEMO_SESSIONS:
            day = today - dt.timedelta(days=days_ago)
            start = dt.datetime.combine(day, dt.time(7, 30)).astimezone(dt.UTC)  # 07:30 local time
            base = originals[name]
            rec = Recording(base.data, base.meta.replace(start_utc=start), base.source)
            files.append(write_parquet(rec, copies / f"{day.isoformat()}_{Path(name).stem}.parquet", overwrite=True))
        journal.log_mass(DEMO_BODY_MASS_KG, today - dt.timedelta(days=DEMO_SESSIONS[0][0]))
        import_files(journal, files, progress=True)
        for days_ago, _, during, after, morning in DEMO_SESSIONS:
            day = today - dt.timedelta(days=days_ago)
            journal.log_pain(day, during=during, after=after)
            journal.log_pain(min(day + dt.timedelta(days=1), today), morning=morning)
    for days_ago, left, right in DEMO_BASELINE:
        _demo_heel_rise_test(data_dir, copies, today - dt.timedelta(days=days_ago), left, right)


def _demo_heel_rise_test(data_dir: Path, folder: Path, day: dt.date, left_reps: int, right_reps: int) -> None:
    """Simulate both legs' heel-rise tests and store them with ``calfload test heel-rise``."""
    import contextlib
    import io

    from calfload.cli import main
    from calfload.errors import JournalError
    from calfload.recording import write_parquet
    from calfload.sim import HeelRiseTestSpec, simulate_heel_rise_test

    files: dict[str, Path] = {}
    for side, reps in (("left", left_reps), ("right", right_reps)):
        # Rises of about 30° that tire slowly, then one below half height: the test stops there.
        excursions = (*(32.0 - 0.3 * i for i in range(reps)), 12.0)
        spec = HeelRiseTestSpec(excursions_deg=excursions, side=side, seed=len(files))
        rec = simulate_heel_rise_test(spec).recording
        files[side] = write_parquet(rec, folder / f"{day.isoformat()}_heel_rise_{side}.parquet", overwrite=True)
    argv = ["--data-dir", str(data_dir), "-q", "test", "heel-rise", "--left", str(files["left"])]
    argv += ["--right", str(files["right"]), "--affected", "left", "--foot-length-cm", "17"]
    argv += ["--date", day.isoformat(), "--json"]
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    if code != 0:
        raise JournalError("the demo's heel-rise tests could not be stored")


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
        from calfload.report import period_data, render_period_html

        build_demo_journal(data_dir, samples)
        with Journal(data_dir) as journal:
            html = render_period_html(period_data(journal))
            out = write_report(html, free_name(folder / f"calfload-period-{journal.today.isoformat()}.html"))
    except (ImportError, CalfloadError) as exc:
        print(f"calfload demo: the period report could not be made here ({exc}); the tempo audit above stands")
        return 1
    print(f"  demo journal: {data_dir}")
    print(f"  period report: {out}")
    return 0
