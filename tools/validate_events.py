"""Initial-contact and toe-off timing against reference labels, per data set and placement.

Part of ``python -m tools.validate``. Each foot recording goes through the same front end and
event detector as ``calfload analyze`` (the grid plan of :mod:`calfload.signal._preprocess` and
:func:`calfload.signal._gait_foot.detect_foot_events` with the foot preset, per piece of data) and every reference
event is paired with the nearest detected event of the same kind within ``MATCH_S``; unpaired
reference events count as missed. The figures are the median signed error (detected minus
reference: positive is late), the median absolute error and the share paired.

References: IPOL (Voisard et al. 2023) swing labels ``[toe_off, heel_strike]`` (algorithmic,
hand-checked, 100 Hz samples); gaitmap's motion-capture ``ic`` and ``tc`` (100 Hz mocap
converted to 204.8 Hz samples); the simulator's ground truth for the simulated runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from calfload.recording import Recording
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_steps import MIN_PIECE_S, _Clock, _crossing_offset, _foot_events
from calfload.signal._preprocess import UniformImu, grid_plan, grid_rows, imu_columns

#: Longest distance between a reference event and the detected event it is paired with.
MATCH_S: Final = 0.25


@dataclass(frozen=True, slots=True)
class EventCase:
    """One foot recording with its reference initial contacts and toe-offs (s, recording clock)."""

    dataset: str
    variant: str
    recording: Recording
    ref_ic_s: np.ndarray
    ref_to_s: np.ndarray


@dataclass(frozen=True, slots=True)
class EventErrors:
    """Detected minus reference times of the paired events (s), and the reference counts."""

    ic_error_s: np.ndarray
    to_error_s: np.ndarray
    ic_reference: int
    to_reference: int


def detected_events(rec: Recording, params: GaitParams | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Initial contacts (sub-sample, as analyze times them) and toe-offs (s) of one foot recording."""
    params = params or GaitParams.for_placement("foot")
    t_s, acc, gyr = imu_columns(rec)
    plan = grid_plan(t_s, max_rate_hz=params.max_rate_hz, max_bridged_gap_s=params.max_bridged_gap_s)
    ics: list[np.ndarray] = []
    tos: list[np.ndarray] = []
    for start, end in zip(plan.segment_starts.tolist(), plan.segment_ends.tolist(), strict=True):
        if end - start < 2 or (end - start) / plan.fs_hz < MIN_PIECE_S:
            continue

        def rows(lo: int, hi: int, start: int = start) -> UniformImu:
            return grid_rows(t_s, acc, gyr, plan, start + lo, start + hi)

        ev = _foot_events(rows, end - start, plan.fs_hz, params)
        clock = _Clock(plan, start)
        ic_ok = ev.initial_contact >= 0
        ics.append(clock.at(ev.initial_contact[ic_ok]) + _crossing_offset(ev)[ic_ok] / plan.fs_hz)
        tos.append(clock.at(ev.toe_off[ev.toe_off >= 0]))
    ic = np.concatenate(ics) if ics else np.zeros(0)
    to = np.concatenate(tos) if tos else np.zeros(0)
    return np.asarray(ic, dtype=np.float64), np.asarray(to, dtype=np.float64)


def _paired(reference: np.ndarray, detected: np.ndarray) -> np.ndarray:
    """Detected minus reference for each reference event with a detected one within ``MATCH_S``."""
    if detected.size == 0 or reference.size == 0:
        return np.zeros(0)
    detected = np.sort(detected)
    i = np.clip(np.searchsorted(detected, reference), 1, detected.size - 1)
    nearest = np.where(
        np.abs(detected[i - 1] - reference) <= np.abs(detected[i] - reference), detected[i - 1], detected[i]
    )
    if detected.size == 1:
        nearest = np.full(reference.size, detected[0])
    error = nearest - reference
    return np.asarray(error[np.abs(error) <= MATCH_S])


def event_errors(case: EventCase) -> EventErrors:
    """Pair the case's reference events with the detected ones."""
    ic, to = detected_events(case.recording)
    return EventErrors(_paired(case.ref_ic_s, ic), _paired(case.ref_to_s, to), case.ref_ic_s.size, case.ref_to_s.size)


def timing_table(cases: Sequence[EventCase]) -> list[str]:
    """The Markdown table: one row per data set and variant, both feet pooled."""
    groups: dict[tuple[str, str], list[EventErrors]] = {}
    for case in cases:
        groups.setdefault((case.dataset, case.variant), []).append(event_errors(case))
    lines = [
        (
            "| data set | placement | variant | IC paired | IC median error ms | IC median abs error ms | "
            "TO paired | TO median error ms | TO median abs error ms |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (dataset, variant), errs in groups.items():
        ic = np.concatenate([e.ic_error_s for e in errs])
        to = np.concatenate([e.to_error_s for e in errs])
        n_ic, n_to = sum(e.ic_reference for e in errs), sum(e.to_reference for e in errs)
        lines.append(
            f"| {dataset} | foot | {variant} | {ic.size}/{n_ic} | {_ms(ic, signed=True)} | {_ms(ic)} | "
            f"{to.size}/{n_to} | {_ms(to, signed=True)} | {_ms(to)} |"
        )
    return lines


def _ms(x: np.ndarray, *, signed: bool = False) -> str:
    if x.size == 0:
        return "–"
    return f"{1000.0 * float(np.median(x)):+.0f}" if signed else f"{1000.0 * float(np.median(np.abs(x))):.0f}"


__all__ = [
    "MATCH_S",
    "EventCase",
    "EventErrors",
    "detected_events",
    "event_errors",
    "timing_table",
]
