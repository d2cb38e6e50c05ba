"""Running dynamics of a foot-pod or FIT stream: heart rate, pace, power, contact, laps.

What the watch or pod recorded besides steps and cadence (:mod:`calfload.ingest.fit_dynamics`
maps the FIT fields onto the stream's nullable columns). The steps, numbered as in the code:

1. **Moving records.** A record counts while the runner moves: its cadence is above zero, or,
   in a file without cadence, its speed is above ``_MOVING_SPEED_MPS``; records inside the
   recording's gaps (paused timer) do not count.
2. **Run figures** are time-weighted means over the moving records (each record stands for the
   time to the next one, at most ``max_sample_gap_s``), as the devices' own session averages are
   means over timer time; heart rate also has its maximum.
3. **Series**: the median of each quantity per ``window_s`` window, for plots and for the load model.
4. **Laps** are the device's own lap summaries, with their pace.

Everything absent from the file stays None: nothing is estimated here.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Final

import numpy as np

from calfload._recording_facts import FitLap
from calfload._stats import median
from calfload.schema import (
    AIR_POWER_W,
    CADENCE_SPM,
    CONTACT_BALANCE_LEFT_PCT,
    FORM_POWER_W,
    GROUND_CONTACT_MS,
    HEART_RATE_BPM,
    LEG_STIFFNESS_KNPM,
    POWER_W,
    SPEED_MPS,
    STEP_LENGTH_M,
    VERTICAL_OSCILLATION_MM,
    VERTICAL_RATIO_PCT,
)
from calfload.signal._run_dynamics_types import DynamicsSample, RunLap, RunningDynamics

if TYPE_CHECKING:  # the recording module (pyarrow) stays off the review path, which reads stored results only
    from calfload.recording import Recording

#: Speed (m/s) above which a record of a file without cadence is moving.
_MOVING_SPEED_MPS: Final = 0.5
#: Columns averaged into the run figures.
_MEANS: Final = (
    HEART_RATE_BPM,
    SPEED_MPS,
    POWER_W,
    GROUND_CONTACT_MS,
    CONTACT_BALANCE_LEFT_PCT,
    VERTICAL_OSCILLATION_MM,
    VERTICAL_RATIO_PCT,
    STEP_LENGTH_M,
    FORM_POWER_W,
    AIR_POWER_W,
    LEG_STIFFNESS_KNPM,
)
#: Columns of the series.
_SERIES: Final = (
    SPEED_MPS,
    CADENCE_SPM,
    HEART_RATE_BPM,
    POWER_W,
    GROUND_CONTACT_MS,
    VERTICAL_OSCILLATION_MM,
    CONTACT_BALANCE_LEFT_PCT,
)


def running_dynamics(recording: Recording, *, window_s: float, max_sample_gap_s: float) -> RunningDynamics | None:
    """The running dynamics of a ``footpod`` stream (steps 1-4); None when it reports none, not even speed.

    Parameters
    ----------
    recording
        A ``footpod`` recording (BLE RSC or FIT).
    window_s
        Window of the series.
    max_sample_gap_s
        Longest time one record stands for.

    A FIT file's laps and the sources of its columns come from the recording's metadata
    (``laps``, ``column_sources``).
    """
    data = recording
    t = recording.t_s
    # 1. Moving records.
    cadence = _column(data, CADENCE_SPM)
    speed = _column(data, SPEED_MPS)
    has_cadence = bool(np.any(cadence > 0))
    moving = cadence > 0 if has_cadence else speed > _MOVING_SPEED_MPS
    for a, b in recording.meta.gaps:
        moving &= (t < a) | (t >= b)
    weight = np.diff(t, append=t[-1]) if t.size else np.zeros(0)
    weight = np.where(moving & (weight <= max_sample_gap_s), weight, 0.0)
    # 2. Run figures.
    # Rounded as stored, so a result read back from the journal equals the one computed.
    means = {col: _r(_weighted_mean(_column(data, col), weight), 3) for col in _MEANS}
    hr = _column(data, HEART_RATE_BPM)[moving]
    laps = _laps(recording.meta.laps)
    if all(v is None for v in means.values()) and not laps:
        return None
    return RunningDynamics(
        moving_s=round(float(weight.sum()), 1),
        heart_rate_mean_bpm=means[HEART_RATE_BPM],
        heart_rate_max_bpm=_r(float(np.nanmax(hr)), 3) if np.isfinite(hr).any() else None,
        speed_mean_mps=means[SPEED_MPS],
        power_mean_w=means[POWER_W],
        ground_contact_mean_ms=means[GROUND_CONTACT_MS],
        contact_balance_left_pct=means[CONTACT_BALANCE_LEFT_PCT],
        vertical_oscillation_mean_mm=means[VERTICAL_OSCILLATION_MM],
        vertical_ratio_mean_pct=means[VERTICAL_RATIO_PCT],
        step_length_mean_m=means[STEP_LENGTH_M],
        form_power_mean_w=means[FORM_POWER_W],
        air_power_mean_w=means[AIR_POWER_W],
        leg_stiffness_mean_knpm=means[LEG_STIFFNESS_KNPM],
        sources=recording.meta.column_sources,
        laps=laps,
        # 3. Series.
        series=_series(data, t[moving], moving, window_s),
    )


def _column(data: Recording, name: str) -> np.ndarray:
    """A column as floats (NaN where null); all NaN in recordings from before schema 1.2."""
    if name not in data.columns:
        return np.full(data.n_samples, np.nan)
    return data.column(name).astype(np.float64)


def _weighted_mean(x: np.ndarray, weight: np.ndarray) -> float | None:
    ok = np.isfinite(x) & (weight > 0)
    total = float(weight[ok].sum())
    return float(np.sum(x[ok] * weight[ok]) / total) if total > 0 else None


def _series(data: Recording, t_moving: np.ndarray, moving: np.ndarray, window_s: float) -> tuple[DynamicsSample, ...]:
    if t_moving.size == 0:
        return ()
    which = np.floor(t_moving / window_s).astype(np.int64)
    keys, first = np.unique(which, return_index=True)
    columns = {name: _column(data, name)[moving] for name in _SERIES}
    # Each window's slice is made when its median is taken: np.split made every window's view of
    # every column at once (a 5.4 h walk: 16,000 array objects, 0.8 MB, at the analysis' peak).
    ends = [*first[1:].tolist(), t_moving.size]
    samples = []
    for key, start, end in zip(keys.tolist(), first.tolist(), ends, strict=True):
        values = {name: _nanmedian(column[start:end]) for name, column in columns.items()}
        samples.append(DynamicsSample(t_s=round(float(key * window_s + window_s / 2), 3), **values))
    return tuple(samples)


def _nanmedian(x: np.ndarray) -> float | None:
    x = x[np.isfinite(x)]
    return _r(float(median(x)), 3) if x.size else None


def _laps(laps: tuple[FitLap, ...]) -> tuple[RunLap, ...]:
    """4. The device's laps, from the FIT reader's metadata, numbered from 1."""
    names = [f.name for f in dataclasses.fields(FitLap)]
    return tuple(RunLap(index=i + 1, **{n: getattr(lap, n) for n in names}) for i, lap in enumerate(laps))


def _r(x: float | None, digits: int) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, digits)


__all__ = ["running_dynamics"]
