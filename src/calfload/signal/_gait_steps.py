"""Steps of one recording: the front end, then foot swings and contacts or trunk and wrist steps.

:func:`side_steps` is steps 1 and 2 of :mod:`calfload.signal._gait` for one recording (one side):
the samples go onto the uniform grid (:mod:`calfload.signal._preprocess`), the grid is cut into
pieces of contiguous data, and each piece gives its stride instants (foot, shank and thigh swings,
:mod:`calfload.signal._gait_foot`) with each stride's ground contact (foot only), or its step
instants (trunk, wrist: :mod:`calfload.signal._gait_periodic`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from calfload._stats import median
from calfload.recording import Recording
from calfload.signal._gait_foot import IC_SEARCH_S, FootEvents, GridRows, detect_foot_events
from calfload.signal._gait_foot_front import GridColumns
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_periodic import detect_periodic_steps
from calfload.signal._gait_turns import turn_steps
from calfload.signal._grid import grid_column_windows
from calfload.signal._preprocess import (
    GridPlan,
    UniformImu,
    grid_plan,
    grid_rows,
    imu_columns,
    split_segments,
    uniform_imu,
)
from calfload.signal._trajectory import foot_strides
from calfload.signal._trajectory_types import StrideTable

#: Pieces of data between long gaps shorter than this hold no full stride and are left out.
MIN_PIECE_S = 2.0


@dataclass(frozen=True, slots=True, eq=False)
class SideSteps:
    """What one recording (one side) gives: its stride or step instants, and each stride's contact.

    Attributes
    ----------
    instants_s
        One instant per stride (foot, shank, thigh) or per step (trunk, wrist), on the first recording's clock.
    contacts_ms
        Ground contact time of each stride with a full contact (foot only).
    strides_s
        Stride time of the same strides.
    contact_at_s
        The same strides' instants (their initial contacts), on the first recording's clock.
    stride_rows
        Length and speed of every stride (foot only; :mod:`calfload.signal._trajectory`).
    """

    instants_s: np.ndarray
    contacts_ms: np.ndarray
    strides_s: np.ndarray
    contact_at_s: np.ndarray
    stride_rows: StrideTable = field(default_factory=StrideTable.empty)

    def landings_s(self) -> np.ndarray:
        """The instant (initial contact) inside each of ``stride_rows``: the last one before its end."""
        ends = self.stride_rows.end_s
        before = np.searchsorted(self.instants_s, ends) - 1
        if not self.instants_s.size:
            return np.full(ends.size, np.nan)
        return np.where(before >= 0, self.instants_s[np.maximum(before, 0)], np.nan)


def side_steps(rec: Recording, offset_s: float, placement: str, params: GaitParams) -> SideSteps:
    """Stride or step instants (and foot contacts) of one recording, per piece of contiguous data."""
    if placement not in ("foot", "shank", "thigh"):
        return _trunk_steps(rec, offset_s, placement, params)
    # 1. Front end: the grid's plan; its samples are made window by window (bounded memory).
    t_s, acc, gyr = imu_columns(rec)
    plan = grid_plan(
        t_s,
        max_rate_hz=params.max_rate_hz,
        max_bridged_gap_s=params.max_bridged_gap_s,
        median_step_s=rec.median_step_s,
    )
    # 2. Foot, shank and thigh swings, per piece of contiguous data.
    found: list[np.ndarray] = []
    contacts_ms: list[np.ndarray] = []
    strides_s: list[np.ndarray] = []
    contact_at_s: list[np.ndarray] = []
    lengths: list[StrideTable] = []
    for start, end in zip(plan.segment_starts.tolist(), plan.segment_ends.tolist(), strict=True):
        if end - start < 2 or (end - start) / plan.fs_hz < MIN_PIECE_S:
            continue
        rows, columns = _piece_grid(t_s, acc, gyr, plan, start)
        events = _foot_events(rows, end - start, plan.fs_hz, params, columns)
        clock = _Clock(plan, start)
        instants = _stride_instants(clock, events, by_swing=params.stride_instant == "swing") + offset_s
        landed = _landed_in_piece(events, end - start, plan.fs_hz)
        found.append(instants[landed])
        if placement == "foot":
            contact, stride, ok = _contacts(clock, events, params)
            contacts_ms.append(contact)
            strides_s.append(stride)
            contact_at_s.append(instants[:-1][ok])
            strides = foot_strides(
                rows,
                end - start,
                plan.fs_hz,
                events,
                clock.at,
                side=rec.meta.side,
                offset_s=offset_s,
                columns=columns,
            )
            lengths.append(strides)
            # Turning steps without a swing lobe: did the foot move between two strides?
            first_s = float(clock.at(np.zeros(1))[0]) + offset_s
            # A swing cut by the piece's end: the samples after its toe-off belong to no stance.
            cut_at = int(events.toe_off[-1]) if landed.size and not landed[-1] else -1
            known = cut_at if cut_at > 0 else end - start
            turns = turn_steps(rows, known, plan.fs_hz, strides, found[-1], first_s)
            found[-1] = np.sort(np.concatenate((found[-1], turns)))
    return SideSteps(
        _joined(found), _joined(contacts_ms), _joined(strides_s), _joined(contact_at_s), StrideTable.joined(lengths)
    )


def _piece_grid(
    t_s: np.ndarray, acc: list[np.ndarray], gyr: list[np.ndarray], plan: GridPlan, start: int
) -> tuple[GridRows, GridColumns]:
    """A piece's grid (it starts at grid row ``start``) as the foot path reads it: rows and columns."""

    def rows(lo: int, hi: int) -> UniformImu:
        return grid_rows(t_s, acc, gyr, plan, start + lo, start + hi)

    def columns(lo: int, hi: int, sensor: Literal["acc", "gyr"]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
        return grid_column_windows(t_s, acc if sensor == "acc" else gyr, plan, start + lo, start + hi)

    return rows, columns


def _trunk_steps(rec: Recording, offset_s: float, placement: str, params: GaitParams) -> SideSteps:
    """Step instants of a trunk or wrist sensor, per piece of contiguous data."""
    imu = uniform_imu(rec, max_rate_hz=params.max_rate_hz, max_bridged_gap_s=params.max_bridged_gap_s)
    found = [
        piece.t_s[_periodic_steps(piece, placement, params)] + offset_s
        for piece in split_segments(imu, min_s=MIN_PIECE_S)
    ]
    return SideSteps(_joined(found), np.zeros(0), np.zeros(0), np.zeros(0))


@dataclass(frozen=True, slots=True, eq=False)
class _Clock:
    """Times of a piece's grid points: the piece starts at grid point ``start``."""

    plan: GridPlan
    start: int

    @property
    def fs_hz(self) -> float:
        return self.plan.fs_hz

    def at(self, index: np.ndarray) -> np.ndarray:
        """Times (s) of the piece's grid points ``index``."""
        return self.plan.times_s(self.start + np.asarray(index))


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0)


def _periodic_steps(imu: UniformImu, placement: str, params: GaitParams) -> np.ndarray:
    """Step sample indices of a trunk or wrist sensor (the periodic bounce)."""
    return detect_periodic_steps(
        imu,
        vertical=placement == "lower_back",
        band_hz=params.periodic_band_hz,
        window_s=params.periodic_window_s,
        step_period_s=params.step_period_s,
        min_periodicity=params.min_periodicity,
        min_prominence=params.min_prominence,
        min_activity_mps2=params.min_activity_mps2,
    )


def _foot_events(
    rows: GridRows, n: int, fs_hz: float, params: GaitParams, columns: GridColumns | None = None
) -> FootEvents:
    return detect_foot_events(
        rows,
        n,
        fs_hz,
        event_lowpass_hz=params.event_lowpass_hz,
        swing_lowpass_hz=params.swing_lowpass_hz,
        min_swing_dps=params.min_swing_dps,
        relative_swing=params.relative_swing,
        min_stride_s=params.min_stride_s,
        tc_search_s=params.tc_search_s,
        ic_end_fraction=params.ic_end_fraction,
        chunk_s=params.chunk_s,
        swing_sign=params.swing_sign,
        columns=columns,
    )


def _stride_instants(clock: _Clock, events: FootEvents, *, by_swing: bool = False) -> np.ndarray:
    """One instant per stride: the initial contact (a sharp event), else the swing peak moved by the median lag.

    Stride times between initial contacts scatter less than between swing peaks (the peak of
    a broad lobe wanders), which matters for the median cadence of a short walk. A thigh's lobe
    ends in soft-tissue ringing, so there (``by_swing``) every stride is its swing peak moved by
    the median lag: the slow lobe's peak is the steadier of the two.
    """
    swing = np.asarray(clock.at(events.swing) + events.swing_offset / clock.fs_hz, dtype=np.float64)
    found = events.initial_contact >= 0
    if not found.any():
        return swing
    contact = clock.at(np.maximum(events.initial_contact, 0)) + _crossing_offset(events) / clock.fs_hz
    lag = float(median(contact[found] - swing[found]))
    return np.asarray(swing + lag if by_swing else np.where(found, contact, swing + lag), dtype=np.float64)


def _landed_in_piece(events: FootEvents, n: int, fs_hz: float) -> np.ndarray:
    """Which swings landed before the piece's last sample (False: a swing cut by the end of the data).

    A stride's instant is its landing (initial contact). A swing whose lobe had not ended when the
    data ended (no initial contact found, and the search for it reached the last sample) lands
    after the last sample: the foot is in the air there, and all the samples can say is that the
    landing comes later, by an unknown time. Such a swing is not a step of this recording (a swing
    cut at the start, whose landing is in the data, is), and no event is put after the last sample.
    A swing whose end was not found for another reason (the next swing came first, or the lobe
    lasted longer than the search) keeps its peak-plus-median-lag instant.
    """
    landed = np.ones(events.swing.size, dtype=bool)
    if events.swing.size:
        reach = events.swing[-1] + round(IC_SEARCH_S * fs_hz)
        landed[-1] = bool(events.initial_contact[-1] >= 0 or reach < n)
    return landed


def _crossing_offset(events: FootEvents) -> np.ndarray:
    """Sub-sample position of each initial contact: where ``ω`` crossed its end-of-swing level.

    The level is crossed between the sample before the contact index and the contact sample;
    interpolating linearly removes the up-to-one-sample quantisation (10 ms at 100 Hz, about
    1 spm on a 1 s stride), which matters for the median cadence of a short walk.
    """
    ic = events.initial_contact
    omega = events.omega_dps
    i = np.clip(ic, 1, omega.size - 1)
    level = -events.ic_level_dps
    before, at = omega[i - 1], omega[i]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(at > before, (level - at) / (at - before), 0.0)
    return np.asarray(np.where(ic > 0, np.clip(frac, -1.0, 0.0), 0.0), dtype=np.float64)


def _contacts(clock: _Clock, events: FootEvents, params: GaitParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Contact time (ms) and stride time (s) of every stride with an initial contact and a next toe-off.

    The third array marks those strides among all but the last swing.
    """
    ic, tc = events.initial_contact, events.toe_off
    if ic.size < 2:
        return np.zeros(0), np.zeros(0), np.zeros(max(ic.size - 1, 0), dtype=bool)
    t = clock.at
    this_ic, next_tc, next_ic = ic[:-1], tc[1:], ic[1:]
    ok = (this_ic >= 0) & (next_tc >= 0) & (next_ic >= 0)
    contact_s = np.where(ok, t(np.maximum(next_tc, 0)) - t(np.maximum(this_ic, 0)), np.nan)
    stride_s = np.where(ok, t(np.maximum(next_ic, 0)) - t(np.maximum(this_ic, 0)), np.nan)
    ok &= (contact_s > 0.05) & (stride_s <= params.max_stride_s) & (contact_s < stride_s)
    return 1000.0 * contact_s[ok], stride_s[ok], ok
