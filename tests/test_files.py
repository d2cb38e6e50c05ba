"""The one rule for every file calfload writes (:mod:`calfload._files`), with injected faults."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calfload import _files
from calfload._files import atomic_writer, os_error_text, private_dir, write_bytes_atomic
from calfload.recording import Recording, make_recording, read_parquet, write_parquet
from calfload.schema import ACC_MPS2, GYR_DPS, T_S, RecordingMeta

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symbolic links")


def _recording() -> Recording:
    """Ten seconds of a sensor standing still at 100 Hz."""
    t = np.arange(1000) / 100.0
    frame = pd.DataFrame({T_S: t, **{n: np.zeros_like(t) for n in (*ACC_MPS2, *GYR_DPS)}})
    frame[ACC_MPS2[2]] = 9.81
    meta = RecordingMeta(sample_rate_hz=100.0, start_utc=dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC))
    return make_recording(frame, meta)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_new_files_and_folders_are_private(tmp_path: Path) -> None:
    folder = private_dir(tmp_path / "a" / "b")
    path = write_bytes_atomic(folder / "x.bin", b"data")
    assert path.read_bytes() == b"data"
    assert _mode(path) == 0o600
    assert _mode(tmp_path / "a") == 0o700
    assert _mode(folder) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["x.bin"]  # no temporary left


def test_never_over_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "theirs.txt"
    path.write_bytes(b"someone else's")
    with pytest.raises(FileExistsError):
        write_bytes_atomic(path, b"ours")
    assert path.read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["theirs.txt"]
    write_bytes_atomic(path, b"ours", overwrite=True)  # only when asked to
    assert path.read_bytes() == b"ours"


def test_a_file_that_appears_during_the_write_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"

    def race() -> None:
        with atomic_writer(path) as fh:
            fh.write(b"ours")
            path.write_bytes(b"arrived meanwhile")  # the race a check-then-rename would lose

    with pytest.raises(FileExistsError):
        race()
    assert path.read_bytes() == b"arrived meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["late.txt"]


@posix_only
def test_symbolic_links_are_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / "out.txt"
    link.symlink_to(victim)
    with pytest.raises(FileExistsError):
        write_bytes_atomic(link, b"x")
    # The old writer used PATH.part: a link planted there sent the data into the victim.
    rec = _recording()
    (tmp_path / "r.parquet.part").symlink_to(victim)
    write_parquet(rec, tmp_path / "r.parquet")
    assert victim.read_bytes() == b"precious"
    assert len(read_parquet(tmp_path / "r.parquet").data) == len(rec.data)


def test_temporary_names_are_unique_and_exclusive(tmp_path: Path) -> None:
    names = {_files.temp_name(tmp_path / "f").name for _ in range(50)}
    assert len(names) == 50
    planted = _files.temp_name(tmp_path / "f")
    planted.write_bytes(b"")
    with pytest.raises(FileExistsError):
        _files.create_exclusive(planted)


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "disk is full"), (errno.EFBIG, "ulimit -f")])
def test_a_failed_write_leaves_nothing_and_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    def refuse(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError, match=os.strerror(code)) as info:
        write_bytes_atomic(tmp_path / "f.bin", b"data")
    assert words in os_error_text(info.value)
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_parquet_recordings_are_private(tmp_path: Path) -> None:
    rec = _recording()
    path = write_parquet(rec, tmp_path / "r.parquet")
    assert _mode(path) == 0o600
    with pytest.raises(FileExistsError):
        write_parquet(rec, path)


def test_csv_keeps_the_time_of_long_recordings(tmp_path: Path) -> None:
    """A 100 Hz recording past 1000 s: six significant digits made consecutive times equal."""
    from calfload.recording import read_csv, write_csv

    rec = _recording()
    long = type(rec)({**rec.columns, "t_s": rec.t_s + 86_000.0}, rec.meta, rec.source)
    back = read_csv(write_csv(long, tmp_path / "long.csv"))
    assert np.allclose(back.t_s, long.t_s, rtol=0, atol=1e-4)
