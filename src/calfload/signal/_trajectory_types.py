"""Results of the stride-length integration (:mod:`calfload.signal._trajectory`)."""

from __future__ import annotations

from dataclasses import dataclass

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
