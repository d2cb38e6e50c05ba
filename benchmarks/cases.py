"""The benchmark cases: each makes its input in ``workdir`` (cached by size) and returns one figure.

Times never include input generation. The analysis and report cases give the CPU seconds of
the work inside a running process (reading the file and the analysis, or rendering the report);
the review and ``--help`` cases give the wall time of the whole command. The ``*_command``
functions give each case's whole command, which ``benchmarks.whole`` times as the user runs it.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from calfload.recording import Recording
    from calfload.signal import GaitAnalysis


def _calf_session_file(workdir: Path, minutes: float) -> Path:
    from calfload.recording import write_parquet
    from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, SensorModel, simulate_calf_session

    path = workdir / f"calf_{minutes:g}min.parquet"
    if path.exists():
        return path
    rng = np.random.default_rng(0)
    blocks: list[Rest | RaiseSet] = [Rest(5.0)]
    spec = CalfSessionSpec(blocks=tuple(blocks), sensor=SensorModel(sample_rate_hz=200.0))
    while spec.duration_s < minutes * 60:
        reps = tuple(RaiseSpec(eccentric_s=float(rng.uniform(1.5, 4.0))) for _ in range(12))
        blocks += [RaiseSet(reps), Rest(40.0)]
        spec = CalfSessionSpec(blocks=tuple(blocks), sensor=SensorModel(sample_rate_hz=200.0))
    write_parquet(simulate_calf_session(spec).recording, path)
    return path


def calf_analyze(workdir: Path, minutes: float) -> float:
    """Seconds to read and analyse a calf session of ``minutes`` at 200 Hz."""
    from calfload.ingest import load_recording
    from calfload.signal import analyze

    path = _calf_session_file(workdir, minutes)
    start = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analyze(load_recording(path)).to_dict()
    return time.process_time() - start


def _run_file(workdir: Path, minutes: float) -> Path:
    """A foot-IMU run at 200 Hz: a simulated 5-minute run repeated to ``minutes``.

    One row group per write, so the 10-hour file (7.2 million rows) holds one 5-minute copy in memory;
    encoded as ``write_parquet`` does (``t_s`` byte-split: pyarrow's default took 17-23 ms to read, not 3).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from calfload._arrow import arrow_column
    from calfload.schema import METADATA_KEY, T_S
    from calfload.sim import RunSpec, SensorModel, simulate_run

    path = workdir / f"run_{minutes:g}min_split_t.parquet"  # a new name: files of the old encoding are not reused
    if path.exists():
        return path
    piece_s = min(300.0, minutes * 60)
    spec = RunSpec(duration_s=piece_s, cadence_spm=172.0, sensor=SensorModel(sample_rate_hz=200.0), seed=3)
    (rec,) = simulate_run(spec).recordings
    # The file carries its activity, as a recording made with `calfload record --activity run` does.
    meta = rec.meta.replace(activity="run")
    schema = meta.table.arrow_schema({METADATA_KEY: meta.to_json().encode()})
    copies = max(1, round(minutes * 60 / piece_s))
    per_group = max(1, 1_000_000 // rec.n_samples)  # about a million rows per row group, as write_parquet
    partial = path.with_name(path.name + ".partial")
    sensors = [c.name for c in meta.table.columns if c.name != T_S]  # lists, as documented (the stubs say bool)
    encodings: dict[str, Any] = {"use_dictionary": sensors, "use_byte_stream_split": [T_S]}
    with pq.ParquetWriter(partial, schema, compression="zstd", **encodings) as writer:
        for first in range(0, copies, per_group):
            ks = range(first, min(copies, first + per_group))
            arrays = []
            for c in meta.table.columns:
                values = rec.column(c.name)
                if c.name == T_S:
                    values = np.concatenate([values + k * (piece_s + 0.005) for k in ks])
                else:
                    values = np.tile(values, len(ks))
                arrays.append(arrow_column(values, c.arrow_type))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    partial.replace(path)
    return path


def run_with_stop_analyze(workdir: Path, minutes: float) -> float:
    """Seconds to analyse a run of ``minutes`` with a 10-minute standing stop in the middle."""
    import pandas as pd

    from calfload.ingest import load_recording
    from calfload.recording import make_recording, write_parquet
    from calfload.schema import T_S
    from calfload.signal import analyze

    path = workdir / f"run_stop_{minutes:g}min.parquet"
    if not path.exists():
        rec = load_recording(_run_file(workdir, minutes))
        half = rec.data[T_S] < minutes * 30
        still = rec.data[rec.data[T_S] < 1.0]
        stop = [still.assign(**{T_S: still[T_S] + minutes * 30 + k}) for k in range(600)]
        later = rec.data[~half].assign(**{T_S: rec.data[T_S][~half] + 600.0})
        frame = pd.concat([rec.data[half], *stop, later], ignore_index=True)
        write_parquet(make_recording(frame, rec.meta, source="benchmark run with a stop"), path)
    start = time.process_time()
    analyze(load_recording(path)).to_dict()
    return time.process_time() - start


def run_analyze(workdir: Path, minutes: float) -> float:
    """Seconds to read and analyse a foot-IMU run of ``minutes`` at 200 Hz."""
    from calfload.ingest import load_recording
    from calfload.signal import analyze

    path = _run_file(workdir, minutes)
    start = time.process_time()
    analyze(load_recording(path)).to_dict()
    return time.process_time() - start


def real_walk_analyze(name: str) -> Callable[[Path, float], float]:
    """Seconds to read and analyse the left foot of a real walk (``gaitmap`` or ``ipol``) tiled to ``minutes``."""

    def run(workdir: Path, minutes: float) -> float:
        from benchmarks.whole import tiled_file
        from calfload.ingest import load_recording
        from calfload.signal import analyze

        path = tiled_file(workdir, name, minutes)
        if path is None:
            raise FileNotFoundError(f"no {name} recording in ../shared/validation")
        start = time.process_time()
        analyze(load_recording(path)).to_dict()
        return time.process_time() - start

    return run


# ------------------------------------------------------------------- whole commands (argv, inputs made)


def _calfload(*args: str) -> list[str]:
    return [sys.executable, "-m", "calfload", *args]


def analyze_command(workdir: Path, path: Path) -> list[str]:
    """``calfload analyze PATH --json`` as a user runs it: no ``--data-dir`` (the children's home is empty)."""
    return _calfload("analyze", str(path), "--json")


def calf_command(workdir: Path, minutes: float) -> list[str] | None:
    return analyze_command(workdir, _calf_session_file(workdir, minutes))


def run_command(workdir: Path, minutes: float) -> list[str] | None:
    return analyze_command(workdir, _run_file(workdir, minutes))


def run_stop_command(workdir: Path, minutes: float) -> list[str] | None:
    run_with_stop_analyze(workdir, minutes)  # makes the file
    return analyze_command(workdir, workdir / f"run_stop_{minutes:g}min.parquet")


def real_walk_command(name: str) -> Callable[[Path, float], list[str] | None]:
    def command(workdir: Path, minutes: float) -> list[str] | None:
        from benchmarks.whole import tiled_file

        path = tiled_file(workdir, name, minutes)
        return None if path is None else analyze_command(workdir, path)

    return command


def review_command(workdir: Path, days: float) -> list[str] | None:
    folder = _journal_with_history(workdir, round(days))
    return _calfload("--data-dir", str(folder), "review", "--json", "--date", REVIEW_DAY.isoformat())


def report_command(workdir: Path, days: float) -> list[str] | None:
    """The period report; a fresh output name per run (reports are never written over a file)."""
    folder = _journal_with_history(workdir, max(round(days), 35))
    out = workdir / "period_cli.html"
    args = f"--data-dir {folder} report --since {round(days)}d --date {REVIEW_DAY.isoformat()} --out {out}"
    return ["sh", "-c", f"rm -f {out} && exec {sys.executable} -m calfload {args}"]


def help_command(workdir: Path, calls: float) -> list[str] | None:
    return _calfload("--help")


REVIEW_DAY = dt.date(2026, 11, 20)


def _journal_with_history(workdir: Path, days: int) -> Path:
    """A journal of ``days``: calf sessions three times a week, runs twice, daily pain and mass."""
    from calfload.ingest import load_recording
    from calfload.journal import Journal
    from calfload.signal import analyze

    folder = workdir / f"journal_{days}d"
    if (folder / "done").exists():
        return folder
    sample = Path(__file__).resolve().parents[1] / "src" / "calfload" / "sample_data" / "calf_endurance_52hz.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rec = load_recording(sample)
        calf = analyze(rec)
    rng = np.random.default_rng(days)
    with Journal(folder, today=REVIEW_DAY) as journal:
        journal.log_mass(70.0, REVIEW_DAY - dt.timedelta(days=days))
        for back in range(days, -1, -1):
            day = REVIEW_DAY - dt.timedelta(days=back)
            journal.log_pain(day, morning=int(rng.integers(0, 3)), during=int(rng.integers(0, 3)))
            start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
            if day.weekday() in (0, 2, 4):
                streams, analysis = [_restamp(rec, start, "calf_raise")], calf
            elif day.weekday() in (1, 5):
                streams, analysis = [_restamp(rec, start, "run")], _run_summary(rng)
            else:
                continue
            journal.add_session(
                streams=streams, analysis=analysis, content_sha256=f"{days:04d}{back:060d}", source_name=f"{day}.csv"
            )
    (folder / "done").write_text("")
    return folder


def _restamp(rec: Recording, start: dt.datetime, activity: str) -> Recording:

    return rec.with_meta(start_utc=start, activity=activity)


def _run_summary(rng: np.random.Generator) -> GaitAnalysis:
    from calfload.signal import GaitAnalysis

    duration_s = float(rng.uniform(1800, 3600))
    cadence = float(rng.uniform(160, 176))
    return GaitAnalysis(
        activity="run",
        activity_detected=False,
        duration_s=duration_s,
        steps=round(cadence * duration_s / 60),
        steps_doubled_from_one_foot=True,
        strides=None,
        cadence_mean_spm=cadence,
        cadence_median_spm=cadence,
        series=(),
        ground_contact_median_ms=float(rng.uniform(220, 260)),
        bouts=(),
        source="imu",
        placement="foot",
        device="benchmark",
        speed_mps=float(rng.uniform(2.6, 3.2)),
    )


def review_history(workdir: Path, days: float) -> float:
    """Wall seconds of the whole ``calfload review --json`` command over ``days`` of journal history.

    Timed as a subprocess, interpreter start and imports included: that is what the user waits
    for (importing the load model alone once cost 0.42 s, more than the review itself).
    """
    folder = _journal_with_history(workdir, round(days))
    command = [sys.executable, "-m", "calfload", "--data-dir", str(folder), "review", "--json"]
    command += ["--date", REVIEW_DAY.isoformat()]
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - start


PMD_SAMPLES_PER_FRAME = 36  # a Verity Sense gyro frame at 416 Hz with the default MTU


def _pmd_frames(count: int) -> list[bytes]:
    """Delta-compressed gyroscope frames of a simulated calf session at 416 Hz."""
    from calfload.ingest.pmd import MeasurementType, encode_pmd_frame
    from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, SensorModel, simulate_calf_session

    reps = tuple(RaiseSpec() for _ in range(20))
    spec = CalfSessionSpec(blocks=(Rest(5.0), RaiseSet(reps), Rest(5.0)), sensor=SensorModel(sample_rate_hz=416.0))
    gyr = simulate_calf_session(spec).recording.gyr_dps()
    # Verity gyro factor: 0.07 deg/s per count; repeat the session if more frames are asked for.
    counts = np.resize(np.round(gyr / 0.07).astype(np.int64), (count * PMD_SAMPLES_PER_FRAME, 3))
    frames = []
    for k in range(count):
        block = counts[k * PMD_SAMPLES_PER_FRAME : (k + 1) * PMD_SAMPLES_PER_FRAME]
        frames.append(encode_pmd_frame(MeasurementType.GYRO, 10**12 + k * 86_538_461, block, frame_type=0x81))
    return frames


def pmd_decode(workdir: Path, frames: float) -> float:
    """PMD gyroscope frames (delta-compressed, 36 samples) decoded per second."""
    from calfload.ingest.pmd import decode_pmd_frame

    data = _pmd_frames(round(frames))
    start = time.perf_counter()
    for frame in data:
        decode_pmd_frame(frame, factor=0.07)
    return len(data) / (time.perf_counter() - start)


def recorder_cpu(workdir: Path, seconds: float) -> float:
    """CPU share (% of one core) of ``calfload record`` at 416 Hz six-axis, in real time.

    The recorder runs against ``sim:polar`` in its own process; the virtual device's cost is
    included, so the recorder alone uses less. Start-up and finalising are removed by
    subtracting a short run. Sizes under 10 s (smoke runs only) run the virtual clock four times
    faster, which exercises the code but does not measure real-time load.
    """
    scale = 1.0 if seconds >= 10 else 4.0
    long_s = seconds * scale
    short_s = max(6.0, long_s / 4)

    def cpu_of(duration_s: float) -> float:
        out = workdir / f"rec_{duration_s:g}s_{time.monotonic_ns()}"
        command = [sys.executable, "-m", "calfload", "-q", "record", "--device", "sim:polar", "--rate", "416"]
        command += ["--duration", f"{duration_s:g}s", "--out", str(out), "--time-scale", f"{scale:g}"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        env = {**os.environ, "CALFLOAD_HOME": str(workdir / "no-journal")}
        subprocess.run(command, capture_output=True, check=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    return 100.0 * (cpu_of(long_s) - cpu_of(short_s)) / ((long_s - short_s) / scale)


def period_report(workdir: Path, days: float) -> float:
    """Seconds to build and render the HTML period report of ``days`` (journal read included)."""
    from calfload.journal import Journal
    from calfload.pipeline import review_period
    from calfload.report import render_period_html

    folder = _journal_with_history(workdir, max(round(days), 35))
    start = time.process_time()
    with Journal(folder, today=REVIEW_DAY) as journal:
        html = render_period_html(review_period(journal, REVIEW_DAY, since_days=round(days)))
    (workdir / f"period_{days:g}d.html").write_text(html)
    return time.process_time() - start


def cli_help(workdir: Path, calls: float) -> float:
    """Wall seconds of the whole ``calfload --help`` command, interpreter start included."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "calfload", "--help"], capture_output=True, check=True)
    return time.perf_counter() - start


def _batch_folder(workdir: Path, files: float) -> Path:
    """``files`` simulated one-set calf sessions (104 Hz) in a folder tree, made once."""
    from calfload.sim import random_calf_session, simulate_calf_session

    n = int(files)
    root = workdir / f"batch_{n}"
    done = root / ".complete"
    if done.exists():
        return root
    for i in range(n):
        spec = random_calf_session(np.random.default_rng(1000 + i), sample_rate_hz=104.0, n_sets=1, walking=False)
        simulate_calf_session(spec).write(root / f"athlete{i % 10:02d}", f"session{i:04d}")
    done.write_text("")
    return root


def batch_speedup(workdir: Path, files: float) -> float:
    """Wall-time speed-up of ``calfload batch`` on the local process pool over one process."""
    import shutil

    from calfload.pipeline.batch import run_batch

    root = _batch_folder(workdir, files)
    walls = {}
    for workers in (1, os.cpu_count() or 1):
        out = workdir / f"batch_out_{workers}"
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            summary = run_batch(root, out, workers=workers)
        walls[workers] = time.perf_counter() - start
        if summary.failed or summary.analysed != int(files):
            raise RuntimeError(f"batch analysed {summary.analysed} and failed {summary.failed} of {int(files)}")
    return walls[1] / walls[max(walls)]
