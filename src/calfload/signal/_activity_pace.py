"""Walk or run from a shank or thigh IMU, which gives strides but no ground contact times.

On a foot the gait analysis tells a run by its duty factor (contact time over stride time: a run
has a flight phase, so below 0.5). A shank or thigh gives no contact times, and cadence alone
cannot tell: people walk at 150 steps/min and more (HuGaDB participant 1 walks at 152.5) and run
at 150-170. What the leg's acceleration shows of the contact phase can:

- **Walking** keeps a foot on the ground for about 60 % of the stride, with double support. In
  mid-stance the shank and thigh move as an inverted pendulum over the planted foot, slowly
  (their acceleration norm stays near 1 g), and their swing is gentle.
- **Running** has ground contact for about 35 % of the stride, with an impact at each landing
  (4-10 g at the shank), a fast swing that throws the leg (centripetal acceleration of 1-2 g)
  and a flight phase.

So the share of stride time in which the leg's acceleration norm (low-passed at ``lowpass_hz``,
which keeps the pendulum and swing and drops the impact ringing) stays within ``quiet_band_g``
of 1 g is high in a walk and low in a run: the *quiet share*. Real shanks (Bach et al. 2022,
treadmill, vertical ground reaction force reference): runs at 150-157 steps/min (duty factor
0.34-0.39) 0.03-0.17, walks at 103-111 steps/min (0.58-0.62) 0.25-0.55; HuGaDB's fastest walks
(shank and thigh, 145-153 steps/min) 0.22-0.37 (docs/validation.md). A shank or thigh is running
when its cadence is at least ``GaitParams.run_cadence_spm`` and its quiet share is below
``run_max_quiet_share``.

The norm does not depend on how the sensor is mounted, and the band and filter on the rate
(any rate from 25 Hz, on a working grid of at most ``rate_hz``).

References
----------
.. [1] Novacheck T.F. (1998). The biomechanics of running. Gait Posture 7(1):77-95 (duty
   factors, flight, double support).
.. [2] Bach M.M., Dominici N., Daffertshofer A. (2022). Predicting vertical ground reaction
   forces from 3D accelerometry using reservoir computers leads to accurate gait event
   detection (Vrije Universiteit Amsterdam; the shank recordings measured here, published with
   github.com/marlow17/PredictingGroundReactionForces).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeAlias

import numpy as np

from calfload._stats import row_norms
from calfload.recording import Recording
from calfload.signal._activity_quiet import NO_CONTACT_LEGS, QuietMeasure
from calfload.signal._bouts_types import Bout
from calfload.signal._preprocess import lowpass, split_segments, uniform_imu
from calfload.units import STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True, kw_only=True)
class PaceParams:
    """Thresholds of :func:`walk_or_run`; every one has a unit in its name.

    Parameters
    ----------
    rate_hz
        Working rate (the acceleration is put on a uniform grid of at most this rate).
    lowpass_hz
        Low-pass of the acceleration norm: keeps the pendulum and the swing, drops impact ringing.
    quiet_band_g
        A sample is quiet when the low-passed norm is within this of 1 g.
    run_max_quiet_share
        A leg at a running cadence is running when less than this share of its stride time is
        quiet (dimensionless): between the real shank runs' highest (0.17) and the fastest real
        walks' lowest (0.22), module docstring.
    max_bridged_gap_s
        Gaps in the data up to this long are bridged; strides across longer ones are left out.
    """

    rate_hz: float = 50.0
    lowpass_hz: float = 10.0
    quiet_band_g: float = 0.15
    run_max_quiet_share: float = 0.2
    max_bridged_gap_s: float = 0.5


def quiet_share(
    measure: QuietMeasure, instants_s: Sequence[np.ndarray], offsets_s: Sequence[float], *, max_stride_s: float
) -> float:
    """Share of the stride time of a shank or thigh in which its acceleration norm stays near 1 g.

    Parameters
    ----------
    measure
        The leg's recordings (one, or left and right) with their thresholds: their quiet pieces,
        measured the first time any question is asked about them.
    instants_s
        Each recording's stride instants, on the first recording's clock.
    offsets_s
        Each recording's shift onto the first recording's clock.
    max_stride_s
        Consecutive instants further apart than this are not a stride (a stop between them).

    Returns
    -------
    float
        The quiet share (module docstring), NaN when no stride was found.
    """
    return _share(measure.pieces(), instants_s, offsets_s, max_stride_s)


@dataclass(frozen=True, slots=True, eq=False)
class QuietPiece:
    """One contiguous piece of a recording on the working grid: where its acceleration is quiet."""

    t_s: np.ndarray
    quiet: np.ndarray
    fs_hz: float


#: Each recording's quiet pieces.
QuietPieces: TypeAlias = tuple[tuple[QuietPiece, ...], ...]


def quiet_pieces(rec: Recording, params: PaceParams) -> tuple[QuietPiece, ...]:
    """Every contiguous piece of ``rec`` with its quiet samples (module docstring), measured once."""
    imu = uniform_imu(rec, max_rate_hz=params.rate_hz, max_bridged_gap_s=params.max_bridged_gap_s)
    return tuple(QuietPiece(p.t_s, _quiet(p.acc_mps2, p.fs_hz, params), p.fs_hz) for p in split_segments(imu))


def _quiet(acc_mps2: np.ndarray, fs_hz: float, params: PaceParams) -> np.ndarray:
    """True where the low-passed acceleration norm is within ``quiet_band_g`` of 1 g."""
    norm_g = lowpass(row_norms(acc_mps2), params.lowpass_hz, fs_hz) / STANDARD_GRAVITY_MPS2
    return np.asarray(np.abs(norm_g - 1.0) < params.quiet_band_g)


def _share(
    pieces: Sequence[tuple[QuietPiece, ...]],
    instants_s: Sequence[np.ndarray],
    offsets_s: Sequence[float],
    max_stride_s: float,
) -> float:
    """The quiet share of the strides between consecutive instants (under ``max_stride_s``) of each recording."""
    quiet_s = total_s = 0.0
    for own, instants, offset in zip(pieces, instants_s, offsets_s, strict=True):
        if instants.size < 2:
            continue
        starts, ends = instants[:-1] - offset, instants[1:] - offset
        strides = (ends - starts) <= max_stride_s
        for piece in own:
            inside = _in_strides(piece.t_s, starts[strides], ends[strides])
            quiet_s += float(np.count_nonzero(piece.quiet & inside)) / piece.fs_hz
            total_s += float(np.count_nonzero(inside)) / piece.fs_hz
    return quiet_s / total_s if total_s > 0 else math.nan


def stride_quiet_s(
    t_s: np.ndarray, acc_mps2: np.ndarray, fs_hz: float, starts: np.ndarray, ends: np.ndarray, params: PaceParams
) -> tuple[float, float]:
    """Quiet time and stride time (s) of one contiguous piece on a uniform grid.

    Parameters
    ----------
    t_s, acc_mps2, fs_hz
        The piece's grid times, acceleration ``(n, 3)`` and rate.
    starts, ends
        The strides ``[start, end)``, sorted and consecutive, on the piece's clock.
    params
        Thresholds.

    Returns
    -------
    tuple of float
        Seconds of quiet stride time, seconds of stride time.
    """
    quiet = _quiet(acc_mps2, fs_hz, params)
    inside = _in_strides(t_s, starts, ends)
    return float(np.count_nonzero(quiet & inside)) / fs_hz, float(np.count_nonzero(inside)) / fs_hz


def _in_strides(t_s: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """True where ``t_s`` lies in one of the strides ``[start, end)`` (sorted, consecutive)."""
    if not starts.size:
        return np.zeros(t_s.size, dtype=bool)
    k = np.searchsorted(starts, t_s, side="right") - 1
    ok = k >= 0
    inside = np.zeros(t_s.size, dtype=bool)
    inside[ok] = t_s[ok] < ends[k[ok]]
    return inside


def walk_or_run(quiet: float, median_spm: float, run_cadence_spm: float, params: PaceParams | None = None) -> str:
    """``run`` at a running cadence with little quiet stride time, else ``walk`` (module docstring).

    Without a quiet share (no stride measured) the cadence decides alone, as it did before.
    """
    params = params or PaceParams()
    if not math.isfinite(median_spm) or median_spm < run_cadence_spm:
        return "walk"
    if math.isfinite(quiet) and quiet >= params.run_max_quiet_share:
        return "walk"
    return "run"


def pace_mismatch(hint: str, quiet: float, median_spm: float, run_cadence_spm: float, params: PaceParams) -> str | None:
    """What a shank's or thigh's strides look like when it disagrees with the activity given, else None.

    A run given whose strides are quiet looks like a walk; a walk given at a running cadence
    whose strides are not quiet looks like a run. A run given at a cadence under
    ``run_cadence_spm`` with strides that are not quiet is a slow run, not a mismatch.
    """
    if not math.isfinite(quiet):
        return None
    if hint == "run" and quiet >= params.run_max_quiet_share:
        return "walk"
    if hint == "walk" and quiet < params.run_max_quiet_share and median_spm >= run_cadence_spm:
        return "run"
    return None


def quiet_walks(
    bouts: Sequence[Bout],
    recordings: Sequence[Recording],
    instants_s: Sequence[np.ndarray],
    offsets_s: Sequence[float],
    *,
    max_stride_s: float,
    params: PaceParams | None = None,
    pieces: QuietPieces | None = None,
) -> list[Bout]:
    """Cadence-cut run bouts of a shank or thigh whose strides are quiet are walks, joined to the walks they touch.

    The bout segmentation cuts walk from run by cadence (:mod:`calfload.signal._bouts`); on a
    shank or thigh a fast walk's quiet strides (module docstring) say it is a walk all the same.

    Parameters
    ----------
    bouts
        The gait bouts in time order, before their figures.
    recordings, instants_s, offsets_s
        The leg's recordings, their stride instants and clock shifts (as for :func:`quiet_share`).
    max_stride_s
        Consecutive instants further apart than this are not a stride.
    params
        Thresholds; the defaults are the reviewed ones.
    pieces
        The recordings' quiet pieces when the gait analysis measured them
        (``GaitAnalysis.quiet_pieces``); measured here otherwise.

    Returns
    -------
    list of Bout
        The bouts, with such runs relabelled ``walk`` (no part) and merged with touching walks.
    """
    params = params or PaceParams()
    if not any(b.activity == "run" for b in bouts):
        return list(bouts)
    if pieces is None:
        pieces = tuple(quiet_pieces(rec, params) for rec in recordings)  # measured once for every bout
    out: list[Bout] = []
    for given in bouts:
        bout = given
        if given.activity == "run":
            inside = [i[(i >= given.start_s - 1e-9) & (i <= given.end_s + 1e-9)] for i in instants_s]
            quiet = _share(pieces, inside, offsets_s, max_stride_s)
            if math.isfinite(quiet) and quiet >= params.run_max_quiet_share:
                bout = replace(given, activity="walk", part=None)
        if out and bout.activity == "walk" == out[-1].activity and bout.start_s <= out[-1].end_s + 1e-9:
            out[-1] = replace(out[-1], end_s=max(out[-1].end_s, bout.end_s))
            continue
        out.append(bout)
    return out


__all__ = [
    "NO_CONTACT_LEGS",
    "PaceParams",
    "QuietMeasure",
    "QuietPiece",
    "QuietPieces",
    "pace_mismatch",
    "quiet_pieces",
    "quiet_share",
    "quiet_walks",
    "stride_quiet_s",
    "walk_or_run",
]
