"""Import pairs the feet from the files' metadata, then reads and analyses one session at a time.

Truth: :func:`calfload.sim.simulate_run` with a sensor on each foot (30 s at 100 Hz), written as
calfload Parquet files, plus copies at other start times. Pairing needs only side, start and time
span; the samples of a session are read when its turn comes, so an import of many long
recordings holds one session's samples at a time, and a failed import leaves no staged stream
files behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from calfload.errors import CalfloadError
from calfload.journal import Journal
from calfload.pipeline import import_files
from calfload.pipeline._pairing import foot_facts, pair_feet
from calfload.recording import Recording, write_parquet
from calfload.signal import SessionAnalysis, analyze
from calfload.sim import simulate_run
from calfload.sim._running import RunSpec

TODAY = dt.date(2026, 11, 20)
START = dt.datetime(2026, 11, 19, 7, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Left and right of one run, the left foot of a later run, and a right foot written at a third time."""
    spec = RunSpec(duration_s=30.0, feet=("left", "right"), seed=5)
    left, right = sorted(simulate_run(spec).recordings, key=lambda r: r.meta.side)
    folder = tmp_path_factory.mktemp("feet")

    def at(rec: Recording, start: dt.datetime, name: str) -> Path:
        return write_parquet(replace(rec, meta=replace(rec.meta, start_utc=start)), folder / f"{name}.parquet")

    return {
        "left": at(left, START, "left"),
        "right": at(right, START + dt.timedelta(seconds=4), "right"),  # overlaps by 26 of 30 s
        "later left": at(left, START + dt.timedelta(hours=2), "later-left"),
        "far right": at(right, START + dt.timedelta(hours=5), "far-right"),
    }


def test_feet_are_paired_from_metadata_alone(files: dict[str, Path]) -> None:
    facts = {name: foot_facts(path, lambda m: m) for name, path in files.items()}
    left = facts["left"]
    assert left is not None
    assert (left.side, left.start_s, left.address) == ("left", START.timestamp(), None)
    assert left.end_s == pytest.approx(START.timestamp() + 29.99, abs=0.02)
    names = list(files)
    # the two feet of the first run pair across the file between them; the others stay alone
    order = ["left", "later left", "right", "far right"]
    groups = pair_feet([facts[n] for n in order])
    assert [tuple(order[i] for i in g) for g in groups] == [("left", "right"), ("later left",), ("far right",)]
    # an override of the side makes every file the same side: nothing pairs
    same = [foot_facts(files[n], lambda m: m.replace(side="left")) for n in names]
    assert pair_feet(same) == [(i,) for i in range(len(names))]
    # a file without calfload metadata or side is never a foot of a pair
    assert foot_facts(files["left"], lambda m: m.replace(side="unknown")) is None
    assert foot_facts(files["left"].parent, lambda m: m) is not None  # a folder of Parquet streams: its first


def test_calfload_csv_feet_pair_as_parquet_feet_do(tmp_path: Path, files: dict[str, Path]) -> None:
    from calfload.recording import read_parquet, write_csv

    csv = {n: write_csv(read_parquet(files[n]), tmp_path / f"{n}.csv") for n in ("left", "right")}
    for name, path in csv.items():
        facts, parquet = foot_facts(path, lambda m: m), foot_facts(files[name], lambda m: m)
        assert facts is not None
        assert parquet is not None
        assert (facts.side, facts.start_s) == (parquet.side, parquet.start_s)
        assert facts.end_s == pytest.approx(parquet.end_s, abs=1e-6)
    assert pair_feet([foot_facts(p, lambda m: m) for p in csv.values()]) == [(0, 1)]
    other = tmp_path / "phone.csv"
    other.write_text("time,ax\n0,1\n")
    assert foot_facts(other, lambda m: m) is None  # not calfload's: no side of its own


def test_one_session_is_read_at_a_time(tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each session's files are read just before its analysis, not all files first."""
    import calfload.ingest

    events: list[str] = []
    original = calfload.ingest.load_recordings

    def reading(path: Path, **kw: object) -> list[Recording]:
        events.append(f"read {Path(path).stem}")
        return original(path, **kw)  # type: ignore[arg-type]

    def analysing(
        recording: Recording | list[Recording], activity: str | None, placement: str | None
    ) -> SessionAnalysis:
        events.append("analyse")
        return analyze(recording, activity=activity, placement=placement)

    monkeypatch.setattr(calfload.ingest, "load_recordings", reading)
    paths = [files[n] for n in ("left", "later left", "right", "far right")]
    with Journal(tmp_path / "journal", today=TODAY) as journal:
        results = import_files(journal, paths, analyzer=analysing)
        assert [s.side for s in journal.sessions()] == ["both", "left", "right"]
    assert results[0].session_id == results[2].session_id
    assert events == [
        "read left", "read right", "analyse", "read later-left", "analyse", "read far-right", "analyse"
    ]  # fmt: skip


def test_a_failed_import_leaves_no_staged_streams(tmp_path: Path, files: dict[str, Path]) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet")
    data = tmp_path / "journal"
    with Journal(data, today=TODAY) as journal:
        with pytest.raises(CalfloadError):
            import_files(journal, [files["left"], files["right"], bad])
        assert journal.sessions() == []
    assert [p.name for p in (data / "recordings").iterdir()] == []


def test_calf_raise_recordings_of_both_legs_are_sessions_of_their_own(files: dict[str, Path], sample_dir: Path) -> None:
    # the two sample calf sessions are a left and a right foot at overlapping times: two sets, not one walk
    samples = [sample_dir / "calf_tempo_3x12_104hz.parquet", sample_dir / "calf_endurance_52hz.csv"]
    assert {foot_facts(p, lambda m: m.replace(activity="walk")).side for p in samples} == {"left", "right"}  # type: ignore[union-attr]
    assert pair_feet([foot_facts(p, lambda m: m.replace(activity="walk")) for p in samples]) == [(0, 1)]
    assert pair_feet([foot_facts(p, lambda m: m) for p in samples]) == [(0,), (1,)]
    # the same holds for a walk's two feet declared hops: one leg's hops are that leg's session
    hops = [foot_facts(files[n], lambda m: m.replace(activity="hops")) for n in ("left", "right")]
    assert hops == [None, None]
