"""Snapshot regressions: every figure of the sample analyses, FIT files and a fixed journal's review.

The snapshots in ``tests/snapshots/`` were written by the code before the typed-results refactor
(issue 11) and pin what ``calfload analyze --json`` and ``calfload review --json`` print. An
intended change regenerates them with ``CALFLOAD_UPDATE_SNAPSHOTS=1 python -m pytest
tests/test_snapshots.py``; the diff of the JSON files then shows exactly which figures moved. An
unintended change fails with a list of the values that differ, path by path.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from calfload.ingest import load_recording, load_recordings
from calfload.journal import Journal
from calfload.pipeline import review_journal
from calfload.recording import write_parquet
from calfload.signal import analyze

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("CALFLOAD_UPDATE_SNAPSHOTS") == "1"
SAMPLES = ("calf_tempo_3x12_104hz.parquet", "calf_endurance_52hz.csv")
FIT_FILES = (
    "activity-small-fenix2-run.fit",
    "compressed-speed-distance.fit",
    "garmin-fenix-5-run.fit",
    "garmin-fenix-5-walk.fit",
)
#: The fixed journal: (date, sample, pain during, pain after, morning pain the next day).
JOURNAL_DAYS = (
    (dt.date(2026, 3, 2), "calf_tempo_3x12_104hz.parquet", 2, 2, 1),
    (dt.date(2026, 3, 4), "calf_tempo_3x12_104hz.parquet", 2, 2, 1),
    (dt.date(2026, 3, 7), "calf_endurance_52hz.csv", 1, 2, 1),
    (dt.date(2026, 3, 9), "calf_tempo_3x12_104hz.parquet", 2, 3, 1),
    (dt.date(2026, 3, 11), "calf_tempo_3x12_104hz.parquet", 3, 4, 3),
)
REVIEW_DAY = dt.date(2026, 3, 12)


def differences(expected: object, actual: object, path: str = "$") -> Iterator[str]:
    """Yield one readable line per value that differs between two JSON documents."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                yield f"{path}.{key}: missing (was {expected[key]!r})"
            elif key not in expected:
                yield f"{path}.{key}: new key = {actual[key]!r}"
            else:
                yield from differences(expected[key], actual[key], f"{path}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            yield f"{path}: {len(expected)} items before, {len(actual)} now"
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            yield from differences(e, a, f"{path}[{i}]")
    elif expected != actual:
        yield f"{path}: {expected!r} -> {actual!r}"


def check_snapshot(name: str, actual: object, *, extra_keys_allowed: bool = True) -> None:
    """Compare ``actual`` (a JSON document) with ``snapshots/name.json``, or write it when updating."""
    path = SNAPSHOTS / f"{name}.json"
    actual = json.loads(json.dumps(actual))
    if UPDATE or not path.is_file():
        if not UPDATE:
            pytest.fail(f"no snapshot {path.name}; run with CALFLOAD_UPDATE_SNAPSHOTS=1 to write it")
        path.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    expected = json.loads(path.read_text(encoding="utf-8"))
    diffs = [d for d in differences(expected, actual) if not (extra_keys_allowed and ": new key = " in d)]
    assert not diffs, f"{name}: {len(diffs)} figure(s) changed:\n" + "\n".join(diffs[:40])


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_analysis_is_unchanged(sample_dir: Path, name: str) -> None:
    check_snapshot(f"analyze_{Path(name).stem}", analyze(load_recording(sample_dir / name)).to_dict())


@pytest.mark.parametrize("name", FIT_FILES)
def test_real_fit_analysis_is_unchanged(validation_dir: Path, name: str) -> None:
    path = validation_dir / "fit_running_files_fitdecode" / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    streams = load_recordings(path)
    main = next((r for r in streams if r.meta.kind in ("imu", "footpod")), streams[0])
    check_snapshot(f"analyze_fit_{path.stem}", analyze(main).to_dict())


def _journal_review(data_dir: Path, sample_dir: Path) -> object:
    from calfload.pipeline import import_files

    copies = data_dir / "copies"
    copies.mkdir(parents=True)
    files = []
    for day, name, *_ in JOURNAL_DAYS:
        base = load_recording(sample_dir / name)
        start = dt.datetime.combine(day, dt.time(7, 30), tzinfo=dt.UTC)
        rec = base.with_meta(start_utc=start, side="left")
        files.append(write_parquet(rec, copies / f"{day.isoformat()}_{Path(name).stem}.parquet"))
    with Journal(data_dir, today=REVIEW_DAY) as journal:
        journal.log_mass(70.0, JOURNAL_DAYS[0][0])
        import_files(journal, files)
        for day, _, during, after, morning in JOURNAL_DAYS:
            journal.log_pain(day, during=during, after=after)
            journal.log_pain(day + dt.timedelta(days=1), morning=morning)
        return review_journal(journal, REVIEW_DAY).to_dict()


def test_journal_review_is_unchanged(tmp_path: Path, sample_dir: Path) -> None:
    check_snapshot("review_sample_journal", _journal_review(tmp_path / "journal", sample_dir))


def test_a_changed_figure_is_reported_by_path() -> None:
    before = {"sets": [{"rep_count": 12, "tempo_pass_rate": 0.83}], "tempo": {"pass_rate": 0.83}}
    after = {"sets": [{"rep_count": 11, "tempo_pass_rate": 0.83}], "tempo": {"pass_rate": 0.8}, "new": 1}
    assert list(differences(before, after)) == [
        "$.new: new key = 1",
        "$.sets[0].rep_count: 12 -> 11",
        "$.tempo.pass_rate: 0.83 -> 0.8",
    ]
