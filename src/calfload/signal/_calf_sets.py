"""Steps 5-7 of the calf-raise analysis: phases, sets, partial reps and the tempo audit.

Named steps over small typed records (see :mod:`calfload.signal._calf_raise` for the whole
algorithm): :func:`measure_phases` times the rise and lowering of every movement that is not a
walking step, :func:`group_sets` groups them into sets, and :func:`build_set` turns one group
into counted reps, partial reps and its summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from calfload._stats import median
from calfload.recording import true_runs
from calfload.signal._calf_types import CalfRaiseParams, CalfRep, CalfSet

if TYPE_CHECKING:
    from calfload.signal._calf_raise import PitchTrack, _Movement
    from calfload.signal._preprocess import UniformImu


@dataclass(frozen=True, slots=True)
class Phase:
    """One phase of a rep: where ``|ω|`` crosses the threshold, and its peak angular speed."""

    start_s: float
    end_s: float
    peak_dps: float


@dataclass(frozen=True, slots=True)
class MeasuredMove:
    """A movement that is not a walking step, with both phases measured (step 5).

    ``cut`` marks one the end of the data interrupted (the heel still up, or the lowering still
    under way at the last sample): its lowering so far is not a lowering time.
    """

    excursion_deg: float
    rise: Phase
    lowering: Phase
    cut: bool = False

    @property
    def start_s(self) -> float:
        """When the rise starts."""
        return self.rise.start_s

    @property
    def end_s(self) -> float:
        """When the lowering ends."""
        return self.lowering.end_s


@dataclass(frozen=True, slots=True)
class BuiltSet:
    """The reps, partial reps and summary of one set (steps 6-7)."""

    reps: tuple[CalfRep, ...]
    partials: tuple[CalfRep, ...]
    summary: CalfSet


def reps_and_sets(
    imu: UniformImu, track: PitchTrack, movements: list[_Movement], params: CalfRaiseParams
) -> tuple[list[CalfRep], list[CalfRep], list[CalfSet], list[CalfRep]]:
    """Phases of every non-step movement, then sets, partial reps and the tempo audit (steps 5-7).

    The last list holds the incomplete reps: rep-sized movements cut by the end of the data (or
    of a stretch before a gap). They are reported, never counted or scored in the tempo audit.
    """
    every = measure_phases(imu, track, movements, params)
    measured = [move for move in every if not move.cut]
    incomplete = [
        replace(_rep(move, 0, 0, None, False, params), eccentric_pass=False)
        for move in every
        if move.cut and move.excursion_deg >= params.min_rep_excursion_deg
    ]
    steps_t = np.array([imu.t_s[m.peak] for m in movements if m.is_step])
    reps: list[CalfRep] = []
    partials: list[CalfRep] = []
    sets: list[CalfSet] = []
    for members in group_sets(measured, steps_t, params):
        built = build_set(len(sets) + 1, [measured[i] for i in members], params)
        if built is not None:
            reps.extend(built.reps)
            partials.extend(built.partials)
            sets.append(built.summary)
    return reps, partials, sets, incomplete


def measure_phases(
    imu: UniformImu, track: PitchTrack, movements: list[_Movement], params: CalfRaiseParams
) -> list[MeasuredMove]:
    """The rise and lowering of every movement that is not a step and starts inside the data (step 5).

    A phase is searched from the movement's summit back (rise) or on (lowering), at most
    ``phase_search_s`` and never past the neighbouring movement or the data segment. A movement
    the end of the data cuts is marked (see :func:`_cut_by_the_end`).
    """
    fs, t, omega_dps = imu.fs_hz, imu.t_s, track.omega_dps
    lowering_dps = -omega_dps  # once, not once per movement (a whole-session array each time)
    reach = round(params.phase_search_s * fs)
    measured: list[MeasuredMove] = []
    for k, m in enumerate(movements):
        if m.is_step:
            continue
        seg_a, seg_b = _segment_of(imu, m.start)
        if m.start == seg_a:
            continue  # already under way when the data starts
        lo = max(seg_a, movements[k - 1].end if k > 0 else seg_a, m.start - reach)
        hi = min(seg_b, movements[k + 1].start if k + 1 < len(movements) else seg_b, m.end + reach)
        rise = phase_bounds(t, omega_dps, lo, m.peak + 1, m.excursion_deg, fs, params)
        lowering = phase_bounds(t, lowering_dps, m.peak, hi, m.excursion_deg, fs, params)
        last_s = float(t[seg_b - 1])
        if rise is None or (lowering is None and m.end != seg_b):
            continue  # not measurable
        if lowering is None:  # the data stops before the lowering starts
            lowering = Phase(last_s, last_s, 0.0)
        cut = hi == seg_b and _cut_by_the_end(t, track.theta_deg, m, rise, lowering, seg_b, params)
        measured.append(MeasuredMove(m.excursion_deg, rise, lowering, cut))
    return measured


def _cut_by_the_end(
    t_s: np.ndarray,
    theta_deg: np.ndarray,
    m: _Movement,
    rise: Phase,
    lowering: Phase,
    seg_b: int,
    params: CalfRaiseParams,
) -> bool:
    """Whether a movement reaching the end of its data segment is not over there.

    It is not over when its lowering is still under way at the last sample (the speed has not
    fallen below the phase threshold), or when the heel is still up: above ``heel_down_deg`` and
    lowered by less than ``end_descent_fraction`` of its rise. The share matters at the end of a
    file, where the resting pitch can be a few degrees off (gravity estimated for a phone export
    without it, gyroscope drift since the last rest): a lowering that has stopped after coming
    all the way down is over even if the pitch does not reach ``heel_down_deg`` again.
    """
    last = seg_b - 1
    if lowering.end_s >= float(t_s[last]):
        return True
    if m.end != seg_b:
        return False
    start = min(int(np.searchsorted(t_s, rise.start_s)), m.peak)
    risen_deg = float(theta_deg[m.peak] - theta_deg[start])
    lowered_deg = float(theta_deg[m.peak] - theta_deg[last])
    return risen_deg <= 0 or lowered_deg < params.end_descent_fraction * risen_deg


def phase_bounds(
    t_s: np.ndarray,
    speed_dps: np.ndarray,
    lo: int,
    hi: int,
    excursion_deg: float,
    fs: float,
    params: CalfRaiseParams,
) -> Phase | None:
    """The phase whose speed (deg/s, positive) lies in ``[lo, hi)``, or None when there is none."""
    if hi - lo < 2:
        return None
    window = speed_dps[lo:hi]
    peak = float(window.max())
    if peak <= 0:
        return None
    threshold = params.phase_threshold_fraction * peak
    starts, ends = true_runs(window > threshold)
    turned = np.array([window[s:e].sum() / fs for s, e in zip(starts, ends, strict=True)])
    first, last = _phase_runs(starts, ends, turned, excursion_deg, fs, params)
    i_up, i_down = lo + starts[first], lo + ends[last] - 1
    t_start = _crossing(t_s, speed_dps, i_up - 1, i_up, threshold) if i_up > lo else float(t_s[i_up])
    t_end = _crossing(t_s, speed_dps, i_down, i_down + 1, threshold) if i_down + 1 < hi else float(t_s[i_down])
    return Phase(t_start, t_end, peak)


def _phase_runs(
    starts: np.ndarray, ends: np.ndarray, turned: np.ndarray, excursion_deg: float, fs: float, params: CalfRaiseParams
) -> tuple[int, int]:
    """First and last run above the threshold that belong to the phase: the main one and its close, large neighbours."""
    main = int(np.argmax(turned))
    keep = turned >= params.min_phase_share * excursion_deg
    keep[main] = True
    pause = round(params.max_phase_pause_s * fs)
    first = last = main
    while first > 0 and keep[first - 1] and starts[first] - ends[first - 1] <= pause:
        first -= 1
    while last < len(starts) - 1 and keep[last + 1] and starts[last + 1] - ends[last] <= pause:
        last += 1
    return first, last


def _crossing(t_s: np.ndarray, x: np.ndarray, i: int, j: int, level: float) -> float:
    """Time where ``x`` crosses ``level`` between samples ``i`` and ``j`` (linear interpolation)."""
    xi, dx = float(x[i]), float(x[j] - x[i])
    # min/max of Python floats: np.clip's result (NaN stays NaN) without a ufunc call per crossing
    frac = 0.5 if dx == 0 else min(max((level - xi) / dx, 0.0), 1.0)
    return float(t_s[i] + frac * (t_s[j] - t_s[i]))


def _segment_of(imu: UniformImu, index: int) -> tuple[int, int]:
    k = int(np.searchsorted(imu.segment_starts, index, side="right")) - 1
    return int(imu.segment_starts[k]), int(imu.segment_ends[k])


def group_sets(measured: Sequence[MeasuredMove], steps_t_s: np.ndarray, params: CalfRaiseParams) -> list[list[int]]:
    """Indices into ``measured`` of each set, in time order (step 6).

    Rest is measured between rep-sized movements (a weight shift in the middle of a long rest
    does not join two sets); a break or walking starts a new set. Smaller movements then join
    the set they happen in, or next to (within a set break).
    """
    rep_sized = [i for i, move in enumerate(measured) if move.excursion_deg >= params.min_rep_excursion_deg]
    groups: list[list[int]] = []
    for i in rep_sized:
        start = measured[i].start_s
        if groups:
            prev_end = measured[groups[-1][-1]].end_s
            if start - prev_end <= params.set_break_s and not _walked(steps_t_s, prev_end, start):
                groups[-1].append(i)
                continue
        groups.append([i])
    for i in range(len(measured)):
        if i not in rep_sized and groups:
            _attach_small(groups, i, measured, steps_t_s, params)
    return groups


def _attach_small(
    groups: list[list[int]], i: int, measured: Sequence[MeasuredMove], steps_t_s: np.ndarray, params: CalfRaiseParams
) -> None:
    """Add the small movement ``i`` to the nearest set when it lies within a set break and no walking."""
    c0, e1 = measured[i].start_s, measured[i].end_s
    spans = [(measured[g[0]].start_s, measured[g[-1]].end_s) for g in groups]
    gaps = [max(start - e1, c0 - end, 0.0) for start, end in spans]
    k = int(np.argmin(gaps))
    start, end = spans[k]
    between = (end, c0) if c0 >= end else (e1, start)
    if gaps[k] <= params.set_break_s and not _walked(steps_t_s, *between):
        groups[k] = sorted([*groups[k], i], key=lambda j: measured[j].start_s)


def _walked(steps_t_s: np.ndarray, after_s: float, before_s: float) -> bool:
    return bool(np.any((steps_t_s > after_s) & (steps_t_s < before_s)))


def build_set(set_index: int, moves: Sequence[MeasuredMove], params: CalfRaiseParams) -> BuiltSet | None:
    """Counted reps, partial reps and the summary of one set; None when it holds no counted rep (step 6-7).

    A movement below ``partial_fraction`` of the median rep-sized excursion (or below
    ``min_rep_excursion_deg``) is a partial rep. A rep's bottom is the pause until the next
    movement starts; the set's last rep has none.
    """
    excursions = np.array([move.excursion_deg for move in moves])
    big = excursions[excursions >= params.min_rep_excursion_deg]
    if big.size == 0:
        return None  # only small movements: sway, not a set
    floor = max(params.min_rep_excursion_deg, params.partial_fraction * float(median(big)))
    counted: list[CalfRep] = []
    partials: list[CalfRep] = []
    for pos, move in enumerate(moves):
        next_start_s = moves[pos + 1].start_s if pos + 1 < len(moves) else None
        partial = move.excursion_deg < floor
        rep = _rep(move, set_index, 0 if partial else len(counted) + 1, next_start_s, partial, params)
        (partials if partial else counted).append(rep)
    if not counted:
        return None
    if counted[-1].bottom_s is not None:  # the set ends with partial reps: the last rep has no bottom
        counted[-1] = replace(counted[-1], bottom_s=None)
    return BuiltSet(tuple(counted), tuple(partials), summarise_set(set_index, counted, partials, params))


def _rep(
    move: MeasuredMove, set_index: int, index: int, next_start_s: float | None, partial: bool, params: CalfRaiseParams
) -> CalfRep:
    rise, lowering = move.rise, move.lowering
    eccentric_s = lowering.end_s - lowering.start_s
    return CalfRep(
        set=set_index,
        index=index,
        start_s=rise.start_s,
        end_s=lowering.end_s,
        concentric_s=rise.end_s - rise.start_s,
        top_hold_s=max(0.0, lowering.start_s - rise.end_s),
        eccentric_s=eccentric_s,
        bottom_s=None if next_start_s is None else max(0.0, next_start_s - lowering.end_s),
        eccentric_pass=eccentric_s >= params.target_eccentric_s - params.tolerance_s,
        excursion_deg=move.excursion_deg,
        peak_rise_dps=rise.peak_dps,
        peak_lowering_dps=lowering.peak_dps,
        partial=partial,
    )


def summarise_set(index: int, reps: list[CalfRep], partials: list[CalfRep], params: CalfRaiseParams) -> CalfSet:
    """A set's summary; it is an endurance set when long and continuous (short holds and bottoms)."""
    start, end = reps[0].start_s, reps[-1].end_s
    holds = [r.top_hold_s for r in reps]
    bottoms = [r.bottom_s for r in reps if r.bottom_s is not None]
    endurance = (
        end - start >= params.endurance_min_s
        and float(median(holds)) < params.endurance_max_hold_s
        and (not bottoms or float(median(bottoms)) < params.endurance_max_bottom_s)
    )
    return CalfSet(
        index=index,
        rep_count=len(reps),
        start_s=start,
        end_s=end,
        time_under_tension_s=sum(r.concentric_s + r.top_hold_s + r.eccentric_s for r in reps),
        tempo_pass_rate=sum(r.eccentric_pass for r in reps) / len(reps),
        mean_eccentric_s=float(np.mean([r.eccentric_s for r in reps])),
        partial_rep_count=len(partials),
        endurance=endurance,
    )
