"""The demo journal: four weeks of the sample sessions, pain entries and heel-rise tests.

``calfload demo`` builds it in a new folder and writes its period report
(:func:`write_demo_report`); the tests use it as a realistic journal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

#: The sample recording whose presence says a folder holds calfload's samples.
SAMPLE_MARKER: Final = "calf_tempo_3x12_104hz.parquet"

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
    from calfload.ingest import load_recording
    from calfload.journal import Journal
    from calfload.pipeline._import import import_files
    from calfload.recording import write_parquet

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
            rec = base.with_meta(start_utc=start)
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
    """Simulate both legs' heel-rise tests and store them as ``calfload test heel-rise`` would."""
    from calfload.journal import Journal
    from calfload.pipeline._heel_rise import heel_rise_test, store_heel_rise_test
    from calfload.recording import write_parquet
    from calfload.sim import HeelRiseTestSpec, simulate_heel_rise_test

    files: dict[str, Path] = {}
    for side, reps in (("left", left_reps), ("right", right_reps)):
        # Rises of about 30° that tire slowly, then one below half height: the test stops there.
        excursions = (*(32.0 - 0.3 * i for i in range(reps)), 12.0)
        spec = HeelRiseTestSpec(excursions_deg=excursions, side=side, seed=len(files))
        rec = simulate_heel_rise_test(spec).recording
        files[side] = write_parquet(rec, folder / f"{day.isoformat()}_heel_rise_{side}.parquet", overwrite=True)
    with Journal(data_dir) as journal:
        masses = journal.body_mass_entries()
        test = heel_rise_test(
            files, affected_side="left", foot_length_cm=17.0, body_mass_kg=masses[-1][1] if masses else None
        )
        store_heel_rise_test(journal, test, day, foot_length_cm=17.0)


def sample_folder(explicit: Path | None = None) -> Path:
    """The sample recordings' folder: ``explicit``, else the one installed with the package (package data).

    Raises
    ------
    DataError
        If the folder does not hold the samples (its ``parameter`` is ``samples``).
    """
    from calfload.errors import DataError

    if explicit is None:
        from importlib.resources import files

        explicit = Path(str(files("calfload") / "sample_data"))
        where = "the installed calfload package"
    else:
        where = str(explicit)
    if not (explicit / SAMPLE_MARKER).is_file():
        raise DataError(
            f"the sample recordings are missing from {where}; reinstall calfload with pip (forcing the "
            "reinstall) or give `samples`",
            value=str(explicit),
            parameter="samples",
        )
    return explicit


def check_demo_folder(data_dir: Path) -> Path:
    """``data_dir``, when it is new or an empty folder: the demo never writes into a journal.

    Raises
    ------
    JournalError
        If ``data_dir`` exists and holds anything (a file there counts); its ``parameter`` is ``data_dir``.
    """
    from calfload.errors import JournalError

    if data_dir.exists() and (not data_dir.is_dir() or any(data_dir.iterdir())):
        raise JournalError(
            f"{data_dir} is not empty; give `data_dir` a new or empty folder (the demo never writes into a journal)",
            file=str(data_dir),
            parameter="data_dir",
        )
    return data_dir


@dataclass(frozen=True)
class DemoReport:
    """What :func:`write_demo_report` made: the demo journal's folder and its period report, or why not."""

    journal_dir: Path | None
    report: Path | None
    problem: str | None = None


def write_demo_report(samples: Path, report_dir: Path | None = None, *, data_dir: Path | None = None) -> DemoReport:
    """Build the demo journal (never the user's) and write its period report.

    Parameters
    ----------
    samples
        The sample recordings' folder (:func:`sample_folder`).
    report_dir
        Where the report goes (default: ``data_dir``, else a new temporary folder).
    data_dir
        The demo journal's folder: new or empty (default: ``journal`` in ``report_dir`` or the
        temporary folder).

    Returns
    -------
    DemoReport
        The journal's folder and the report's path; or, when the folder is taken or the report
        cannot be made here, ``problem`` (one line, arguments named in backticks) and what exists.
    """
    import tempfile

    from calfload.errors import CalfloadError

    if data_dir is None:
        folder = report_dir or Path(tempfile.mkdtemp(prefix="calfload-demo-"))
        data_dir = folder / "journal"
        again = "give `report_dir` a new folder"
    else:
        folder = report_dir or data_dir
        again = "give `data_dir` a new or empty folder (the demo never writes into a journal)"
    try:
        check_demo_folder(data_dir)
    except CalfloadError:
        return DemoReport(None, None, f"{data_dir} is not empty; {again}")
    try:
        from calfload.journal import Journal
        from calfload.pipeline._report_files import free_name, write_report
        from calfload.pipeline._review import review_period
        from calfload.report import render_period_html

        build_demo_journal(data_dir, samples)
        with Journal(data_dir) as journal:
            html = render_period_html(review_period(journal))
            out = write_report(html, free_name(folder / f"calfload-period-{journal.today.isoformat()}.html"))
    except (ImportError, CalfloadError) as exc:
        problem = f"the period report could not be made here ({exc}); the tempo audit above stands"
        return DemoReport(data_dir, None, problem)
    return DemoReport(data_dir, out)


__all__ = [
    "DEMO_BASELINE",
    "DEMO_BODY_MASS_KG",
    "DEMO_SESSIONS",
    "SAMPLE_MARKER",
    "DemoReport",
    "build_demo_journal",
    "check_demo_folder",
    "sample_folder",
    "write_demo_report",
]
