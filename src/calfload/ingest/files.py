"""Open any supported recording file by its suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from calfload.errors import DataError
from calfload.recording import Recording, read_csv, read_parquet

Loader = Callable[[Path], list[Recording]]


def _parquet(path: Path) -> list[Recording]:
    return [read_parquet(path)]


def _csv(path: Path) -> list[Recording]:
    return [read_csv(path)]


def _fit(path: Path) -> list[Recording]:
    # fitdecode loads only for FIT files: it is not needed to read Parquet or CSV.
    from calfload.ingest.fit import read_fit

    return read_fit(path)


#: Suffix -> loader. A loader returns every stream the file holds (a FIT file may hold several).
LOADERS: Final[dict[str, Loader]] = {".parquet": _parquet, ".csv": _csv, ".fit": _fit}


def load_recordings(path: str | Path) -> list[Recording]:
    """Read every stream in a recording file.

    Raises
    ------
    DataError
        If the file does not exist, has an unsupported suffix, or breaks the contract.
    """
    path = Path(path)
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise DataError(
            f"unsupported file type {path.suffix or '(none)'}; calfload reads {', '.join(sorted(LOADERS))}",
            source=str(path),
        )
    if not path.is_file():
        raise DataError("no such file; check the path", source=str(path))
    return loader(path)


def load_recording(path: str | Path, *, kind: str | None = None) -> Recording:
    """Read the main stream of a recording file (the IMU stream if there is one).

    Parameters
    ----------
    path
        A ``.parquet``, ``.csv`` (or other registered) file.
    kind
        Prefer the stream of this kind when the file holds several.
    """
    streams = load_recordings(path)
    preferred = [kind] if kind else ["imu", "footpod"]
    for wanted in preferred:
        for rec in streams:
            if rec.meta.kind == wanted:
                return rec
    return streams[0]
