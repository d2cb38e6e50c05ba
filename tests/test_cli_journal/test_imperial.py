"""Imperial end to end (issue 17): miles, lb and inches in, SI stored, miles, lb and inches out.

Two athletes log the same weeks, one in metric flags and one in their imperial twins with
``units = "imperial"`` in config.toml. What the journal stores (``review --json``) must be equal, and
nothing the imperial athlete reads (log confirmations, the review with its reasons and next step,
the period and share pages) may show a kilometre, kilogram or centimetre.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from calfload.units import CM_PER_INCH, KG_PER_LB, KM_PER_MILE

from .conftest import Cli

FIRST = dt.date(2024, 5, 6)
DAY = dt.timedelta(days=1)
#: A figure with a metric unit as people read it ("12.0 km", "(kg)", "at 5 kg").
METRIC = re.compile(r"(\d|\()\s?(km|kg|cm)\b")
IMPERIAL = re.compile(r"(\d|\()\s?(mi|lb|in)\b")


def _metric_twin(value: float, factor: float) -> str:
    """The metric flag's text for an imperial value: the same float the imperial flag stores."""
    return repr(value * factor)


def _log_weeks(cli: Cli, *, imperial: bool) -> list[str]:
    """Four calm weeks of runs and loaded calf raises, a spike run, a baseline; returns the confirmations."""

    def dist(mi: float) -> list[str]:
        return ["--distance-mi", f"{mi:g}"] if imperial else ["--distance-km", _metric_twin(mi, KM_PER_MILE)]

    def load(lb: float) -> list[str]:
        return ["--added-load-lb", f"{lb:g}"] if imperial else ["--added-load-kg", _metric_twin(lb, KG_PER_LB)]

    def length(flag: str, inches: float) -> list[str]:
        return [f"--{flag}-in", f"{inches:g}"] if imperial else [f"--{flag}-cm", _metric_twin(inches, CM_PER_INCH)]

    said = [
        cli.ok(
            "log", "mass", *(["154", "--lb"] if imperial else [_metric_twin(154, KG_PER_LB)]), "--date", "2024-05-06"
        )
    ]
    for week in range(4):
        monday = FIRST + dt.timedelta(weeks=week)
        for offset in (0, 3):
            day = (monday + offset * DAY).isoformat()
            said.append(
                cli.ok("log", "workout", "--activity", "calf_raise", "--date", day, "--sets-reps", "3x15", *load(11))
            )
            cli.ok("log", "pain", "--date", day, "--during", "1", "--after", "1")
        said.append(cli.ok("log", "workout", "--activity", "run", "--date", (monday + 5 * DAY).isoformat(), *dist(5)))
        for offset in (1, 4):  # the mornings after the calf sessions
            cli.ok("log", "pain", "--date", (monday + offset * DAY).isoformat(), "--morning", "0")
    said.append(cli.ok("log", "workout", "--activity", "run", "--date", "2024-06-02", *dist(12)))
    said.append(cli.ok("log", "session", "1", *load(9)))
    said.append(cli.ok("correct", "2", *load(13)))
    said.append(
        cli.ok(
            "log",
            "baseline",
            "--side",
            "left",
            "--date",
            "2024-06-02",
            "--heel-rise-reps",
            "22",
            *length("calf-circumference", 14.5),
            *length("knee-to-wall", 4),
        )
    )
    return said


def _visible_text(page: str) -> str:
    """The text a reader sees: no tags, no style or the page's embedded JSON data."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def athletes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Cli, Cli, list[str], list[str]]:
    metric, imperial = Cli(tmp_path / "metric", capsys), Cli(tmp_path / "imperial", capsys)
    imperial.data_dir.mkdir()
    (imperial.data_dir / "config.toml").write_text('units = "imperial"\n', encoding="utf-8")
    return metric, imperial, _log_weeks(metric, imperial=False), _log_weeks(imperial, imperial=True)


def _assert_stored_as_the_same_si_values(metric: Cli, imperial: Cli) -> None:
    day = dt.date(2024, 6, 2)
    stored = imperial.review(day)
    assert stored == metric.review(day)
    runs = [s for s in stored["sessions"] if s["activity"] == "run"]
    assert runs[-1]["distance_m"] == pytest.approx(12 * 1609.344, abs=0.05)  # --json rounds to 0.1 m
    calf = [s["added_load_kg"] for s in stored["sessions"] if s["activity"] == "calf_raise"]
    assert calf[:3] == pytest.approx([9 * KG_PER_LB, 13 * KG_PER_LB, 11 * KG_PER_LB])
    assert stored["body_mass_kg"] == pytest.approx(154 * KG_PER_LB)
    assert stored["baseline"][0]["calf_circumference_cm"] == pytest.approx(14.5 * 2.54)
    # The journal's reasons stay metric text (--json keeps SI), with the spike's distances in them.
    assert any("km run" in r for r in stored["reasons"])


def test_imperial_in_the_same_si_stored_and_miles_lb_and_inches_everywhere_out(
    athletes: tuple[Cli, Cli, list[str], list[str]], tmp_path: Path
) -> None:
    """One test over both athletes' journals: building them is most of its cost (about 120 CLI calls)."""
    metric, imperial, metric_said, imperial_said = athletes
    _assert_stored_as_the_same_si_values(metric, imperial)
    outputs = {}
    for name, cli, said in (("metric", metric, metric_said), ("imperial", imperial, imperial_said)):
        report = tmp_path / f"{name}.html"
        cli.ok("report", "--date", "2024-06-02", "--since", "4w", "--out", report)
        outputs[name] = {
            "log": "\n".join(said),
            "review": cli.ok("review", "--date", "2024-06-02"),
            "report": _visible_text(report.read_text(encoding="utf-8")),
        }
    review = outputs["imperial"]["review"]
    assert "spike: the 12.0 mi run on 2024-06-02 (the review day) is 2.40 × the 30-day longest (5.0 mi)" in review
    assert "at 11.0 lb" in review
    assert "14.5" in review
    for where, text in outputs["imperial"].items():
        assert not METRIC.findall(text), (where, METRIC.findall(text))
        assert IMPERIAL.search(text), where
    for where, text in outputs["metric"].items():  # the same output in metric does show km, kg and cm
        assert METRIC.search(text), where
        assert not IMPERIAL.findall(text), (where, IMPERIAL.findall(text))


def test_a_metric_flag_and_its_imperial_twin_together_are_one_line(cli: Cli) -> None:
    code, _, err = cli("log", "workout", "--activity", "run", "--distance-km", "5", "--distance-mi", "3")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--distance-mi" in err
    assert "--distance-km" in err
    assert not cli.data_dir.exists()


@pytest.mark.parametrize(
    ("line", "code", "said"),
    [
        (("log", "workout", "--activity", "calf_raise", "--sets-reps", "3x12", "--added-load-lb", "500"), 5,
         "--added-load-lb must be from 0 to 440.9 lb, not 500"),
        (("log", "workout", "--activity", "run", "--distance-mi", "200"), 5,
         "--distance-mi must be above 0 and at most 186.4 mi, not 200"),
        (("log", "baseline", "--side", "left", "--knee-to-wall-in", "12"), 5,
         "--knee-to-wall-in must be from 0 to 11.8 in, not 12"),
        (("test", "heel-rise", "--left", "x.parquet", "--body-mass-lb", "700"), 5,
         "--body-mass-lb must be from 44.1 to 661.3 lb, not 700"),
        (("test", "heel-rise", "--left", "x.parquet", "--foot-length-in", "1.9"), 3,
         "--foot-length-in must be from 2 to 13.7 in, not 1.9"),
        (("athlete", "add", "kim", "--foot-length-in", "14"), 5, "--foot-length-in must be from 2 to 13.7 in, not 14"),
        (("log", "mass", "700", "--lb"), 5, "body mass must be from 44.1 to 661.3 lb, not 700"),
        (("log", "workout", "--activity", "calf_raise", "--sets-reps", "3x12", "--added-load-kg", "500"), 5,
         "--added-load-kg must be from 0 to 200 kg, not 500"),
        (("log", "workout", "--activity", "run", "--distance-km", "nan"), 5,
         "--distance-km must be above 0 and at most 300 km, not nan"),
    ],
)  # fmt: skip
def test_a_value_out_of_range_is_refused_in_the_unit_and_flag_typed(
    cli: Cli, line: tuple[str, ...], code: int, said: str
) -> None:
    """The range is said in the unit of the flag the user typed (rounded inwards), never in the other system."""
    got, _, err = cli(*line)
    assert got == code
    assert err.strip() == f"calfload: error: {said}"
    assert not cli.data_dir.exists()


def test_a_value_at_the_edge_of_its_range_in_lb_is_kept() -> None:
    """440.9 lb is inside 0-200 kg; the largest value the message allows is stored, not refused."""
    from calfload.cli._measure import MeasureRange

    limits = MeasureRange(0.0, 200.0)
    assert limits.check(440.9, what="--added-load-lb", unit="lb", factor=KG_PER_LB) == pytest.approx(440.9 * KG_PER_LB)
    assert limits.check(200 / KG_PER_LB, what="--added-load-lb", unit="lb", factor=KG_PER_LB) <= 200.0
