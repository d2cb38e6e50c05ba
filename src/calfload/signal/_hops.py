"""Hops (ankle hops, pogo jumps, bounds, single-leg hops): contacts, contact and flight times, sets.

The physical cue is free fall: in flight the body, and the foot or shank with it, is in free fall,
so the vertical specific force the sensor feels drops to about zero; in contact the ground pushes
it to several g. The algorithm, numbered as in the code:

1. Front end (:mod:`calfload.signal._preprocess`) at up to ``max_rate_hz`` (contact timing needs the
   native rate): uniform grid, rest, gyro bias, gravity and the dominant rotation axis.
2. **Vertical specific force.** The segment's pitch about that axis is the integrated angular
   rate, anchored to the accelerometer's tilt **only at rest** (standing before, between and
   after sets), with the difference interpolated linearly in between: while hopping the
   accelerometer feels contact and swing forces, not gravity, so the calf-raise complementary
   filter (which trusts its tilt at low frequency) would drift by tens of degrees over a set. The
   pitch rotates every accelerometer sample back to the standing pose, where gravity's direction is
   known: ``f_z`` is the world-vertical specific force, whatever the mounting. ``load`` is ``f_z``
   low-passed at ``load_lowpass_hz``.
3. **Flights.** A flight is a stretch with ``load`` below ``flight_max_g`` lasting
   ``min_flight_ms``–``max_flight_ms``, with a median below ``flight_median_g`` and ``load`` above
   ``contact_min_g`` on both sides (a push before, a landing after), landing within
   ``max_flight_turn_deg`` of the take-off pitch. Standing reads 1 g; a walking foot's swing can
   dip towards free fall, but it turns from toe-off to heel strike.
4. **Take-off.** The ground force falls to zero nearly linearly at take-off; the take-off is where
   the chord through the last crossings of ``load`` below ``edge_high_g`` and ``edge_low_g``
   reaches zero (no threshold bias).
5. **Touchdown.** Landing starts an impact: the first jump of the raw acceleration by more than
   ``impact_jump_mps2`` within ``impact_lag_ms``, searched around the end of the flight. Without a
   clear impact (a soft landing) the rising edge is extrapolated to zero as in step 4.
6. **Contacts and sets.** Each landing is a contact: its flight is the time since take-off, its
   contact time the time to the next take-off (none when the athlete lands to stand, i.e. the next
   take-off is more than ``max_contact_ms`` away). Landings more than ``set_break_s`` apart are
   in different sets.
7. **Fatigue.** Contact time that rises across a set: the mean of its last third against its
   first third; ``fatigue_rise_pct`` or more (with at least ``min_fatigue_contacts``) is reported.

References
----------
.. [1] Blickhan R (1989) The spring-mass model for running and hopping. J Biomech 22:1217-1227.
.. [2] Bosco C, Luhtanen P, Komi PV (1983) A simple method for measurement of mechanical power in
   jumping. Eur J Appl Physiol 50:273-282 (jump height from flight time, ``h = g T_f² / 8``).
.. [3] Flanagan EP, Comyns TM (2008) The use of contact time and the reactive strength index to
   optimize fast stretch-shortening cycle training. Strength Cond J 30:32-38.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calfload._stats import median
from calfload.errors import AnalysisError
from calfload.recording import Recording
from calfload.signal._frame import ImuFrame, estimate_frame, find_rest
from calfload.signal._hops_types import HopAnalysis, HopContact, HopParams, HopSet
from calfload.signal._preprocess import (
    UniformImu,
    lowpass,
    rolling_mean,
    tilt_about_axis_deg,
    undo_tilt,
    uniform_imu,
)
from calfload.units import STANDARD_GRAVITY_MPS2

G = STANDARD_GRAVITY_MPS2


# ------------------------------------------------------------------------------------------ kernel


def analyze_hops(recording: Recording, params: HopParams | None = None) -> HopAnalysis:
    """Find every landing of a hop session, its contact and flight time, the sets and fatigue.

    Parameters
    ----------
    recording
        An IMU recording (foot or shank, any mounting orientation; 200 Hz or more for timing).
    params
        Algorithm parameters; by default those of the recording's placement.

    Returns
    -------
    HopAnalysis
        Contacts and sets (empty when no hop is found).

    Raises
    ------
    AnalysisError
        If the recording is not an IMU stream or holds no usable motion.
    """
    if recording.meta.kind != "imu":
        raise AnalysisError(f"hop analysis needs an IMU stream, not {recording.meta.kind}")
    placement = recording.meta.placement
    params = params or HopParams.for_placement(placement)
    # 1. Front end.
    imu = uniform_imu(
        recording,
        max_rate_hz=params.max_rate_hz,
        max_bridged_gap_s=params.max_bridged_gap_s,
    )
    frame = estimate_frame(imu, standing_rest(imu))
    # 2. Vertical specific force.
    theta_deg = pitch_anchored_at_rest(imu, frame)
    f_z = vertical_specific_force(imu.acc_mps2, theta_deg, frame.axis, frame.up)
    load = lowpass(f_z, params.load_lowpass_hz, imu.fs_hz, order=2)
    # 3.-5. Flights with their take-off and touchdown times (unknown where samples were lost).
    edge = round(0.05 * imu.fs_hz)
    flights = [
        _Flight(
            takeoff_time(imu.t_s, load, a, params),
            touchdown_time(imu, load, b, params),
            not imu.bridged[max(0, a - edge) : a + edge].any(),
            not imu.bridged[max(0, b - edge) : b + edge].any(),
        )
        for a, b in find_flights(imu, load, theta_deg, params)
    ]
    # 6.-7. Contacts, sets and fatigue.
    contacts, sets = _contacts_and_sets(flights, params)
    return HopAnalysis(
        contacts=tuple(contacts),
        sets=tuple(sets),
        params=params,
        duration_s=recording.duration_s,
        sample_rate_hz=recording.meta.sample_rate_hz,
        gaps_s=imu.gaps_s,
        placement=placement,
        source=recording.source,
    )


@dataclass(frozen=True, slots=True)
class _Flight:
    """Take-off and touchdown times (s) of one flight, and whether lost samples blur either."""

    takeoff_s: float
    touchdown_s: float
    takeoff_measured: bool
    touchdown_measured: bool


def standing_rest(imu: UniformImu, *, tolerance_g: float = 0.15) -> np.ndarray:
    """Rest samples (:func:`~calfload.signal._frame.find_rest`) that also feel gravity.

    Mid-flight, a segment that barely rotates is as steady as a standing one, but its
    accelerometer reads about zero: such samples are no anchor for gravity or tilt.
    """
    norm = rolling_mean(np.linalg.norm(imu.acc_mps2, axis=1), max(1, round(0.1 * imu.fs_hz)))
    return np.asarray(find_rest(imu) & (np.abs(norm - G) < tolerance_g * G))


def pitch_anchored_at_rest(imu: UniformImu, frame: ImuFrame) -> np.ndarray:
    """Pitch (deg) about ``frame.axis``: integrated rate, corrected to the accelerometer tilt at rest only.

    Zero is the standing pose (gravity along ``frame.up``). Within each contiguous segment, the
    difference between tilt and integral is taken on rest samples and interpolated linearly over
    the motion between them (held constant before the first and after the last rest).
    """
    fs = imu.fs_hz
    omega = (imu.gyr_dps - frame.gyr_bias_dps) @ frame.axis
    tilt = tilt_about_axis_deg(lowpass(imu.acc_mps2, min(2.0, 0.4 * fs), fs), frame.up, frame.axis)
    theta = np.array(tilt, copy=True)
    for a, b in zip(imu.segment_starts.tolist(), imu.segment_ends.tolist(), strict=True):
        integral = np.cumsum(omega[a:b]) / fs
        rest = np.flatnonzero(frame.rest[a:b])
        if rest.size == 0:
            continue  # no anchor in this segment: the accelerometer tilt is all there is
        offset = np.interp(np.arange(b - a), rest, tilt[a:b][rest] - integral[rest])
        theta[a:b] = integral + offset
    return theta


def vertical_specific_force(
    acc_mps2: np.ndarray, theta_deg: np.ndarray, axis: np.ndarray, up: np.ndarray
) -> np.ndarray:
    """World-vertical specific force (m/s², +g standing): each sample rotated back to the standing pose.

    Rodrigues' rotation about the pitch ``axis`` undoes the pitch; the standing pose's gravity
    direction ``up`` is then the world vertical. The rotation's sign follows
    :func:`~calfload.signal._preprocess.tilt_about_axis_deg`.
    """
    return np.asarray(undo_tilt(acc_mps2, theta_deg, axis) @ up)


def find_flights(imu: UniformImu, load: np.ndarray, theta_deg: np.ndarray, params: HopParams) -> list[tuple[int, int]]:
    """Index ranges ``[a, b)`` of free fall between a push and a landing (step 3).

    Hysteresis: a flight begins when ``load`` falls below ``flight_max_g`` and lasts until it next
    rises above ``contact_min_g`` (a wobble of the segment in the air is no landing); it ends at the
    last sample below ``flight_max_g`` before that.
    """
    fs = imu.fs_hz
    low = np.flatnonzero((load < params.flight_max_g * G) & imu.valid)
    high = np.flatnonzero(load > params.contact_min_g * G)
    reach = round(0.3 * fs)
    out: list[tuple[int, int]] = []
    i = 0
    while i < low.size:
        a = int(low[i])
        k = int(np.searchsorted(high, a))
        if k >= high.size:
            break
        landing = int(high[k])
        b = int(low[np.searchsorted(low, landing) - 1]) + 1
        duration_ms = 1000.0 * (b - a) / fs
        pushed = a > 0 and load[max(0, a - reach) : a].max(initial=0.0) > params.contact_min_g * G
        if (
            pushed
            and b > a
            and float(median(load[a:b])) < params.flight_median_g * G
            and abs(float(theta_deg[b] - theta_deg[a])) <= params.max_flight_turn_deg
            and landing - b <= reach
            and params.min_flight_ms <= duration_ms <= params.max_flight_ms
            and imu.valid[a:landing].all()
        ):
            out.append((a, b))
        i = int(np.searchsorted(low, landing))
    return out


def takeoff_time(t_s: np.ndarray, load: np.ndarray, a: int, params: HopParams) -> float:
    """Zero-force time of the falling edge that ends at flight start ``a`` (step 4)."""
    hi, lo = params.edge_high_g * G, params.edge_low_g * G
    i_lo = _last_crossing_before(load, a, lo)
    i_hi = _last_crossing_before(load, i_lo + 1, hi)
    return _chord_to_zero(t_s, load, i_hi, i_lo, hi, lo, fallback=float(t_s[a]))


def touchdown_time(imu: UniformImu, load: np.ndarray, b: int, params: HopParams) -> float:
    """Landing time: the onset of the impact near flight end ``b``, else the extrapolated rising edge (step 5)."""
    fs, t = imu.fs_hz, imu.t_s
    lag = max(1, round(params.impact_lag_ms * fs / 1000.0))
    search = max(lag + 1, round(params.impact_search_ms * fs / 1000.0))
    lo_i, hi_i = max(lag, b - search), min(load.size, b + search)
    acc = imu.acc_mps2
    jump = np.linalg.norm(acc[lo_i:hi_i] - acc[lo_i - lag : hi_i - lag], axis=1)
    hits = np.flatnonzero(jump > params.impact_jump_mps2)
    if hits.size:
        i = lo_i + int(hits[0])
        # The jump began after the last sample that was still within noise of the flight level.
        first = i - lag + 1 + int(np.argmax(np.linalg.norm(acc[i - lag + 1 : i + 1] - acc[i - lag], axis=1) > 1.0))
        return float(t[first] - 0.5 / fs)
    hi, lo = params.edge_high_g * G, params.edge_low_g * G
    i_lo = _first_crossing_after(load, b, lo)
    i_hi = _first_crossing_after(load, i_lo, hi)
    return _chord_to_zero(t, load, i_hi, i_lo, hi, lo, fallback=float(t[b]))


def _last_crossing_before(x: np.ndarray, end: int, level: float) -> int:
    """Last index ``i < end`` with ``x[i] >= level`` (0 when there is none)."""
    above = np.flatnonzero(x[:end] >= level)
    return int(above[-1]) if above.size else 0


def _first_crossing_after(x: np.ndarray, start: int, level: float) -> int:
    """First index ``i >= start`` with ``x[i] >= level`` (last index when there is none)."""
    above = np.flatnonzero(x[start:] >= level)
    return start + int(above[0]) if above.size else x.size - 1


def _chord_to_zero(
    t_s: np.ndarray, x: np.ndarray, i_hi: int, i_lo: int, hi: float, lo: float, *, fallback: float
) -> float:
    """Where the line through the ``hi`` and ``lo`` level crossings (interpolated) reaches zero."""
    t_hi = _level_time(t_s, x, i_hi, hi)
    t_lo = _level_time(t_s, x, i_lo, lo)
    if t_hi == t_lo:
        return fallback
    return float(t_lo - lo * (t_lo - t_hi) / (lo - hi))


def _level_time(t_s: np.ndarray, x: np.ndarray, i: int, level: float) -> float:
    """Time where ``x`` crosses ``level`` next to sample ``i`` (``x[i] >= level``), interpolated."""
    for j in (i + 1, i - 1):
        if 0 <= j < x.size and x[j] < level <= x[i]:
            frac = (x[i] - level) / (x[i] - x[j])
            return float(t_s[i] + frac * (t_s[j] - t_s[i]))
    return float(t_s[i])


def _contacts_and_sets(flights: list[_Flight], params: HopParams) -> tuple[list[HopContact], list[HopSet]]:
    """Landings with their flight and contact times, grouped into sets (steps 6-7)."""
    groups: list[list[_Flight]] = []
    for f in flights:
        if groups and f.touchdown_s - groups[-1][-1].touchdown_s <= params.set_break_s:
            groups[-1].append(f)
        else:
            groups.append([f])
    contacts: list[HopContact] = []
    sets: list[HopSet] = []
    for set_index, members in enumerate(groups, start=1):
        in_set: list[HopContact] = []
        for pos, f in enumerate(members):
            nxt = members[pos + 1] if pos + 1 < len(members) else None
            contact_ms = None
            if nxt is not None and f.touchdown_measured and nxt.takeoff_measured:
                contact_ms = 1000.0 * (nxt.takeoff_s - f.touchdown_s)
                if not 0 < contact_ms <= params.max_contact_ms:
                    contact_ms = None  # landed to stand: no rebound
            flight_s = f.touchdown_s - f.takeoff_s
            measured = f.takeoff_measured and f.touchdown_measured
            in_set.append(
                HopContact(
                    set=set_index,
                    index=pos + 1,
                    start_s=f.touchdown_s,
                    contact_ms=contact_ms,
                    flight_ms=1000.0 * flight_s if measured else None,
                    jump_height_cm=100.0 * G * flight_s**2 / 8.0 if measured else None,
                )
            )
        contacts.extend(in_set)
        sets.append(_summarise_set(set_index, in_set, members[0].takeoff_s, params))
    return contacts, sets


def _summarise_set(index: int, contacts: list[HopContact], start_s: float, params: HopParams) -> HopSet:
    ground = [c.contact_ms for c in contacts if c.contact_ms is not None]
    flights = [c.flight_ms for c in contacts if c.flight_ms is not None]
    change = None
    if len(ground) >= 3:
        third = max(1, len(ground) // 3)
        first, last = float(np.mean(ground[:third])), float(np.mean(ground[-third:]))
        change = 100.0 * (last - first) / first
    return HopSet(
        index=index,
        hops=len(contacts),
        start_s=start_s,
        end_s=contacts[-1].start_s,
        mean_contact_ms=float(np.mean(ground)) if ground else None,
        mean_flight_ms=float(np.mean(flights)) if flights else None,
        contact_change_pct=change,
        fatigue=change is not None and len(ground) >= params.min_fatigue_contacts and change >= params.fatigue_rise_pct,
    )
