"""Records that share fields declare them once: the copies are made from the declaration, by name.

``RecordingMeta`` inherits ``RecordingFacts``; ``RunLap`` inherits the FIT reader's ``FitLap``; a
gait result's ``DeviceSummary`` is a named part of the metadata's ``FitDeviceSummary``. These tests
fail when one side gains a field the other does not carry, or when a copy drops a value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing

from calfload.schema import FitDeviceSummary, FitLap, RecordingFacts, RecordingMeta, SimulationFacts
from calfload.signal._footpod_types import DeviceSummary
from calfload.signal._gait import _device_summary
from calfload.signal._run_dynamics import _laps
from calfload.signal._run_dynamics_types import RunLap


def _names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_a_recording_s_facts_are_its_metadata_s_fields() -> None:
    assert issubclass(RecordingMeta, RecordingFacts)
    lap = FitLap(start_s=0.0, timer_s=300.0, distance_m=1000.0, trigger="distance")
    meta = RecordingMeta(
        sample_rate_hz=1.0,
        start_utc=dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC),
        origin="CSV file",
        simulated=SimulationFacts(generator="g", seed=3),
        laps=(lap,),
        column_sources=(("power_w", "record"),),
    )
    facts = meta.facts
    assert type(facts) is RecordingFacts
    assert all(getattr(facts, n) == getattr(meta, n) for n in _names(RecordingFacts))
    assert RecordingMeta.from_json(meta.to_json()) == meta


def test_a_run_lap_is_the_device_s_lap_numbered() -> None:
    assert _names(RunLap) == [*_names(FitLap), "index"]
    laps = (FitLap(start_s=0.0, timer_s=300.0, speed_mps=3.0, power_w=250.0), FitLap(start_s=300.0, timer_s=290.0))
    run = _laps(laps)
    assert [r.index for r in run] == [1, 2]
    assert all(getattr(r, n) == getattr(lap, n) for r, lap in zip(run, laps, strict=True) for n in _names(FitLap))
    doc = run[0].to_dict()
    assert next(iter(doc)) == "index"  # as --json printed it before RunLap inherited FitLap
    assert doc["pace_s_per_km"] == 333.3  # 1000 m at 3 m/s


def test_the_result_s_device_summary_is_a_part_of_the_file_s() -> None:
    hints_fit = typing.get_type_hints(FitDeviceSummary)
    hints_result = typing.get_type_hints(DeviceSummary)
    for name, tp in hints_result.items():
        assert name in hints_fit, f"DeviceSummary.{name} is not a FitDeviceSummary field"
        assert tp in (hints_fit[name], hints_fit[name] | None), f"DeviceSummary.{name}: {tp} vs {hints_fit[name]}"
    values: dict[str, typing.Any] = {n: 1.5 for n, tp in hints_fit.items() if tp == float | None}
    fit = FitDeviceSummary(sport="running", cadence_source="device", total_strides=800, **values)
    summary = _device_summary(fit)
    assert all(getattr(summary, n) == getattr(fit, n) for n in hints_result)


def test_replace_keywords_are_the_metadata_s_fields_with_their_types() -> None:
    """``RecordingMeta.replace(**changes)`` is typed by ``MetaChanges``: one key per field, the field's type."""
    from calfload import schema

    fields = {f.name: f.type for f in dataclasses.fields(RecordingMeta)}
    keys = typing.get_type_hints(schema.MetaChanges)
    assert set(keys) == set(fields)
    hints = typing.get_type_hints(RecordingMeta)
    assert {k: keys[k] for k in fields} == {k: hints[k] for k in fields}


def test_import_overrides_set_metadata_fields_of_the_same_types() -> None:
    """pipeline._import casts the overrides it sets to ``MetaChanges``: the types must agree (None: not set)."""
    from calfload import schema
    from calfload.ingest.csv_formats import ColumnMap
    from calfload.pipeline._import import _META_OVERRIDES, ImportOverrides

    def without_none(hint: object) -> set[object]:
        return {a for a in (typing.get_args(hint) or (hint,)) if a is not type(None)}

    keys = typing.get_type_hints(schema.MetaChanges)
    overrides = typing.get_type_hints(ImportOverrides, localns={"ColumnMap": ColumnMap})
    for name in _META_OVERRIDES:
        assert without_none(overrides[name]) == without_none(keys[name]), name
