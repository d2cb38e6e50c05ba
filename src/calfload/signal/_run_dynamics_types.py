"""Running dynamics of a run, as the result types of :mod:`calfload.signal._run_dynamics`.

Kept apart from the computation so that reading stored results (``review``) imports neither
pandas nor pyarrow.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from calfload._recording_facts import FitLap


@dataclass(frozen=True, slots=True, kw_only=True)
class RunLap(FitLap):
    """One lap as the device summarised it (None where it did not say), numbered.

    The lap's fields are the FIT reader's :class:`~calfload.schema.FitLap` (declared once there);
    the result adds its number in the run.

    Parameters
    ----------
    index
        The lap's number in the run, from 1.
    """

    index: int

    @property
    def pace_s_per_km(self) -> float | None:
        """Seconds per kilometre at the lap's average speed."""
        return _pace(self.speed_mps)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready; the pace is added for readers (it is derived, not stored)."""
        doc = _rounded(asdict(self))
        return {"index": doc.pop("index"), **doc, "pace_s_per_km": _r(self.pace_s_per_km, 1)}  # index first, as before


@dataclass(frozen=True, slots=True, kw_only=True)
class DynamicsSample:
    """The medians of one window of the run (None where the file has no such values)."""

    t_s: float
    speed_mps: float | None = None
    cadence_spm: float | None = None
    heart_rate_bpm: float | None = None
    power_w: float | None = None
    ground_contact_ms: float | None = None
    vertical_oscillation_mm: float | None = None
    contact_balance_left_pct: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RunningDynamics:
    """What a foot pod or watch reported over a run besides steps and cadence.

    Parameters
    ----------
    moving_s
        Moving time the means are taken over.
    heart_rate_mean_bpm, heart_rate_max_bpm
        Heart rate the device stored with its records.
    speed_mean_mps
        Time-weighted mean moving speed (its pace is ``pace_mean_s_per_km``).
    power_mean_w
        Running power (the watch's own, else Stryd's developer field).
    ground_contact_mean_ms
        Ground-contact (stance) time.
    contact_balance_left_pct
        The left foot's share of ground-contact time (50 % is symmetric).
    vertical_oscillation_mean_mm, vertical_ratio_mean_pct
        Trunk bounce per step, and bounce over step length.
    step_length_mean_m
        Step length the device reported.
    form_power_mean_w, air_power_mean_w, leg_stiffness_mean_knpm
        Stryd's developer fields.
    sources
        ``(column, source)``: ``record`` or ``Stryd developer field``, for the quantities a file
        can carry either way.
    laps
        The device's laps.
    series
        Per-window medians.
    """

    moving_s: float
    heart_rate_mean_bpm: float | None = None
    heart_rate_max_bpm: float | None = None
    speed_mean_mps: float | None = None
    power_mean_w: float | None = None
    ground_contact_mean_ms: float | None = None
    contact_balance_left_pct: float | None = None
    vertical_oscillation_mean_mm: float | None = None
    vertical_ratio_mean_pct: float | None = None
    step_length_mean_m: float | None = None
    form_power_mean_w: float | None = None
    air_power_mean_w: float | None = None
    leg_stiffness_mean_knpm: float | None = None
    sources: tuple[tuple[str, str], ...] = ()
    laps: tuple[RunLap, ...] = ()
    series: tuple[DynamicsSample, ...] = ()

    @property
    def pace_mean_s_per_km(self) -> float | None:
        """Seconds per kilometre at the mean moving speed."""
        return _pace(self.speed_mean_mps)

    def to_dict(self) -> dict[str, object]:
        """The ``running_dynamics`` object of ``calfload analyze --json``."""
        scalars = {k: v for k, v in asdict(self).items() if k not in ("sources", "laps", "series")}
        return {
            **_rounded(scalars),
            "pace_mean_s_per_km": _r(self.pace_mean_s_per_km, 1),
            "sources": [list(s) for s in self.sources],
            "laps": [lap.to_dict() for lap in self.laps],
            "series": [_rounded(asdict(s)) for s in self.series],
        }


def _pace(speed_mps: float | None) -> float | None:
    return None if speed_mps is None or not speed_mps > 0 else 1000.0 / speed_mps


def _rounded(doc: dict[str, object]) -> dict[str, object]:
    return {k: _r(v, 3) if isinstance(v, float) else v for k, v in doc.items()}


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, digits)


__all__ = ["DynamicsSample", "RunLap", "RunningDynamics"]
