"""Parquet read through pyarrow's own reader (no ``pyarrow.fs``) equals ``pyarrow.parquet.ParquetFile``'s read.

The analysis path opens files with ``pyarrow._parquet.ParquetReader`` (calfload._parquet_read);
each test reads the same file both ways and compares schema, metadata and every column, on the
shipped sample, on tables with several row groups and nulls, and on the failures a user meets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from calfload import _parquet_read
from calfload._parquet_read import open_parquet, read_schema
from calfload.recording import read_parquet

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "calfload" / "sample_data" / "calf_tempo_3x12_104hz.parquet"


def _both_reads(path: Path) -> None:
    private, public = open_parquet(path, public=False), open_parquet(path, public=True)
    assert private.schema_arrow.equals(public.schema_arrow, check_metadata=True)
    for name in public.schema_arrow.names:
        mine, theirs = private.read_column(name), public.read_column(name)
        assert mine.type == theirs.type
        assert mine.equals(theirs), name


def test_the_sample_recording_reads_the_same_both_ways() -> None:
    _both_reads(SAMPLE)
    assert read_schema(SAMPLE).metadata == pq.read_schema(SAMPLE).metadata


def test_row_groups_nulls_and_types_read_the_same_both_ways(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 5000
    acc = rng.normal(size=n).astype(np.float32)
    mask = rng.random(n) < 0.01
    table = pa.table(
        {
            "t_s": pa.array(np.arange(n) / 100.0),
            "acc_x_mps2": pa.array(acc, mask=mask),
            "steps": pa.array(rng.integers(0, 9, n)),
            "flag": pa.array(rng.random(n) < 0.5),
            "note": pa.array([f"r{i % 7}" for i in range(n)]),
        }
    ).replace_schema_metadata({b"calfload": b"{}"})
    path = tmp_path / "groups.parquet"
    pq.write_table(table, path, row_group_size=777)
    assert pq.ParquetFile(path).metadata.num_row_groups > 1
    _both_reads(path)


@pytest.mark.parametrize("public", [False, True])
def test_failures_raise_what_the_readers_catch(tmp_path: Path, public: bool) -> None:
    with pytest.raises(FileNotFoundError):
        open_parquet(tmp_path / "missing.parquet", public=public)
    text = tmp_path / "notes.parquet"
    text.write_text("not parquet at all\n")
    with pytest.raises((OSError, pa.ArrowException)):
        open_parquet(text, public=public)
    with pytest.raises((OSError, pa.ArrowException)):
        open_parquet(tmp_path, public=public)  # a folder


def test_without_the_private_reader_reading_falls_back_to_parquet_file(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = read_parquet(SAMPLE)
    monkeypatch.setattr(_parquet_read, "_private_reader_works", lambda: False)
    assert isinstance(open_parquet(SAMPLE), _parquet_read._PublicReader)
    fallback = read_parquet(SAMPLE)
    assert fallback.meta == expected.meta
    assert fallback.data.equals(expected.data)


def test_times_are_written_byte_split_and_read_back_bit_for_bit(tmp_path: Path) -> None:
    # A 200 Hz time base with random jitter in every step (the hardest to compress) over ten
    # minutes: as a dictionary column (which overflows after its first megabyte) it took twice the
    # space it takes split by byte significance (an hour of the benchmark's run: 1.2 MB -> 0.04
    # MB), and pyarrow's public reader reads it as the same numbers.
    from calfload.recording import make_recording, write_parquet
    from calfload.schema import ACC_MPS2, GYR_DPS, T_S

    expected = read_parquet(SAMPLE)
    rng = np.random.default_rng(3)
    n = 120_000
    columns = {T_S: 1.0e9 + np.cumsum(rng.uniform(0.0049, 0.0051, n))}
    for name in (*ACC_MPS2, *GYR_DPS):  # a shaken sensor: 1 m/s² and 100 deg/s of noise
        columns[name] = rng.normal(0.0, 1.0 if name in ACC_MPS2 else 100.0, n).astype(np.float32)
    columns[ACC_MPS2[2]] += np.float32(9.81)
    rec = make_recording(columns, expected.meta.replace(sample_rate_hz=200.0))
    path = write_parquet(rec, tmp_path / "r.parquet")
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert chunk.path_in_schema == T_S
    assert "BYTE_STREAM_SPLIT" in chunk.encodings
    assert not any("DICTIONARY" in e for e in chunk.encodings)
    dictionary = tmp_path / "dictionary.parquet"
    pq.write_table(pa.table({T_S: pa.array(rec.column(T_S))}), dictionary, compression="zstd")  # the old way
    assert (
        chunk.total_compressed_size
        < 0.5 * pq.ParquetFile(dictionary).metadata.row_group(0).column(0).total_compressed_size
    )
    sensor = pq.ParquetFile(path).metadata.row_group(0).column(1)
    assert "RLE_DICTIONARY" in sensor.encodings  # the sensor columns as before
    back = read_parquet(path)
    for name, values in rec.columns.items():
        assert back.column(name).tobytes() == values.tobytes(), name
    assert pq.read_table(path).column(T_S).to_numpy().tobytes() == rec.column(T_S).tobytes()


@pytest.mark.parametrize("compressed", [True, False])
def test_columns_outlive_the_mapped_file(tmp_path: Path, compressed: bool) -> None:
    # The file is mapped, not read into buffers: the columns read are Arrow's own (or keep the
    # mapping alive), so they hold their values after the reader is closed and the file replaced.
    rng = np.random.default_rng(11)
    values = rng.normal(size=50_000).astype(np.float32)
    path = tmp_path / "mapped.parquet"

    def write(column: np.ndarray) -> None:
        table = pa.table({"acc_x_mps2": pa.array(column)})
        pq.write_table(table, path, compression="zstd" if compressed else "none", use_dictionary=False)

    for public in (False, True):
        write(values)
        source = open_parquet(path, public=public)
        column = source.read_column("acc_x_mps2")
        source.close()
        write(-values)  # a new file under the name
        assert np.array_equal(column.to_numpy(), values)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in Linux's /proc")
def test_reading_a_recording_starts_no_threads() -> None:
    # pyarrow reads ahead on I/O threads by default (pre_buffer): two more threads in a fresh
    # process, for a file read once from start to end.
    code = (
        "import os, pyarrow\n"
        "from calfload._parquet_read import open_parquet\n"
        "before = len(os.listdir('/proc/self/task'))\n"
        f"source = open_parquet({str(SAMPLE)!r})\n"
        "columns = [source.read_column(n) for n in source.schema_arrow.names]\n"
        "print(len(os.listdir('/proc/self/task')) - before)\n"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"
