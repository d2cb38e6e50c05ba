"""Fixtures for scenarios through the command line: simulated calf sessions on chosen dates."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from calfload.cli import main
from calfload.recording import Recording, write_parquet
from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, SensorModel, simulate_calf_session

#: Lowering times of the simulated sessions: passing (>= 2.5 s) and too fast.
TEMPO_ECCENTRIC_S = {"good": 3.3, "fast": 1.3}


@pytest.fixture(autouse=True)
def utc_calendar(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with the computer's time zone at UTC, so calendar days are those of the start times."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="session")
def base_sessions() -> dict[str, Recording]:
    """One simulated 2 x 12 single-leg session per tempo (52 Hz foot IMU, left side)."""
    out = {}
    for name, ecc in TEMPO_ECCENTRIC_S.items():
        reps = tuple(RaiseSpec(eccentric_s=ecc) for _ in range(12))
        spec = CalfSessionSpec(
            blocks=(Rest(3.0), RaiseSet(reps), Rest(25.0), RaiseSet(reps), Rest(3.0)),
            sensor=SensorModel(sample_rate_hz=52.0),
            side="left",
            exercise="single_leg_standing",
            seed=11,
        )
        out[name] = simulate_calf_session(spec).recording
    return out


@pytest.fixture
def calf_file(tmp_path: Path, base_sessions: dict[str, Recording]) -> Callable[..., Path]:
    """``calf_file(day, tempo="good", hour=7)``: a Parquet recording of a calf session started that day."""

    def make(day: dt.date, tempo: str = "good", hour: int = 7) -> Path:
        base = base_sessions[tempo]
        start = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=dt.UTC)
        rec = base.with_meta(start_utc=start)
        folder = tmp_path / "recordings_to_import"
        folder.mkdir(exist_ok=True)
        return write_parquet(rec, folder / f"calf_{day.isoformat()}_{hour:02d}_{tempo}.parquet", overwrite=True)

    return make


class Cli:
    """Run ``calfload --data-dir DIR ...`` in process and capture its output."""

    def __init__(self, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.data_dir = data_dir
        self._capsys = capsys

    def __call__(self, *args: str | os.PathLike[str]) -> tuple[int, str, str]:
        self._capsys.readouterr()
        code = main(["--data-dir", str(self.data_dir), *map(str, args)])
        out = self._capsys.readouterr()
        return code, out.out, out.err

    def ok(self, *args: str | os.PathLike[str]) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def review(self, day: dt.date) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.ok("review", "--date", day.isoformat(), "--json"))
        return doc


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path / "journal", capsys)


MONDAY = dt.date(2024, 5, 6)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)


def _d(weeks: int, weekday: int) -> dt.date:
    """The ``weekday`` (0 = Monday) of week ``weeks`` (0 = the first)."""
    return MONDAY + weeks * WEEK + weekday * DAY


class Athlete:
    """Builds one athlete's journal through the CLI."""

    def __init__(self, cli: Cli, calf_file: Callable[..., Path]) -> None:
        self.cli = cli
        self.calf_file = calf_file
        cli.ok("log", "mass", "70", "--date", MONDAY.isoformat())

    def calf(self, days: Iterable[dt.date], *, tempo: str = "good", during: int = 1, after: int = 1) -> None:
        days = list(days)
        self.cli.ok("import", *[self.calf_file(d, tempo) for d in days])
        for d in days:
            self.pain(d, during=during, after=after)

    def workout(self, day: dt.date, *args: str) -> str:
        return self.cli.ok("log", "workout", "--date", day.isoformat(), *args)

    def run(self, day: dt.date, km: float) -> None:
        self.workout(day, "--activity", "run", "--distance-km", f"{km:g}")

    def pain(self, day: dt.date, **values: int | bool) -> None:
        args = ["log", "pain", "--date", day.isoformat()]
        for name, value in values.items():
            flag = "--" + name.replace("_", "-")
            args += [flag] if value is True else [flag, str(value)]
        self.cli.ok(*args)

    def mornings(self, first: dt.date, last: dt.date, value: int | Callable[[dt.date], int] = 0) -> None:
        d = first
        while d <= last:
            self.pain(d, morning=value(d) if callable(value) else value)
            d += DAY

    def review(self, day: dt.date) -> dict[str, Any]:
        return self.cli.review(day)


@pytest.fixture
def athlete(cli: Cli, calf_file: Callable[..., Path]) -> Athlete:
    """An athlete of 70 kg from the first Monday, whose journal the test builds through the CLI."""
    return Athlete(cli, calf_file)


def _calm_weeks(a: Athlete, weeks: int, weekdays: tuple[int, ...]) -> list[dt.date]:
    days = [_d(w, wd) for w in range(weeks) for wd in weekdays]
    a.calf(days)
    a.mornings(MONDAY, days[-1])
    return days
