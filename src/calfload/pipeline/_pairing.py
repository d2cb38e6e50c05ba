"""Which files of an import are the two feet of one walk or run, from their metadata alone.

``calfload import`` pairs a left and a right foot recording into one session. Deciding that from
the samples would hold every new file in memory at once; the metadata says enough: the stream's
kind, placement, side, start time and sensor, and a Parquet file's first and last sample time
(its column statistics). So the files are paired first and then read, analysed and staged one
session at a time. :func:`calfload.pipeline._streams.pair_problem` still checks the two feet with
their samples when they are read (two files holding the same data are not two feet).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from calfload.schema import RecordingMeta

#: The share of the shorter recording two feet must overlap by in time (as ``import`` always required).
MIN_OVERLAP: Final = 0.5


@dataclass(frozen=True, slots=True)
class FootFacts:
    """What pairing needs to know of one file's foot IMU stream.

    Parameters
    ----------
    side
        ``left`` or ``right``.
    start_s, end_s
        The first and the last sample (s since the Unix epoch).
    address
        The sensor's address, when the metadata names one (one sensor is never both feet).
    """

    side: str
    start_s: float
    end_s: float
    address: str | None


def foot_facts(path: Path, change: Callable[[RecordingMeta], RecordingMeta]) -> FootFacts | None:
    """The facts of a file's (or recording folder's) foot IMU stream, read without its samples.

    Parameters
    ----------
    path
        A recording file or folder, as ``import`` takes it.
    change
        The import's metadata overrides, applied to the stream's metadata.

    Returns
    -------
    FootFacts or None
        None when the file is not one foot's IMU walk or run with a known start: a calf-raise or
        hop recording is one leg's session of its own, formats without calfload metadata (phone
        exports, FIT files) never carry a side of their own, and a two-sensor session folder
        already holds both feet. A file that cannot be read is None
        here and says what is wrong when it is read for its analysis.
    """
    parquet = _parquet_files(path)
    if not parquet:
        return None
    import pyarrow as pa

    from calfload.errors import CalfloadError
    from calfload.recording import read_metadata

    try:
        metas = [(p, change(read_metadata(p))) for p in parquet]
        span = _time_span_s(_main(metas)[0])
    except (CalfloadError, OSError, pa.ArrowException):  # said when the file is read for its analysis
        return None
    meta = _main(metas)[1]
    from calfload.schema import UNKNOWN_START_UTC

    if meta.kind != "imu" or meta.placement != "foot" or meta.side not in ("left", "right"):
        return None
    if meta.activity in ("calf_raise", "hops"):  # each leg's set is a session of its own
        return None
    if meta.start_utc == UNKNOWN_START_UTC:
        return None
    if span is None:
        return None
    start = meta.start_utc.timestamp()
    return FootFacts(meta.side, start + span[0], start + span[1], meta.sensor.address)


def pair_feet(facts: Sequence[FootFacts | None]) -> list[tuple[int, ...]]:
    """The files grouped into sessions, in file order: each foot with the first later file of the other foot.

    Two files are the two feet of one walk or run when they are of opposite sides, not one
    sensor, and overlap in time by at least :data:`MIN_OVERLAP` of the shorter one.

    Returns
    -------
    list of tuple of int
        Indices into ``facts``: ``(i,)`` for a session of one file, ``(i, j)`` for two feet.
    """
    groups: list[tuple[int, ...]] = []
    used: set[int] = set()
    for i, item in enumerate(facts):
        if i in used:
            continue
        used.add(i)
        partner = next(
            (j for j in range(i + 1, len(facts)) if j not in used and _same_run(item, facts[j])),
            None,
        )
        if partner is not None:
            used.add(partner)
        groups.append((i,) if partner is None else (i, partner))
    return groups


def _same_run(a: FootFacts | None, b: FootFacts | None) -> bool:
    if a is None or b is None or {a.side, b.side} != {"left", "right"}:
        return False
    if a.address is not None and a.address == b.address:
        return False
    overlap = min(a.end_s, b.end_s) - max(a.start_s, b.start_s)
    return overlap > MIN_OVERLAP * min(a.end_s - a.start_s, b.end_s - b.start_s)


def _main(metas: list[tuple[Path, RecordingMeta]]) -> tuple[Path, RecordingMeta]:
    """The analysed stream's file and metadata: the IMU stream, else the foot pod, else the first."""
    for kind in ("imu", "footpod"):
        for item in metas:
            if item[1].kind == kind:
                return item
    return metas[0]


def _parquet_files(path: Path) -> list[Path]:
    """The calfload files of a file or a one-sensor recording folder (as ``load_recordings`` reads them).

    A calfload Parquet file, a calfload CSV file (``# calfload:`` metadata line), or the Parquet
    files of a recording folder.
    """
    if path.is_file():  # a CSV without calfload's metadata line is refused by read_metadata
        return [path] if path.suffix.lower() in (".parquet", ".csv") else []
    if path.is_dir():
        return sorted(path.glob("*.parquet"))
    return []


def _time_span_s(path: Path) -> tuple[float, float] | None:
    """The first and the last sample time (s from the start) from the Parquet column statistics.

    Parquet files without statistics are read for their time column alone; a calfload CSV file
    (rarely two feet: calfload writes Parquet) is read whole, and let go.
    """
    import pyarrow.parquet as pq

    if path.suffix.lower() == ".csv":
        from calfload.recording import read_csv

        t = read_csv(path).t_s
        return (float(t[0]), float(t[-1])) if t.size else None

    from calfload.schema import T_S

    pfile = pq.ParquetFile(path)
    names = pfile.schema_arrow.names
    if T_S not in names or pfile.metadata.num_rows == 0:
        return None
    index = names.index(T_S)
    stats = [pfile.metadata.row_group(g).column(index).statistics for g in range(pfile.metadata.num_row_groups)]
    lows: list[float] = []
    highs: list[float] = []
    for s in stats:
        if s is not None and s.has_min_max and isinstance(s.min, float) and isinstance(s.max, float):
            lows.append(s.min)
            highs.append(s.max)
    if len(lows) == len(stats):
        return min(lows), max(highs)
    t = pfile.read(columns=[T_S], use_threads=False).column(0).to_numpy()
    return float(t.min()), float(t.max())


__all__ = ["MIN_OVERLAP", "FootFacts", "foot_facts", "pair_feet"]
