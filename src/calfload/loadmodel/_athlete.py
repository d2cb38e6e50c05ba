"""The athlete as the load model sees them on a day, and the history of session loads.

Pure functions: the journal (:mod:`calfload.journal`) reads the sessions, body mass, pain and
settings and hands them over as typed values.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import statistics
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from calfload.loadmodel._history import History, PainEntry, SessionPain
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._session import (
    Athlete,
    SessionInput,
    SessionLoad,
    run_cadence_spm,
    run_speed_mps,
    session_load,
)

if TYPE_CHECKING:  # the result types come with NumPy
    from calfload.signal import SessionAnalysis

#: Athlete settings that override what is learned from the runs.
EASY_RUN_SPEED_SETTING = "easy_run_speed_mps"
HABITUAL_CADENCE_SETTING = "habitual_cadence_spm"


def learn_athlete(
    mass_kg: float | None,
    runs: Sequence[SessionAnalysis],
    settings: Mapping[str, str],
    params: LoadModelParameters = DEFAULT_PARAMETERS,
) -> Athlete:
    """Easy speed and habitual cadence: the athlete's settings, else the median of their runs, else defaults."""
    speeds = [v for a in runs if (v := run_speed_mps(a)) is not None]
    cadences = [c for a in runs if (c := run_cadence_spm(a)) is not None]
    return athlete_from(mass_kg, speeds, cadences, settings, params)


def build_history(
    sessions: Sequence[SessionInput],
    masses: Sequence[tuple[dt.date, float]],
    pain: Sequence[PainEntry],
    settings: Mapping[str, str],
    params: LoadModelParameters = DEFAULT_PARAMETERS,
    session_pain: Sequence[SessionPain] = (),
) -> History:
    """Return the load model's view of the sessions, body mass and pain entries given (oldest first).

    Each session's load uses the athlete as they were then: body mass logged on or before its
    day, and the easy-run speed and cadence learned from the runs *before* it (the settings
    override both). A session's load therefore never changes as newer runs arrive, and
    histories that end on different days agree on every session they share.
    """
    speeds: list[float] = []
    cadences: list[float] = []
    loads: list[SessionLoad] = []
    masses = sorted(masses, key=lambda entry: entry[0])  # oldest first (stable: the later of one day wins)
    mass_days = [d for d, _ in masses]  # the mass of a day is a binary search, not a scan of all entries
    for s in sessions:
        i = bisect.bisect_right(mass_days, s.local_date) - 1
        mass = masses[max(i, 0)][1] if masses else None
        athlete = athlete_from(mass, speeds, cadences, settings, params)
        loads.append(session_load(s, athlete, params))
        if s.activity == "run":
            if (v := run_speed_mps(s.analysis)) is not None:
                bisect.insort(speeds, v)
            if (c := run_cadence_spm(s.analysis)) is not None:
                bisect.insort(cadences, c)
    return History.build(loads, list(pain), masses[-1][1] if masses else None, session_pain)


def athlete_from(
    mass_kg: float | None,
    speeds: Sequence[float],
    cadences: Sequence[float],
    settings: Mapping[str, str],
    params: LoadModelParameters = DEFAULT_PARAMETERS,
) -> Athlete:
    """The athlete of a session: the settings, else the median of the earlier runs' speeds and cadences, else defaults.

    :func:`build_history` walks the sessions with it; the journal's stored loads walk the same way.
    """
    speed = _float_setting(settings, EASY_RUN_SPEED_SETTING) or (statistics.median(speeds) if speeds else None)
    cadence = _float_setting(settings, HABITUAL_CADENCE_SETTING) or (statistics.median(cadences) if cadences else None)
    return Athlete(
        body_mass_kg=mass_kg,
        easy_run_speed_mps=speed or params.damage.default_easy_speed_mps,
        habitual_cadence_spm=cadence or params.damage.default_cadence_spm,
    )


def _float_setting(settings: Mapping[str, str], key: str) -> float | None:
    try:
        value = float(settings[key])
    except (KeyError, ValueError):
        return None
    return value if math.isfinite(value) and value > 0 else None


__all__ = ["EASY_RUN_SPEED_SETTING", "HABITUAL_CADENCE_SETTING", "athlete_from", "build_history", "learn_athlete"]
