"""The metadata's typed facts: the stored JSON of schema 1.3, files written the old way, unknown keys.

A file written before schema 1.3 kept the FIT facts in one ``fit`` object and everything else the
recorder or a reader knew in free keys; these tests build such files with pyarrow in that layout
(as the previous release wrote them) and check that they read into the same typed records, that
the analysis sees the same figures, and that a key this calfload does not know survives a round
trip without any code reading it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.ingest import load_recordings
from calfload.recording import make_recording, read_parquet, write_parquet
from calfload.schema import (
    FOOTPOD,
    METADATA_KEY,
    SCHEMA_VERSION,
    FitDeviceSummary,
    FitLap,
    HostTiming,
    RecorderFacts,
    RecordingMeta,
    SensorInfo,
    SimulationFacts,
)
from calfload.signal import GaitAnalysis, analyze

START = dt.datetime(2026, 11, 3, 7, 0, tzinfo=dt.UTC)

#: Every fact set, so that a round trip has something to lose.
FULL = RecordingMeta(
    kind="footpod",
    sample_rate_hz=1.0,
    start_utc=START,
    sensor=SensorInfo(model="stryd Stryd", address="123", firmware="2.1"),
    placement="foot",
    side="right",
    activity="run",
    origin="csv without calfload metadata",
    recorder=RecorderFacts(
        notifications=1200,
        bad_notifications=3,
        duplicates_dropped=1,
        reconnects=2,
        monotonic_t0_ns=123_456_789_012,
        host_timing=HostTiming(
            measured_hz=51.2, timed_hz=50.0, stretches=3, snapped_to_supported_rate=2, snap_tolerance=0.25
        ),
        device_requested="sim:witmotion",
        raw_log="raw.cfl",
        time_scale=10.0,
        torn_tail_bytes=7,
        damaged_bytes_skipped=0,
        faults=("garbage:0.05", "drop:3s@5s"),
    ),
    simulated=SimulationFacts(generator="calfload.sim.simulate_run", seed=4, mount=((1.0, 0.0, 0.0),) * 3),
    device_summary=FitDeviceSummary(
        sport="running",
        cadence_source="foot_pod",
        devices=("garmin fr955", "stryd"),
        sport_from_records=True,
        records=600,
        records_with_cadence=598,
        total_strides=900,
        avg_cadence_spm=170.0,
        total_distance_m=1800.0,
        avg_contact_balance_left_pct=49.8,
        laps_left_out=2,
    ),
    laps=(
        FitLap(start_s=0.0, timer_s=300.0, distance_m=900.0, cadence_spm=168.0, trigger="distance"),
        FitLap(start_s=300.0, timer_s=300.0, intensity="active"),
    ),
    column_sources=(("power_w", "Stryd developer field"), ("vertical_oscillation_mm", "record")),
)


def _old_layout(doc: dict[str, object]) -> dict[str, object]:
    """A 1.3 metadata object in the layout of schema 1.2: the FIT facts in one ``fit`` object."""
    old = {k: v for k, v in doc.items() if k not in ("device_summary", "laps", "column_sources")}
    summary = doc.get("device_summary")
    if isinstance(summary, dict):
        fit = dict(summary)
        if not fit.get("sport_from_records"):
            fit.pop("sport_from_records", None)  # the previous release wrote it only when true
        if fit.get("laps_left_out") == 0:
            fit.pop("laps_left_out")
        fit["laps"] = doc.get("laps", [])
        fit["dynamics_sources"] = doc.get("column_sources", {})
        old["fit"] = fit
    old["schema_version"] = "1.2"
    return old


def _footpod_table(n: int = 600) -> pa.Table:
    """Ten minutes of a steady run at 1 Hz, as a FIT file's footpod stream holds it."""
    t = np.arange(n, dtype=np.float64)
    columns = {
        "t_s": t,
        "speed_mps": np.full(n, 3.0),
        "cadence_spm": np.full(n, 170.0),
        "stride_length_m": np.full(n, 2.12),
        "distance_m": 3.0 * t,
        "running": np.ones(n, dtype=bool),
    }
    return pa.table({name: pa.array(values, type=FOOTPOD.column(name).arrow_type) for name, values in columns.items()})


def _write_old(path: Path, doc: dict[str, object]) -> Path:
    table = _footpod_table()
    pq.write_table(table.replace_schema_metadata({METADATA_KEY: json.dumps(doc).encode()}), path)
    return path


def test_every_fact_round_trips_through_the_stored_json() -> None:
    back = RecordingMeta.from_json(FULL.to_json())
    assert back == FULL
    doc = json.loads(FULL.to_json())
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["recorder"]["host_timing"]["timed_hz"] == 50.0
    assert doc["device_summary"]["total_strides"] == 900
    assert "max_cadence_spm" not in doc["device_summary"]  # what the device did not say is left out
    assert doc["column_sources"] == {"power_w": "Stryd developer field", "vertical_oscillation_mm": "record"}
    assert "fit" not in doc
    assert back.unrecognised == ()


def test_a_file_in_the_previous_layout_reads_into_the_same_facts(tmp_path: Path) -> None:
    old = _old_layout(json.loads(FULL.to_json()))
    assert "fit" in old
    assert "device_summary" not in old
    back = read_parquet(_write_old(tmp_path / "old.parquet", old))
    assert back.meta == dataclasses.replace(FULL, schema_version="1.2")
    # Written again, it is a 1.3 file with the facts under their own keys.
    again = json.loads(back.meta.to_json())
    assert again["schema_version"] == SCHEMA_VERSION
    assert "fit" not in again
    assert again["device_summary"]["laps_left_out"] == 2


def test_an_old_fit_file_gives_the_same_analysis(tmp_path: Path) -> None:
    """The gait analysis reads the device's stride total, average cadence and laps from either layout."""
    table = _footpod_table()
    meta = dataclasses.replace(FULL, origin=None, recorder=None, simulated=None)
    new = write_parquet(make_recording(table.to_pandas(), meta), tmp_path / "new.parquet")
    old = _write_old(tmp_path / "old.parquet", _old_layout(json.loads(meta.to_json())))
    results = [analyze(read_parquet(p)) for p in (new, old)]
    assert all(isinstance(r, GaitAnalysis) for r in results)
    a, b = results
    assert isinstance(a, GaitAnalysis)
    assert a == b
    assert a.steps == 2 * 900  # the device's stride total, not the 1700 integrated from the records
    assert a.source == "fit"
    assert a.footpod is not None
    assert a.footpod.device_summary is not None
    assert a.footpod.device_summary.total_strides == 900
    assert a.dynamics is not None
    assert [(lap.index, lap.timer_s, lap.trigger) for lap in a.dynamics.laps] == [
        (1, 300.0, "distance"),
        (2, 300.0, None),
    ]
    assert a.dynamics.sources == FULL.column_sources


def test_unknown_keys_are_kept_as_text_and_written_back(tmp_path: Path) -> None:
    """A later minor version's keys, and keys of a known record it does not declare, survive a round trip."""
    doc = json.loads(FULL.to_json())
    doc["schema_version"] = "1.9"
    doc["weather"] = {"temperature_c": 4, "wind": ["NW", 12]}
    doc["recorder"]["rssi_dbm"] = -71
    back = read_parquet(_write_old(tmp_path / "later.parquet", doc))
    assert dict(back.meta.unrecognised) == {"recorder.rssi_dbm": "-71", "weather": json.dumps(doc["weather"])}
    assert back.meta.recorder == FULL.recorder
    written = json.loads(back.meta.to_json())
    assert written["weather"] == doc["weather"]
    assert written["recorder"]["rssi_dbm"] == -71
    assert written["schema_version"] == "1.9"
    assert RecordingMeta.from_json(back.meta.to_json()) == back.meta


def test_a_malformed_fact_is_kept_and_the_file_still_reads(tmp_path: Path) -> None:
    """A fact whose value has the wrong shape is not read (nothing can misread it) but not lost either."""
    doc = _old_layout(json.loads(FULL.to_json()))
    fit = doc["fit"]
    assert isinstance(fit, dict)
    fit["total_strides"] = "many"
    doc["recorder"] = [1, 2]
    doc["origin"] = 5
    back = read_parquet(_write_old(tmp_path / "bad.parquet", doc))
    assert back.meta.device_summary is None
    assert back.meta.recorder is None
    assert back.meta.origin is None
    kept = dict(back.meta.unrecognised)
    assert json.loads(kept["device_summary"])["total_strides"] == "many"
    assert json.loads(kept["recorder"]) == [1, 2]
    assert kept["origin"] == "5"
    assert back.meta.laps == FULL.laps  # the other facts read as usual
    assert RecordingMeta.from_json(back.meta.to_json()) == dataclasses.replace(back.meta, schema_version=SCHEMA_VERSION)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
#: The keys of the facts in each layout, and one no version knows.
_OLD_KEYS = ("origin", "recorder", "simulated", "fit", "other.key")
_NEW_KEYS = ("origin", "recorder", "simulated", "device_summary", "laps", "column_sources", "fit", "other.key")


@settings(max_examples=60, deadline=None)
@given(data=st.data(), minor=st.sampled_from([0, 2, 3, 5]))
def test_any_json_under_the_fact_keys_reads_and_round_trips(data: st.DataObject, minor: int) -> None:
    keys = _OLD_KEYS if minor < 3 else _NEW_KEYS
    values = data.draw(st.dictionaries(st.sampled_from(keys), _JSON, max_size=4))
    base = {"schema_version": f"1.{minor}", "kind": "imu", "sample_rate_hz": 50, "start_utc": START.isoformat()}
    meta = RecordingMeta.from_json(json.dumps({**base, **values}))
    assert RecordingMeta.from_json(meta.to_json()) == dataclasses.replace(
        meta, schema_version=meta.schema_version if minor >= 3 else SCHEMA_VERSION
    )


def test_fit_files_carry_the_device_summary_laps_and_sources(validation_dir: Path) -> None:
    """A real FIT file (FR920XT): the summary, 13 laps, and the record fields the dynamics come from."""
    path = validation_dir / "fit_public_repos" / "activitylog2" / "920xt-run.fit"
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    pod = next(r for r in load_recordings(path) if r.meta.kind == "footpod")
    summary = pod.meta.device_summary
    assert summary is not None
    assert summary.sport == "running"
    assert summary.devices
    assert summary.total_strides is not None
    assert summary.total_strides > 0
    assert len(pod.meta.laps) == 13
    assert sum(lap.timer_s for lap in pod.meta.laps) == pytest.approx(summary.total_timer_time_s, abs=2.0)
    assert dict(pod.meta.column_sources)["ground_contact_ms"] == "record"
    assert RecordingMeta.from_json(pod.meta.to_json()) == pod.meta
