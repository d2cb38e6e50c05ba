"""The run report a runner reads, rendered in headless Chromium from real FIT files and simulated feet.

Real files: public FIT runs in ``../shared/validation/fit_public_repos`` (skipped when absent),
recorded by devices nobody here owns. For each page: no console error, the embedded object equal
to ``calfload analyze --json`` of the same file, every tagged number equal to its value there
(durations as h:mm:ss, distances as km), the plots drawn, and the laps and balance the file holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from calfload.recording import write_parquet

from .conftest import Browser, Cli
from .test_pages import assert_clean_page, assert_numbers_match, assert_plot_visible

FIT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "validation" / "fit_public_repos"
#: A Forerunner 920XT run (2125 records): heart rate, running power, stance time, the
#: ground-contact-time balance and one lap.
FIT_RUN = "goldencheetah/Garmin920_withFirstbeat.fit"


def _fit(name: str) -> Path:
    path = FIT_DIR / name
    if not path.is_file():
        pytest.skip(f"{path} is not available (../shared/validation)")
    return path


def test_real_fit_run_page(browser: Browser, cli: Cli, tmp_path: Path) -> None:
    fit = _fit(FIT_RUN)
    analysis = cli.json("analyze", fit)
    out = tmp_path / "run.html"
    cli.ok("report", fit, "--out", out)

    page = browser.render(out)
    assert_clean_page(page, "gait_session")
    assert page.data == analysis  # heart rate joined from the file's own stream, as analyze does
    assert assert_numbers_match(page, analysis) >= 12  # cards, the lap, the balance
    assert_plot_visible(page, "gait-cadence", colours=("blue", "vermillion"))
    # Pace (blue), heart rate (vermillion), contact (green), power (orange), balance: one panel each.
    assert_plot_visible(page, "gait-dynamics", colours=("blue", "vermillion", "bluish_green", "orange"))
    assert page.plot("gait-dynamics")["rect"]["height"] > 5 * 100
    text = page.probe["text"]
    dynamics = analysis["running_dynamics"]
    assert re.search(r"\b0:35:24\b", text)  # 2124 s
    assert f"{analysis['distance_m'] / 1000:.2f}" in text  # 7.28 km
    shown = [60 * int(m) + int(s) for m, s in re.findall(r"\b(\d+):(\d\d) /km", text)]
    assert any(abs(p - 1000.0 / analysis["speed_mps"]) < 1.5 for p in shown), shown  # the pace card, m:ss /km
    assert "Laps" in text
    assert "Left and right" in text
    keys = {n["key"] for n in page.probe["numbers"]}
    assert {"running_dynamics.laps.0.timer_s", "running_dynamics.contact_balance_left_pct"} <= keys
    assert f"{dynamics['power_mean_w']:.0f}" in text


@pytest.mark.parametrize("before", [True, False], ids=["units-before-report", "units-after-report"])
def test_real_fit_run_report_in_miles(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: bool) -> None:
    """Distances in miles and pace per mile with --units imperial; the default name from date and activity.

    Was: ``calfload --units imperial report FILE`` wrote km (report's own --units hid the global one).
    """
    fit = _fit(FIT_RUN)
    monkeypatch.chdir(tmp_path)
    line: list[str | Path] = (
        ["--units", "imperial", "report", fit] if before else ["report", fit, "--units", "imperial"]
    )
    out = Path(cli.ok(*line).strip())
    assert out.name.endswith("-run-report.html")
    page = out.read_text(encoding="utf-8")
    found = re.search(r'id="calfload-data">(.*?)</script>', page)
    assert found is not None
    distance_m, speed_mps = json.loads(found.group(1))["distance_m"], json.loads(found.group(1))["speed_mps"]
    miles = distance_m / 1609.344
    assert re.search(rf'data-key="distance_m" data-value="[^"]+" data-scale="[^"]+">{miles:.2f}<', page)
    per_mile = [60 * int(m) + int(s) for m, s in re.findall(r"\b(\d+):(\d\d) /mi", page)]
    assert any(abs(p - 1609.344 / speed_mps) < 2.5 for p in per_mile), per_mile
    assert " /km" not in page
    assert "(mi)" in page  # the lap table's distance column


def test_both_feet_run_page(browser: Browser, cli: Cli, tmp_path: Path) -> None:
    """Two simulated feet with known contact asymmetry: the page shows each side and the balance."""
    from calfload.sim import RunSpec, simulate_run

    run = simulate_run(RunSpec(seed=3, duration_s=30.0, feet=("left", "right")))
    files = [write_parquet(rec, tmp_path / f"{rec.meta.side}.parquet") for rec in run.recordings]
    analysis = cli.json("analyze", *files)
    out = tmp_path / "feet.html"
    cli.ok("report", *files, "--out", out)

    page = browser.render(out)
    assert_clean_page(page, "gait_session")
    assert page.data == analysis
    assert_numbers_match(page, analysis)
    keys = {n["key"] for n in page.probe["numbers"]}
    assert {"both_feet.contact_left_ms", "both_feet.contact_right_ms", "both_feet.contact_balance_left_pct"} <= keys
    assert "Left and right" in page.probe["text"]
    assert [p["id"] for p in page.probe["plots"]] == ["gait-cadence"]  # an IMU run: no pace, power or pulse


def test_cadence_alert_on_the_run_page(cli: Cli, tmp_path: Path) -> None:
    """A simulated run whose cadence falls 30 steps/min over 4 min at a steady speed: the page shows analyze's alert.

    The foot IMU's own speed (zero-velocity updates) makes the reference the first half's
    cadence-speed fit, whose spread (the first half drifts too) lifts the threshold to its 4.5 %
    cap; a 20 steps/min fall stayed below that for 109 s, short of the 2 minutes an alert needs.
    """
    from calfload.sim import RunSpec, simulate_run

    rec = simulate_run(RunSpec(duration_s=240.0, cadence_drift_spm=-30.0, seed=5)).recordings[0]
    recording = write_parquet(rec, tmp_path / "fading.parquet")
    analysis = cli.json("analyze", recording)
    out = tmp_path / "fading.html"
    cli.ok("report", recording, "--out", out)
    page = out.read_text(encoding="utf-8")
    found = re.search(r'id="calfload-data">(.*?)</script>', page)
    assert found is not None
    assert json.loads(found.group(1)) == analysis
    alerts = analysis["cadence_check"]["alerts"]
    assert alerts
    assert alerts[0]["start_s"] > 60.0  # the fade is in the second half; the start ran at 170
    assert f'data-key="cadence_check.alerts.0.start_s" data-value="{alerts[0]["start_s"]}"' in page
    assert "Cadence alerts" in page
    assert "cadence alert" in page  # the shaded stretch's legend on the cadence plot
