"""One recording split into bouts: walking, running, standing, calf raises, hops; a run's intervals.

:func:`segment_bouts` takes a recording's walk/run analysis (its step instants) and the
recording itself. The steps, numbered as in the code:

1. **Gait stretches.** Steps closer than ``max_pause_s`` belong together (shorter pauses are
   bridged, as Mobilise-D's walking-bout assembly does); a stretch needs ``min_bout_steps``.
2. **Walk or run** along each stretch, from the cadence of every step interval smoothed by a
   centred running median of ``cadence_smooth_s``, with hysteresis: a walk becomes a run above
   ``run_above_spm`` and a run a walk below ``walk_below_spm``. Stretches shorter than
   ``min_part_s`` join their neighbours, so one quick step is not a run.
3. **Fast and easy running.** The run's pace (the smoothed cadence, or the speed where a foot
   pod gives it) is split in two levels at Otsu's threshold; when the levels are at least
   ``min_cadence_change`` (``min_speed_change``) apart and separate clearly (``min_separation``),
   the run is cut where the pace crosses the band of ``pace_hysteresis`` around the threshold,
   again with ``min_part_s`` as the shortest part.
4. **Pauses.** The time between stretches takes the class most of its windows have in the
   activity classifier (:func:`calfload.signal._activity.window_labels`): still windows are
   ``stand``, calf-raise and hop windows ``calf_raise`` and ``hops``, anything else ``other``.
5. **Each gait bout analysed on its own** (steps, cadence, contact, duty factor; walk or run
   from its own duty factor on a foot): the recording is cut at the bout and passed to the walk
   and run analysis. A recording of one activity is one bout with the whole file's figures.
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
from calfload.signal._activity import ActivityParams, window_labels
from calfload.signal._bouts_types import Bout, BoutParams
from calfload.signal._gait_types import GaitAnalysis

#: Window classes of the activity classifier -> bout activity of a pause.
_PAUSE_ACTIVITY = {"still": "stand", "calf_raise": "calf_raise", "hops": "hops"}
#: Seconds of data kept around a gait bout when it is cut out for its own analysis.
_PAD_S = 1.0

Analyse = Callable[[list[Recording]], GaitAnalysis]


def segment_bouts(
    recordings: Sequence[Recording], analysis: GaitAnalysis, analyse: Analyse, params: BoutParams | None = None
) -> tuple[Bout, ...]:
    """Split IMU recordings of a walk or run into analysed bouts (steps in the module docstring).

    Parameters
    ----------
    recordings
        The recording(s) ``analysis`` was made from (one foot, both feet, or another placement).
    analysis
        Their walk/run analysis: its step instants and, for one bout, its figures.
    analyse
        The walk/run analysis of a cut of the recordings (step 5).
    params
        Thresholds; the defaults are the reviewed ones.

    Returns
    -------
    tuple of Bout
        In time order, covering the recording from its first to its last sample.
    """
    params = params or BoutParams()
    times = np.sort(analysis.step_times_s)
    steps_per_instant = 2 if analysis.steps_doubled_from_one_foot else 1
    # 1-3. Gait stretches, walk or run, fast or easy.
    gait = _gait_bouts(times, steps_per_instant, params)
    # 4. Pauses.
    t = recordings[0].t_s
    bouts = _with_pauses(gait, float(t[0]), float(t[-1]), _pause_classifier(recordings[0], params), params)
    # 5. Each gait bout analysed.
    if sum(b.is_gait for b in bouts) == 1 and len(bouts) <= 3:
        bouts = [_whole(b, analysis) if b.is_gait else b for b in bouts]
    else:
        bouts = [_analysed(b, recordings, analyse, times, steps_per_instant) if b.is_gait else b for b in bouts]
    # 6. Parts.
    return tuple(_parts(bouts))


#: The pace of a run at the given times (speed where the data have it); None: the smoothed cadence.
Level = Callable[[np.ndarray], np.ndarray] | None


def _gait_bouts(times: np.ndarray, per_instant: int, params: BoutParams, level: Level = None) -> list[Bout]:
    if times.size < 2:
        return []
    breaks = np.flatnonzero(np.diff(times) > params.max_pause_s)
    out: list[Bout] = []
    for chunk in np.split(times, breaks + 1):
        if chunk.size * per_instant < params.min_bout_steps:
            continue
        mid, smooth = _smoothed_cadence(chunk, per_instant, params.cadence_smooth_s)
        running = _hysteresis(smooth, params.walk_below_spm, params.run_above_spm)
        for a, b, is_run in _runs(mid, running, float(chunk[0]), float(chunk[-1]), params.min_part_s):
            out.append(Bout(activity="run" if is_run else "walk", start_s=a, end_s=b))
    return _split_pace(out, times, per_instant, params, level)


def _smoothed_cadence(instants: np.ndarray, per_instant: int, width_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Mid-times of the step intervals and their cadence smoothed by a centred running median over time.

    Each interval weighs its duration, so the median is the cadence held for most of the window:
    at a change from walking to running the window flips at the change, not early because running
    packs more steps into the same time.
    """
    dt = np.diff(instants)
    mid = 0.5 * (instants[1:] + instants[:-1])
    cadence = 60.0 * per_instant / dt
    lo = np.searchsorted(mid, mid - width_s / 2)
    hi = np.searchsorted(mid, mid + width_s / 2, side="right")
    out = np.empty(mid.size)
    for i, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
        order = np.argsort(cadence[a:b])
        weight = np.cumsum(dt[a:b][order])
        out[i] = cadence[a:b][order][int(np.searchsorted(weight, 0.5 * weight[-1]))]
    return mid, out


def _hysteresis(x: np.ndarray, low: float, high: float) -> np.ndarray:
    """True where ``x`` last crossed above ``high``, False where it last crossed below ``low``.

    The band decides *whether* the state changes; *where* is the last crossing of the band's
    middle before it, so a wide band does not delay the change.
    """
    middle = 0.5 * (low + high)
    state = bool(x[0] >= middle) if x.size else False
    out = np.empty(x.size, dtype=bool)
    for i, v in enumerate(x.tolist()):
        if (v > high and not state) or (v < low and state):
            state = not state
            j = i
            while j > 0 and out[j - 1] != state and (x[j - 1] >= middle) == state:
                j -= 1
            out[j:i] = state
        out[i] = state
    return out


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
    bouts: list[Bout], times: np.ndarray, per_instant: int, params: BoutParams, level: Level = None
) -> list[Bout]:
    """Step 3: run bouts cut into fast and easy parts (``part`` ``interval`` marks the fast ones for now)."""
    runs = [b for b in bouts if b.activity == "run"]
    if not runs:
        return bouts
    mids, values = [], []
    for b in runs:
        chunk = times[(times >= b.start_s - 1e-9) & (times <= b.end_s + 1e-9)]
        if chunk.size > 2:
            mid, value = _smoothed_cadence(chunk, per_instant, params.cadence_smooth_s)
            mids.append(mid)
            values.append(value if level is None else level(mid))
    if not values:
        return bouts
    pooled = np.concatenate(values)
    threshold, separation = _otsu(pooled)
    low, high = pooled[pooled < threshold], pooled[pooled >= threshold]
    min_change = params.min_cadence_change if level is None else params.min_speed_change
    if not low.size or not high.size or median(high) < (1 + min_change) * median(low):
        return bouts
    if separation < params.min_separation:
        return bouts
    band = params.pace_hysteresis * float(median(high) - median(low))
    out: list[Bout] = []
    queue = iter(zip(mids, values, strict=True))
    for b in bouts:
        if b.activity != "run":
            out.append(b)
            continue
        mid, value = next(queue)
        fast = _hysteresis(value, threshold - band, threshold + band)
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


def _with_pauses(
    gait: list[Bout], start: float, end: float, classify: Callable[[float, float], str], params: BoutParams
) -> list[Bout]:
    """Step 4: the time before, between and after the gait bouts, each as ``classify(start, end)`` says."""
    spans = []
    reach = start
    for b in gait:
        if b.start_s > reach:
            spans.append((reach, b.start_s))
        reach = max(reach, b.end_s)
    if end > reach:
        spans.append((reach, end))
    # Before the first step and after the last, a moment shorter than a pause is no bout.
    spans = [(a, b) for a, b in spans if b - a > params.max_pause_s or start < a < b < end]
    if not spans:
        return gait
    pauses = [Bout(activity=classify(a, b), start_s=a, end_s=b) for a, b in spans]
    merged: list[Bout] = []
    for bout in sorted([*gait, *pauses], key=lambda x: x.start_s):
        if merged and not bout.is_gait and merged[-1].activity == bout.activity:
            merged[-1] = replace(merged[-1], end_s=bout.end_s)
        else:
            merged.append(bout)
    return merged


def _pause_classifier(rec: Recording, params: BoutParams) -> Callable[[float, float], str]:
    """Step 4's classes of an IMU recording's pauses (the windows classified once, when a pause moves)."""
    windows: list[tuple[tuple[float, float, str], ...]] = []

    def classes() -> tuple[tuple[float, float, str], ...]:
        if not windows:
            windows.append(window_labels(rec))
        return windows[0]

    return lambda a, b: _pause_activity(rec, a, b, classes, params)


def _pause_activity(
    rec: Recording, a: float, b: float, windows: Callable[[], tuple[tuple[float, float, str], ...]], params: BoutParams
) -> str:
    lo, hi = a + params.edge_s, b - params.edge_s
    if hi <= lo:
        lo, hi = a, b
    if _still(rec, lo, hi):
        return "stand"
    overlap: dict[str, float] = {}
    for w0, w1, label in windows():
        shared = min(w1, hi) - max(w0, lo)
        if shared > 0:
            key = _PAUSE_ACTIVITY.get(label, "other")
            overlap[key] = overlap.get(key, 0.0) + shared
    return max(overlap, key=lambda k: overlap[k]) if overlap else "other"


def _still(rec: Recording, lo: float, hi: float) -> bool:
    """The activity classifier's still test on the pause itself (a window is longer than a short stop)."""
    t = rec.t_s
    a, b = int(np.searchsorted(t, lo)), int(np.searchsorted(t, hi, side="right"))
    if b - a < 3:
        return False
    still = ActivityParams()
    gyr = np.linalg.norm(rec.gyr_dps()[a:b], axis=1)
    acc = np.linalg.norm(rec.acc_mps2()[a:b], axis=1)
    return bool(gyr.std() < still.still_gyr_dps and acc.std() < still.still_acc_mps2)


def _whole(bout: Bout, analysis: GaitAnalysis) -> Bout:
    """The one gait bout of a recording of one activity: the whole file's figures."""
    imu = analysis.imu
    return replace(
        bout,
        activity=analysis.activity,
        steps=analysis.steps,
        cadence_median_spm=analysis.cadence_median_spm,
        cadence_mean_spm=analysis.cadence_mean_spm,
        ground_contact_median_ms=analysis.ground_contact_median_ms,
        duty_factor=None if imu is None else imu.duty_factor,
        speed_mps=analysis.speed_mps,
        distance_m=analysis.distance_m,
    )


def _analysed(
    bout: Bout, recordings: Sequence[Recording], analyse: Analyse, times: np.ndarray, per_instant: int
) -> Bout:
    """Step 5: the bout cut out of the recording(s) with a margin and analysed on its own.

    Its steps are the whole file's steps inside it, so the bouts' steps add up to the file's
    (the margin would count steps of the neighbours).
    """
    cuts = [_cut(r, bout.start_s - _PAD_S, bout.end_s + _PAD_S) for r in recordings]
    if any(c.n_samples < 2 for c in cuts):
        return bout
    own = _whole(bout, analyse(cuts))
    # The duty factor of a foot decides walk or run where it can; cadence decided the cut.
    activity = own.activity if own.duty_factor is not None else bout.activity
    # Bouts within a stretch are cut between two steps, and a stretch starts and ends on a step.
    inside = int(np.count_nonzero((times >= bout.start_s) & (times <= bout.end_s)))
    return replace(own, activity=activity, steps=per_instant * inside)


def _cut(rec: Recording, start_s: float, end_s: float) -> Recording:
    t = rec.t_s
    a, b = int(np.searchsorted(t, start_s)), int(np.searchsorted(t, end_s, side="right"))
    return Recording({k: v[a:b] for k, v in rec.columns.items()}, rec.meta, rec.source)


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
