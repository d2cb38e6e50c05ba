"""The parameters and results of the cadence alerts (:mod:`calfload.loadmodel._cadence`).

Every parameter carries its unit in its name; results are frozen and serialise to the
``cadence_check`` object of ``calfload analyze --json``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from calfload._lazy import DeferredModule, lazy_exports

if TYPE_CHECKING:  # a review without runs reads these types, not NumPy
    import numpy as np

    from calfload.loadmodel import _cadence_alerts
    from calfload.loadmodel._cadence_alerts import CadenceAlert, SessionCadence
else:
    # The alert records are made on first use (a run without alerts never makes them); the
    # annotations name them through the deferred module, so typing.get_type_hints resolves them.
    _cadence_alerts = DeferredModule("calfload.loadmodel._cadence_alerts")
__getattr__, __dir__ = lazy_exports(
    __name__, {"calfload.loadmodel._cadence_alerts": ("CadenceAlert", "SessionCadence")}
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CadenceAlertParams:
    """Parameters of the cadence alerts (module docstring, steps 1-6).

    Parameters
    ----------
    min_speed_mps, min_cadence_spm
        Slower windows are not running and are not judged.
    min_runs, min_windows
        Earlier runs and windows needed to learn the runner's relation (counts; dimensionless).
    relation_runs
        The relation is learnt from at most this many of the latest earlier runs that teach it
        (count): the runner's current habit, and a learning whose cost does not grow with the
        years of history (so storing every run's check is linear in the runs).
    min_speed_span_mps
        Speed span (10th to 90th percentile) needed to learn the slope.
    assumed_slope_spm_per_mps
        Slope used when the span is too narrow (an assumption).
    smooth_s
        Running median of the deficit.
    threshold_pct, max_threshold_pct
        Deficit below which a stretch alerts; raised to twice the runner's residual SD, at most the maximum.
    min_alert_s
        Shortest alert.
    max_join_s
        Stretches closer than this are joined.
    """

    min_speed_mps: float = 1.8
    min_cadence_spm: float = 130.0
    min_runs: int = 2
    min_windows: int = 30
    relation_runs: int = 30
    min_speed_span_mps: float = 0.5
    assumed_slope_spm_per_mps: float = 8.0
    smooth_s: float = 60.0
    threshold_pct: float = 3.0
    max_threshold_pct: float = 4.5
    min_alert_s: float = 120.0
    max_join_s: float = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class CadenceSpeedRelation:
    """A runner's cadence as a function of speed: ``cadence = intercept + slope · speed``."""

    intercept_spm: float
    slope_spm_per_mps: float
    residual_sd_pct: float
    runs: int
    windows: int
    slope_assumed: bool

    def expected_spm(self, speed_mps: np.ndarray) -> np.ndarray:
        """The cadence this runner has at each speed."""
        return self.intercept_spm + self.slope_spm_per_mps * speed_mps


@dataclass(frozen=True, slots=True, kw_only=True)
class CadenceCheck:
    """The cadence alerts of one run (a typed value for ``analyze``, ``review`` and the run report).

    Parameters
    ----------
    reference
        ``habitual relation`` or ``first half of this run``.
    threshold_pct
        The deficit that alerts.
    judged_s
        Running time judged.
    alerts
        The stretches.
    relation
        The runner's relation used, if any.
    target_increase_pct, target_met_share
        The retraining target chosen and the share of judged time that met it (None without a target).
    asymmetry
        Left/right alerts (step 7).
    """

    reference: str
    threshold_pct: float
    judged_s: float
    alerts: tuple[_cadence_alerts.CadenceAlert, ...]
    relation: CadenceSpeedRelation | None = None
    target_increase_pct: float | None = None
    target_met_share: float | None = None
    asymmetry: tuple[_cadence_alerts.AsymmetryAlert, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """The ``cadence_check`` object of the JSON output."""
        doc = _rounded(asdict(self))
        return doc if isinstance(doc, dict) else {}


@dataclass(frozen=True, slots=True, kw_only=True)
class JudgedRun:
    """A run's cadence check without a retraining target, and the judged windows a target is checked on.

    The journal stores it with the run's load, so ``review`` reads it and adds the athlete's current
    target (:meth:`with_target`) without parsing the run's analysis or importing NumPy.

    Parameters
    ----------
    check
        The check (``target_increase_pct`` None).
    cadence_spm, expected_spm
        Each judged window's cadence and the reference cadence at its speed (empty when not judged).
    """

    check: CadenceCheck
    cadence_spm: tuple[float, ...] = ()
    expected_spm: tuple[float, ...] = ()

    def with_target(self, target_increase_pct: float | None) -> CadenceCheck:
        """The check with the share of judged windows that reached ``target_increase_pct`` (step 6)."""
        if target_increase_pct is None or not self.cadence_spm:
            return self.check
        share = target_met_share(self.cadence_spm, self.expected_spm, target_increase_pct)
        return dataclasses.replace(self.check, target_increase_pct=target_increase_pct, target_met_share=share)


def target_met_share(cadence_spm: Sequence[float], expected_spm: Sequence[float], target_increase_pct: float) -> float:
    """The share of windows whose cadence reached ``(1 + target) ×`` the expected one, to 3 decimals.

    Plain Python, the same bits as NumPy's ``mean`` of the comparison (a count over a count).
    """
    factor = 1.0 + target_increase_pct / 100.0
    met = sum(1 for c, e in zip(cadence_spm, expected_spm, strict=True) if c >= factor * e)
    return round(met / len(cadence_spm), 3)


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 3) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


__all__ = [
    "CadenceAlert",
    "CadenceAlertParams",
    "CadenceCheck",
    "CadenceSpeedRelation",
    "JudgedRun",
    "SessionCadence",
    "target_met_share",
]
