"""The analysis path imports only what it uses: pandas, matplotlib and scipy's heavy packages stay out.

``calfload analyze FILE`` ran about 0.6 s of CPU importing pandas (the recording held a
DataFrame) and 1.1 s importing ``scipy.signal``; each test runs the whole command in a fresh
interpreter and asserts the modules are not loaded afterwards, and that the output is the
analysis. Arrow's conversion to NumPy is checked against pyarrow's own (which imports pandas).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from calfload._arrow import arrow_column, arrow_to_numpy

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "calfload" / "sample_data"
#: A real FIT run (Garmin Forerunner 310XT, 6736 steps by calfload's count; SOURCE.md there).
FIT_RUN = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "validation"
    / "fit_public_repos"
    / "activitylog2"
    / "310xt-run.fit"
)
#: numpy.ma: np.median, np.percentile and np.unique import it on first use (calfload._stats has them without it).
#: The journal and the load model's review: a file analysed without a journal needs neither.
#: numpy.typing: annotations only (a module more at every start).
HEAVY = (
    "pandas",
    "matplotlib",
    "scipy.signal",
    "scipy.stats",
    "numpy.ma",
    "numpy.typing",
    "calfload.journal._journal",
    "calfload.loadmodel._review",
    # shutil (with bz2, lzma): only to remove a failed command's new journal or to draw a progress bar.
    "shutil",
)

_PROBE = """
import contextlib, io, json, sys
from calfload.cli import main
results = []
for path in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["analyze", path, "--json"])
    results.append({"code": code, "result": json.loads(out.getvalue())})
print(json.dumps({"results": results, "heavy": [m for m in HEAVY if m in sys.modules]}))
""".replace("HEAVY", repr(HEAVY))


def _analyze_in_child(path: Path, tmp_path: Path, modules: tuple[str, ...]) -> tuple[int, Any, list[str]]:
    """``analyze PATH --json`` in a fresh interpreter: its exit code, its JSON, and which of ``modules`` it loaded."""
    code = (
        "import contextlib, io, json, sys\nfrom calfload.cli import main\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['analyze', {str(path)!r}, '--json'])\n"
        f"print(json.dumps([code, json.loads(out.getvalue()), [m for m in {modules!r} if m in sys.modules]]))"
    )
    env = {**os.environ, "CALFLOAD_HOME": str(tmp_path / "no-journal")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    exit_code, result, loaded = json.loads(done.stdout)
    return exit_code, result, loaded


def test_analysing_parquet_csv_and_fit_files_imports_no_pandas_matplotlib_or_scipy_signal(tmp_path: Path) -> None:
    """One fresh interpreter analyses a calfload Parquet file, a calfload CSV and (when present) a real FIT run."""
    files = [SAMPLES / "calf_tempo_3x12_104hz.parquet", SAMPLES / "calf_endurance_52hz.csv"]
    files += [FIT_RUN] if FIT_RUN.exists() else []
    env = {**os.environ, "CALFLOAD_HOME": str(tmp_path / "no-journal")}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    probe = json.loads(done.stdout)
    assert probe["heavy"] == []
    assert [r["code"] for r in probe["results"]] == [0] * len(files)
    for path, run in zip(files[:2], probe["results"], strict=False):
        truth = json.loads(path.with_suffix(".truth.json").read_text())
        assert run["result"]["rep_count"] == truth["rep_count"]
    if FIT_RUN.exists():
        assert probe["results"][2]["result"]["activity"] == "run"
        assert probe["results"][2]["result"]["steps"] == 6736


#: What a calf session's analysis does without: the other analyses' result types (each frozen
#: dataclass costs its class creation), the stored-record reader, the cadence alerts and the load model.
CALF_ONLY_SKIPS = (
    "calfload.signal._gait_types",
    "calfload.signal._hops_types",
    "calfload.signal._heel_rise_types",
    "calfload.signal._record",
    "calfload.loadmodel._cadence",
    "calfload.loadmodel._asymmetry",
    "calfload.journal._loads",
    # The file says its activity: no activity detector; and no heart-rate stream to summarise.
    "calfload.signal._activity",
    "calfload.signal._activity_windows",
    "calfload.signal._heart_rate",
    "calfload.pipeline._cadence",  # a run's cadence check and the journal's stored relation
    "calfload.journal._cadence_read",
    # The review's sentences with typed quantities (three frozen dataclasses): calfload.units' constants only.
    "calfload._phrases",
    # The options in km or miles, kg or lb of the journal commands (a frozen dataclass of their own).
    "calfload.cli._measure",
    # Reading Parquet needs pyarrow's reader, not pyarrow.parquet's filesystem layer (pyarrow.fs
    # imports ssl and the cloud stores' bindings); no digest, random token or TOML parser either.
    "pyarrow.parquet",
    "pyarrow.fs",
    "ssl",
    "hashlib",
    "secrets",
    "tomllib",
    # The recorder's and a FIT file's facts (four frozen dataclasses): a simulated file has neither.
    "calfload._device_facts",
    # RecordingMeta.replace's keywords: a TypedDict for type checkers; the result tables (frames only).
    "calfload._meta_changes",
    "calfload._result_tables",
)


def test_a_calf_session_loads_only_the_calf_analysis(tmp_path: Path) -> None:
    """``analyze`` of a calf session imports neither the gait, hop and heel-rise results nor the load model."""
    code, result, loaded = _analyze_in_child(SAMPLES / "calf_tempo_3x12_104hz.parquet", tmp_path, CALF_ONLY_SKIPS)
    truth = json.loads((SAMPLES / "calf_tempo_3x12_104hz.truth.json").read_text())
    assert (code, result["rep_count"], loaded) == (0, truth["rep_count"], [])


#: What a run's analysis does without: the calf-raise analysis and its result types; with its activity
#: given and one foot, no activity detector, no two-feet balance, no foot-pod summary or running
#: dynamics (FIT files' and foot pods'), no journal reader without a journal, no measure options
#: (each of these modules creates frozen dataclasses, whose methods are generated at every start).
RUN_SKIPS = (
    "calfload.signal._calf_raise",
    "calfload.signal._calf_sets",
    "calfload.signal._calf_types",
    "calfload.signal._activity",
    "calfload.signal._activity_types",
    "calfload.signal._activity_windows",
    "calfload.signal._activity_pace",
    "calfload.signal._gait_sides",
    "calfload.signal._gait_footpod",
    "calfload.signal._footpod_types",
    "calfload.signal._run_dynamics",
    "calfload.signal._run_dynamics_types",
    "calfload.journal._cadence_read",
    "calfload.cli._measure",
    "calfload.loadmodel._cadence_alerts",  # no cadence or left/right alert: no alert record is made
    "calfload._device_facts",  # no recorder's or FIT file's facts in a simulated run
    "calfload._meta_changes",
    "calfload._result_tables",
)


def test_a_run_loads_no_calf_analysis(tmp_path: Path) -> None:
    """``analyze`` of a foot-IMU run imports neither the calf-raise analysis nor its result types."""
    from calfload.recording import write_parquet
    from calfload.sim import RunSpec, SensorModel, simulate_run

    (rec,) = simulate_run(RunSpec(duration_s=12.0, sensor=SensorModel(sample_rate_hz=100.0), seed=1)).recordings
    path = write_parquet(rec.with_meta(activity="run"), tmp_path / "run.parquet")
    code, result, loaded = _analyze_in_child(path, tmp_path, RUN_SKIPS)
    assert (code, result["activity"], loaded) == (0, "run", [])


def test_a_walk_whose_pauses_are_still_loads_no_activity_classifier(tmp_path: Path) -> None:
    """A standing stop between walks is judged on its samples: the classifier's windows stay out (issue 15)."""
    from calfload.recording import write_parquet
    from calfload.sim import GaitPhase, GaitSessionSpec, simulate_gait_session

    walk = GaitPhase(activity="walk", duration_s=30.0, cadence_spm=110.0, speed_mps=1.3)
    stand = GaitPhase(activity="stand", duration_s=10.0)
    sim = simulate_gait_session(
        GaitSessionSpec(phases=(GaitPhase(activity="stand", duration_s=5.0), walk, stand, walk, stand), seed=2)
    )
    path = write_parquet(sim.recordings[0].with_meta(activity="walk"), tmp_path / "walk.parquet")
    skips = ("calfload.signal._activity_windows", "calfload.signal._activity_grid", "calfload.signal._activity")
    code, result, loaded = _analyze_in_child(path, tmp_path, skips)
    assert (code, loaded) == (0, [])
    assert [s["activity"] for s in result["segments"]] == ["stand", "walk", "stand", "walk", "stand"]


def test_detecting_a_runs_activity_loads_no_masked_arrays(tmp_path: Path) -> None:
    """A run without its activity is classified window by window (the detector's features): NumPy's ``ma`` stays out.

    ``np.unique`` imports ``numpy.ma`` on first use; the features take :func:`calfload._stats.unique`.
    """
    from calfload.recording import write_parquet
    from calfload.sim import RunSpec, SensorModel, simulate_run

    (rec,) = simulate_run(RunSpec(duration_s=12.0, sensor=SensorModel(sample_rate_hz=100.0), seed=1)).recordings
    path = write_parquet(rec, tmp_path / "run.parquet")
    code, result, loaded = _analyze_in_child(path, tmp_path, ("calfload.signal._activity_features", "numpy.ma"))
    assert (code, result["activity_detected"], loaded) == (0, True, ["calfload.signal._activity_features"])


#: What a FIT run's analysis does without: the IMU path's front end, step events, strides and
#: quiet-leg measure, and the IMU bouts (a FIT file's records are its cadence and speed).
FIT_SKIPS = (
    "calfload.signal._gait_steps",
    "calfload.signal._gait_foot",
    "calfload.signal._trajectory",
    "calfload.signal._preprocess",
    "calfload.signal._activity_pace",
    "calfload.signal._gait_cadence",
    "calfload.signal._calf_types",
    "calfload.cli._measure",
    "calfload._simulation_facts",  # a real file: no simulator's record
    "calfload._meta_changes",
)


@pytest.mark.skipif(not FIT_RUN.exists(), reason="needs ../shared/validation (the real FIT run)")
def test_a_fit_run_loads_no_imu_analysis(tmp_path: Path) -> None:
    """``analyze`` of a FIT run imports none of the foot-IMU analysis's modules; its steps are the same."""
    code, result, loaded = _analyze_in_child(FIT_RUN, tmp_path, FIT_SKIPS)
    assert (code, result["steps"], loaded) == (0, 6736, [])


_FLOATS = st.one_of(st.none(), st.floats(width=32, allow_nan=False))


@settings(max_examples=30, deadline=None)
@given(
    chunks=st.lists(st.lists(_FLOATS, max_size=20), min_size=1, max_size=4),
    offset=st.integers(0, 3),
    kind=st.sampled_from([pa.float32(), pa.float64(), pa.int64(), pa.bool_()]),
)
@example(chunks=[[float("inf"), 1.0]], offset=0, kind=pa.int64())  # int(inf) broke the test itself
def test_arrow_columns_convert_as_pyarrow_does(
    chunks: list[list[float | None]], offset: int, kind: pa.DataType
) -> None:
    """Sliced, chunked, with and without nulls: the same numbers as pyarrow's conversion, nulls as NaN."""
    if kind == pa.bool_():
        chunks = [[None if v is None else v > 0 for v in c] for c in chunks]
    elif kind == pa.int64():
        # an infinity has no integer: it stands for a missing value there
        chunks = [[None if v is None or not math.isfinite(v) else int(v) % 1000 for v in c] for c in chunks]
    arrays = [pa.array(c, type=kind) for c in chunks]
    chunked = pa.chunked_array([a.slice(min(offset, len(a))) for a in arrays])
    ours = arrow_to_numpy(chunked)
    given = [v for c in chunks for v in c[min(offset, len(c)) :]]
    expected = np.array([np.nan if v is None else float(v) for v in given])
    np.testing.assert_array_equal(ours.astype(np.float64), expected)
    if None not in given and kind != pa.bool_():
        assert ours.dtype == np.dtype(kind.to_pandas_dtype())


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.one_of(st.just(math.nan), st.floats(allow_nan=False, width=32)), max_size=40),
    kind=st.sampled_from([pa.float32(), pa.float64(), pa.bool_()]),
)
def test_columns_written_as_pyarrow_builds_them(values: list[float], kind: pa.DataType) -> None:
    """NaN as null, float64 narrowed to float32, booleans from 1/0: the same Arrow array as ``pa.array`` gives."""
    array = np.array(values, dtype=np.float64)
    expected: pa.Array
    if kind == pa.bool_():
        array = np.where(np.isnan(array), np.nan, (array > 0).astype(np.float64))
        expected = pa.array(array == 1.0, mask=np.isnan(array), type=kind)
    else:
        expected = pa.array(array, type=kind, from_pandas=True)
    ours = arrow_column(array, kind)
    assert ours.equals(expected)
    assert ours.null_count == expected.null_count


def test_writing_a_recording_imports_no_pandas(tmp_path: Path) -> None:
    """Parquet is written from NumPy's buffers (``pa.array`` of a NumPy array imports pandas) and reads back equal."""
    code = (
        "import sys\nfrom calfload.ingest import load_recording\nfrom calfload.recording import write_parquet\n"
        f"rec = load_recording({str(SAMPLES / 'calf_tempo_3x12_104hz.parquet')!r})\n"
        f"back = load_recording(write_parquet(rec, {str(tmp_path / 'out.parquet')!r}))\n"
        "assert all((back.column(c) == rec.column(c)).all() for c in rec.columns)\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=9, max_size=9),
    bottom=st.one_of(st.none(), st.floats(0, 10)),
    flags=st.tuples(st.booleans(), st.booleans()),
)
def test_a_reps_json_is_its_rounded_fields_as_asdict_gave_them(
    values: list[float], bottom: float | None, flags: tuple[bool, bool]
) -> None:
    """``CalfRep.to_dict`` reads its fields directly (``asdict`` deep-copied them): the same JSON."""
    from dataclasses import asdict

    from calfload.signal._calf_types import CalfRep, _rounded

    start, end, conc, hold, ecc, exc, rise, low, _ = values
    rep = CalfRep(3, 7, start, end, conc, hold, ecc, bottom, flags[0], exc, rise, low, partial=flags[1])
    assert rep.to_dict() == _rounded(asdict(rep))
    assert list(rep.to_dict()) == list(asdict(rep))
