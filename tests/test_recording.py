"""The recording contract: Parquet and CSV round trips, schema versions, validation at the boundary."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from calfload.errors import DataError, SchemaError, SignalQualityWarning, UnitConversionWarning
from calfload.recording import (
    MIN_DURATION_S,
    make_recording,
    read_csv,
    read_metadata,
    read_parquet,
    write_csv,
    write_parquet,
)
from calfload.schema import ACC_MPS2, GYR_DPS, IMU, METADATA_KEY, SCHEMA_VERSION, T_S, RecordingMeta, SensorInfo
from calfload.units import DEG_PER_RAD, STANDARD_GRAVITY_MPS2

META = RecordingMeta(
    sample_rate_hz=100.0,
    start_utc=dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC),
    sensor=SensorInfo(model="test", address="AA:BB"),
    placement="foot",
    side="left",
    activity="calf_raise",
    exercise="single_leg_standing",
    added_load_kg=5.0,
    gaps=((3.0, 3.5),),
)


def rocking_imu(duration_s: float = 10.0, fs: float = 100.0) -> pd.DataFrame:
    """A sensor rocking ±20° about its y axis at 0.5 Hz: exact gyro and accelerometer."""
    t = np.arange(int(duration_s * fs)) / fs
    amp, freq = np.radians(20.0), 0.5
    angle = amp * np.sin(2 * np.pi * freq * t)
    rate_dps = np.degrees(amp * 2 * np.pi * freq * np.cos(2 * np.pi * freq * t))
    g = STANDARD_GRAVITY_MPS2
    frame = pd.DataFrame({T_S: t})
    frame[ACC_MPS2[0]] = (-g * np.sin(angle)).astype(np.float32)
    frame[ACC_MPS2[1]] = np.zeros_like(t, dtype=np.float32)
    frame[ACC_MPS2[2]] = (g * np.cos(angle)).astype(np.float32)
    frame[GYR_DPS[0]] = np.zeros_like(t, dtype=np.float32)
    frame[GYR_DPS[1]] = rate_dps.astype(np.float32)
    frame[GYR_DPS[2]] = np.zeros_like(t, dtype=np.float32)
    return frame


def test_parquet_round_trip_keeps_samples_metadata_and_units(tmp_path: Path) -> None:
    rec = make_recording(rocking_imu(), META)
    path = write_parquet(rec, tmp_path / "r.parquet")
    back = read_parquet(path)
    pd.testing.assert_frame_equal(back.data, rec.data)
    assert back.meta == rec.meta
    stored = json.loads(pq.read_schema(path).metadata[METADATA_KEY])
    assert stored["schema_version"] == SCHEMA_VERSION
    assert stored["units"]["acc_x_mps2"] == "m/s²"
    assert stored["units"]["gyr_z_dps"] == "deg/s"
    assert pq.read_schema(path).field("t_s").type == pa.float64()
    assert pq.read_schema(path).field("acc_x_mps2").type == pa.float32()
    assert read_metadata(path).side == "left"


def test_csv_round_trip_with_metadata_line(tmp_path: Path) -> None:
    rec = make_recording(rocking_imu(), META)
    back = read_csv(write_csv(rec, tmp_path / "r.csv"))
    assert back.meta.exercise == "single_leg_standing"
    assert back.meta.gaps == ((3.0, 3.5),)
    np.testing.assert_allclose(back.data[GYR_DPS[1]], rec.data[GYR_DPS[1]], rtol=1e-5, atol=1e-4)
    # the metadata line alone, as import's pairing reads it; a CSV without the line has none
    assert read_metadata(tmp_path / "r.csv") == back.meta
    plain = tmp_path / "plain.csv"
    rocking_imu().to_csv(plain, index=False)
    with pytest.raises(SchemaError, match="no calfload metadata"):
        read_metadata(plain)


def test_plain_csv_without_metadata_guesses_kind_and_rate(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    rocking_imu(fs=52.0).to_csv(path, index=False)
    rec = read_csv(path)
    assert rec.meta.kind == "imu"
    assert rec.meta.sample_rate_hz == pytest.approx(52.0)


def test_unknown_major_schema_version_is_refused(tmp_path: Path) -> None:
    rec = make_recording(rocking_imu(), META)
    path = write_parquet(rec, tmp_path / "r.parquet")
    table = pq.read_table(path)
    doc = json.loads((table.schema.metadata or {})[METADATA_KEY])
    doc["schema_version"] = "2.0"
    pq.write_table(table.replace_schema_metadata({METADATA_KEY: json.dumps(doc).encode()}), path)
    with pytest.raises(SchemaError, match=r"schema version 2\.0 .*upgrade calfload"):
        read_parquet(path)


def test_newer_minor_version_is_read(tmp_path: Path) -> None:
    rec = make_recording(rocking_imu(), META.replace(schema_version="1.7"))
    assert read_parquet(write_parquet(rec, tmp_path / "r.parquet")).meta.schema_version == "1.7"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda f: f.drop(columns=[GYR_DPS[2]]), r"missing column gyr_z_dps"),
        (lambda f: f.assign(t_s=f[T_S].to_numpy()[::-1].copy()), r"not strictly increasing"),
        (lambda f: f.assign(t_s=np.where(f.index == 7, np.nan, f[T_S])), r"t_s is missing or not finite at row 7"),
        (
            lambda f: f.assign(acc_y_mps2=np.where((f.index > 100) & (f.index < 160), np.nan, f[ACC_MPS2[1]])),
            r"acc_y_mps2 is missing for 59 samples from 1\.01 s to 1\.59 s",
        ),
        (lambda f: f.iloc[:0], r"no samples"),
        (lambda f: f.iloc[:200], r"lasts only 2\.0 s; calfload needs at least"),
        (lambda f: f.assign(gyr_x_dps="fast"), r"non-numeric values such as 'fast'"),
        (lambda f: f.assign(acc_x_mps2=f[ACC_MPS2[0]] * 100), r"neither about 9\.81 \(m/s²\) nor about 1 \(g\)"),
    ],
)
def test_bad_tables_give_one_line_errors_naming_the_file(mutate, message) -> None:
    with pytest.raises(DataError, match=message) as info:
        make_recording(mutate(rocking_imu()), META, source="session.csv")
    text = str(info.value)
    assert text.startswith("session.csv: ")
    assert "\n" not in text


def test_isolated_missing_values_are_interpolated_with_a_warning() -> None:
    frame = rocking_imu()
    frame.loc[50, ACC_MPS2[2]] = np.nan
    with pytest.warns(SignalQualityWarning, match="interpolated 1 isolated"):
        rec = make_recording(frame, META)
    assert np.isfinite(rec.data[ACC_MPS2[2]]).all()
    assert rec.data.loc[50, ACC_MPS2[2]] == pytest.approx(frame.loc[49:51, ACC_MPS2[2]].mean(), abs=0.05)


def test_acceleration_in_g_is_converted_with_a_warning() -> None:
    frame = rocking_imu()
    for name in ACC_MPS2:
        frame[name] = frame[name] / STANDARD_GRAVITY_MPS2
    with pytest.warns(UnitConversionWarning, match="looks like g"):
        rec = make_recording(frame, META)
    norm = np.linalg.norm(rec.acc_mps2(), axis=1)
    np.testing.assert_allclose(norm, STANDARD_GRAVITY_MPS2, rtol=1e-5)


def test_gyro_in_rad_per_s_is_converted_with_a_warning() -> None:
    frame = rocking_imu()
    expected = frame[GYR_DPS[1]].to_numpy().copy()
    frame[GYR_DPS[1]] = frame[GYR_DPS[1]] / DEG_PER_RAD
    with pytest.warns(UnitConversionWarning, match="looks like rad/s"):
        rec = make_recording(frame, META)
    np.testing.assert_allclose(rec.data[GYR_DPS[1]], expected, rtol=1e-5, atol=1e-3)


def test_gyro_in_deg_per_s_is_left_alone() -> None:
    rec = make_recording(rocking_imu(), META)  # filterwarnings=error: any warning fails
    assert rec.data[GYR_DPS[1]].abs().max() == pytest.approx(20 * np.pi * 0.5 * 2, rel=0.01)


def test_short_recording_limit_is_the_documented_one() -> None:
    make_recording(rocking_imu(duration_s=MIN_DURATION_S + 0.1), META)


def test_corrupt_and_foreign_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DataError, match="not a readable Parquet file"):
        read_parquet(bad)
    foreign = tmp_path / "foreign.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), foreign)
    with pytest.raises(SchemaError, match="no calfload metadata"):
        read_parquet(foreign)
    with pytest.raises(DataError, match="no such file"):
        read_parquet(tmp_path / "missing.parquet")


def test_metadata_validation() -> None:
    with pytest.raises(SchemaError, match="placement is 'ankle'"):
        META.replace(placement="ankle")
    with pytest.raises(SchemaError, match="no timezone"):
        META.replace(start_utc=dt.datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
    with pytest.raises(SchemaError, match="added_load_kg is -3"):
        META.replace(added_load_kg=-3.0)
    with pytest.raises(SchemaError, match="has no 'start_utc'"):
        RecordingMeta.from_json(json.dumps({"schema_version": "1.0", "kind": "imu", "sample_rate_hz": 50}))


def test_table_declaration_is_the_single_source() -> None:
    assert IMU.names == (T_S, *ACC_MPS2, *GYR_DPS)
    units = [(f.metadata or {})[b"unit"].decode() for f in IMU.arrow_schema()]
    assert units == ["s", *["m/s²"] * 3, *["deg/s"] * 3]


def test_metadata_without_start_or_rate_is_read_with_guesses(tmp_path: Path) -> None:
    """The analysis needs neither; the rate comes from the samples, the start is marked unknown."""
    rec = make_recording(rocking_imu(fs=52.0), META)
    path = write_parquet(rec, tmp_path / "r.parquet")
    table = pq.read_table(path)
    doc = json.loads((table.schema.metadata or {})[METADATA_KEY])
    del doc["start_utc"], doc["sample_rate_hz"]
    pq.write_table(table.replace_schema_metadata({METADATA_KEY: json.dumps(doc).encode()}), path)
    back = read_parquet(path)
    assert back.meta.sample_rate_hz == pytest.approx(52.0)
    assert back.meta.start_utc.year == 1970
    assert back.meta.origin == "start time not in the file"
    assert back.meta.side == "left"
    # The version is still required.
    del doc["schema_version"]
    pq.write_table(table.replace_schema_metadata({METADATA_KEY: json.dumps(doc).encode()}), path)
    with pytest.raises(SchemaError, match=r"not MAJOR\.MINOR"):
        read_parquet(path)


def test_metadata_defaults_are_worked_out_only_for_a_missing_key() -> None:
    """Guessing reads every sample time: a reader passes a function, called only when a key is missing."""
    calls: list[int] = []

    def guess() -> RecordingMeta:
        calls.append(1)
        return META.replace(sample_rate_hz=25.0)

    assert RecordingMeta.from_json(META.to_json(), defaults=guess) == RecordingMeta.from_json(META.to_json())
    assert calls == []
    doc = json.loads(META.to_json())
    del doc["sample_rate_hz"]
    assert RecordingMeta.from_json(json.dumps(doc), defaults=guess).sample_rate_hz == 25.0
    assert calls == [1]


def test_malformed_metadata_values_are_one_line_errors() -> None:
    base = {"schema_version": "1.0", "kind": "imu", "sample_rate_hz": 50, "start_utc": "2026-01-01T00:00:00+00:00"}
    with pytest.raises(SchemaError, match="sensor is 'Movesense'; it must be an object"):
        RecordingMeta.from_json(json.dumps({**base, "sensor": "Movesense"}))
    with pytest.raises(SchemaError, match="sample_rate_hz is inf"):
        RecordingMeta.from_json(json.dumps({**base, "sample_rate_hz": float("inf")}))


def test_footpod_running_column_accepts_words_and_refuses_others(tmp_path: Path) -> None:
    t = np.arange(0.0, 10.0, 1.0)
    frame = pd.DataFrame({"t_s": t, "speed_mps": 3.0, "cadence_spm": 170.0, "running": ["yes", "no"] * 5})
    path = tmp_path / "pod.csv"
    frame.to_csv(path, index=False)
    rec = read_csv(path)
    assert rec.meta.kind == "footpod"
    assert rec.data["running"].tolist() == [True, False] * 5
    frame.assign(running=["maybe"] * 10).to_csv(path, index=False)
    with pytest.raises(SchemaError, match="column running holds 'maybe'"):
        read_csv(path)


def test_columns_as_lists_arrays_or_a_frame_make_the_same_recording() -> None:
    frame = rocking_imu()
    from_frame = make_recording(frame, META)
    from_arrays = make_recording({c: frame[c].to_numpy() for c in frame.columns}, META)
    from_lists = make_recording({c: frame[c].tolist() for c in frame.columns}, META)  # anything NumPy reads
    for rec in (from_arrays, from_lists):
        for c in frame.columns:
            np.testing.assert_array_equal(rec.columns[c], from_frame.columns[c])
            assert rec.columns[c].dtype == from_frame.columns[c].dtype
