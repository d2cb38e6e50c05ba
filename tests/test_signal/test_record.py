"""The stored form of analysis results: a round trip per kind, version 0 records, refusals."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from calfload import __version__
from calfload.errors import RecordError
from calfload.ingest import load_recording
from calfload.signal import (
    RECORD_VERSION,
    CalfRaiseAnalysis,
    CalfRaiseParams,
    GaitAnalysis,
    HeelRiseResult,
    HopAnalysis,
    analyze,
    analyze_heel_rise_test,
    from_record,
    record_json,
    result_from_json,
    to_record,
)
from calfload.signal._record import UNKNOWN_VERSION
from calfload.sim import (
    HeelRiseTestSpec,
    random_hop_session,
    random_run_spec,
    simulate_heel_rise_test,
    simulate_hop_session,
    simulate_run,
)


def _results(sample_dir: Path) -> dict[str, object]:
    run = simulate_run(random_run_spec(7, feet=("left",))).recordings[0]
    hops = simulate_hop_session(random_hop_session(np.random.default_rng(3), placement="foot")).recording
    spec = HeelRiseTestSpec(excursions_deg=(*(30.0 - 0.3 * i for i in range(12)), 10.0), side="left", seed=1)
    return {
        "calf_raise": analyze(load_recording(sample_dir / "calf_tempo_3x12_104hz.parquet")),
        "gait": analyze(run, activity="run"),
        "hops": analyze(hops, activity="hops"),
        "heel_rise_test": analyze_heel_rise_test(
            simulate_heel_rise_test(spec).recording, foot_length_cm=17.0, body_mass_kg=70.0
        ),
    }


@pytest.fixture(scope="module")
def results(sample_dir: Path) -> dict[str, object]:
    return _results(sample_dir)


EXPECTED_TYPES = {
    "calf_raise": CalfRaiseAnalysis,
    "gait": GaitAnalysis,
    "hops": HopAnalysis,
    "heel_rise_test": HeelRiseResult,
}


@pytest.mark.parametrize("kind", list(EXPECTED_TYPES))
def test_every_kind_round_trips_through_its_record(results, kind):
    result = results[kind]
    record = to_record(result)
    assert record["record_version"] == RECORD_VERSION
    assert record["result"] == kind
    assert record["calfload_version"] == __version__
    back = result_from_json(record_json(result))
    assert isinstance(back, EXPECTED_TYPES[kind])
    # The record holds every parameter: the typed parameters come back equal, not just similar.
    assert back.params == result.params
    assert back.calfload_version == result.calfload_version
    # Values are stored rounded as in --json: one trip normalises, the next changes nothing.
    assert to_record(back) == json.loads(json.dumps(record))
    assert to_record(from_record(to_record(back))) == to_record(back)


def test_typed_figures_survive_the_round_trip(results):
    calf, gait, hops = results["calf_raise"], results["gait"], results["hops"]
    calf_back = from_record(to_record(calf))
    assert isinstance(calf_back, CalfRaiseAnalysis)
    assert calf_back.rep_count == calf.rep_count == 36
    assert [r.eccentric_pass for r in calf_back.reps] == [r.eccentric_pass for r in calf.reps]
    assert [s.endurance for s in calf_back.sets] == [s.endurance for s in calf.sets]
    for a, b in zip(calf_back.reps, calf.reps, strict=True):
        assert a.eccentric_s == pytest.approx(b.eccentric_s, abs=5e-4)
    gait_back = from_record(to_record(gait))
    assert isinstance(gait_back, GaitAnalysis)
    assert (gait_back.steps, gait_back.activity, gait_back.imu) == (gait.steps, gait.activity, gait.imu)
    hops_back = from_record(to_record(hops))
    assert isinstance(hops_back, HopAnalysis)
    assert hops_back.hops == hops.hops > 0


def test_a_version_0_record_reads_with_the_parameters_that_made_it(results):
    """Journals written before typed results stored the --json object alone."""
    calf = dataclasses.replace(results["calf_raise"], params=CalfRaiseParams(target_eccentric_s=4.0, tolerance_s=0.25))
    old = calf.to_dict()
    assert "record_version" not in old
    back = from_record(old)
    assert isinstance(back, CalfRaiseAnalysis)
    assert back.calfload_version == UNKNOWN_VERSION
    assert (back.params.target_eccentric_s, back.params.tolerance_s) == (4.0, 0.25)
    assert back.rep_count == calf.rep_count
    for kind in ("gait", "hops"):
        assert type(from_record(results[kind].to_dict())) is EXPECTED_TYPES[kind]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"record_version": RECORD_VERSION + 1}, "newer than this calfload reads"),
        ({"result": "swim"}, "unknown analysis kind"),
        ({"duration_s": "long"}, r"\$\.duration_s = 'long' is not a <class 'float'>"),
        ({"reps": [{"set": 1}]}, r"\$\.reps\[0\]\.index is missing"),
        ({"params": {"target_eccentric_s": 3.0, "warp_factor": 9}}, "unknown parameter"),
    ],
)
def test_a_malformed_record_is_refused_with_the_key(results, change, message):
    record = to_record(results["calf_raise"]) | change
    with pytest.raises(RecordError, match=message):
        from_record(record, source="journal session 7")


def test_stored_text_that_is_not_a_record_is_refused():
    with pytest.raises(RecordError, match="not JSON"):
        result_from_json("{oops", source="journal session 1")
    with pytest.raises(RecordError, match="not a JSON object"):
        result_from_json("[1, 2]")
