"""Parameters of the walk and run analysis (:func:`calfload.signal.analyze_gait`).

Every parameter carries its unit in its name; presets per placement are read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Literal


@dataclass(frozen=True, slots=True, kw_only=True)
class GaitParams:
    """Parameters of :func:`analyze_gait`; every one has a unit in its name.

    Parameters
    ----------
    max_rate_hz
        Working sample rate; faster recordings are low-passed and decimated.
    max_bridged_gap_s
        Gaps up to this long are bridged by interpolation.
    event_lowpass_hz
        Low-pass of the angular rate for toe-off and initial contact (FilteredRampp: 15 Hz).
    swing_lowpass_hz
        Low-pass of the angular rate for finding swings.
    min_swing_dps
        Shallowest swing lobe that can be a stride.
    relative_swing
        A swing must reach this share of the median swing depth among its neighbours (dimensionless).
    min_stride_s
        Shortest stride (same foot); 0.45 s is 267 steps/min.
    max_stride_s
        Longer pauses between strides end a bout.
    tc_search_s
        How far before the swing peak toe-off is searched.
    ic_end_fraction
        Initial contact is where the swing's dorsiflexion rate has died down to this share.
    swing_sign
        How the swing's direction of rotation is told: ``stance`` (the foot: the rotation after
        the stillest moments of stance is push-off) or ``largest`` (shank and thigh, which never
        dwell flat: the largest lobe of the slow angular rate is the swing).
    stride_instant
        Which event times a stride: ``contact`` (the swing lobe's end, a sharp event on a foot or
        shank) or ``swing`` (the peak of the slow swing lobe, moved by the median lag to the
        contacts; the thigh, whose lobe ends in soft-tissue ringing at heel strike).
    periodic_band_hz
        Band-pass of the trunk or wrist step signal.
    periodic_window_s
        Window of the trunk or wrist step-period estimate.
    step_period_s
        Plausible step periods for trunk and wrist sensors.
    min_periodicity
        Smallest normalised autocorrelation of a walking window (trunk, wrist) (dimensionless).
    min_prominence
        Step peak prominence (standard deviations of the step signal; trunk, wrist).
    min_activity_mps2
        Windows whose step signal varies less than this (RMS) are standing, not walking: sensor
        noise alone is periodic enough to fool the autocorrelation.
    cadence_window_s
        Window of the cadence series.
    run_duty_factor
        Contact time over stride time below which gait is running.
    run_cadence_spm
        Without contact times, cadence from which gait is running.
    plausible_cadence_spm
        Cadences outside this range are reported as implausible.
    plausible_stride_m
        Stride lengths (same foot) a person can have; foot-pod plausibility.
    stride_tolerance
        Largest relative disagreement between implied and reported stride length (dimensionless).
    max_sample_gap_s
        Foot-pod samples further apart than this are not integrated across.
    chunk_s
        Foot and shank recordings are filtered and searched in windows of this length, each with
        10 s of context on both sides, so memory stays bounded however long the recording; the
        steps and contacts are those of the whole recording (:mod:`calfload.signal._chunks`).
        The length at a 100-200 Hz grid: a slower grid's windows are whole multiples of it, of
        no more samples (:func:`calfload.signal._gait_foot.window_s`).
    """

    max_rate_hz: float = 200.0
    max_bridged_gap_s: float = 0.5
    event_lowpass_hz: float = 15.0
    swing_lowpass_hz: float = 5.0
    min_swing_dps: float = 35.0
    relative_swing: float = 0.12
    min_stride_s: float = 0.45
    max_stride_s: float = 2.5
    tc_search_s: float = 0.4
    ic_end_fraction: float = 0.05
    periodic_band_hz: tuple[float, float] = (0.5, 4.0)
    periodic_window_s: float = 6.0
    step_period_s: tuple[float, float] = (0.27, 0.85)
    min_periodicity: float = 0.25
    min_prominence: float = 0.3
    min_activity_mps2: float = 0.3
    cadence_window_s: float = 10.0
    run_duty_factor: float = 0.5
    run_cadence_spm: float = 140.0
    plausible_cadence_spm: tuple[float, float] = (40.0, 240.0)
    plausible_stride_m: tuple[float, float] = (0.5, 3.6)
    stride_tolerance: float = 0.25
    max_sample_gap_s: float = 30.0
    chunk_s: float = 300.0
    swing_sign: Literal["stance", "largest"] = "stance"
    stride_instant: Literal["contact", "swing"] = "contact"

    #: Reviewed parameter sets per placement. The shank and thigh swing less and never dwell flat;
    #: their swing is the largest rotation of the stride (Aminian et al. 2002, Salarian et al. 2004).
    PRESETS: ClassVar[Mapping[str, Mapping[str, Any]]] = MappingProxyType(
        {
            "foot": MappingProxyType({}),
            "shank": MappingProxyType({"min_swing_dps": 40.0, "relative_swing": 0.2, "swing_sign": "largest"}),
            # The thigh's swing is a slow lobe (one per stride, at most 2 Hz at 240 spm); above that
            # its rate carries soft-tissue wobble and heel-strike ringing of +-150 deg/s on real
            # walks (Marpino data set, docs/validation.md), which the foot's 5 Hz passes as swings.
            # The same ringing moves the end of the lobe on the 15 Hz rate: the thigh's strides are
            # timed by the slow lobe's peaks (docs/validation.md, Marpino: 59 -> 66 % tuned, 77 -> 85 %
            # held out, in process).
            "thigh": MappingProxyType(
                {
                    "min_swing_dps": 40.0,
                    "relative_swing": 0.2,
                    "swing_sign": "largest",
                    "swing_lowpass_hz": 2.0,
                    "stride_instant": "swing",
                }
            ),
            "lower_back": MappingProxyType({}),
            "wrist": MappingProxyType({"min_prominence": 0.4}),
        }
    )

    @classmethod
    def for_placement(cls, placement: str, **overrides: Any) -> GaitParams:
        """Parameters for a sensor placement (``unknown`` is treated as ``foot``)."""
        from calfload.signal._presets import placement_preset

        return cls(**{**placement_preset(cls.PRESETS, placement, analysis="gait"), **overrides})


__all__ = ["GaitParams"]
