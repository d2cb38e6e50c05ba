"""One recording split into bouts: walking, running, standing, calf raises, hops; a run's intervals.

:func:`segment_bouts` takes a recording's walk/run analysis (its step instants) and the
recording itself. The steps, numbered as in the code:

1. **Gait stretches.** Steps closer than ``max_pause_s`` belong together (shorter pauses are
   bridged, as Mobilise-D's walking-bout assembly does); a stretch needs ``min_bout_steps``.
2. **Walk or run** along each stretch, from the cadence of every step interval smoothed by a
   centred running median of ``cadence_smooth_s``, with hysteresis: a walk becomes a run above
   ``run_above_spm`` and a run a walk below ``walk_below_spm``. Stretches shorter than
   ``min_part_s`` join their neighbours, so one quick step is not a run. A shank or thigh's
   run whose strides stay quiet is a fast walk (:func:`calfload.signal._activity_pace.quiet_walks`).
3. **Fast and easy running.** The run's pace (the smoothed cadence, or the speed where a foot
   pod gives it) is split in two levels at Otsu's threshold; when the levels are at least
   ``min_cadence_change`` (``min_speed_change``) apart and separate clearly (``min_separation``),
   the run is cut where the pace crosses the band of ``pace_hysteresis`` around the threshold,
   again with ``min_part_s`` as the shortest part.
4. **Pauses.** A pause whose samples are still is ``stand``; any other takes the class most of
   its windows have in the activity classifier (:func:`calfload.signal._activity.window_labels`,
   classified once for all such pauses): still windows are ``stand``, calf-raise and hop windows
   ``calf_raise`` and ``hops``, anything else ``other`` (:mod:`calfload.signal._bouts_pauses`).
   In a **run** (the recording's activity), a standing stop shorter than
   :data:`calfload.signal._bouts_merge.SHORT_STOP_S` (30 s) between two gait bouts of the same
   activity and part is a pause inside one bout, as in foot-pod and FIT bouts: a runner waiting
   20 s at a traffic light is still on the same run, a stop of a minute is a break, and the bouts
   table shows it as a standing bout between two. A walk keeps Mobilise-D's walking bouts
   (pauses up to ``max_pause_s``), the clinical definition they are validated against.
5. **Each gait bout's own figures** (steps, cadence, contact, duty factor, speed and distance;
   walk or run from its own duty factor on a foot), from the whole recording's events inside
   it: the steps from its first to its last, the strides that begin in it with their contact
   times and their zero-velocity-aided lengths. A recording of one activity is one bout with the
   whole file's figures.
6. **Parts.** With fast stretches, the gait before the first is the ``warm-up``, each fast
   stretch an ``interval``, the gait between them ``recovery`` and the gait after the last the
   ``cool-down``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from calfload._stats import median
from calfload.recording import Recording
from calfload.signal._bouts_figures import own_figures, whole_figures
from calfload.signal._bouts_hysteresis import hysteresis
from calfload.signal._bouts_merge import merge_short_stops
from calfload.signal._bouts_pauses import pause_classifier, with_pauses
from calfload.signal._bouts_types import Bout, BoutParams
from calfload.signal._gait import clock_offsets
from calfload.signal._gait_types import GaitAnalysis


def segment_bouts(
    recordings: Sequence[Recording], analysis: GaitAnalysis, params: BoutParams | None = None
) -> tuple[Bout, ...]:
    """Split IMU recordings of a walk or run into analysed bouts (steps in the module docstring).

    Parameters
    ----------
    recordings
        The recording(s) ``analysis`` was made from (one foot, both feet, or another placement).
    analysis
        Their walk/run analysis: its step instants and events, and, for one bout, its figures.
    params
        Thresholds; the defaults are the reviewed ones.

    Returns
    -------
    tuple of Bout
        In time order, covering the recording from its first to its last sample.
    """
    from calfload.signal._activity_quiet import NO_CONTACT_LEGS  # IMU bouts only (not a foot pod's)

    params = params or BoutParams()
    times = np.sort(analysis.step_times_s)
    steps_per_instant = 2 if analysis.steps_doubled_from_one_foot else 1
    # 1-3. Gait stretches, walk or run, fast or easy.
    gait = _gait_bouts(times, steps_per_instant, params)
    if analysis.placement in NO_CONTACT_LEGS:  # a fast walk on a shank or thigh
        from calfload.signal._activity_pace import quiet_walks

        offsets = clock_offsets(list(recordings))
        gait = quiet_walks(
            gait,
            recordings,
            analysis.events.instants_s,
            offsets,
            max_stride_s=analysis.params.max_stride_s,
            pieces=analysis.quiet_pieces,  # measured once, by the gait analysis, when it asked
        )
    # 4. Pauses.
    t = recordings[0].t_s
    bouts = with_pauses(gait, float(t[0]), float(t[-1]), pause_classifier(recordings[0], params), params)
    if analysis.activity == "run":  # a runner's stops under 30 s are pauses inside the bout
        bouts = list(merge_short_stops(bouts))
    # 5. Each gait bout's own figures.
    if sum(b.is_gait for b in bouts) == 1 and len(bouts) <= 3:
        bouts = [whole_figures(b, analysis) if b.is_gait else b for b in bouts]
    else:
        bouts = own_figures(bouts, analysis, times, steps_per_instant)
    # 6. Parts.
    return tuple(_parts(bouts))


#: The pace of a run at the given times (speed where the data have it); None: the smoothed cadence.
Level = Callable[[np.ndarray], np.ndarray] | None


def _gait_bouts(times: np.ndarray, per_instant: int, params: BoutParams, level: Level = None) -> list[Bout]:
    if times.size < 2:
        return []
    breaks = np.flatnonzero(np.diff(times) > params.max_pause_s)
    out: list[Bout] = []
    chunks = [c for c in np.split(times, breaks + 1) if c.size * per_instant >= params.min_bout_steps]
    mid, smooth, last = _joined_smoothed_cadences(chunks, per_instant, params.cadence_smooth_s)
    low, high = params.walk_below_spm, params.run_above_spm
    first = 0
    whole: dict[int, _Smoothed] = {}  # the bouts that are a whole stretch, with its smoothed cadence
    for chunk, end, state in zip(chunks, last.tolist(), _steady(smooth, last, low, high), strict=True):
        if state is not None:  # never crosses the band: one bout, as hysteresis and _runs make it
            whole[len(out)] = (mid[first:end], smooth[first:end], chunk.size)
            out.append(Bout(activity="run" if state else "walk", start_s=float(chunk[0]), end_s=float(chunk[-1])))
        else:
            running = hysteresis(smooth[first:end], low, high)
            for a, b, is_run in _runs(mid[first:end], running, float(chunk[0]), float(chunk[-1]), params.min_part_s):
                out.append(Bout(activity="run" if is_run else "walk", start_s=a, end_s=b))
        first = end
    return _split_pace(out, times, per_instant, params, level, whole)


#: A stretch's interval mid-times and smoothed cadence (:func:`_smoothed_cadence`), and its instants' count.
_Smoothed = tuple[np.ndarray, np.ndarray, int]


def _steady(smooth: np.ndarray, last: np.ndarray, low: float, high: float) -> list[bool | None]:
    """Each stretch's state (run or not) where the hysteresis never changes it along the stretch, else None.

    The stretches are ``smooth[last[k - 1]:last[k]]``; one starts in the state its first value
    gives and changes only past ``low`` or ``high``: a stretch whose values (NaN never crosses)
    all stay on its side keeps it. All stretches at once (most of an hour's 90-120 never change).
    """
    counts = np.diff(last, prepend=0)
    out: list[bool | None] = [None] * last.size
    kept = np.flatnonzero(counts > 0)
    if not kept.size:
        return out
    starts = (last - counts)[kept]
    state = smooth[starts] >= 0.5 * (low + high)
    with np.errstate(invalid="ignore"):
        top, bottom = np.fmax.reduceat(smooth, starts), np.fmin.reduceat(smooth, starts)
        steady = np.where(state, ~(bottom < low), ~(top > high))
    for k, running, keeps in zip(kept.tolist(), state.tolist(), steady.tolist(), strict=True):
        if keeps:
            out[k] = running
    return out


def _smoothed_cadence(instants: np.ndarray, per_instant: int, width_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Mid-times of the step intervals and their cadence smoothed by a centred running median over time.

    Each interval weighs its duration, so the median is the cadence held for most of the window:
    at a change from walking to running the window flips at the change, not early because running
    packs more steps into the same time.
    """
    return _smoothed_cadences([instants], per_instant, width_s)[0]


def _smoothed_cadences(
    stretches: list[np.ndarray], per_instant: int, width_s: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`_smoothed_cadence` of each of consecutive stretches of instants, all in one pass.

    Each interval's window is cut at its own stretch's ends, so each stretch is smoothed as if alone.
    """
    if not stretches:
        return []
    mid, out, last = _joined_smoothed_cadences(stretches, per_instant, width_s)
    cuts = last[:-1]
    return list(zip(np.split(mid, cuts), np.split(out, cuts), strict=True))


def _joined_smoothed_cadences(
    stretches: list[np.ndarray], per_instant: int, width_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_smoothed_cadences` one stretch after another: mid-times, cadences, each stretch's end in them."""
    if not stretches:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.intp)
    instants = np.concatenate(stretches)
    sizes = np.array([c.size for c in stretches])
    pair = np.ones(instants.size - 1, dtype=bool)  # intervals inside one stretch
    pair[np.cumsum(sizes)[:-1] - 1] = False
    dt = np.diff(instants)[pair]
    mid = (0.5 * (instants[1:] + instants[:-1]))[pair]
    cadence = 60.0 * per_instant / dt
    counts = np.maximum(sizes - 1, 0)
    last = np.cumsum(counts)
    first = np.repeat(last - counts, counts)
    lo = np.maximum(np.searchsorted(mid, mid - width_s / 2), first)
    hi = np.minimum(np.searchsorted(mid, mid + width_s / 2, side="right"), np.repeat(last, counts))
    out = np.empty(mid.size)
    width = int((hi - lo).max()) if mid.size else 0
    step = max(1, _BLOCK // max(width, 1))
    for start in range(0, mid.size, step):
        rows = slice(start, start + step)
        out[rows] = _weighted_medians(cadence, dt, lo[rows], hi[rows], width)
    return mid, out, last


#: Cells of one block of :func:`_weighted_medians` (bounded temporaries however long the walk).
_BLOCK = 1 << 18


def _weighted_medians(x: np.ndarray, w: np.ndarray, lo: np.ndarray, hi: np.ndarray, width: int) -> np.ndarray:
    """Weighted median of each ``x[a:b]`` (weights ``w[a:b]``): the first sorted value with half the weight.

    Rows are padded to ``width`` with +inf of weight 0, which sort last and add nothing, so each
    row's result is that of sorting and summing its own values alone.
    """
    index = lo[:, None] + np.arange(width)
    inside = index < hi[:, None]
    index = np.minimum(index, x.size - 1)
    values = np.where(inside, x[index], np.inf)
    order = np.argsort(values, axis=1)
    weight = np.cumsum(np.take_along_axis(np.where(inside, w[index], 0.0), order, axis=1), axis=1)
    k = np.count_nonzero(weight < 0.5 * weight[:, -1:], axis=1)
    return np.asarray(np.take_along_axis(values, order, axis=1)[np.arange(lo.size), k])


def _runs(t: np.ndarray, flag: np.ndarray, start: float, end: float, min_s: float) -> list[tuple[float, float, bool]]:
    """``(start, end, flag)`` of the constant stretches of ``flag`` at times ``t``; short ones absorbed.

    A stretch shorter than ``min_s`` takes its longer neighbour's flag (repeatedly, shortest first).
    """
    cuts = np.flatnonzero(np.diff(flag.astype(np.int8))) + 1
    edges = [start, *(float(0.5 * (t[c - 1] + t[c])) for c in cuts.tolist()), end]
    parts = [(edges[i], edges[i + 1], bool(flag[0 if i == 0 else cuts[i - 1]])) for i in range(len(edges) - 1)]
    while len(parts) > 1:
        i = min(range(len(parts)), key=lambda k: parts[k][1] - parts[k][0])
        if parts[i][1] - parts[i][0] >= min_s:
            break
        parts[i] = (parts[i][0], parts[i][1], not parts[i][2])
        merged: list[tuple[float, float, bool]] = []
        for p in parts:
            if merged and merged[-1][2] == p[2]:
                merged[-1] = (merged[-1][0], p[1], p[2])
            else:
                merged.append(p)
        parts = merged
    return parts


def _split_pace(
    bouts: list[Bout],
    times: np.ndarray,
    per_instant: int,
    params: BoutParams,
    level: Level = None,
    whole: dict[int, _Smoothed] | None = None,
) -> list[Bout]:
    """Step 3: run bouts cut into fast and easy parts (``part`` ``interval`` marks the fast ones for now).

    ``whole``: bouts (by index) that are a whole stretch of :func:`_gait_bouts`, with the smoothed
    cadence it made for the stretch; a run bout whose instants are exactly those takes it rather
    than smoothing them again (the same values: each stretch is smoothed as if alone).
    """
    runs = [(k, b) for k, b in enumerate(bouts) if b.activity == "run"]
    if not runs:
        return bouts
    whole = whole or {}
    # Each run bout's smoothed cadence by its index: a bout of two instants or fewer has none and is kept whole.
    smoothed: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k, b in runs:
        # The instants in the bout: (times >= start - 1e-9) & (times <= end + 1e-9) of the sorted times.
        first = int(np.searchsorted(times, b.start_s - 1e-9, side="left"))
        stop = int(np.searchsorted(times, b.end_s + 1e-9, side="right"))
        if stop - first > 2:
            known = whole.get(k)
            if known is not None and known[2] == stop - first:  # the stretch's instants, and no others
                mid, value = known[0], known[1]
            else:
                mid, value = _smoothed_cadence(times[first:stop], per_instant, params.cadence_smooth_s)
            smoothed[k] = (mid, value if level is None else level(mid))
    if not smoothed:
        return bouts
    pooled = np.concatenate([value for _, value in smoothed.values()])
    threshold, separation = _otsu(pooled)
    low, high = pooled[pooled < threshold], pooled[pooled >= threshold]
    min_change = params.min_cadence_change if level is None else params.min_speed_change
    if not low.size or not high.size or median(high) < (1 + min_change) * median(low):
        return bouts
    if separation < params.min_separation:
        return bouts
    band = params.pace_hysteresis * float(median(high) - median(low))
    out: list[Bout] = []
    for k, b in enumerate(bouts):
        if k not in smoothed:
            out.append(b)
            continue
        mid, value = smoothed[k]
        fast = hysteresis(value, threshold - band, threshold + band)
        for a, e, is_fast in _runs(mid, fast, b.start_s, b.end_s, params.min_part_s):
            out.append(replace(b, start_s=a, end_s=e, part="interval" if is_fast else None))
    return out


def _otsu(x: np.ndarray) -> tuple[float, float]:
    """Threshold between two classes of ``x`` that maximises the between-class variance (Otsu 1979).

    Also returns Otsu's separability: that variance over the total variance (1 for two exact
    levels; one normal level split in two reaches 2/π ≈ 0.64).
    """
    v = np.sort(x)
    n = v.size
    if n < 2 or v[0] == v[-1]:
        return (float(v[-1]) + 1.0 if n else math.inf), 0.0
    csum = np.cumsum(v)
    k = np.arange(1, n)
    w0, w1 = k / n, 1 - k / n
    m0 = csum[:-1] / k
    m1 = (csum[-1] - csum[:-1]) / (n - k)
    between = w0 * w1 * (m0 - m1) ** 2
    best = int(np.argmax(between))
    return float(0.5 * (v[best] + v[best + 1])), float(between[best] / np.var(v))


def _parts(bouts: list[Bout]) -> list[Bout]:
    """Step 6: warm-up, intervals, recoveries and cool-down, when there are fast stretches."""
    fast = [i for i, b in enumerate(bouts) if b.part == "interval"]
    if not fast:
        return bouts
    out = []
    for i, b in enumerate(bouts):
        if not b.is_gait or b.part == "interval":
            out.append(b)
        elif i < fast[0]:
            out.append(replace(b, part="warm-up"))
        elif i > fast[-1]:
            out.append(replace(b, part="cool-down"))
        else:
            out.append(replace(b, part="recovery"))
    return out


__all__ = ["segment_bouts"]
