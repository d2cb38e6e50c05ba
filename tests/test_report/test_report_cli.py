"""``calfload report`` and ``calfload demo`` without a browser: options, refusals, files, page structure."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from calfload.cli._report import parse_since
from calfload.loadmodel import BaselineTest

from .conftest import Cli

SAMPLE = "calf_tempo_3x12_104hz.parquet"


def page_data(html: str) -> Any:
    found = re.search(r'<script type="application/json" id="calfload-data">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("4w", 28), ("10d", 10), (" 2W ", 14), ("2024-05-06", dt.date(2024, 5, 6))],
)
def test_parse_since(text: str, expected: int | dt.date) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["0w", "4 weeks", "yesterday-ish", "2024-13-01", "99999w"])
def test_parse_since_refuses(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="--since"):
        parse_since(text)


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--session", "1"), 3, "not both"),
        (("--since", "2w"), 3, "period reports"),
        (("--activity", "run", "--session", "3"), 3, "not both"),
    ],
)
def test_file_report_refuses_mixed_options(
    cli: Cli, sample_dir: Path, args: tuple[str, ...], code: int, words: str
) -> None:
    status, out, err = cli("report", sample_dir / SAMPLE, *args)
    assert status == code
    assert out == ""
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_unknown_session_and_bad_out(cli: Cli, sample_dir: Path, tmp_path: Path) -> None:
    status, _, err = cli("report", "--session", "99")
    assert status == 5
    assert "no journal in" in err  # a report never creates a journal
    cli.ok("log", "mass", "70")
    status, _, err = cli("report", "--session", "99")
    assert status == 5
    assert "no session 99" in err
    status, _, err = cli("report", sample_dir / SAMPLE, "--out", tmp_path)
    assert status == 6  # StorageError: the output cannot be written there
    assert "is a folder" in err
    assert list(tmp_path.iterdir()) == []
    status, _, err = cli("report", "--since", "0d")
    assert status == 2
    status, _, err = cli("report", "--date", "2999-01-01")
    assert status == 5
    assert "future" in err


def test_a_whole_history_report_has_no_length_limit(cli: Cli, tmp_path: Path) -> None:
    """``--since 2019-01-01`` was refused (at most 156 weeks); the report of 5 years is shown by month."""
    cli.ok("log", "mass", "70", "--date", "2024-05-06")
    cli.ok("log", "pain", "--morning", "2", "--date", "2019-03-04")
    out = tmp_path / "long.html"
    status, _, err = cli("report", "--since", "2019-01-01", "--date", "2024-05-06", "--out", out)
    assert status == 0, err
    doc = page_data(out.read_text(encoding="utf-8"))
    assert doc["first_date"] == "2019-01-01"
    assert len(doc["days"]) == (dt.date(2024, 5, 6) - dt.date(2019, 1, 1)).days + 1
    assert doc["bins"]["unit"] == "month"  # a row per month, not per day
    plot = re.search(r'data-plot="period-timeline">.*?</figure>', out.read_text(encoding="utf-8"), re.S)
    assert plot is not None
    assert "2020" in plot.group(0)
    assert "Jan 2019" not in plot.group(0)  # year ticks, not months or Mondays
    status, _, err = cli("report", "--since", "999999w", "--date", "2024-05-06", "--out", tmp_path / "x.html")
    assert status == 2
    assert "--since" in err


def test_default_name_in_current_folder(
    cli: Cli, sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name says the session's date and activity; a second report of that day gets -2, never replaces."""
    from calfload.ingest import load_recording

    monkeypatch.chdir(tmp_path)
    day = load_recording(sample_dir / SAMPLE).meta.start_utc.astimezone().date().isoformat()
    out = cli.ok("report", sample_dir / SAMPLE).strip()
    assert out == str(tmp_path / f"{day}-calf-raise-report.html")
    assert [p.name for p in tmp_path.iterdir()] == [f"{day}-calf-raise-report.html"]  # no temporary left
    # Was: every recording folder's imu.parquet became ./imu-report.html.
    folder = tmp_path / "calfload-session"
    folder.mkdir()
    shutil.copy(sample_dir / SAMPLE, folder / "imu.parquet")
    assert cli.ok("report", folder).strip() == str(tmp_path / f"{day}-calf-raise-report-2.html")


def test_session_report_from_journal(cli: Cli, sample_dir: Path, tmp_path: Path) -> None:
    imported = cli.json("import", sample_dir / SAMPLE)["imported"][0]
    out = tmp_path / "session.html"
    doc = cli.json("report", "--session", str(imported["session_id"]), "--out", out, "--json")
    assert doc == {"report": str(out.resolve()), "kind": "session", "bytes": out.stat().st_size}
    html = out.read_text(encoding="utf-8")
    assert page_data(html) == cli.json("analyze", sample_dir / SAMPLE)
    assert 'data-plot="calf-angle"' in html  # the stored recording gives the raise angle
    assert 'data-plot="calf-lowering"' in html
    assert f"session {imported['session_id']}" in html


def test_svg_ids_unique_and_page_self_contained(cli: Cli, sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "calf.html"
    cli.ok("report", sample_dir / SAMPLE, "--out", out)
    html = out.read_text(encoding="utf-8")
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert html.count("<svg") == 2
    # Nothing to fetch: no external scripts, styles, images or fonts.
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "@import" not in html
    assert "<?xml" not in html
    assert "<!DOCTYPE svg" not in html


def test_names_are_escaped(sample_dir: Path) -> None:
    from calfload.ingest import load_recording
    from calfload.report import render_session_html
    from calfload.signal import analyze

    rec = load_recording(sample_dir / SAMPLE)
    html = render_session_html(analyze(rec), source='<script>alert("x")</script>')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert 'data-message="no-angle"' in html  # without the recording the page says why the plot is missing


def _baseline_test(day: str, side: str, reps: int | None, *, source: str = "logged", **details: Any) -> BaselineTest:
    from calfload.loadmodel import BaselineTest, HeelRiseDetails

    return BaselineTest(
        day=dt.date.fromisoformat(day),
        side=side,
        heel_rise_reps=reps,
        calf_circumference_cm=None,
        knee_to_wall_cm=None,
        details=HeelRiseDetails(**details) if details else None,
        source=source,
    )


def test_heel_rise_pairs_use_the_affected_side() -> None:
    from calfload.loadmodel import heel_rise_pairs

    tests = [
        _baseline_test("2024-05-01", "left", 30, affected_side="right"),
        _baseline_test("2024-05-01", "right", 24),
        _baseline_test("2024-05-08", "left", 20),
        _baseline_test("2024-05-09", "right", None),
    ]
    pairs = heel_rise_pairs(tests)
    assert [(p.day.isoformat(), p.lsi_pct) for p in pairs] == [("2024-05-01", 80.0), ("2024-05-08", None)]
    assert pairs[0].lsi_basis == "right (affected) ÷ other"


def test_heel_rise_pairs_never_mix_a_logged_and_a_measured_test_of_one_day() -> None:
    """Issue 13 item 4: the issue's LSI of 380 % came from reps of one test beside those of another."""
    from calfload.loadmodel import heel_rise_pairs

    day = "2024-05-01"
    tests = [
        _baseline_test(day, "left", 38),
        _baseline_test(day, "left", 10, source="measured", mean_height_cm=9.0),
        _baseline_test(day, "right", 20, source="measured", mean_height_cm=10.0),
    ]
    pairs = heel_rise_pairs(tests)
    assert [(p.left_reps, p.right_reps, p.lsi_pct) for p in pairs] == [(38, None, None), (10, 20, 50.0)]
    assert pairs[1].left_height_cm == 9.0


def test_demo_writes_a_period_report_without_touching_the_journal(
    cli: Cli, isolated_journal: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    doc = json.loads(cli.ok("demo", "--report-dir", folder, "--json"))  # --json: the analyses and the paths
    assert [a["analysis"]["rep_count"] for a in doc["analyses"]] == [36, 38]
    report = Path(doc["period_report"])
    assert Path(doc["journal"]) == folder / "journal"
    assert report.is_file()
    assert report.parent == folder
    html = report.read_text(encoding="utf-8")
    assert 'data-report="period"' in html
    assert html.count("<svg") == 2
    assert len(page_data(html)["sessions"]) == 12
    assert list(isolated_journal.iterdir()) == []  # the user's journal is never created or touched
    code, out, _ = cli("demo", "--report-dir", folder)  # a used folder is refused, not overwritten
    assert code == 1
    assert "not empty" in " ".join(out.split())  # wrapped at the terminal's width


def test_embedded_json_cannot_leave_its_script_element() -> None:
    """``</`` -> ``<\\/`` did not cover ``<!--<script>``, which keeps the parser in the script."""
    from calfload.report._html import page

    name = "<!--<script>alert(1)</script>--> & </SCRIPT"
    html = page(kind="period", title="t", subtitle="s", body=[], data={"session": name, "n": 1})
    found = re.search(r'<script type="application/json" id="calfload-data">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    raw = found.group(1)
    assert not any(c in raw for c in "<>&")
    assert json.loads(raw) == {"session": name, "n": 1}
    assert html.count("<script") == 1


def test_period_series_agree_with_each_days_review_across_block_boundaries(tmp_path: Path) -> None:
    """Runs at changing speeds: the stitched 8-week series equals what review --date D gives for each day."""
    import numpy as np
    import pandas as pd

    from calfload.journal import Journal
    from calfload.pipeline import review_journal, review_period
    from calfload.recording import make_recording
    from calfload.schema import ACC_MPS2, GYR_DPS, T_S, RecordingMeta
    from calfload.signal import GaitAnalysis, from_record

    frame = pd.DataFrame({T_S: np.arange(250) / 50.0})
    for name, value in zip((*ACC_MPS2, *GYR_DPS), (0.0, 0.0, 9.81, 0.0, 0.0, 0.0), strict=True):
        frame[name] = np.full(250, value, dtype=np.float32)
    last = dt.date(2024, 6, 30)
    with Journal(tmp_path, today=last) as journal:
        for i in range(0, 56, 3):
            start = dt.datetime.combine(last - dt.timedelta(days=55 - i), dt.time(7), tzinfo=dt.UTC)
            rec = make_recording(frame, RecordingMeta(sample_rate_hz=50.0, start_utc=start, activity="run"))
            speed = 2.6 + 0.04 * i  # the easy pace the journal learns keeps moving
            run = from_record(
                {"activity": "run", "activity_detected": False, "duration_s": 2400.0, "steps": 6800}
                | {"steps_doubled_from_one_foot": False, "source": "imu", "speed_mps": speed}
            )
            assert isinstance(run, GaitAnalysis)
            journal.add_session(streams=[rec], analysis=run, content_sha256=f"{i:064d}", source_name=f"{i}.csv")
        data = review_period(journal, last, since_days=56).to_dict()
        boundary = last - dt.timedelta(days=28)
        for d in (boundary, boundary + dt.timedelta(days=1)):
            own = next(x for x in review_journal(journal, d).to_dict()["days"] if x["date"] == d.isoformat())
            days = data["days"]
            assert isinstance(days, list)
            assert next(x for x in days if x["date"] == d.isoformat()) == own
