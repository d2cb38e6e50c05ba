"""Phone-app exports and CSV files as people have them, against simulator ground truth.

Every layout is written by :mod:`calfload.sim` from a simulated calf session whose reps are known,
then read through the documented import path (``load_recording`` / ``calfload analyze``): the rep
count must be exact, the sample rate and start time must survive, and every assumption must be
said in a warning. Bad input must give one line and the data-error exit code.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.cli import main
from calfload.errors import DataError, UnitConversionWarning
from calfload.ingest import load_recording
from calfload.ingest.csv_formats import ColumnMap, sniff_dialect
from calfload.ingest.phone_gravity import estimate_gravity
from calfload.signal import analyze
from calfload.sim import (
    SimulatedSession,
    random_calf_session,
    simulate_calf_session,
    write_generic_csv,
    write_phyphox,
    write_sensor_logger,
)


@pytest.fixture(scope="module", params=[(11, 104.0), (12, 208.0)], ids=["104hz", "208hz"])
def session(request: pytest.FixtureRequest) -> SimulatedSession:
    seed, rate = request.param
    return simulate_calf_session(random_calf_session(np.random.default_rng(seed), sample_rate_hz=rate))


def true_reps(s: SimulatedSession) -> int:
    return sum(not r.partial for r in s.truth.reps)


Writer = Callable[[SimulatedSession, Path], Path]

LAYOUTS: dict[str, Writer] = {
    "sensor_logger_gravity_file": lambda s, d: write_sensor_logger(s.recording, s.gravity_mps2, d / "sl"),
    "sensor_logger_total": lambda s, d: write_sensor_logger(
        s.recording, s.gravity_mps2, d / "sl", files=("TotalAcceleration", "Gyroscope")
    ),
    "sensor_logger_no_gravity": lambda s, d: write_sensor_logger(
        s.recording, s.gravity_mps2, d / "sl", files=("Accelerometer", "Gyroscope")
    ),
    "sensor_logger_one_file_given": lambda s, d: (
        write_sensor_logger(s.recording, s.gravity_mps2, d / "sl") / "Gyroscope.csv"
    ),
    "phyphox_comma": lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph"),
    "phyphox_semicolon_zip": lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph.zip", flavour="semicolon"),
    "phyphox_linear_tab": lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph", linear=True, flavour="tab"),
    "csv_ms": lambda s, d: write_generic_csv(s.recording, d / "x.csv", time_unit="ms"),
    "csv_us_semicolon_decimal_comma": lambda s, d: write_generic_csv(
        s.recording, d / "x.csv", time_unit="us", sep=";", decimal=","
    ),
    "csv_epoch_ns": lambda s, d: write_generic_csv(s.recording, d / "x.csv", time_unit="ns", epoch=True),
    "csv_epoch_s_tab": lambda s, d: write_generic_csv(s.recording, d / "x.csv", epoch=True, sep="\t"),
    "csv_iso": lambda s, d: write_generic_csv(
        s.recording,
        d / "x.csv",
        time_unit="iso",
        names=("timestamp", "accX", "accY", "accZ", "gyroX", "gyroY", "gyroZ"),
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_gives_the_true_rep_count(session: SimulatedSession, layout: str, tmp_path: Path) -> None:
    path = LAYOUTS[layout](session, tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rec = load_recording(path)
    assert analyze(rec).to_dict()["rep_count"] == true_reps(session)
    assert rec.meta.sample_rate_hz == pytest.approx(session.recording.meta.sample_rate_hz, rel=0.01)
    assert rec.duration_s == pytest.approx(session.recording.duration_s, abs=0.1)
    messages = " ".join(str(w.message) for w in caught if issubclass(w.category, UnitConversionWarning))
    if "no_gravity" in layout or "linear" in layout:
        assert "gravity estimated" in messages
    if "semicolon" in layout:
        assert "decimal commas" in messages
    if layout in {"csv_ms", "csv_us_semicolon_decimal_comma"}:
        assert f"in {'ms' if layout == 'csv_ms' else 'µs'}" in messages
    if "epoch" in layout or "iso" in layout or "sensor_logger" in layout or "phyphox" in layout:
        start = session.recording.meta.start_utc
        assert abs((rec.meta.start_utc - start).total_seconds()) < 0.1


def test_cli_analyze_reads_an_export_folder(
    session: SimulatedSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_phyphox(session.recording, session.gravity_mps2, tmp_path / "phyphox export")
    assert main(["analyze", str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rep_count"] == true_reps(session)


def test_cli_import_stores_an_export_zip_once(
    session: SimulatedSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zipped = write_phyphox(session.recording, session.gravity_mps2, tmp_path / "export.zip", flavour="semicolon")
    data = tmp_path / "journal"
    assert main(["--data-dir", str(data), "import", str(zipped), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)["imported"][0]
    assert first["created"] is True
    assert first["date"] == session.recording.meta.start_utc.date().isoformat()
    folder = write_sensor_logger(session.recording, session.gravity_mps2, tmp_path / "sl")
    assert main(["--data-dir", str(data), "import", str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"][0]["created"] is True
    assert main(["--data-dir", str(data), "import", str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["imported"][0]["created"] is False


def test_columns_maps_other_names(session: SimulatedSession, tmp_path: Path) -> None:
    names = ("stamp", "A1", "A2", "A3", "G1", "G2", "G3")
    path = write_generic_csv(session.recording, tmp_path / "odd.csv", time_unit="ms", names=names)
    with pytest.raises(DataError, match=r"no time column.*`columns` t_s=NAME"):
        load_recording(path)
    mapping = ColumnMap.parse(
        "t_ms=stamp,acc_x_mps2=A1,acc_y_mps2=A2,acc_z_mps2=A3,gyr_x_dps=G1,gyr_y_dps=G2,gyr_z_dps=G3"
    )
    rec = load_recording(path, columns=mapping)
    assert analyze(rec).to_dict()["rep_count"] == true_reps(session)


def test_estimated_gravity_follows_the_true_tilt(session: SimulatedSession) -> None:
    """Up to the unknowable start direction, the estimate turns as the true gravity does."""
    rec, truth = session.recording, session.gravity_mps2
    assert truth is not None
    est, _ = estimate_gravity(rec.t_s, rec.acc_mps2() - truth, rec.gyr_dps())
    assert np.allclose(np.linalg.norm(est, axis=1), 9.80665)

    def tilt_from_start(g: np.ndarray) -> np.ndarray:
        u = g / np.linalg.norm(g, axis=1, keepdims=True)
        return np.asarray(np.degrees(np.arccos(np.clip(u @ u[0], -1, 1))))

    err = np.abs(tilt_from_start(est) - tilt_from_start(truth))
    assert float(np.percentile(err, 95)) < 8.0


# ------------------------------------------------------------------------------------ defects


def test_milliseconds_in_t_s_are_not_read_as_seconds(session: SimulatedSession, tmp_path: Path) -> None:
    """Defect: a t_s column in ms gave "82212 s recorded" and no reps."""
    names = ("t_s", "acc_x_mps2", "acc_y_mps2", "acc_z_mps2", "gyr_x_dps", "gyr_y_dps", "gyr_z_dps")
    path = write_generic_csv(session.recording, tmp_path / "ms.csv", time_unit="ms", names=names)
    with pytest.warns(UnitConversionWarning, match="ms, not seconds"):
        rec = load_recording(path)
    assert rec.duration_s == pytest.approx(session.recording.duration_s, abs=0.05)


def test_european_csv_is_read(session: SimulatedSession, tmp_path: Path) -> None:
    """Defect: `;` and decimal commas failed with a raw pandas tokenizer message."""
    names = ("t_s", "acc_x_mps2", "acc_y_mps2", "acc_z_mps2", "gyr_x_dps", "gyr_y_dps", "gyr_z_dps")
    path = write_generic_csv(session.recording, tmp_path / "eu.csv", sep=";", decimal=",", names=names)
    with pytest.warns(UnitConversionWarning, match="semicolon-separated with decimal commas"):
        rec = load_recording(path)
    assert np.allclose(rec.acc_mps2(), session.recording.acc_mps2(), atol=1e-5)


def _cli_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 3
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("calfload: error:")
    return err


def test_bad_files_give_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    no_time = tmp_path / "no_time.csv"
    no_time.write_text("ax,ay,az,gx,gy,gz\n" + "1,2,3,4,5,6\n" * 20)
    assert "no time column" in _cli_error(["analyze", str(no_time)], capsys)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("time,ax,ay,az\n" + "0.01,1,2,3\n" * 5 + "0.02;1;2;3\n" * 5)
    assert "different separators" in _cli_error(["analyze", str(mixed)], capsys)
    ambiguous = tmp_path / "ambiguous.csv"
    rows = "".join(f"{i * 0.3:.1f},0,0,9.8,0,0,0\n" for i in range(40))
    ambiguous.write_text("time,ax,ay,az,gx,gy,gz\n" + rows)
    assert "cannot tell the unit of time column 'time'" in _cli_error(["analyze", str(ambiguous)], capsys)


def test_gyro_file_without_accelerometer_file(
    session: SimulatedSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_sensor_logger(session.recording, session.gravity_mps2, tmp_path / "sl", files=("Gyroscope",))
    err = _cli_error(["analyze", str(folder / "Gyroscope.csv")], capsys)
    assert "gyroscope data with no matching accelerometer file" in err
    only_acc = write_generic_csv(
        session.recording, tmp_path / "acc.csv", names=("time", "ax", "ay", "az", "a", "b", "c")
    )
    assert "no gyroscope" in _cli_error(["analyze", str(only_acc)], capsys)


def test_export_files_that_do_not_overlap(
    session: SimulatedSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_sensor_logger(
        session.recording, session.gravity_mps2, tmp_path / "sl", files=("TotalAcceleration", "Gyroscope")
    )
    gyro = folder / "Gyroscope.csv"
    lines = gyro.read_text().splitlines()
    shift = int(10_000 * 1e9)
    moved = [lines[0]] + [f"{int(ln.split(',', 1)[0]) + shift},{ln.split(',', 1)[1]}" for ln in lines[1:]]
    gyro.write_text("\n".join(moved) + "\n")
    assert "overlap for only 0.0 s" in _cli_error(["analyze", str(folder)], capsys)


# ------------------------------------------------------------------------------------ dialects


@settings(max_examples=40, deadline=None)
@given(
    dialect=st.sampled_from([(",", "."), (";", ","), (";", "."), ("\t", "."), ("\t", ",")]),
    values=st.integers(2, 7).flatmap(
        lambda width: st.lists(
            st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=width, max_size=width), min_size=3, max_size=12
        )
    ),
)
def test_sniffed_dialect_is_the_written_one(dialect: tuple[str, str], values: list[list[float]]) -> None:
    sep, decimal = dialect
    width = len(values[0])
    lines = [sep.join(f"c{i}" for i in range(width))]
    lines += [sep.join(f"{v:.3f}".replace(".", decimal) for v in row) for row in values]
    found = sniff_dialect("\n".join(lines), source="fuzz")
    assert (found.separator, found.decimal) == (sep, decimal)


def test_start_time_of_an_export_is_its_own(session: SimulatedSession, tmp_path: Path) -> None:
    with pytest.warns(UnitConversionWarning, match="gravity added back from the app's gravity file"):
        rec = load_recording(write_sensor_logger(session.recording, session.gravity_mps2, tmp_path / "sl"))
    assert rec.meta.start_utc.tzinfo is not None
    assert rec.meta.start_utc > dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def test_parquet_without_calfload_metadata_is_imported(
    session: SimulatedSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Defect: such a file said "import it with `calfload import`", and import failed the same way."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.Table.from_pandas(session.recording.data, preserve_index=False), plain)
    foreign = tmp_path / "foreign.parquet"
    names = {"t_s": "timestamp_ms", "acc_x_mps2": "ax", "acc_y_mps2": "ay", "acc_z_mps2": "az"}
    names |= {"gyr_x_dps": "gx", "gyr_y_dps": "gy", "gyr_z_dps": "gz"}
    frame = session.recording.data.rename(columns=names)
    frame["timestamp_ms"] = frame["timestamp_ms"] * 1000 + 1.7e12
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), foreign)
    assert main(["--data-dir", str(tmp_path / "j"), "import", str(plain)]) == 5
    assert "give one with --start" in capsys.readouterr().err  # no start time in the file: says what to do
    for path, start in ((plain, ["--start", "2026-11-02T07:30"]), (foreign, [])):
        assert main(["--data-dir", str(tmp_path / "j"), "import", str(path), "--json", *start]) == 0
        captured = capsys.readouterr()
        assert json.loads(captured.out)["imported"][0]["created"] is True
        assert "no calfload metadata" in captured.err
        assert main(["analyze", str(path), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["rep_count"] == true_reps(session)


# phyphox's Excel export: short sessions (openpyxl reads every cell in Python, about 10 µs each);
# .xls is the old Android versions' BIFF8 file of the same layout (read by xlrd).
@pytest.mark.parametrize(
    ("seed", "linear", "suffix"),
    [(31, False, ".xlsx"), (32, True, ".xlsx"), (33, False, ".xls"), (34, True, ".xls")],
    ids=["with_g", "linear", "xls_with_g", "xls_linear"],
)
def test_phyphox_excel_export_gives_the_true_rep_count(seed: int, linear: bool, suffix: str, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl" if suffix == ".xlsx" else "xlrd")
    spec = random_calf_session(np.random.default_rng(seed), sample_rate_hz=52.0, n_sets=1, walking=False)
    session = simulate_calf_session(spec)
    path = write_phyphox(session.recording, session.gravity_mps2, tmp_path / f"phyphox{suffix}", linear=linear)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rec = load_recording(path)
    assert analyze(rec).to_dict()["rep_count"] == true_reps(session)
    assert rec.meta.sample_rate_hz == pytest.approx(52.0, rel=0.01)
    assert abs((rec.meta.start_utc - session.recording.meta.start_utc).total_seconds()) < 0.1  # "Metadata Time"
    assert ("gravity estimated" in " ".join(str(w.message) for w in caught)) == linear


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0 binary", "not a readable Excel (.xls) file"),
        ("renamed.xls", b"PK an .xlsx renamed", "not a readable Excel (.xls) file"),
        ("broken.xlsx", b"PK not really a workbook", "not a readable Excel file"),
    ],
)
def test_bad_excel_files_are_one_line(
    name: str, content: bytes, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("openpyxl" if name.endswith(".xlsx") else "xlrd")
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["analyze", str(path)]) == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_the_judged_bad_inputs_leave_no_journal_on_import(
    session: SimulatedSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17's judged bad inputs through `import` too: one line, the data-error exit code, no journal."""
    no_time = tmp_path / "no_time.csv"
    no_time.write_text("ax,ay,az,gx,gy,gz\n" + "1,2,3,4,5,6\n" * 20)
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("time,ax,ay,az,gx,gy,gz\n" + "0.01,1,2,3,4,5,6\n" * 5 + "0.02;1;2;3;4;5;6\n" * 5)
    gyro = write_sensor_logger(session.recording, session.gravity_mps2, tmp_path / "sl", files=("Gyroscope",))
    for path, says in (
        (no_time, "no time column"),
        (mixed, "different separators"),
        (gyro, "gyroscope data with no matching accelerometer file"),
    ):
        home = tmp_path / f"journal-{path.stem}"
        assert says in _cli_error(["--data-dir", str(home), "import", str(path)], capsys)
        assert not home.exists()
    home = tmp_path / "configured"
    home.mkdir()
    (home / "config.toml").write_text("colour = 'red'\n")
    good = write_sensor_logger(session.recording, session.gravity_mps2, tmp_path / "good")
    assert "unknown key 'colour'" in _cli_error(["--data-dir", str(home), "import", str(good)], capsys)
    assert [p.name for p in home.iterdir()] == ["config.toml"]
