"""HeelRiseDetails: the typed details of a measured heel-rise test, read from and written to stored JSON."""

from __future__ import annotations

import json

import pytest

from calfload.errors import RecordError
from calfload.loadmodel import HeelRiseDetails, SymmetryRecord

STORED = {  # as `test heel-rise` stored it (keys sorted, every key present)
    "affected_side": "left",
    "body_mass_kg": 70.0,
    "ended_by": "height",
    "foot_length_cm": 17.0,
    "height_method": "foot_pitch",
    "heights_cm": [9.03, 8.95, 3.55],
    "mean_height_cm": 8.99,
    "placement": "foot",
    "reference_height_cm": 8.95,
    "source": "heel_rise_left.parquet",
    "symmetry": {"affected_side": "left", "height_pct": 103.4, "reps_pct": 72.0, "work_pct": 74.5},
    "test": "heel_rise_endurance",
    "work_j": 1034.8,
}


def test_a_stored_test_round_trips_byte_for_byte() -> None:
    details = HeelRiseDetails.from_json(json.loads(json.dumps(STORED)))
    assert details.symmetry == SymmetryRecord(affected_side="left", reps_pct=72.0, height_pct=103.4, work_pct=74.5)
    assert details.heights_cm == (9.03, 8.95, 3.55)
    assert json.dumps(details.to_json(), sort_keys=True) == json.dumps(STORED, sort_keys=True)


def test_a_later_calfloads_keys_are_ignored_and_missing_ones_are_none() -> None:
    details = HeelRiseDetails.from_json({"work_j": 1500, "new_figure": [1, 2]})
    assert (details.work_j, details.mean_height_cm, details.symmetry) == (1500.0, None, None)


@pytest.mark.parametrize(
    ("doc", "key"),
    [({"work_j": "a lot"}, "$.details.work_j"), ({"symmetry": {"reps_pct": True}}, "$.details.symmetry.reps_pct")],
)
def test_a_damaged_value_names_its_key(doc: dict[str, object], key: str) -> None:
    with pytest.raises(RecordError) as info:
        HeelRiseDetails.from_json(doc, source="baseline 2024-05-01 left")
    assert info.value.key == key
    assert str(info.value).startswith("baseline 2024-05-01 left: ")
