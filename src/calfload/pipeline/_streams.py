"""Which streams of the given files make one session: the analysable stream, heart rate, two feet.

``calfload analyze`` and ``calfload report`` take files or recording folders; a folder or a FIT
file can hold several streams (IMU, foot pod, heart rate), and two files can be the two feet of
one walk or run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from calfload.errors import AnalysisError

if TYPE_CHECKING:
    # pandas and pyarrow behind calfload.recording cost about 0.3 s to import: review imports this package.
    from pathlib import Path

    from calfload.journal import SessionRecord
    from calfload.recording import Recording


def check_pair(recordings: list[Recording]) -> None:
    """Refuse to join files that are not the two feet of one session: same side, same data, no overlap."""
    if len(recordings) < 2:
        return
    if len(recordings) > 2:
        raise AnalysisError("give at most two files together: the left and the right foot of one walk or run")
    problem = pair_problem(*recordings)
    if problem is not None:
        raise AnalysisError(problem)


def pair_problem(a: Recording, b: Recording, *, min_overlap: float = 0.0) -> str | None:
    """Why two recordings are not the two feet of one session (what to do, in one line), or None.

    Parameters
    ----------
    a, b
        The two recordings.
    min_overlap
        The share of the shorter recording the two must overlap in time by (0: any overlap).
        Recordings without a start time are not checked for overlap.
    """
    if a.meta.side == b.meta.side and a.meta.side in ("left", "right"):
        return (
            f"both files are of the {a.meta.side} foot ({a.source}, {b.source}); give the left and the right "
            "file of one walk or run, or analyse them one at a time"
        )
    same = a.columns.keys() == b.columns.keys()
    if same and all(np.array_equal(a.columns[k], b.columns[k], equal_nan=True) for k in a.columns):
        return f"{a.source} and {b.source} hold the same data; give the other foot's file"
    from calfload.schema import UNKNOWN_START_UTC  # pyarrow behind it: not on review's path

    if UNKNOWN_START_UTC not in (a.meta.start_utc, b.meta.start_utc):
        a0, b0 = a.meta.start_utc.timestamp() + a.t_s[0], b.meta.start_utc.timestamp() + b.t_s[0]
        overlap = min(a0 + a.duration_s, b0 + b.duration_s) - max(a0, b0)
        if overlap <= min_overlap * min(a.duration_s, b.duration_s):
            return (
                f"{a.source} and {b.source} do not overlap in time (recorded {abs(b0 - a0) / 60:.0f} min apart); "
                "give the two feet of one walk or run"
            )
    return None


def feet_pair(streams: list[Recording]) -> list[Recording]:
    """The left and right foot IMU streams of a two-sensor session folder, else nothing."""
    feet = [r for r in streams if r.meta.kind == "imu" and r.meta.side in ("left", "right")]
    return feet if len(feet) == 2 and feet[0].meta.side != feet[1].meta.side else []


def session_streams(streams: list[Recording]) -> tuple[Recording | None, list[Recording]]:
    """A file's or folder's analysable stream (IMU, else foot pod, else the first) and its heart-rate streams."""
    heart = [r for r in streams if r.meta.kind == "heart_rate"]
    others = [r for r in streams if r.meta.kind != "heart_rate"]
    for kind in ("imu", "footpod"):
        for r in others:
            if r.meta.kind == kind:
                return r, heart
    return (others[0] if others else None), heart


def stored_stream_paths(record: SessionRecord) -> list[Path]:
    """A journal session's stored streams in the order ``calfload report FILE...`` reads them.

    The analysed stream first; of a session with a sensor on each foot, the left and then the right
    foot (``stream_paths`` names the left foot's alone); heart rate last. Files no longer on disk
    are left out (the page then says which plots it cannot draw).
    """
    feet = list(record.feet)
    others = [p for kind, p in record.stream_paths.items() if kind != "heart_rate" and p not in feet]
    heart = [p for kind, p in record.stream_paths.items() if kind == "heart_rate"]
    return [p for p in (*feet, *others, *heart) if p.is_file()]


__all__ = ["check_pair", "feet_pair", "pair_problem", "session_streams", "stored_stream_paths"]
