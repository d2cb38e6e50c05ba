"""The tracks a run report plots beside cadence: pace, heart rate, ground contact, power, balance.

A FIT file's or foot pod's running dynamics come with the analysis as per-window medians; without
them the session's streams are read, where the data have them: a foot pod records speed, stance
time and power per record, a heart-rate strap the pulse. An IMU run has no pace yet, and its
contact time is one median in the analysis. Stream tracks are averaged over :data:`BIN_S` bins,
which keeps an hour's plot readable and its SVG small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload.recording import Recording
from calfload.schema import GROUND_CONTACT_MS, HEART_RATE_BPM, POWER_W, SPEED_MPS, UNKNOWN_START_UTC
from calfload.signal import GaitAnalysis
from calfload.signal._run_dynamics_types import DynamicsSample

#: Width of the averaging bins (s).
BIN_S: Final = 10.0
#: The tracks a run page can plot, in order.
TRACK_ORDER: Final = ("pace", "heart_rate", "ground_contact", "power", "balance")
#: Slower than this is standing, not a pace (m/s; 0.5 m/s is 33 min/km).
MIN_PACE_SPEED_MPS: Final = 0.5


@dataclass(frozen=True, slots=True)
class Track:
    """One quantity over the run, on the analysed recording's clock.

    Parameters
    ----------
    name
        One of :data:`TRACK_ORDER`.
    t_s
        Bin centres (s from the recording's start).
    values
        Values in the track's unit (NaN where there are none): pace in s/km, heart rate in
        beats/min, ground contact in ms, power in W, balance as the left foot's share of
        ground-contact time in %.
    """

    name: str
    t_s: np.ndarray
    values: np.ndarray

    @property
    def mean(self) -> float | None:
        """Mean of the bins with data, or None."""
        finite = self.values[np.isfinite(self.values)]
        return float(finite.mean()) if finite.size else None


def run_tracks(
    result: GaitAnalysis, main: Recording | None = None, heart_rate: Sequence[Recording] = ()
) -> tuple[Track, ...]:
    """The tracks of a run, in plotting order (pace, heart rate, ground contact, power, balance).

    A FIT file's or foot pod's running dynamics (the analysis' per-window medians) come first;
    without them, the session's streams are read: the foot pod's records and a heart-rate strap.

    Parameters
    ----------
    result
        The run's analysis.
    main
        The analysed stream (foot pod or IMU); its clock is the tracks' clock.
    heart_rate
        Heart-rate streams of the same session; the first that overlaps is used.
    """
    if result.dynamics is not None and result.dynamics.series:
        tracks = list(_dynamics_tracks(result.dynamics.series))
        if not any(t.name == "heart_rate" for t in tracks):
            _heart_rate(tracks, main, heart_rate)
        return tuple(sorted(tracks, key=lambda t: TRACK_ORDER.index(t.name)))
    return _stream_tracks(main, heart_rate)


def _dynamics_tracks(series: Sequence[DynamicsSample]) -> list[Track]:
    t = np.array([s.t_s for s in series], dtype=float)

    def column(values: Sequence[float | None]) -> np.ndarray:
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    speed = column([s.speed_mps for s in series])
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(speed >= MIN_PACE_SPEED_MPS, 1000.0 / speed, np.nan)
    candidates = {
        "pace": pace,
        "heart_rate": column([s.heart_rate_bpm for s in series]),
        "ground_contact": column([s.ground_contact_ms for s in series]),
        "power": column([s.power_w for s in series]),
        "balance": column([s.contact_balance_left_pct for s in series]),
    }
    tracks: list[Track] = []
    for name, raw in candidates.items():
        values = np.where(raw > 0, raw, np.nan)
        if np.isfinite(values).any():
            tracks.append(Track(name, t, values))
    return tracks


def _heart_rate(tracks: list[Track], main: Recording | None, heart_rate: Sequence[Recording]) -> None:
    """Append the first heart-rate stream that has values, on ``main``'s clock."""
    for hr in heart_rate:
        bpm = _column(hr, HEART_RATE_BPM)
        if bpm is None:
            continue
        t_hr = np.asarray(hr.t_s, dtype=float) + _offset_s(hr, main)
        if _add(tracks, "heart_rate", t_hr, np.where(bpm > 0, bpm, np.nan)):
            return


def _stream_tracks(main: Recording | None, heart_rate: Sequence[Recording]) -> tuple[Track, ...]:
    """Tracks from the session's streams: a foot pod's records and a heart-rate strap."""
    tracks: list[Track] = []
    if main is not None and main.meta.kind == "footpod":
        t = np.asarray(main.t_s, dtype=float)
        speed = _column(main, SPEED_MPS)
        if speed is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                pace = np.where(speed >= MIN_PACE_SPEED_MPS, 1000.0 / speed, np.nan)
            _add(tracks, "pace", t, pace)
    _heart_rate(tracks, main, heart_rate)
    if main is not None and main.meta.kind == "footpod":
        t = np.asarray(main.t_s, dtype=float)
        for name, column in (("ground_contact", GROUND_CONTACT_MS), ("power", POWER_W)):
            values = _column(main, column)
            if values is not None:
                _add(tracks, name, t, np.where(values > 0, values, np.nan))
    return tuple(tracks)


def _column(rec: Recording, name: str) -> np.ndarray | None:
    """A column as float64 (missing values NaN), or None when the stream has no value in it."""
    if name not in {c.name for c in rec.meta.table.columns}:
        return None
    try:
        values = np.asarray(rec.column(name), dtype=np.float64)
    except (KeyError, TypeError, ValueError):  # an optional column the file left out, or not numbers
        return None
    return values if np.isfinite(values).any() else None


def _offset_s(stream: Recording, main: Recording | None) -> float:
    """Seconds to add to ``stream``'s clock to put it on ``main``'s (0 when a start is unknown)."""
    if main is None or UNKNOWN_START_UTC in (stream.meta.start_utc, main.meta.start_utc):
        return 0.0
    return (stream.meta.start_utc - main.meta.start_utc).total_seconds()


def _add(tracks: list[Track], name: str, t_s: np.ndarray, values: np.ndarray) -> bool:
    """Append the binned track if it has any finite value; return whether it did."""
    ok = np.isfinite(values) & np.isfinite(t_s) & (t_s >= 0.0)
    if not ok.any():
        return False
    index = np.floor(t_s[ok] / BIN_S).astype(np.int64)
    n = int(index.max()) + 1
    sums = np.bincount(index, weights=values[ok], minlength=n)
    counts = np.bincount(index, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / counts, np.nan)
    tracks.append(Track(name, (np.arange(n) + 0.5) * BIN_S, means))
    return True


__all__ = ["BIN_S", "TRACK_ORDER", "Track", "run_tracks"]
