"""Every report kind, rendered in headless Chromium: loads cleanly, shows its plots, tells the JSON's numbers.

For each page: no console error or warning; every plot present, of a readable size and visibly
drawn in the screenshot (with the colours that carry its meaning); the embedded source object
equal to ``calfload analyze --json`` or ``calfload review --json`` of the same data; and every
tagged number on the page equal to its value there, displayed with the right rounding.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from calfload.journal import today_local
from calfload.recording import Recording, write_parquet

from .conftest import Browser, Cli, RenderedPage

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
}
CAVEAT = "relative index"


# ------------------------------------------------------------------------------------------ checks


def resolve(source: Any, key: str) -> Any:
    """The value at a dotted path (``sets.0.rep_count``)."""
    value = source
    for part in key.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def assert_clean_page(page: RenderedPage, kind: str) -> None:
    assert page.console_errors == []
    assert page.probe["report"] == kind
    assert CAVEAT in (page.probe["caveat"] or "")
    assert page.probe["width"] <= 1100, "the page must not scroll sideways at 1100 px"


def assert_numbers_match(page: RenderedPage, source: Any, *, prefix_map: dict[str, Any] | None = None) -> int:
    """Every tagged number equals its source value and is displayed with correct rounding."""
    numbers = page.probe["numbers"]
    assert numbers, "the page tags no numbers"
    for n in numbers:
        key = n["key"]
        root, path = source, key
        for prefix, other in (prefix_map or {}).items():
            if key.startswith(prefix + "."):
                root, path = other, key[len(prefix) + 1 :]
        expected = resolve(root, path)
        shown = json.loads(n["value"])
        assert shown == expected, f"{key}: page says {shown!r}, JSON says {expected!r}"
        scale = 1.0 if n["scale"] is None else float(n["scale"])  # metres shown as km: 0.001
        assert_displayed(n["text"], None if expected is None else expected * scale, key)
    return len(numbers)


def assert_displayed(text: str, value: Any, key: str) -> None:
    """The text shows the value, rounded to the digits it shows (durations as h:mm:ss)."""
    if value is None:
        assert text == "–", key
        return
    clock = re.fullmatch(r"(\d+):([0-5]\d):([0-5]\d)", text.strip())
    if clock:
        h, mm, ss = (int(g) for g in clock.groups())
        assert abs(3600 * h + 60 * mm + ss - float(value)) <= 0.5 + 1e-9, f"{key}: {text!r} for {value!r}"
        return
    m = re.fullmatch(r"([-+]?\d+(?:\.(\d+))?)( %)?", text.strip())
    assert m, f"{key}: unexpected display {text!r}"
    digits = len(m.group(2) or "")
    shown = float(m.group(1))
    target = 100.0 * float(value) if m.group(3) else float(value)
    assert math.isclose(shown, target, abs_tol=0.5 * 10**-digits + 1e-9), f"{key}: {text!r} for {value!r}"


def hex_rgb(code: str) -> np.ndarray:
    return np.array([int(code[i : i + 2], 16) for i in (1, 3, 5)], dtype=float) / 255.0


def colour_share(pixels: np.ndarray, code: str, tol: float = 0.06) -> float:
    """Share of pixels within ``tol`` (per channel) of a colour."""
    return float((np.abs(pixels - hex_rgb(code)).max(axis=2) < tol).mean())


def distinct_colours(pixels: np.ndarray, levels: int = 16) -> int:
    """How many colours the pixels (RGB, 0-1) hold, each channel rounded to one of ``levels`` levels.

    Each colour is one integer code counted by ``np.bincount``: ``np.unique(..., axis=0)`` on the
    rows gives the same count but sorts them as structured records, seconds for one plot.
    """
    q = (pixels * (levels - 1)).round().astype(np.int64).reshape(-1, 3)
    codes = (q[:, 0] * levels + q[:, 1]) * levels + q[:, 2]
    return int(np.count_nonzero(np.bincount(codes, minlength=levels**3)))


def assert_plot_visible(page: RenderedPage, plot_id: str, *, colours: tuple[str, ...] = ()) -> None:
    """The plot is an inline SVG of a readable size and visibly drawn in the screenshot."""
    plot = page.plot(plot_id)
    assert plot["svg"], plot
    assert plot["visible"], plot
    assert plot["label"], plot
    assert plot["rect"]["width"] >= 400, plot["rect"]
    assert plot["rect"]["height"] >= 180, plot["rect"]
    pixels = page.plot_pixels(plot_id)
    ink = (pixels < 0.92).any(axis=2).mean()
    assert ink > 0.03, f"{plot_id}: only {ink:.1%} of the plot is drawn"
    distinct = distinct_colours(pixels)
    assert distinct >= 6, f"{plot_id}: {distinct} colours; a plot with axes, data and legend has more"
    for name in colours:
        share = colour_share(pixels, OKABE_ITO[name])
        assert share > 0.0005, f"{plot_id}: no {name} ({OKABE_ITO[name]}) in the screenshot"


def test_distinct_colours_counts_what_unique_rows_count() -> None:
    """The bincount count equals ``np.unique(..., axis=0)`` on the rounded rows, for few and for all colours."""
    rng = np.random.default_rng(7)
    few = rng.choice([0.0, 0.2, 0.5, 1.0], size=(60, 80, 3))
    every = rng.random((120, 200, 3))
    for pixels in (few, every, np.ones((5, 5, 3))):
        expected = np.unique((pixels * 15).round().reshape(-1, 3), axis=0).shape[0]
        assert distinct_colours(pixels) == expected
    assert distinct_colours(np.ones((5, 5, 3))) == 1


# ------------------------------------------------------------------------------------------ calf


def test_calf_session_page(browser: Browser, cli: Cli, sample_dir: Path, tmp_path: Path) -> None:
    recording = sample_dir / "calf_tempo_3x12_104hz.parquet"
    analysis = cli.json("analyze", recording)
    out = tmp_path / "calf.html"
    assert cli.ok("report", recording, "--out", out).strip() == str(out.resolve())

    page = browser.render(out)
    assert_clean_page(page, "calf_session")
    assert page.data == analysis
    assert assert_numbers_match(page, analysis) > 3 * 8 + 36 * 6
    # The raise angle with phases shaded; fast lowering hatched in vermillion.
    assert_plot_visible(page, "calf-angle", colours=("vermillion",))
    # A bar per rep: passing reps blue, too fast vermillion, the target band green.
    assert_plot_visible(page, "calf-lowering", colours=("blue", "vermillion", "bluish_green"))
    bars = page.plot_pixels("calf-lowering")
    assert colour_share(bars, OKABE_ITO["blue"]) > colour_share(bars, OKABE_ITO["vermillion"]) > 0.005
    assert "Sets" in page.probe["text"]
    assert "Time under tension" in page.probe["text"]
    assert page.probe["messages"] == []


def test_calf_session_without_reps(browser: Browser, cli: Cli, tmp_path: Path) -> None:
    from calfload.sim import CalfSessionSpec, Rest, SensorModel, Walk, simulate_calf_session

    spec = CalfSessionSpec(
        blocks=(Rest(5.0, heel_shifts=3), Walk(6), Rest(5.0, heel_shifts=2)),
        sensor=SensorModel(sample_rate_hz=52.0),
        seed=4,
    )
    recording = write_parquet(simulate_calf_session(spec).recording, tmp_path / "no_reps.parquet")
    analysis = cli.json("analyze", recording)
    assert analysis["rep_count"] == 0
    out = tmp_path / "no_reps.html"
    cli.ok("report", recording, "--out", out)

    page = browser.render(out)
    assert_clean_page(page, "calf_session")
    assert page.data == analysis
    assert "no-reps" in page.probe["messages"]
    assert "No calf-raise reps found" in page.probe["text"]
    assert [p["id"] for p in page.probe["plots"]] == ["calf-angle"]  # the angle still shows what happened
    assert_plot_visible(page, "calf-angle")
    assert_numbers_match(page, analysis)


# ------------------------------------------------------------------------------------------ run


def _run_with_gap(tmp_path: Path) -> Path:
    """A simulated two-minute run whose recording lost 15 s in the middle."""
    from calfload.sim import RunSpec, simulate_run

    rec = simulate_run(RunSpec(duration_s=120.0, cadence_drift_spm=8.0, seed=3)).recordings[0]
    keep = (rec.t_s < 50.0) | (rec.t_s > 65.0)
    gapped = Recording({k: v[keep] for k, v in rec.columns.items()}, rec.meta.replace(activity="run"), rec.source)
    return write_parquet(gapped, tmp_path / "run_gap.parquet")


def test_run_page_with_gap(browser: Browser, cli: Cli, tmp_path: Path) -> None:
    recording = _run_with_gap(tmp_path)
    analysis = cli.json("analyze", recording)
    out = tmp_path / "run.html"
    cli.ok("report", recording, "--out", out)

    page = browser.render(out)
    assert_clean_page(page, "gait_session")
    assert page.data == analysis
    assert_numbers_match(page, analysis)
    # Cadence in blue against its median in vermillion; the missing stretch hatched, not bridged.
    assert_plot_visible(page, "gait-cadence", colours=("blue", "vermillion"))
    assert "gaps" in page.probe["messages"]
    assert "without data" in page.probe["text"]
    text = page.probe["text"]
    assert analysis["device"] in text
    assert f"{analysis['steps']}" in text
    assert f"{analysis['ground_contact_ms']['median']:.0f}" in text


# ------------------------------------------------------------------------------------------ hops


def test_hops_page(browser: Browser, cli: Cli, tmp_path: Path) -> None:
    from calfload.sim import random_hop_session, simulate_hop_session

    spec = random_hop_session(np.random.default_rng(2), n_sets=2)
    recording = write_parquet(simulate_hop_session(spec).recording, tmp_path / "hops.parquet")
    analysis = cli.json("analyze", recording)
    out = tmp_path / "hops.html"
    cli.ok("report", recording, "--out", out)

    page = browser.render(out)
    assert_clean_page(page, "hops_session")
    assert page.data == analysis
    assert assert_numbers_match(page, analysis) == 2 + 6 * len(analysis["sets"])
    assert_plot_visible(page, "hops-times", colours=("blue", "orange"))


# ------------------------------------------------------------------------------------------ period


@pytest.fixture
def demo_journal(isolated_journal: Path, sample_dir: Path) -> Path:
    """Four weeks of the sample sessions, pain and baseline tests in the test's own journal."""
    from calfload.pipeline import build_demo_journal

    build_demo_journal(isolated_journal, sample_dir)
    return isolated_journal


def test_period_page(browser: Browser, cli: Cli, demo_journal: Path, tmp_path: Path) -> None:
    review = cli.json("review")
    out = tmp_path / "period.html"
    cli.ok("report", "--out", out)

    page = browser.render(out)
    assert_clean_page(page, "period")
    data = page.data
    assert data["review"] == review
    assert data["days"] == review["days"]  # the default period is the review's four weeks
    assert data["sessions"] == review["sessions"]
    count = assert_numbers_match(page, data, prefix_map={"review": review})
    assert count > 28 * 7
    # Load bars, both averages, pain markers and the flags strip, on one axis.
    assert_plot_visible(page, "period-timeline", colours=("sky_blue", "vermillion", "blue", "orange"))
    assert_plot_visible(page, "period-heel-rise", colours=("blue", "orange"))
    flag_titles = {"back_off": "Back off", "hold": "Hold", "progress": "Progress"}
    text = page.probe["text"]
    assert f"Today: {flag_titles[review['flag']]}" in text
    assert review["next_step"] in text
    assert all(reason in text for reason in review["reasons"])
    # The calf programme's own dose beside the load (issue 13 item 3), its numbers matched above.
    assert "calf programme by week" in text.lower()
    assert sum(w["calf"]["reps"] for w in review["weeks"]) > 0
    # The demo's two heel-rise tests: left 18 and 22 reps, right 25: LSI 72 % and 88 %.
    assert [p["lsi_pct"] for p in data["heel_rise"]] == [72.0, 88.0]


def test_longer_period_joins_reviews(cli: Cli, demo_journal: Path, tmp_path: Path) -> None:
    out = tmp_path / "six_weeks.html"
    cli.ok("report", "--since", "6w", "--out", out)
    found = re.search(r'id="calfload-data">(.*?)</script>', out.read_text(encoding="utf-8"))
    assert found is not None
    data = json.loads(found.group(1))
    assert len(data["days"]) == 42
    dates = [d["date"] for d in data["days"]]
    assert dates == sorted(dates)
    assert len(set(dates)) == 42
    earlier = cli.json("review", "--date", dates[13])
    assert data["days"][:14] == [d for d in earlier["days"] if d["date"] <= dates[13]][-14:]
    assert len(data["sessions"]) == 12


def test_empty_period_page(browser: Browser, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    # A journal whose only entry is older than the period (a report never creates a journal).
    cli.ok("log", "mass", "70", "--date", (today_local() - dt.timedelta(days=90)).isoformat())
    cli.ok("report", "--out", out)

    page = browser.render(out)
    assert_clean_page(page, "period")
    assert page.probe["plots"] == []
    assert {"empty-period", "no-sessions", "no-baseline"} <= set(page.probe["messages"])
    review = cli.json("review")
    assert page.data["review"] == review
    assert_numbers_match(page, page.data, prefix_map={"review": review})
    assert "No sessions or pain entries in this period" in page.probe["text"]


def test_period_report_builds_figures_without_pyplot(demo_journal: Path) -> None:
    """The period report draws its figures with matplotlib's object API, never pyplot's global state.

    Its speed is measured by the benchmark as the user waits for it (``python -m benchmarks``),
    not asserted here: a timed test fails on a busy machine for no product reason.
    """
    import subprocess
    import sys

    code = (
        "import datetime as dt, sys\n"
        "from calfload.journal import Journal\n"
        "from calfload.pipeline import review_period\n"
        "from calfload.report import render_period_html\n"
        f"with Journal({str(demo_journal)!r}) as journal:\n"
        "    html = render_period_html(review_period(journal, journal.today - dt.timedelta(days=1)))\n"
        "print(html.count('<svg'), 'matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["2", "False"]
