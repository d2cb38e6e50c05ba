"""Reviewed constants of the load model, as named presets.

Every number the load model, the trends and the daily flag use lives here, once, with its
source. Modules take a parameter object (defaulting to the ``"achilles_default"`` preset) and
never repeat a constant. Sources are those of ``reference/loadmodel.md``; ``docs/load-model.md``
lists them for users.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

EwmaConvention = Literal["williams", "banister"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ForceParameters:
    """Peak Achilles-tendon force per activity, in body weights (one moment-arm convention, 5 cm).

    Parameters
    ----------
    run_force_at_ref_bw
        Peak force of running at ``run_ref_speed_mps`` (6.0 BW: middle of 4.15-7.71 BW in Demangeot 2023
        and of 5.13-6.35 BW in Sancho 2023).
    run_ref_speed_mps
        The speed at which running produces ``run_force_at_ref_bw``.
    run_speed_slope_per_mps
        Relative rise of peak force per m/s (0.12: Reiter 2024, 8.2 -> 10.1 BW over 2.68 -> 4.47 m/s).
    run_speed_min_mps, run_speed_max_mps
        The speed is clamped to this range before the linear law is applied.
    cadence_exponent
        Peak force scales as ``(cadence / habitual cadence) ** -cadence_exponent`` (direction from Lyght
        2016; the exponent 0.5 is an assumption to calibrate).
    walk_force_bw
        Walking, treated as speed-independent (Demangeot 2023: 2.7-3.95 BW).
    heel_raise_lever_ratio
        Ankle-to-ball distance over the tendon moment arm (12.5 cm / 5 cm): a quasi-static single-leg raise
        loads the tendon with about 2.5 times the weight it lifts.
    seated_raise_force_bw
        Seated (soleus) raise without added load (Baxter 2021: 0.5 BW).
    hop_bilateral_force_bw
        Two-legged hops, pogo jumps, bounds (Sancho 2023: 5.13-6.35 BW for running, jumping and hopping).
    hop_single_leg_force_bw
        Single-leg hops, the highest of 30 exercises in Baxter 2021 (7.3 BW).
    default_body_mass_kg
        Used only to scale added load when no body mass has been logged.

    References
    ----------
    .. [1] Baxter et al. (2021) Med Sci Sports Exerc 53:124.
    .. [2] Demangeot et al. (2023) Scand J Med Sci Sports (systematic review of Achilles tendon force).
    .. [3] Sancho et al. (2023) Phys Ther Sport 60:26.
    .. [4] Reiter et al. (2024) Med Sci Sports Exerc 56:1077.
    .. [5] Lyght et al. (2016) J Appl Biomech 32:365.
    """

    run_force_at_ref_bw: float = 6.0
    run_ref_speed_mps: float = 3.3
    run_speed_slope_per_mps: float = 0.12
    run_speed_min_mps: float = 2.0
    run_speed_max_mps: float = 6.0
    cadence_exponent: float = 0.5
    walk_force_bw: float = 3.0
    heel_raise_lever_ratio: float = 2.5
    seated_raise_force_bw: float = 0.5
    hop_bilateral_force_bw: float = 6.0
    hop_single_leg_force_bw: float = 7.3
    default_body_mass_kg: float = 70.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DamageParameters:
    """The damage-weighted load ``D = sum n_i (F_i / F_easy) ** k``.

    Parameters
    ----------
    exponent
        ``k``. 4 by default; the tendon S-N curve of Schechtman & Bader (1997) gives a local exponent of
        3.1-6.2 at 20-40 % of ultimate stress, and Carter's bone stimulus uses about 4.
    default_easy_speed_mps
        The easy-run speed used before the journal holds runs with a speed.
    default_cadence_spm
        The habitual running cadence used before the journal holds runs with a cadence.
    contact_shape_factor
        Impulse of one contact = peak force x contact time x this factor (a half-sine gives 2/pi ~ 0.64;
        0.55 follows the reference's 0.5-0.6).

    References
    ----------
    .. [1] Edwards (2018) Exerc Sport Sci Rev 46:224.
    .. [2] Schechtman & Bader (1997) J Biomech 30:829.
    .. [3] Firminger et al. (2020) Med Sci Sports Exerc 52:1549.
    """

    exponent: float = 4.0
    default_easy_speed_mps: float = 3.0
    default_cadence_spm: float = 170.0
    contact_shape_factor: float = 0.55


@dataclass(frozen=True, slots=True, kw_only=True)
class TrendParameters:
    """Daily-load trends.

    Parameters
    ----------
    acute_days, chronic_days
        Time constants ``N`` of the acute and chronic exponentially weighted averages.
    convention
        ``"williams"``: ``lambda = 2 / (N + 1)`` (Williams 2017, Runalyze); ``"banister"``:
        ``lambda = 1 - exp(-1 / N)`` (GoldenCheetah, intervals.icu).
    monotony_days
        Window of Foster's monotony (mean / SD of daily load).
    monotony_cap
        Monotony when the daily loads do not vary at all (fellrnr's cap; dimensionless).
    spike_window_days
        Window of the longest-session reference (RUNSAFE: the 30 days before the session).

    References
    ----------
    .. [1] Williams et al. (2017) Br J Sports Med 51:209.
    .. [2] Foster (1998) Med Sci Sports Exerc 30:1164.
    .. [3] Garmin-RUNSAFE study (2025) Br J Sports Med, PMID 40623829.
    """

    acute_days: int = 7
    chronic_days: int = 28
    convention: EwmaConvention = "williams"
    monotony_days: int = 7
    monotony_cap: float = 10.0
    spike_window_days: int = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagParameters:
    """Thresholds of the daily rule table (``reference/loadmodel.md`` section 4.1).

    Parameters
    ----------
    pain_high_above
        Pain during or after above this (0-10 scale) is the high-risk zone (Silbernagel 2007: 5-10); R1.
    pain_acceptable_from
        Pain during or after from this value (0-10 scale) up to ``pain_high_above`` is the acceptable
        zone: repeat the dose (R7).
    pain_safe_max
        Pain at most this (0-10 scale) is the safe zone, needed for progress (R9.pain).
    pain_lookback_days
        Pain during/after entries dated this many days before the review date still count (yesterday's
        session governs today's flag); so do those of the last session of the past week when none has
        followed it.
    morning_ceiling
        A morning (pain or stiffness) or tenderness at or above this (0-10 scale) backs off whatever its baseline
        (R11: 6/10 is the high-risk zone of Silbernagel 2007 in absolute terms).
    morning_spike_points
        Morning pain this many points above its baseline -> back off (R2; about the minimal clinically
        important difference on an NRS, Farrar 2001).
    morning_rise_points
        Morning pain this many points above its baseline -> hold (R7). Also the noise floor: a morning
        less than this above its baseline counts as no rise (mornings that wobble between 0 and 1 do not
        block progress).
    morning_baseline_days, morning_baseline_min_entries
        Days before a morning whose morning entries form its baseline (their mean), and how many
        entries make a baseline (fewer: no comparison, only the ceiling and the safe zone apply).
    weekly_morning_rise_points, weekly_morning_rise_weeks
        Weekly mean morning pain up by at least this on the previous week, this many weeks running -> back
        off (R3).
    weekly_trend_hold_points, weekly_trend_min_entries
        Weekly mean morning pain (or stiffness) up by at least this on the previous week, each week with at
        least this many morning entries -> hold (R13: "pain must not increase from week to week").
    spike_hold_ratio, spike_back_off_ratio
        A run longer (or more loading) than these multiples of the 30-day maximum (RUNSAFE: > 10 % and
        > 100 % raised overuse-injury hazard); R5 and R4.
    spike_lookback_days
        A back-off spike (R4) backs off on its day and this many days after.
    spike_hold_days
        A spike of either size holds (R5) on its day and this many days after; it never becomes the base
        of the long-run cap (``runs_before`` without spikes).
    min_heavy_spacing_days
        Strength or plyometric sessions fewer calendar days apart than this -> hold (R6; 48 h: LOADIT,
        Beyer 2015; collagen synthesis peaks about 24 h and stays up to 72 h, Miller 2005).
    acwr_note_above, monotony_note_above
        Information notes only (Gabbett 2016, Foster 1998); never a flag by themselves (dimensionless).
    progress_window_days
        The calm weeks that progress needs ("judged over weeks": two weeks).
    progress_min_sessions
        Strength or plyometric session days in each week of that window (the programme's 2-3 a week).
    progress_min_tempo_pass_rate
        Share of reps lowered slowly enough in that window (dimensionless).
    progress_min_step_interval_days
        At most one step in this many days ("small added weight about every two weeks"); two steps closer
        than this hold (R14) and return to the dose before the second.
    tenderness_spike_points
        Tenderness (pain on pressing the tendon) this many points above its baseline -> back off (R12).
    pain_during_holds
        Whether pain during training in the acceptable zone holds (R7). The Alfredson protocol accepts
        pain during the heel drops, so there it does not (R1 above 5/10, and the safe zone for progress,
        still apply).

    References
    ----------
    .. [1] Silbernagel et al. (2007) Am J Sports Med 35:897.
    .. [2] Beyer et al. (2015) Am J Sports Med 43:1704.
    .. [3] Miller et al. (2005) J Physiol 567:1021.
    .. [4] Impellizzeri et al. (2020) Sports Med, "time to dismiss ACWR" (against ACWR as a flag).
    """

    pain_high_above: int = 5
    pain_acceptable_from: int = 3
    pain_safe_max: int = 2
    pain_lookback_days: int = 1
    morning_ceiling: int = 6
    morning_spike_points: float = 2.0
    morning_rise_points: float = 1.0
    morning_baseline_days: int = 7
    morning_baseline_min_entries: int = 3
    weekly_morning_rise_points: float = 1.0
    weekly_morning_rise_weeks: int = 2
    weekly_trend_hold_points: float = 0.5
    weekly_trend_min_entries: int = 3
    spike_hold_ratio: float = 1.10
    spike_back_off_ratio: float = 2.0
    spike_lookback_days: int = 1
    spike_hold_days: int = 6
    min_heavy_spacing_days: int = 2
    acwr_note_above: float = 1.5
    monotony_note_above: float = 2.0
    progress_window_days: int = 14
    progress_min_sessions: int = 2
    progress_min_tempo_pass_rate: float = 0.80
    progress_min_step_interval_days: int = 14
    tenderness_spike_points: float = 2.0
    pain_during_holds: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgrammeParameters:
    """The calf programme's ladder, from which next steps are taken.

    Parameters
    ----------
    start_sets, start_reps
        Single-leg raises start at 2 x 10-12.
    top_reps_two_sets, top_reps_three_sets
        2 x 12 grows to 3 x 12, then 3 x 15.
    loaded_restart_reps
        After a load step the reps restart here (3 x 12 at the new load).
    load_step_fraction, load_step_round_kg
        A small added weight: 5 % of body mass rounded to 2.5 kg (at least 2.5 kg; Alfredson protocols add
        5 kg per step).
    endurance_start_s, endurance_top_s
        Endurance sets of 60-90 s of continuous raises.
    endurance_min_reps
        A set of at least this many reps is an endurance set (60 s at about one raise per 2 s).
    tempo_variation_concentric_s, tempo_variation_hold_s
        A rep slower than these in rise or top hold counts as a tempo variation.
    back_off_fraction
        The next session's volume is cut by this fraction (-30 % D, section 4.1 R1).
    long_run_progress_ratio
        The long run may grow to this multiple of the 30-day longest run (RUNSAFE 10 %).
    target_eccentric_s
        Lowering time named in the next steps.
    name
        The programme: ``"default"`` (the ladder above), ``"alfredson"`` (Alfredson 1998) or ``"hsr"``
        (heavy slow resistance, Beyer 2015); ``docs/load-model.md`` section 4 gives each one's rules.
    weight_is_step
        Whether added weight counts as a programme step (one every ``progress_min_step_interval_days``).
        In HSR the weight follows the RM every week, so it is not a step there.
    fixed_load_step_kg
        A load step of this many kg (Alfredson: +5 kg); 0 uses ``load_step_fraction`` of body mass.
    rm_ladder_sets, rm_ladder_reps, rm_ladder_weeks
        HSR's rungs: sets x reps at the repetition maximum, held for so many weeks (Beyer 2015: 3 x 15RM
        1 week, 3 x 12RM 2, 4 x 10RM 2, 4 x 8RM 3, 4 x 6RM 4). Empty for the other programmes.
    """

    start_sets: int = 2
    start_reps: int = 10
    top_reps_two_sets: int = 12
    top_reps_three_sets: int = 15
    loaded_restart_reps: int = 12
    load_step_fraction: float = 0.05
    load_step_round_kg: float = 2.5
    endurance_start_s: float = 60.0
    endurance_top_s: float = 90.0
    endurance_min_reps: int = 25
    tempo_variation_concentric_s: float = 2.5
    tempo_variation_hold_s: float = 1.5
    back_off_fraction: float = 0.30
    long_run_progress_ratio: float = 1.10
    target_eccentric_s: float = 3.0
    name: str = "default"
    weight_is_step: bool = True
    fixed_load_step_kg: float = 0.0
    rm_ladder_sets: tuple[int, ...] = ()
    rm_ladder_reps: tuple[int, ...] = ()
    rm_ladder_weeks: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadModelParameters:
    """All parameters of the load model, trends, flag and programme."""

    force: ForceParameters = ForceParameters()
    damage: DamageParameters = DamageParameters()
    trend: TrendParameters = TrendParameters()
    flag: FlagParameters = FlagParameters()
    programme: ProgrammeParameters = ProgrammeParameters()


#: Reviewed parameter sets. ``"achilles_default"`` is what calfload uses.
PRESETS: Final = MappingProxyType(
    {
        "achilles_default": LoadModelParameters(),
        # Same model with the GoldenCheetah / intervals.icu averaging convention, for comparisons.
        "banister_trend": LoadModelParameters(trend=TrendParameters(convention="banister")),
    }
)

DEFAULT_PARAMETERS: Final = PRESETS["achilles_default"]

#: The calf programmes an athlete can follow (``programme`` in config.toml or the journal), each
#: with its own ladder and rules (``docs/load-model.md`` section 4).
PROGRAMMES: Final = MappingProxyType(
    {
        "default": DEFAULT_PARAMETERS,
        # Alfredson et al. 1998: 3 x 15 heel drops knee straight and 3 x 15 knee bent, twice a day, every
        # day, 12 weeks; pain during accepted; +5 kg when pain-free (one protocol adds 5 kg a week).
        "alfredson": LoadModelParameters(
            flag=FlagParameters(
                min_heavy_spacing_days=1,
                progress_min_sessions=5,
                progress_min_step_interval_days=7,
                pain_during_holds=False,
            ),
            programme=ProgrammeParameters(
                name="alfredson",
                start_sets=3,
                start_reps=15,
                top_reps_two_sets=15,
                top_reps_three_sets=15,
                loaded_restart_reps=15,
                fixed_load_step_kg=5.0,
            ),
        ),
        # Beyer et al. 2015: 3 sessions a week, 3 s up and 3 s down, 15 -> 12 -> 10 -> 8 -> 6 RM in 12 weeks.
        "hsr": LoadModelParameters(
            flag=FlagParameters(progress_min_sessions=3, progress_min_step_interval_days=7),
            programme=ProgrammeParameters(
                name="hsr",
                start_sets=3,
                start_reps=15,
                weight_is_step=False,
                rm_ladder_sets=(3, 3, 4, 4, 4),
                rm_ladder_reps=(15, 12, 10, 8, 6),
                rm_ladder_weeks=(1, 2, 2, 3, 4),
            ),
        ),
    }
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "PRESETS",
    "PROGRAMMES",
    "DamageParameters",
    "EwmaConvention",
    "FlagParameters",
    "ForceParameters",
    "LoadModelParameters",
    "ProgrammeParameters",
    "TrendParameters",
]
