"""One entry point for every activity: ``analyze(recordings, activity=...)``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias

from calfload.errors import AnalysisError
from calfload.recording import Recording
from calfload.vocabulary import ACTIVITIES, PLACEMENTS

if TYPE_CHECKING:
    # The gait, hop and stored-record types load with their analyses: a calf session never creates them.
    from calfload.signal._bouts_types import Bout
    from calfload.signal._gait_types import GaitAnalysis
    from calfload.signal._record import SessionAnalysis

    #: What :func:`analyze` returns: a calf-raise, gait or hop result (see :mod:`calfload.signal._record`).
    Analysis: TypeAlias = SessionAnalysis
else:

    def __getattr__(name: str) -> object:
        """``Analysis``: the union of the session results, which imports every result type (PEP 562)."""
        if name == "Analysis":
            from calfload.signal._record import SessionAnalysis

            return SessionAnalysis
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def analyze(
    recordings: Recording | Sequence[Recording],
    *,
    activity: str | None = None,
    placement: str | None = None,
    target_eccentric_s: float | None = None,
    tolerance_s: float | None = None,
) -> Analysis:
    """Analyse one recording (or the left and right recordings of one session).

    Parameters
    ----------
    recordings
        The recording(s). Several are only meaningful for walks and runs (both feet).
    activity
        Overrides the metadata's activity hint (``calf_raise``, ``hops``, ``run``, ``walk``).
    placement
        Overrides the metadata's placement.
    target_eccentric_s, tolerance_s
        Tempo audit settings for calf raises (defaults 3.0 s and 0.5 s).

    Raises
    ------
    AnalysisError
        If the activity cannot be analysed from these recordings, or ``tolerance_s`` is not
        shorter than ``target_eccentric_s``.
    """
    recs = [recordings] if isinstance(recordings, Recording) else list(recordings)
    if not recs:
        raise AnalysisError("no recording given")
    if activity is not None and activity not in ACTIVITIES:
        raise AnalysisError(f"unknown activity {activity!r}; use one of {', '.join(ACTIVITIES)}")
    if placement is not None and placement not in PLACEMENTS:
        raise AnalysisError(f"unknown placement {placement!r}; use one of {', '.join(PLACEMENTS)}")
    if placement is not None:
        recs = [r.with_meta(placement=placement) for r in recs]
    first = recs[0]
    chosen = activity or first.meta.activity or ("run" if first.meta.kind == "footpod" else None)
    guess = None
    if chosen is None:
        # The activity detector (its window features and result types) loads only when the data must say.
        from calfload.signal._activity import activity_to_analyse

        chosen, guess = activity_to_analyse(first)
    if chosen == "calf_raise":
        if len(recs) > 1:
            raise AnalysisError("analyse calf-raise recordings one file at a time")
        overrides: dict[str, float] = {}
        if target_eccentric_s is not None:
            overrides["target_eccentric_s"] = target_eccentric_s
        if tolerance_s is not None:
            overrides["tolerance_s"] = tolerance_s
        # The calf-raise analysis loads only when chosen, as the gait and hop ones: a run never imports it.
        from calfload.signal._calf_raise import analyze_calf_raises
        from calfload.signal._calf_types import CalfRaiseParams, check_tempo

        params = CalfRaiseParams.for_placement(first.meta.placement, **overrides)
        check_tempo(params.target_eccentric_s, params.tolerance_s)
        return analyze_calf_raises(first, params)
    if chosen == "hops":
        from calfload.signal._hops import analyze_hops
        from calfload.signal._hops_types import HopParams

        if len(recs) > 1:
            raise AnalysisError("analyse hop recordings one file at a time")
        return analyze_hops(first, HopParams.for_placement(first.meta.placement))
    if chosen in {"walk", "run", "gait"}:
        from calfload.signal._gait import analyze_gait

        # The gait analysis reads the metadata hint itself and detects walk or run otherwise.
        gait = analyze_gait(recs, activity=activity, placement=placement)
        return replace(gait, detection=guess, segments=gait_segments(recs, gait))
    raise AnalysisError(f"{chosen} analysis is not available in this version of calfload")


def gait_segments(recordings: Sequence[Recording], gait: GaitAnalysis) -> tuple[Bout, ...]:
    """The bouts of walk/run recordings (:func:`calfload.signal._bouts.segment_bouts`).

    Foot pods and FIT files without laps get bouts from their records
    (:func:`calfload.signal._bouts_pod.segment_pod`) when they have more than one gait bout,
    stops under 30 s inside the gait (:mod:`calfload.signal._bouts_merge`).

    Each gait bout is a walk or a run by its own duty factor, as if nobody had named the activity,
    so a walk warm-up in a file marked ``run`` is a walk.
    """
    if not gait.steps:
        return ()
    if gait.source != "imu":
        from calfload.signal._bouts_merge import merge_short_stops
        from calfload.signal._bouts_pod import segment_pod

        bouts = merge_short_stops(segment_pod(recordings[0], gait, max_sample_gap_s=gait.params.max_sample_gap_s))
        # A steady run without stops is its whole file: no bouts to add.
        return bouts if sum(b.is_gait for b in bouts) > 1 else ()
    from calfload.signal._bouts import segment_bouts
    from calfload.signal._bouts_calf import count_bout_reps

    return count_bout_reps(recordings[0], segment_bouts(recordings, gait))
