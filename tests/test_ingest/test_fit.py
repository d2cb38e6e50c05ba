"""FIT import: real device files from ../shared/validation (skipped when absent) and damaged copies."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfload.errors import DataError
from calfload.ingest import fit, fit_messages
from calfload.ingest.files import load_recording, load_recordings
from calfload.ingest.fit import read_fit
from calfload.ingest.fit_columns import records_from_messages
from calfload.schema import CADENCE_SPM, GROUND_CONTACT_MS, STEP_LENGTH_M
from calfload.signal import analyze

FIT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "validation" / "fit_running_files_fitdecode"
needs_fit = pytest.mark.skipif(not FIT_DIR.is_dir(), reason="../shared/validation FIT files not present")


def fit_file(name: str) -> Path:
    path = FIT_DIR / name
    if not path.is_file():
        pytest.skip(f"{name} not present")
    return path


@needs_fit
def test_fenix5_run_maps_cadence_in_steps_and_running_dynamics() -> None:
    streams = read_fit(fit_file("garmin-fenix-5-run.fit"))
    assert [s.meta.kind for s in streams] == ["footpod", "heart_rate"]
    pod = streams[0]
    fit = pod.meta.device_summary
    assert fit is not None
    assert pod.meta.activity == "run"
    assert fit.total_strides == 78
    # 83 strides/min + 86/128 -> 167.3 steps/min (ingest.md §7).
    assert fit.avg_cadence_spm == pytest.approx(167.34, abs=0.01)
    assert fit.avg_step_length_m == pytest.approx(0.9717)
    cadence = pod.data[CADENCE_SPM].to_numpy()
    running = cadence[cadence > 0]
    assert 150 < np.median(running) < 190  # steps, not strides
    assert np.nanmedian(pod.data[GROUND_CONTACT_MS]) == pytest.approx(270, abs=30)
    assert np.nanmedian(pod.data[STEP_LENGTH_M]) == pytest.approx(0.97, abs=0.1)
    assert pod.meta.start_utc.year == 2017


@needs_fit
def test_walk_file_is_a_walk() -> None:
    pod = load_recording(fit_file("garmin-fenix-5-walk.fit"))
    assert pod.meta.kind == "footpod"
    assert pod.meta.activity == "walk"
    assert pod.meta.device_summary is not None
    assert pod.meta.device_summary.avg_cadence_spm == pytest.approx(122.45, abs=0.01)


@needs_fit
def test_foot_pod_file_with_relative_timestamps_and_a_pause() -> None:
    pod = load_recordings(fit_file("compressed-speed-distance.fit"))[0]
    assert pod.meta.placement == "foot"  # SDM4 foot pod paired
    assert pod.meta.device_summary is not None
    assert pod.meta.device_summary.total_strides == 5062
    assert pod.meta.start_utc.year == 1970  # device-relative time: wall clock unknown
    assert len(pod.meta.gaps) == 1
    start, end = pod.meta.gaps[0]
    assert end - start == pytest.approx(110, abs=1)


@needs_fit
def test_stryd_power_is_kept() -> None:
    pod = read_fit(fit_file("developer-types-sample.fit"))[0]
    assert pod.meta.placement == "foot"
    assert np.nanmedian(pod.data["power_w"]) > 100


@needs_fit
@pytest.mark.parametrize("keep", [0, 13, 14, 200, 1000, 3000, 5000])
def test_truncated_file_is_one_line_data_error(tmp_path: Path, keep: int) -> None:
    raw = fit_file("garmin-fenix-5-run.fit").read_bytes()
    bad = tmp_path / "cut.fit"
    bad.write_bytes(raw[:keep])
    with pytest.raises(DataError) as err:
        read_fit(bad)
    assert "\n" not in str(err.value)
    assert str(bad) in str(err.value)


@needs_fit
def test_flipped_bytes_are_refused_without_traceback(tmp_path: Path) -> None:
    raw = bytearray(fit_file("garmin-fenix-5-run.fit").read_bytes())
    rng = np.random.default_rng(3)
    for k in range(20):
        damaged = bytearray(raw)
        for i in rng.integers(14, len(raw) - 2, size=3):
            damaged[i] ^= 0xFF
        bad = tmp_path / f"bad{k}.fit"
        bad.write_bytes(bytes(damaged))
        with pytest.raises(DataError):
            read_fit(bad)


def test_not_a_fit_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.fit"
    bad.write_text("this is not a FIT file, it is some text long enough to have a header")
    with pytest.raises(DataError, match="not a readable FIT"):
        load_recordings(bad)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_fit(tmp_path / "absent.fit")


# A damaged file can pass its checksum and still decode a field as a tuple, a string, a huge or a
# non-finite number; every such session value gives a result or a one-line DataError.
_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.tuples(st.integers(0, 255), st.integers(0, 255)),
    st.just(dt.datetime(2024, 5, 1, tzinfo=dt.UTC)),
)
_SESSION_FIELDS = (
    "sport",
    "start_time",
    "total_elapsed_time",
    "total_timer_time",
    "total_strides",
    "avg_running_cadence",
    "avg_fractional_cadence",
    "max_running_cadence",
    "max_fractional_cadence",
    "enhanced_avg_speed",
    "avg_stance_time",
    "avg_step_length",
    "total_distance",
)


def _crafted(sessions: Sequence[fit_messages.FitMessage]) -> fit_messages.FitMessages:
    records: list[fit_messages.FitMessage] = [
        {"time": 1_000_000_000.0 + i, "cadence": 85, "enhanced_speed": 3.0} for i in range(30)
    ]
    return fit_messages.FitMessages(
        records=records_from_messages(records), sessions=list(sessions), file_id={"manufacturer": "garmin"}
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(_SESSION_FIELDS, _ODD_VALUES)), max_size=3))
def test_odd_session_values_give_a_result_or_one_line_data_error(sessions: list[dict[str, Any]]) -> None:
    for s in sessions:
        s.setdefault("sport", "running")
    decoded = _crafted(sessions)
    with mock.patch.object(fit, "decode_fit", return_value=decoded):
        try:
            streams = read_fit("crafted.fit")
        except DataError as exc:
            error = str(exc)
        else:
            error = ""
    if error:
        assert "\n" not in error
        return
    summary = streams[0].meta.device_summary
    assert summary is not None
    values = [getattr(summary, f.name) for f in dataclasses.fields(summary)]
    assert all(math.isfinite(v) for v in values if isinstance(v, float))


def test_a_tuple_fractional_cadence_is_ignored() -> None:
    session = {"sport": "running", "avg_running_cadence": 85, "avg_fractional_cadence": (1, 2), "max_cadence": (3,)}
    with mock.patch.object(fit, "decode_fit", return_value=_crafted([session])):
        pod = read_fit("crafted.fit")[0]
    summary = pod.meta.device_summary
    assert summary is not None
    assert summary.avg_cadence_spm == 170.0
    assert summary.max_cadence_spm is None


# ------------------------------------------------------------------ the 24 public files (refs.json)

PUBLIC_DIR = FIT_DIR.parent / "fit_public_repos"


#: fitdecode reads about 10-20 kB/s on a busy machine: the suite takes the files up to this size
#: (19 of 24); ``python -m tools.validate`` runs them all.
_SUITE_MAX_BYTES = 150_000


def _public_refs() -> list[dict[str, Any]]:
    refs = PUBLIC_DIR / "refs.json"
    if not refs.is_file():
        return []
    files: list[dict[str, Any]] = json.loads(refs.read_text(encoding="utf-8"))["files"]
    return [f for f in files if f["bytes"] <= _SUITE_MAX_BYTES]


@pytest.mark.skipif(not PUBLIC_DIR.is_dir(), reason="../shared/validation/fit_public_repos not present")
@pytest.mark.parametrize("ref", _public_refs(), ids=lambda r: str(r["file"]))
def test_public_fit_files_activity_steps_and_cadence(ref: dict[str, Any]) -> None:
    """Every real file: the expected activity, the device's steps and average, or a one-line refusal."""
    path = PUBLIC_DIR / ref["file"]
    if ref["expect"] == "refuse":
        with pytest.raises(DataError) as info:
            analyze(load_recording(path))
        assert "\n" not in str(info.value)
        return
    result = analyze(load_recording(path)).to_dict()
    device = ref["device"]
    assert result["activity"] == ref["expected_activity"]
    if device.get("records_with_cadence", 0) == 0 and "steps" not in device:
        assert result["steps"] is None  # unknown, never 0
        assert any("no cadence" in w for w in result["warnings"])
        return
    assert result["steps"] > 0
    if "steps" in device:
        assert abs(result["steps"] - device["steps"]) <= 0.03 * device["steps"]
    if "cadence_mean_spm" in device:
        assert result["cadence_spm"]["device_average"] == pytest.approx(device["cadence_mean_spm"], abs=2.0)
        # The device's average is over timer time, stops included: never above the moving cadence.
        assert result["cadence_spm"]["moving"] >= device["cadence_mean_spm"] - 2.0


@pytest.mark.skipif(not PUBLIC_DIR.is_dir(), reason="../shared/validation/fit_public_repos not present")
def test_a_device_average_that_counts_stops_is_labelled() -> None:
    """An FR645M 4 h hike: the session says 63.9 steps/min, the records move at about 100."""
    result = analyze(load_recording(PUBLIC_DIR / "workoutizer" / "2020-08-28-11-57-10.fit")).to_dict()
    cadence = result["cadence_spm"]
    assert cadence["device_average"] == pytest.approx(63.88, abs=0.1)
    assert 95.0 <= cadence["moving"] <= 110.0
    assert any("counts stopped time" in w for w in result["warnings"])


@pytest.mark.skipif(not PUBLIC_DIR.is_dir(), reason="../shared/validation/fit_public_repos not present")
def test_a_long_walk_is_read_in_little_more_than_its_float32_size() -> None:
    """Issue 15's memory rule on the longest real walk (5.4 h, 19,518 records).

    Reading it kept 17 float64 columns and their float32 copies at once: a traced peak of 4.8 MB,
    3.8 times the stream's float32 size. Each column is now stored as it is made, and the absent
    ones share one read-only NaN column.
    """
    path = PUBLIC_DIR / "workoutizer" / "2020-09-12-11-15-46.fit"
    read_fit(path)  # lazy imports and fitdecode's profile caches are no part of the figure
    tracemalloc.start()
    try:
        pod, *_ = read_fit(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    float32_bytes = pod.n_samples * len(pod.columns) * 4
    assert pod.n_samples == 19_518
    assert peak < 3 * float32_bytes
    empty = pod.column(STEP_LENGTH_M)
    assert empty.dtype == np.float32
    assert np.isnan(empty).all()
    assert np.shares_memory(empty, pod.column(GROUND_CONTACT_MS))  # one NaN column for every absent one
    assert not empty.flags.writeable


def _with_sport(path: Path, sport: str) -> fit_messages.FitMessages:
    decoded = fit_messages.decode_fit(path, source=str(path))
    decoded.sessions = [{**s, "sport": sport} for s in decoded.sessions]
    decoded.sport = {}
    decoded.records = dataclasses.replace(
        decoded.records, activity_type=np.full(len(decoded.records), None, dtype=object)
    )
    return decoded


@needs_fit
@pytest.mark.parametrize(
    ("name", "expected"), [("activity-small-fenix2-run.fit", "run"), ("garmin-fenix-5-walk.fit", "walk")]
)
def test_a_generic_session_is_judged_from_its_records(name: str, expected: str) -> None:
    decoded = _with_sport(fit_file(name), "generic")
    with mock.patch.object(fit, "decode_fit", return_value=decoded):
        (pod, *_) = read_fit("generic.fit")
    assert pod.meta.activity == expected
    assert pod.meta.device_summary is not None
    assert pod.meta.device_summary.sport_from_records is True


def test_a_generic_session_with_pedal_cadence_is_refused() -> None:
    """A bicycle: 85 rpm at 8 m/s implies a 5.6 m stride, no human gait."""
    records: list[fit_messages.FitMessage] = [
        {"time": 1_000_000_000.0 + i, "cadence": 85, "enhanced_speed": 8.0} for i in range(60)
    ]
    decoded = fit_messages.FitMessages(
        records=records_from_messages(records), sessions=[{"sport": "generic"}], file_id={"manufacturer": "garmin"}
    )
    with mock.patch.object(fit, "decode_fit", return_value=decoded), pytest.raises(DataError, match="names no sport"):
        read_fit("bike.fit")


def test_no_cadence_gives_unknown_steps_not_zero() -> None:
    records: list[fit_messages.FitMessage] = [
        {"time": 1_000_000_000.0 + i, "enhanced_speed": 3.0, "distance": 3.0 * i} for i in range(120)
    ]
    decoded = fit_messages.FitMessages(
        records=records_from_messages(records), sessions=[{"sport": "running"}], file_id={"manufacturer": "garmin"}
    )
    with mock.patch.object(fit, "decode_fit", return_value=decoded):
        (pod,) = read_fit("no-cadence.fit")
    result = analyze(pod).to_dict()
    assert result["steps"] is None
    assert result["steps_source"] == "unknown"
    assert result["warnings"] == ["the file records no cadence: steps and cadence are unknown (not 0)"]


def _analysed(records: list[fit_messages.FitMessage]) -> dict[str, Any]:
    """``analyze --json``'s object for a running FIT file of these records (decoding mocked)."""
    decoded = fit_messages.FitMessages(
        records=records_from_messages(records), sessions=[{"sport": "running"}], file_id={"manufacturer": "garmin"}
    )
    with mock.patch.object(fit, "decode_fit", return_value=decoded):
        pod = read_fit("crafted.fit")[0]
    return analyze(pod).to_dict()


def test_no_cadence_field_and_no_speed_gives_unknown_steps_not_zero() -> None:
    # Garmin's SDK example Activity.fit: 14 running records with heart rate and no cadence or speed.
    result = _analysed([{"time": 1_000_000_000.0 + i, "heart_rate": 120} for i in range(30)])
    assert (result["steps"], result["steps_source"]) == (None, "unknown")
    assert result["warnings"] == ["the file records no cadence: steps and cadence are unknown (not 0)"]


def test_a_recorded_zero_cadence_standing_still_is_zero_steps() -> None:
    # The SDK's activity_multisport.fit run leg: cadence 0 and distance 0 in every record.
    result = _analysed([{"time": 1_000_000_000.0 + i, "cadence": 0, "distance": 0.0} for i in range(30)])
    assert (result["steps"], result["steps_source"]) == (0, "integrated cadence")
