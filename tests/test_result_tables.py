"""The declared result tables match their row classes; the results' DataFrame views follow them."""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from calfload._tables import Table
from calfload.ingest.files import load_recording
from calfload.schema import CALF_REPS, CALF_SETS, GAIT_BOUTS, GAIT_STRIDES, HOP_CONTACTS, HOP_SETS, RESULT_TABLES
from calfload.signal import CalfRaiseAnalysis, CalfRep, CalfSet, GaitAnalysis, GaitBout, HopContact, HopSet, analyze
from calfload.signal._trajectory_types import Stride

ROWS: list[tuple[Table, type]] = [
    (CALF_REPS, CalfRep),
    (CALF_SETS, CalfSet),
    (HOP_CONTACTS, HopContact),
    (HOP_SETS, HopSet),
    (GAIT_BOUTS, GaitBout),
    (GAIT_STRIDES, Stride),
]
ARROW = {int: pa.int32(), float: pa.float64(), bool: pa.bool_(), str: pa.string()}


@pytest.mark.parametrize(("table", "row"), ROWS, ids=lambda x: getattr(x, "kind", getattr(x, "__name__", "")))
def test_table_declares_its_row_class(table: Table, row: type) -> None:
    hints = typing.get_type_hints(row)
    fields = [f.name for f in dataclasses.fields(row)]
    assert list(table.names) == fields
    for column in table.columns:
        tp = hints[column.name]
        args = typing.get_args(tp) if typing.get_origin(tp) in (types.UnionType, typing.Union) else (tp,)
        assert column.nullable == (type(None) in args), column.name
        base = next(a for a in args if a is not type(None))
        assert column.arrow_type == ARROW[base], column.name
        assert column.description


def test_every_result_table_is_listed() -> None:
    assert set(RESULT_TABLES) == {t.kind for t, _ in ROWS} | {"gait_cadence", "gait_steps"}


@pytest.fixture(scope="module")
def calf(sample_dir: Path) -> CalfRaiseAnalysis:
    result = analyze(load_recording(sample_dir / "calf_tempo_3x12_104hz.parquet"))
    assert isinstance(result, CalfRaiseAnalysis)
    return result


def test_reps_frame_holds_the_reps(calf: CalfRaiseAnalysis) -> None:
    frame = calf.reps_frame()
    assert list(frame.columns) == list(CALF_REPS.names)
    assert len(frame) == calf.rep_count == 36  # the sample's truth: 3 x 12
    assert frame.groupby("set")["index"].max().tolist() == [12, 12, 12]
    np.testing.assert_array_equal(frame["eccentric_s"].to_numpy(), [r.eccentric_s for r in calf.reps])
    assert frame["eccentric_pass"].dtype == bool
    assert frame["bottom_s"].isna().sum() == 3  # each set's last rep has no bottom
    every = calf.reps_frame(include_partial=True)
    assert len(every) == calf.rep_count + len(calf.partial_reps)
    assert every["start_s"].is_monotonic_increasing


def test_sets_frame_holds_the_sets(calf: CalfRaiseAnalysis) -> None:
    frame = calf.sets_frame()
    assert list(frame.columns) == list(CALF_SETS.names)
    assert frame["rep_count"].tolist() == [s.rep_count for s in calf.sets]
    assert frame["time_under_tension_s"].sum() == pytest.approx(sum(s.time_under_tension_s for s in calf.sets))


def test_gait_frames() -> None:
    bouts = (GaitBout(0.0, 60.0, 170, 170.0), GaitBout(90.0, 120.0, 80, None))
    result = GaitAnalysis(
        activity="run",
        activity_detected=False,
        duration_s=120.0,
        steps=250,
        steps_doubled_from_one_foot=True,
        strides=(125,),
        cadence_mean_spm=168.0,
        cadence_median_spm=170.0,
        series=((5.0, 168.0), (15.0, 171.5)),
        ground_contact_median_ms=None,
        bouts=bouts,
        source="imu",
        placement="foot",
        device="sim",
        step_times_s=np.array([0.7, 1.4, 2.1]),
        stride_rows=(
            Stride("left", 1.0, 2.0, 1.0, 1.4, 1.4, 0.01, True),
            Stride("left", 2.0, 3.1, 1.1, 0.2, 0.18, 0.7, False),
        ),
    )
    strides = result.strides_frame()
    assert list(strides.columns) == list(GAIT_STRIDES.names)
    assert strides["length_m"].tolist() == [1.4, 0.2]
    assert strides["valid"].tolist() == [True, False]
    assert result.bouts_frame()["cadence_spm"].isna().tolist() == [False, True]
    assert result.cadence_frame()["cadence_spm"].tolist() == [168.0, 171.5]
    assert result.steps_frame()["t_s"].tolist() == [0.7, 1.4, 2.1]
