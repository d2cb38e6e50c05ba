"""Results of the stride-length integration (:mod:`calfload.signal._trajectory`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

#: The source label of speed and distance measured by zero-velocity-aided integration of a foot IMU.
IMU_ZUPT = "imu_zupt"


@dataclass(frozen=True, slots=True)
class Stride:
    """One stride of one foot, from a zero-velocity moment to the next (a row of ``gait_strides``).

    Attributes
    ----------
    side
        The foot (``left``, ``right`` or ``unknown``).
    start_s, end_s
        The two zero-velocity moments (mid-stance), on the first recording's clock.
    duration_s
        The stride time: initial contact to initial contact where both are known, else
        ``end_s - start_s``.
    length_m
        Horizontal distance the foot moved.
    speed_mps
        ``length_m`` over ``duration_s``.
    rise_m
        Height gained (negative when the stride went down).
    valid
        False when the stride failed a plausibility check; it is then not in the figures.
    """

    side: str
    start_s: float
    end_s: float
    duration_s: float
    length_m: float
    speed_mps: float
    rise_m: float
    valid: bool


#: The columns of a :class:`StrideTable`, in :class:`Stride`'s order.
_COLUMNS = ("side", "start_s", "end_s", "duration_s", "length_m", "speed_mps", "rise_m", "valid")


@dataclass(frozen=True, slots=True, eq=False)
class StrideTable(Sequence[Stride]):
    """Strides as columns, one array per :class:`Stride` field (a row of each is one stride).

    An hour of running has about 5,000 strides: the figures are computed from the columns, and a
    :class:`Stride` is made only when a row is read (iterating, indexing).

    Attributes
    ----------
    side
        The foot of each stride (``left``, ``right`` or ``unknown``), a string array.
    start_s, end_s, duration_s, length_m, speed_mps, rise_m
        As in :class:`Stride`, float64 arrays.
    valid
        As in :class:`Stride`, a bool array.
    """

    side: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray
    duration_s: np.ndarray
    length_m: np.ndarray
    speed_mps: np.ndarray
    rise_m: np.ndarray
    valid: np.ndarray

    @classmethod
    def of(cls, rows: Iterable[Stride]) -> StrideTable:
        """The table of ``rows`` (``rows`` itself when it is a table)."""
        if isinstance(rows, StrideTable):
            return rows
        listed = list(rows)
        if not listed:
            return cls.empty()
        side, *figures, valid = ([getattr(row, name) for row in listed] for name in _COLUMNS)
        start, end, duration, length, speed, rise = (np.array(v, dtype=np.float64) for v in figures)
        return cls(np.array(side, dtype=str), start, end, duration, length, speed, rise, np.array(valid, dtype=bool))

    @classmethod
    def empty(cls) -> StrideTable:
        """A table without strides."""
        none = np.zeros(0)
        return cls(np.zeros(0, dtype=str), none, none, none, none, none, none, np.zeros(0, dtype=bool))

    @classmethod
    def joined(cls, tables: Sequence[Iterable[Stride]]) -> StrideTable:
        """The strides of ``tables`` one after the other."""
        parts = [cls.of(t) for t in tables]
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls.empty()
        return cls(*(np.concatenate([getattr(t, name) for t in parts]) for name in _COLUMNS))

    def take(self, index: np.ndarray | slice) -> StrideTable:
        """The strides at ``index`` (integer indices, a mask or a slice), as a table."""
        return StrideTable(*(getattr(self, name)[index] for name in _COLUMNS))

    def __len__(self) -> int:
        return int(self.start_s.size)

    @overload
    def __getitem__(self, index: int) -> Stride: ...

    @overload
    def __getitem__(self, index: slice) -> StrideTable: ...

    def __getitem__(self, index: int | slice) -> Stride | StrideTable:
        if isinstance(index, slice):
            return self.take(index)
        return Stride(*(getattr(self, name)[index].item() for name in _COLUMNS))

    def __iter__(self) -> Iterator[Stride]:
        columns = (getattr(self, name).tolist() for name in _COLUMNS)
        return (Stride(*row) for row in zip(*columns, strict=True))


@dataclass(frozen=True, slots=True, kw_only=True)
class StrideSummary:
    """Stride length, speed and distance of a walk or run from foot-IMU strides.

    Parameters
    ----------
    stride_length_median_m
        Median length of the valid strides (same foot, both feet pooled).
    stride_length_iqr_m
        25th and 75th percentile of the valid stride lengths.
    speed_mps
        Distance over the time spent striding (pauses between strides are not counted).
    distance_m
        Sum of one foot's stride lengths (with both feet, the mean of the two sums); strides left
        out count at the median of the valid strides around them.
    moving_s
        Time spent striding (one foot's strides; with both feet, their mean).
    strides
        Valid strides (both feet together).
    left_out
        Strides that failed a plausibility check (both feet together).
    speed_series
        ``(t_s, speed_mps)`` per window of the cadence series (window centres as there), from the
        valid strides; what the cadence alerts read as the run's speed.
    """

    stride_length_median_m: float
    stride_length_iqr_m: tuple[float, float]
    speed_mps: float
    distance_m: float
    moving_s: float
    strides: int
    left_out: int
    speed_series: tuple[tuple[float, float], ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, rounded (the ``stride_lengths`` object of ``calfload analyze --json``)."""
        return {
            "median_m": round(self.stride_length_median_m, 3),
            "iqr_m": [round(self.stride_length_iqr_m[0], 3), round(self.stride_length_iqr_m[1], 3)],
            "speed_mps": round(self.speed_mps, 3),
            "distance_m": round(self.distance_m, 1),
            "moving_s": round(self.moving_s, 1),
            "strides": self.strides,
            "left_out": self.left_out,
            "method": IMU_ZUPT,
            "speed_series": [{"t_s": round(t, 1), "speed_mps": round(v, 3)} for t, v in self.speed_series],
        }
