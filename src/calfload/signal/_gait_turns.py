"""Steps the swing detection misses in a turn, found by whether the foot moved between two still moments.

In a U-turn a foot can step by turning about its vertical or long axis while its rate about the
mediolateral axis (the one :mod:`calfload.signal._gait_foot` reads swings from) stays small, so
no swing is found and the two still moments around the step are more than a stride apart.
Thresholds on the off-axis rotation do not tell such steps from weight shifts and pivots on the
spot (docs/validation.md: in the IPOL walks, 231-605 deg/s in gaps with a labelled step, 103-394
deg/s without). What does is whether the foot went somewhere: the gap between the two still
moments is integrated as one stride (:func:`calfload.signal._trajectory.integrate_strides`,
zero-velocity updates at both ends), and a foot that moved at least
:attr:`TurnStepParams.min_step_m` horizontally, and turned faster than
:attr:`TurnStepParams.min_turn_dps` on the way, took a step (a foot that
stood still on both sides of a join between two files, where the samples jump, must not).

Why 0.15 m: a pivot on the spot turns the sensor, which sits about a tenth of a metre from the
heel or the ball of the foot the pivot turns about, through a chord of ``2 r sin(θ / 2)``: at most
about 0.14 m for a quarter turn. A foot that moved further was lifted and put down elsewhere.
Only gaps up to :attr:`TurnStepParams.max_gap_strides` typical strides are searched (a longer one is a pause, and
a stride integrated over seconds of standing drifts), and each gives at most one step. Its time
is unknown (no swing was found), so it is put halfway between the stride instants on either side:
the two stride times it makes are then equal, which is what the median cadence needs.

After the last stride no stride closes the gap (IPOL trial 15-1 ends with a turning step, a
stand, and a swing cut by the file's end), so there the gap ends at the first still moment after
the foot turned, the same displacement test decides, and the step is put where the foot came to
rest (its landing: no later instant exists to take a midpoint with). Before the first stride the
rule is mirrored: the gap opens at the last still moment before the foot last turned fast and
closes at the first stride's zero-velocity moment, and the step is put at its landing (the first
still moment after the turn). A landing already found in a gap (after the last stride, before the
first, or between two strides: a swing too weak to make a stride, or one the stride integration
left without a stride of its own) means the gap holds no missed step: that swing is the move.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from calfload._stats import median, row_norms
from calfload.signal._gait_foot import GridRows
from calfload.signal._preprocess import UniformImu
from calfload.signal._trajectory import StrideParams, integrate_apart, integrate_strides
from calfload.signal._trajectory_types import Stride, StrideTable
from calfload.units import STANDARD_GRAVITY_MPS2


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnStepParams:
    """Thresholds that decide whether a gap between two strides holds a turning step.

    Kept apart from :class:`calfload.signal.GaitParams` so that every stored gait result's
    parameter record stays as it was; the values are the ones tuned on the IPOL walks
    (docs/validation.md, "turning steps").

    Parameters
    ----------
    min_step_m
        A foot that moved at least this far (m, horizontally) between two still moments took a
        step; a pivot on the spot moves the sensor at most about 0.14 m (module docstring).
    min_turn_dps
        A step turns the foot at least this fast (deg/s, norm of the angular rate); standing
        stays far below.
    max_gap_strides
        Gaps between still moments longer than this many typical (median) strides are pauses, not
        turns (strides; a gap's length divided by the median valid stride's duration).
    min_gap_s
        Gaps shorter than this (s) are the ordinary seam between two strides' stances.
    min_rest_s, max_rest_dps, max_rest_mps2
        After the last stride, the gap ends where the foot is still again: for ``min_rest_s``
        (s; a short mid-stance) the rate's norm stays under ``max_rest_dps`` (deg/s; the stride
        integration's ``max_still_dps``) and the accelerometer reads gravity within
        ``max_rest_mps2`` (m/s²). Both, as in a zero-velocity detector: at the top of a swing the
        rate passes through zero while the foot still accelerates.
    """

    min_step_m: float = 0.15
    min_turn_dps: float = 100.0
    max_gap_strides: float = 2.5
    min_gap_s: float = 0.3
    min_rest_s: float = 0.2
    max_rest_dps: float = 60.0
    max_rest_mps2: float = 1.5


def turn_steps(
    rows: GridRows,
    n: int,
    fs_hz: float,
    strides: Iterable[Stride],
    instants_s: np.ndarray,
    first_s: float,
    params: StrideParams | None = None,
    turn: TurnStepParams | None = None,
) -> np.ndarray:
    """Times (s, the strides' clock) of the steps taken between strides without a swing being found.

    Parameters
    ----------
    rows
        Rows ``[lo, hi)`` of the piece of contiguous samples the strides were found on.
    n
        Rows in the piece.
    fs_hz
        The piece's grid rate (uniform within the piece).
    strides
        The piece's strides in time order (:func:`calfload.signal._trajectory.foot_strides`).
    instants_s
        The piece's stride instants (s, the strides' clock), increasing.
    first_s
        Time of the piece's first row on the strides' clock.
    params
        Integration parameters; the defaults when None.
    turn
        What counts as a turning step; the defaults when None.

    Returns
    -------
    ndarray
        One time per step found, increasing; empty when none.
    """
    turn = turn or TurnStepParams()
    table = StrideTable.of(strides)
    valid = table.duration_s[table.valid]
    if len(table) < 2 or not valid.size:
        return np.zeros(0)
    longest = turn.max_gap_strides * float(median(valid))
    found = _gap_steps(
        rows,
        n,
        fs_hz,
        [(table[k], table[k + 1]) for k in _open_gaps(table, instants_s, longest, turn).tolist()],
        instants_s,
        first_s,
        longest,
        params,
        turn,
    )
    # Before the first stride and after the last, unless a landing already lies there (a swing
    # too weak to make a stride).
    first_start_s, last_end_s = float(table.start_s[0]), float(table.end_s[-1])
    if not np.any(instants_s < first_start_s):
        first = _leading_step(rows, fs_hz, first_start_s - first_s, longest, params, turn)
        found += [] if first is None else [first + first_s]
    if not np.any(instants_s > last_end_s):
        last = _trailing_step(rows, n, fs_hz, last_end_s - first_s, longest, params, turn)
        found += [] if last is None else [last + first_s]
    return np.sort(np.asarray(found, dtype=np.float64))


def _open_gaps(strides: Iterable[Stride], instants_s: np.ndarray, longest_s: float, turn: TurnStepParams) -> np.ndarray:
    """Which gaps (``k``: between strides ``k`` and ``k + 1``) :func:`_gap_steps` may find a step in.

    The gaps of a length it searches (over ``min_gap_s``, up to ``longest_s``) without a landing
    inside, all at once: most gaps are the ordinary seam between two strides' stances.
    """
    table = StrideTable.of(strides)
    ends, starts = table.end_s[:-1], table.start_s[1:]
    gap = starts - ends
    landings = np.searchsorted(instants_s, starts, "left") - np.searchsorted(instants_s, ends, "right")
    return np.flatnonzero((gap > turn.min_gap_s) & (gap <= longest_s) & (landings <= 0))


def _gap_steps(
    rows: GridRows,
    n: int,
    fs_hz: float,
    pairs: list[tuple[Stride, Stride]],
    instants_s: np.ndarray,
    first_s: float,
    longest_s: float,
    params: StrideParams | None,
    turn: TurnStepParams,
) -> list[float]:
    """The time of the turning step in each gap between two strides that holds one.

    A gap that already holds a landing (a swing the stride integration left without a stride of
    its own) holds no missed step: the foot's move there is that swing, already counted. The gaps
    whose foot turned fast enough, with a stride instant on both sides, are integrated together
    (:func:`calfload.signal._trajectory.integrate_apart`: each as :func:`integrate_strides` would,
    without a kernel call each).
    """
    chosen: list[tuple[UniformImu, float]] = []
    for before, after in pairs:
        gap = after.start_s - before.end_s
        if not turn.min_gap_s < gap <= longest_s:
            continue
        if np.any((instants_s > before.end_s) & (instants_s < after.start_s)):
            continue
        lo = max(0, round((before.end_s - first_s) * fs_hz))
        hi = min(n, round((after.start_s - first_s) * fs_hz) + 1)
        earlier = instants_s[instants_s <= before.end_s]
        later = instants_s[instants_s >= after.start_s]
        if hi - lo < 3 or not (earlier.size and later.size):
            continue
        imu = rows(lo, hi)
        if float(np.max(np.linalg.norm(imu.gyr_dps, axis=1))) < turn.min_turn_dps:
            continue
        chosen.append((imu, 0.5 * (float(earlier[-1]) + float(later[0]))))
    stretches = [(imu.acc_mps2, imu.gyr_dps, np.array([[0, imu.t_s.size - 1]])) for imu, _ in chosen]
    moved = integrate_apart(stretches, fs_hz, params)
    return [at for (_, at), (moved_m, _) in zip(chosen, moved, strict=True) if float(moved_m[0]) >= turn.min_step_m]


def _trailing_step(
    rows: GridRows,
    n: int,
    fs_hz: float,
    after_s: float,
    longest_s: float,
    params: StrideParams | None,
    turn: TurnStepParams,
) -> float | None:
    """The time (s from the piece's first row) of a turning step after the last stride, or None.

    After the last stride no later stride closes the gap, so the gap is closed by the first
    moment the foot is still again (:attr:`TurnStepParams.min_rest_s` with the rate under
    :attr:`TurnStepParams.max_rest_dps`) after turning faster than ``min_turn_dps``; the same
    displacement test decides. With no stride after it, the step's time is the moment the foot
    came to rest (its landing), not a midpoint. Samples after ``n`` (the end of the data, or the
    toe-off of a swing cut by it) are not looked at.
    """
    lo = max(0, round(after_s * fs_hz))
    hi = min(n, lo + round(longest_s * fs_hz) + 1)
    if (turned := _turning(rows, lo, hi, fs_hz, turn)) is None:
        return None
    imu, rate, fast, width = turned
    rests = _still_starts(imu, rate, fast[0], width, turn)
    if not rests.size:
        return None
    rest = int(fast[0] + rests[0])
    still = min(rest + width // 2, hi - lo - 1)
    moved_m, _ = integrate_strides(imu.acc_mps2, imu.gyr_dps, np.array([[0, still]]), fs_hz, params)
    if float(moved_m[0]) < turn.min_step_m:
        return None
    return (lo + rest) / fs_hz


def _leading_step(
    rows: GridRows,
    fs_hz: float,
    before_s: float,
    longest_s: float,
    params: StrideParams | None,
    turn: TurnStepParams,
) -> float | None:
    """The time (s from the piece's first row) of a turning step before the first stride, or None.

    The mirror of :func:`_trailing_step`: before the first stride no earlier stride opens the
    gap, so it opens at the middle of the last still stretch before the last moment the foot
    turned faster than ``min_turn_dps``, and closes at the first stride's zero-velocity moment.
    The step's time is its landing: the start of the first still stretch after the turn.
    """
    hi = max(0, round(before_s * fs_hz)) + 1
    lo = max(0, hi - round(longest_s * fs_hz) - 1)
    if (turned := _turning(rows, lo, hi, fs_hz, turn)) is None:
        return None
    imu, rate, fast, width = turned
    before = _still_starts(imu, rate, 0, width, turn)
    before = before[before + width <= fast[-1]]
    if not before.size:
        return None
    moved_m, _ = integrate_strides(
        imu.acc_mps2, imu.gyr_dps, np.array([[int(before[-1]) + width // 2, hi - lo - 1]]), fs_hz, params
    )
    if float(moved_m[0]) < turn.min_step_m:
        return None
    after = _still_starts(imu, rate, int(fast[-1]), width, turn)
    landed = int(fast[-1] + after[0]) if after.size else hi - lo - 1
    return (lo + landed) / fs_hz


def _turning(
    rows: GridRows, lo: int, hi: int, fs_hz: float, turn: TurnStepParams
) -> tuple[UniformImu, np.ndarray, np.ndarray, int] | None:
    """Rows ``lo:hi`` where the foot turned: the rows, their rate, the fast rows and a still stretch's width.

    None when the span is under 3 rows or never turns faster than ``min_turn_dps``: no turning
    step there (shared by the rules before the first stride and after the last).
    """
    if hi - lo < 3:
        return None
    imu = rows(lo, hi)
    rate = row_norms(imu.gyr_dps)
    fast = np.flatnonzero(rate >= turn.min_turn_dps)
    if not fast.size:
        return None
    return imu, rate, fast, max(1, round(turn.min_rest_s * fs_hz))


def _still_starts(imu: UniformImu, rate: np.ndarray, frm: int, width: int, turn: TurnStepParams) -> np.ndarray:
    """Rows (from ``frm``) that begin a still stretch of ``width`` rows: rate and acceleration both at rest."""
    away = np.abs(row_norms(imu.acc_mps2[frm:]) - STANDARD_GRAVITY_MPS2)
    calm = (rate[frm:] <= turn.max_rest_dps) & (away <= turn.max_rest_mps2)
    runs = np.convolve(calm.astype(np.int64), np.ones(width, dtype=np.int64), mode="valid")
    return np.flatnonzero(runs == width)
