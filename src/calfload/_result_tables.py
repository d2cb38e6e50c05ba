"""The analyses' result tables, declared the way the recordings' streams are (:mod:`calfload.schema`).

Each table lists the columns of one kind of row of a typed result: a calf-raise rep or set, a
hop contact or set, a walking or running bout, the cadence series, the step instants and the foot-IMU strides. The
results' ``*_frame()`` methods build pandas DataFrames with exactly these columns and types
(``CalfRaiseAnalysis.reps_frame()``, ``HopAnalysis.contacts_frame()``, ``GaitAnalysis.bouts_frame()``,
...), and a test checks every table against the fields of its row class.

Examples
--------
>>> from calfload.schema import RESULT_TABLES
>>> sorted(RESULT_TABLES)  # doctest: +NORMALIZE_WHITESPACE
['calf_reps', 'calf_sets', 'gait_bouts', 'gait_cadence', 'gait_steps', 'gait_strides', 'hop_contacts', 'hop_sets']
>>> RESULT_TABLES["calf_reps"].column("eccentric_s").unit
's'
"""

from __future__ import annotations

from typing import Final

import pyarrow as pa

from calfload._tables import Column, Table

_I, _F, _B = pa.int32(), pa.float64(), pa.bool_()

CALF_REPS: Final = Table(
    "calf_reps",
    (
        Column("set", _I, False, "set number, from 1"),
        Column("index", _I, False, "rep number within its set, from 1 (0 for a partial rep)"),
        Column("start_s", _F, False, "start of the rise, from the recording's start"),
        Column("end_s", _F, False, "end of the lowering"),
        Column("concentric_s", _F, False, "duration of the rise"),
        Column("top_hold_s", _F, False, "pause at the top"),
        Column("eccentric_s", _F, False, "duration of the lowering, judged by the tempo audit"),
        Column("bottom_s", _F, True, "pause at the bottom before the next movement (none after the set's last rep)"),
        Column("eccentric_pass", _B, False, "the lowering lasted at least target - tolerance"),
        Column("excursion_deg", _F, False, "foot-pitch excursion of the rep"),
        Column("peak_rise_dps", _F, False, "peak angular speed of the rise"),
        Column("peak_lowering_dps", _F, False, "peak angular speed of the lowering"),
        Column("partial", _B, False, "a partial rep: shown, not counted"),
    ),
)

CALF_SETS: Final = Table(
    "calf_sets",
    (
        Column("index", _I, False, "set number, from 1"),
        Column("rep_count", _I, False, "counted reps"),
        Column("start_s", _F, False, "start of the first rep"),
        Column("end_s", _F, False, "end of the last rep"),
        Column("time_under_tension_s", _F, False, "rise, top hold and lowering of every counted rep"),
        Column("tempo_pass_rate", _F, False, "share of counted reps that pass the tempo audit"),
        Column("mean_eccentric_s", _F, False, "mean lowering time"),
        Column("partial_rep_count", _I, False, "partial reps in the set"),
        Column("endurance", _B, False, "a long continuous set, judged by time under tension"),
    ),
)

HOP_CONTACTS: Final = Table(
    "hop_contacts",
    (
        Column("set", _I, False, "set number, from 1"),
        Column("index", _I, False, "landing number within its set, from 1"),
        Column("start_s", _F, False, "touchdown, from the recording's start"),
        Column("contact_ms", _F, True, "ground contact until the next take-off (none when it ends standing)"),
        Column("flight_ms", _F, True, "flight before the landing (none where lost samples hide it)"),
        Column("jump_height_cm", _F, True, "height of that flight, g T^2 / 8"),
    ),
)

HOP_SETS: Final = Table(
    "hop_sets",
    (
        Column("index", _I, False, "set number, from 1"),
        Column("hops", _I, False, "landings in the set"),
        Column("start_s", _F, False, "first take-off"),
        Column("end_s", _F, False, "last landing"),
        Column("mean_contact_ms", _F, True, "mean ground-contact time"),
        Column("mean_flight_ms", _F, True, "mean flight time"),
        Column("contact_change_pct", _F, True, "contact time of the set's end against its start"),
        Column("fatigue", _B, False, "contact time rose by more than the fatigue threshold"),
    ),
)

GAIT_BOUTS: Final = Table(
    "gait_bouts",
    (
        Column("start_s", _F, False, "start of the bout, from the recording's start"),
        Column("end_s", _F, False, "end of the bout"),
        Column("steps", _I, False, "steps of both feet"),
        Column("cadence_spm", _F, True, "cadence of the bout"),
    ),
)

GAIT_CADENCE: Final = Table(
    "gait_cadence",
    (
        Column("t_s", _F, False, "centre of the window, from the recording's start"),
        Column("cadence_spm", _F, False, "cadence over the window"),
    ),
)

GAIT_STEPS: Final = Table(
    "gait_steps",
    (
        Column(
            "t_s", _F, False, "instant of a swing (foot or shank: one per stride of that foot) or a step (trunk, wrist)"
        ),
    ),
)

GAIT_STRIDES: Final = Table(
    "gait_strides",
    (
        Column("side", pa.string(), False, "the foot: left, right or unknown"),
        Column(
            "start_s", _F, False, "zero-velocity moment (mid-stance) that starts the stride, from the recording's start"
        ),
        Column("end_s", _F, False, "zero-velocity moment that ends it"),
        Column("duration_s", _F, False, "stride time: initial contact to initial contact, else end_s - start_s"),
        Column(
            "length_m",
            _F,
            False,
            "horizontal distance the foot moved (strapdown integration with zero-velocity updates)",
        ),
        Column("speed_mps", _F, False, "length over duration_s"),
        Column("rise_m", _F, False, "height gained over the stride"),
        Column(
            "valid", _B, False, "passed the plausibility checks (still ends, length, rise); only valid strides count"
        ),
    ),
)

#: Every result table by name.
RESULT_TABLES: Final = {
    t.kind: t
    for t in (CALF_REPS, CALF_SETS, HOP_CONTACTS, HOP_SETS, GAIT_BOUTS, GAIT_CADENCE, GAIT_STEPS, GAIT_STRIDES)
}
