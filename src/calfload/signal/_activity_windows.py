"""The windows of the activity detection (:mod:`calfload.signal._activity`), steps 1-3: cut, measure, classify.

Every window of an IMU recording gets features and a class from its own samples only; how the
windows' classes add up to one activity is step 4, in :mod:`calfload.signal._activity`.

1. **Windows.** The recording is put on a uniform grid of at most ``rate_hz`` and cut into
   ``window_s`` windows overlapping by half, the last one ending with the data. A window is
   *still* when neither the angular rate nor the acceleration norm varies (standing, sitting,
   the sensor on a table).
2. **Features** of every moving window (the ones that decided are returned):
   the cycle period and its strength, the first clear peak of the autocorrelation of the angular
   rate norm (of the acceleration norm without a gyroscope); the 95th percentile of the angular
   rate norm (a foot or shank swinging through a stride turns at 250-1000 deg/s, a calf raise
   at 20-200 deg/s); the 1st and 99th percentiles of the acceleration norm (flight, near 0 g,
   and landing impacts; a calf raise stays near 1 g).
3. **Window classes.** *gait*: a swinging segment (foot, shank, thigh; the thigh swings slower)
   with a stride (0.5-1.6 s) or two in the norm of its angular rate or of its acceleration (the
   norm of a swing peaks twice a stride, and a few strides can put the first clear peak on two),
   or, on the trunk, wrist or unknown placements, a bounce without flight with a 0.25-1.6 s cycle;
   *hops*: periodic with a cycle of 0.25-0.9 s, flight (acceleration near 0 g) and impacts, but
   no swing; *calf raise* (foot and shank only): moving without impacts or swing, slowly (cycle
   over 1.4 s, or no clear cycle); anything else is *unclear*.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from calfload._stats import percentile_ranks, unique
from calfload.recording import Recording
from calfload.signal._activity_features import (
    WindowMeasures,
    measure_axis_shares,
    measure_windows,
)
from calfload.signal._activity_grid import WindowRows, window_rows
from calfload.signal._activity_still import STILL_ACC_MPS2, STILL_GYR_DPS
from calfload.units import STANDARD_GRAVITY_MPS2

if TYPE_CHECKING:  # the detection's result rows: only the detection makes them (not the bouts' pauses)
    from calfload.signal._activity_types import WindowFeatures

#: Placements where the sensor swings through every stride.
LEGS = frozenset({"foot", "shank", "thigh"})
_SWINGING = LEGS
#: Placements where calf raises and hops can be analysed.
_LOWER_LEG = frozenset({"foot", "shank", "unknown"})
#: The classes a window can take.
WINDOW_CLASSES = ("gait", "calf_raise", "hops", "unclear")


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityParams:
    """Thresholds of :func:`detect_activity`; every one has a unit in its name.

    Parameters
    ----------
    rate_hz
        Working rate of the classifier.
    window_s
        Window length; windows overlap by half.
    still_gyr_dps, still_acc_mps2
        A window whose angular-rate norm and acceleration norm vary less than these (standard
        deviation) is still.
    min_periodicity
        Smallest normalised autocorrelation at the cycle period for a window to be periodic
        (dimensionless).
    gait_cycle_s, hop_cycle_s
        Cycle periods of gait (a stride, or a step on the trunk) and of hops.
    swing_dps, shank_swing_dps, thigh_swing_dps
        95th percentile of the angular-rate norm from which a foot (or a sensor of unknown
        placement), a shank or a thigh is swinging. The shank swings through about 70 degrees and
        the thigh about 40, and a slow walker's shank turns at 120-140 deg/s, thigh at 90-120
        (5 m walks of older adults in the Marpino data set).
    min_stride_s
        Shortest stride of a swinging segment (one swing per stride; 0.5 s is 240 steps/min).
    bounce_g
        On the trunk, wrist or an unknown placement, gait lands with at least this
        acceleration (99th percentile); a calf raise stays near 1 g.
    hop_max_dps
        Hops turn the foot or shank slower than this (a walking or running stride swings
        faster): simulated hop windows turn at most 261 deg/s (95th percentile of the norm;
        seeds 0-29, foot, shank and unknown placements, 560 windows); an older adult's walking
        shank at a 0.9 s stride turns at 324-337 (Marpino Elderly/20180403_9, no longer held out
        for this).
    flight_g, impact_g
        Acceleration norm (1st percentile) below which the body is in flight, and (99th
        percentile) above which it lands with an impact.
    calf_max_dps, calf_max_g
        A calf raise turns the foot slower than this and stays below this acceleration.
    calf_cycle_s
        Shortest calf-raise cycle (rise, hold, lowering) when the window is periodic.
    calf_axis_share
        A calf raise turns the foot or shank about one axis: at least this share of the angular
        rate's variance is about its main axis.
    min_moving_s
        Less movement than this is standing.
    calf_share
        Share of moving time that makes a recording a calf-raise session.
    calf_set_s
        Calf raises win over more walking only when they fill at least this long: about one set
        (10-15 raises at 1-2 s each); a few seconds of slow shuffling before a walk are not one.
    min_confidence
        Smallest share of moving time behind the answer (dimensionless).
    fidget_dps, fidget_g
        An unclear window whose angular rate stays under ``fidget_dps`` (95th percentile) and
        whose acceleration norm stays within ``fidget_g`` of 1 g (1st and 99th percentiles) is
        someone standing and shifting their weight: the sensor tilts a few degrees, nothing swings
        (the slowest swing is a thigh's, at ``thigh_swing_dps``), lands or leaves the ground. It
        counts as still in the decision, on a leg (elsewhere, small movement is daily living:
        sitting down, reaching). Standing windows of the Marpino walks turn at 15-41
        deg/s; their walk starts (half standing, half walking) at 72 deg/s and more.
    """

    rate_hz: float = 50.0
    window_s: float = 8.0
    still_gyr_dps: float = STILL_GYR_DPS
    still_acc_mps2: float = STILL_ACC_MPS2
    min_periodicity: float = 0.3
    gait_cycle_s: tuple[float, float] = (0.25, 1.6)
    hop_cycle_s: tuple[float, float] = (0.25, 0.9)
    swing_dps: float = 200.0
    shank_swing_dps: float = 120.0
    thigh_swing_dps: float = 90.0
    min_stride_s: float = 0.5
    bounce_g: float = 1.2
    hop_max_dps: float = 300.0
    flight_g: float = 0.4
    impact_g: float = 2.0
    calf_max_dps: float = 200.0
    calf_max_g: float = 1.5
    calf_cycle_s: float = 1.4
    calf_axis_share: float = 0.7
    min_moving_s: float = 6.0
    calf_share: float = 0.3
    calf_set_s: float = 12.0
    min_confidence: float = 0.6
    fidget_dps: float = 50.0
    fidget_g: float = 0.2


def window_labels(
    recording: Recording, params: ActivityParams | None = None, *, spans: Sequence[tuple[float, float]] | None = None
) -> tuple[tuple[float, float, str], ...]:
    """``(start_s, end_s, class)`` of every window: ``still`` or one of :data:`WINDOW_CLASSES` (steps 1-3).

    The bout segmentation (:mod:`calfload.signal._bouts`) reads the pauses between gait bouts
    from these. With ``spans`` (sorted, disjoint ``(start_s, end_s)``), only the windows that
    overlap one of them are classified and returned; they are the same windows as without. Only
    the classes are wanted, so a window's axis share is measured only where it decides the class.
    """
    params = params or ActivityParams()
    grid = window_rows(recording, params, spans)
    labels = grid_labels(grid, recording.meta.placement, params)
    return tuple((a, b, label) for (a, b), label in zip(grid.spans_s, labels, strict=True))


def grid_labels(grid: WindowRows, placement: str, params: ActivityParams) -> list[str]:
    """Steps 2-3 of every window of ``grid``: its class, ``still`` or one of :data:`WINDOW_CLASSES`.

    Each window's class comes from its own rows (and whether the recording has a gyroscope), so it
    is the same whichever windows are classified with it; the axis share is measured only where it
    decides the class.
    """
    m = measure_windows(grid, params)
    return window_classes(m, placement, params, lambda w: measure_axis_shares(m, grid, w))


def classified_windows(
    recording: Recording, params: ActivityParams, spans: Sequence[tuple[float, float]] | None = None
) -> list[tuple[float, float, WindowFeatures | None]]:
    """Every window's span and features (None when it is still); only those overlapping ``spans`` when given."""
    from calfload.signal._activity_types import WindowFeatures

    grid = window_rows(recording, params, spans)
    m = measure_windows(grid, params)
    measure_axis_shares(m, grid, np.flatnonzero(m.moving))
    labels = window_classes(m, recording.meta.placement, params)
    rows = zip(
        grid.spans_s,
        m.cycle_s.tolist(),
        m.periodicity.tolist(),
        m.acc_cycle_s.tolist(),
        m.acc_periodicity.tolist(),
        m.gyr_p95_dps.tolist(),
        m.axis_share.tolist(),
        m.acc_p01_g.tolist(),
        m.acc_p99_g.tolist(),
        labels,
        strict=True,
    )
    return [
        (a, b, None if label == "still" else WindowFeatures(a, b, c, p, ac, ap, g95, share, p01, p99, label))
        for (a, b), c, p, ac, ap, g95, share, p01, p99, label in rows
    ]


def window_classes(
    m: WindowMeasures, placement: str, params: ActivityParams, axis_share: Callable[[np.ndarray], None] | None = None
) -> list[str]:
    """Step 3: the class of every window of ``m`` (``still`` where it is still).

    The axis share decides only a slow, gentle lower-leg window that is neither hops nor gait
    (a calf raise turns about one axis); ``axis_share``, when given, measures it for those
    windows (indices into ``m``) before it is read.
    """
    gyr = np.where(np.isfinite(m.gyr_p95_dps), m.gyr_p95_dps, 0.0)
    flight = m.acc_p01_g < params.flight_g
    lower_leg = placement in _LOWER_LEG
    swing_dps = {"thigh": params.thigh_swing_dps, "shank": params.shank_swing_dps}.get(placement, params.swing_dps)
    striding = (gyr >= swing_dps) & _one_leg_of_two(m, params)
    hopping = ~striding & _periodic_in(m.acc_cycle_s, m.acc_periodicity, params.hop_cycle_s, params)
    hops = lower_leg & hopping & flight & (m.acc_p99_g >= params.impact_g) & (gyr < params.hop_max_dps)
    swinging = placement in _SWINGING or placement == "unknown"
    stride_s = (params.min_stride_s, params.gait_cycle_s[1])
    gait = swinging & (gyr >= swing_dps) & _stride_seen(m, stride_s, params)
    bounce = ~flight & (m.acc_p99_g >= params.bounce_g)
    bouncing = _periodic_in(m.acc_cycle_s, m.acc_periodicity, params.gait_cycle_s, params)
    gait |= (placement not in _SWINGING) & bounce & bouncing
    slow = (m.periodicity < params.min_periodicity) | (m.cycle_s >= params.calf_cycle_s)
    calf = lower_leg & slow & (gyr < params.calf_max_dps) & (m.acc_p99_g < params.calf_max_g) & ~hops & ~gait
    if axis_share is not None:
        axis_share(np.flatnonzero(calf & m.moving))
    calf &= ~np.isfinite(m.axis_share) | (m.axis_share >= params.calf_axis_share)
    labels = np.select([~m.moving, hops, gait, calf], ["still", "hops", "gait", "calf_raise"], "unclear")
    return [str(label) for label in labels.tolist()]


def neither_still_hop_nor_raise(
    norms: np.ndarray, bounds: list[tuple[int, int]], placement: str, params: ActivityParams
) -> np.ndarray:
    """The windows ``[a, b)`` whose acceleration alone makes them ``gait`` or ``unclear``, from its row norms ``norms``.

    A window whose acceleration norm varies by ``still_acc_mps2`` or more (standard deviation)
    moves whatever its angular rate; off the lower leg a moving window is ``gait`` or ``unclear``;
    on it, a window without flight (1st percentile at least ``flight_g``) is no hop, and one that
    lands at ``calf_max_g`` or more (99th percentile) is no calf raise (:func:`window_classes`).
    The pause vote, to which ``gait`` and ``unclear`` are the same, need not measure such a
    window's angular rate, cycles or axis.

    Neither the standard deviation nor the percentiles are taken, only bounds on them, with a
    relative margin of 1e-9 (far above their roundings, about 1e-13 for a window): ``n`` values
    spanning a range ``r`` have a standard deviation of at least ``r / sqrt(2 n)`` (the extremes
    alone); a percentile lies between the order statistics at the ranks below and above it (the
    ranks :func:`row_percentiles` reads), computed to within a rounding of the lower one, so it is
    at least a threshold when enough values are. A window that misses a bound by less is left
    undecided, as is one with a NaN; those are measured whole.

    Each window's extremes and counts are reduced over its own rows ``[a, b)`` in place (one
    ``reduceat`` of the windows' edges, no stack of their rows): the same values as the rows'.
    """
    if not bounds:
        return np.zeros(0, dtype=bool)
    index = np.array(bounds, dtype=np.intp)
    count = index[:, 1] - index[:, 0]
    # reduceat over the edges a0, b0, a1, b1, ... reduces every [a, b) (and, between, the unread
    # [b, a') or one value); a value past the end makes every b an index.
    edges = index.ravel()
    padded = np.append(norms, 0.0)
    span = np.maximum.reduceat(padded, edges)[::2] - np.minimum.reduceat(padded, edges)[::2]
    decided = span >= params.still_acc_mps2 * np.sqrt(2.0 * count) * (1.0 + 1e-9)
    if placement in _LOWER_LEG:
        limits = (params.flight_g, params.calf_max_g)
        flight, landing = (limit * STANDARD_GRAVITY_MPS2 * (1.0 + 1e-9) for limit in limits)
        widths = unique(count).tolist()
        ranks = {width: [int(rank) % width for rank in percentile_ranks(width, [1.0, 99.0])[1]] for width in widths}
        low01 = np.array([ranks[width][0] for width in widths], dtype=np.intp)[np.searchsorted(widths, count)]
        low99 = np.array([ranks[width][1] for width in widths], dtype=np.intp)[np.searchsorted(widths, count)]
        below = np.add.reduceat(padded < flight, edges, dtype=np.intp)[::2]
        above = np.add.reduceat(padded >= landing, edges, dtype=np.intp)[::2]
        decided &= below <= low01  # the value at rank low01 is not below
        decided &= above >= count - low99  # nor the one at low99
    return np.asarray(decided)


def _classify(w: WindowFeatures, placement: str, params: ActivityParams) -> str:
    """Step 3: the class of one moving window (:func:`window_classes` of it alone)."""
    m = WindowMeasures(1)
    m.moving[0] = True
    m.cycle_s[0], m.periodicity[0], m.acc_cycle_s[0], m.acc_periodicity[0] = (
        w.cycle_s,
        w.periodicity,
        w.acc_cycle_s,
        w.acc_periodicity,
    )
    m.gyr_p95_dps[0], m.axis_share[0], m.acc_p01_g[0], m.acc_p99_g[0] = (
        w.gyr_p95_dps,
        w.axis_share,
        w.acc_p01_g,
        w.acc_p99_g,
    )
    return window_classes(m, placement, params)[0]


def _stride_seen(m: WindowMeasures, stride_s: tuple[float, float], params: ActivityParams) -> np.ndarray:
    """A stride (or two) in the angular rate's or the acceleration's norm, or a step in the acceleration's.

    The norm of a sagittal swing rectifies it, and over a few strides the autocorrelation's
    first clear peak can fall on two strides; the acceleration's norm often keeps the stride.
    Both heel strikes shake a swinging leg (the other one through the body), so the
    acceleration's norm can also beat once a step, half a stride (:func:`_one_leg_of_two`).
    """
    seen = _periodic_in(2.0 * m.acc_cycle_s, m.acc_periodicity, stride_s, params)
    for cycle, periodicity in ((m.cycle_s, m.periodicity), (m.acc_cycle_s, m.acc_periodicity)):
        for k in (1, 2):
            seen |= _periodic_in(cycle / k, periodicity, stride_s, params)
    return seen


def _one_leg_of_two(m: WindowMeasures, params: ActivityParams) -> np.ndarray:
    """The angular rate turns once while the acceleration beats twice: one leg's stride over two steps.

    A walking shank or foot swings once a stride, but both heel strikes shake it (the other one
    through the body), so its acceleration's cycle is a step. A hop can beat twice too (push-off
    and landing), but its ankle turns slowly, far below a swing: the caller checks the swing.
    """
    close = np.abs(m.cycle_s - 2.0 * m.acc_cycle_s) <= 0.15 * m.cycle_s
    return np.asarray((m.periodicity >= params.min_periodicity) & close)


def _periodic_in(
    cycle_s: np.ndarray, periodicity: np.ndarray, band_s: tuple[float, float], params: ActivityParams
) -> np.ndarray:
    return np.asarray((periodicity >= params.min_periodicity) & (band_s[0] <= cycle_s) & (cycle_s <= band_s[1]))


__all__ = [
    "LEGS",
    "WINDOW_CLASSES",
    "ActivityParams",
    "classified_windows",
    "grid_labels",
    "neither_still_hop_nor_raise",
    "window_classes",
    "window_labels",
]
