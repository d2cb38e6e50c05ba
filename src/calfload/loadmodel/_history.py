"""The athlete's history as the rules see it: session loads and pain entries by calendar day.

A pure, in-memory view built from the journal (or by hand in tests). Everything the daily flag,
the trends and the review need is a function of a :class:`History` and a date.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import math
import statistics
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar, cast

from calfload.loadmodel._earlier import EarlierDays, TrendSeed, daily_most_loaded
from calfload.loadmodel._force import EXERCISES
from calfload.loadmodel._params import ProgrammeParameters, TrendParameters
from calfload.loadmodel._session import SessionLoad, StrengthDose
from calfload.loadmodel._trend import DailyTrend, daily_trend
from calfload.units import Mass, Phrase

#: One week, in days; used for windows ending on a date.
WEEK_DAYS = 7
_DEFAULT_PROGRAMME = ProgrammeParameters()
T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class PainEntry:
    """Pain on a 0-10 numeric rating scale for one calendar day; ``None`` where not logged.

    Parameters
    ----------
    day
        The date the entry is for.
    during
        Highest pain during that day's training.
    after
        Pain in the hours after training.
    morning
        Pain on the first steps that morning.
    stiffness
        Stiffness on the first steps that morning, apart from pain (0-10).
    tenderness
        Pain on pressing the tendon (0-10).
    swelling
        Whether the tendon was swollen that day (``None``: not said).
    sharp
        Whether training that day brought a sharp pain (``None``: not said).
    """

    day: dt.date
    during: int | None = None
    after: int | None = None
    morning: int | None = None
    stiffness: int | None = None
    tenderness: int | None = None
    swelling: bool | None = None
    sharp: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionPain:
    """Pain logged for one session (``log pain --session ID``), for days with more than one session.

    Parameters
    ----------
    session_id, day
        The session and its calendar date.
    during, after
        Highest pain during that session and in the hours after it (0-10; ``None``: not logged).
    sharp
        Whether that session brought a sharp pain (``None``: not said).
    """

    session_id: int
    day: dt.date
    during: int | None = None
    after: int | None = None
    sharp: bool | None = None


def merge_session_pain(days: Iterable[PainEntry], sessions: Iterable[SessionPain]) -> list[PainEntry]:
    """The day entries the rules read: each day's during and after are the worst of the day and its sessions.

    A sharp pain in any session of a day is a sharp pain that day. Days with session pain only get
    an entry of their own.

    Examples
    --------
    >>> d = dt.date(2024, 5, 6)
    >>> merge_session_pain([PainEntry(day=d, morning=1, during=2)], [SessionPain(session_id=1, day=d, after=4)])
    [PainEntry(day=datetime.date(2024, 5, 6), during=2, after=4, morning=1, stiffness=None, tenderness=None, \
swelling=None, sharp=None)]
    """
    by_day = {p.day: p for p in days}
    for sp in sessions:
        entry = by_day.get(sp.day, PainEntry(day=sp.day))
        by_day[sp.day] = dataclasses.replace(
            entry,
            during=_worst(entry.during, sp.during),
            after=_worst(entry.after, sp.after),
            sharp=True if (entry.sharp or sp.sharp) else (entry.sharp if sp.sharp is None else sp.sharp),
        )
    return [by_day[d] for d in sorted(by_day)]


def _worst(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


@dataclass(frozen=True, slots=True, kw_only=True)
class History:
    """Sessions and pain entries of one athlete.

    Parameters
    ----------
    sessions
        Session loads, any order (sorted on construction).
    pain
        Pain entries, at most one per day.
    body_mass_kg
        Latest body mass, for next steps that name a weight.
    session_pain
        Pain logged per session, by session id.
    earlier
        When the sessions and pain are a window of the history (the journal reads a review's
        window only): the daily load of the days before it. ``None``: the history is whole.
    """

    sessions: tuple[SessionLoad, ...] = ()
    pain: Mapping[dt.date, PainEntry] = field(default_factory=dict)
    body_mass_kg: float | None = None
    session_pain: Mapping[int, SessionPain] = field(default_factory=dict)
    earlier: EarlierDays | None = None
    _pain_days: tuple[dt.date, ...] = field(default=(), init=False, repr=False, compare=False)
    _session_days: tuple[dt.date, ...] | None = field(default=None, init=False, repr=False, compare=False)
    _first_date: dt.date | None = field(default=None, init=False, repr=False, compare=False)
    _memo: dict[Hashable, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Keep sessions in time order, the session and pain days sorted for range look-ups, the first day."""
        sessions = tuple(sorted(self.sessions, key=lambda s: s.start_utc))
        object.__setattr__(self, "sessions", sessions)
        object.__setattr__(self, "_pain_days", tuple(sorted(self.pain)))
        days = tuple(s.local_date for s in sessions)
        # Local dates follow start times except across a time-zone change; then ranges are scanned.
        ordered = all(a <= b for a, b in itertools.pairwise(days))
        object.__setattr__(self, "_session_days", days if ordered else None)
        firsts = [min(days, default=None), min(self.pain, default=None)]
        if self.earlier is not None:
            firsts.append(self.earlier.first_date)
        object.__setattr__(self, "_first_date", min((d for d in firsts if d is not None), default=None))

    @classmethod
    def build(
        cls,
        sessions: Iterable[SessionLoad],
        pain: Iterable[PainEntry] = (),
        body_mass_kg: float | None = None,
        session_pain: Iterable[SessionPain] = (),
        earlier: EarlierDays | None = None,
    ) -> History:
        """Build from iterables (later pain entries for the same day win; session pain merged into its day)."""
        per_session = tuple(session_pain)
        return cls(
            sessions=tuple(sessions),
            pain={p.day: p for p in merge_session_pain(pain, per_session)},
            body_mass_kg=body_mass_kg,
            session_pain={sp.session_id: sp for sp in per_session},
            earlier=earlier,
        )

    @property
    def first_date(self) -> dt.date | None:
        """The first date with a session or a pain entry (found once, on construction)."""
        return self._first_date

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per key for this history (the history is frozen, so a result stands).

        A period evaluates thousands of days whose rules judge the same sessions again and again
        (a run's spike ratios), which made the whole-history report slow.
        """
        try:
            return cast("T", self._memo[key])
        except KeyError:
            self._memo[key] = value = compute()
            return value

    def sessions_between(self, first: dt.date, last: dt.date) -> list[SessionLoad]:
        """Sessions dated ``first`` to ``last`` inclusive, in time order (a binary search, not a scan)."""
        days = self._session_days
        if days is None:
            return [s for s in self.sessions if first <= s.local_date <= last]
        return list(self.sessions[bisect.bisect_left(days, first) : bisect.bisect_right(days, last)])

    def pain_between(self, first: dt.date, last: dt.date) -> list[PainEntry]:
        """Pain entries dated ``first`` to ``last`` inclusive, oldest first."""
        days = self._pain_days
        return [self.pain[d] for d in days[bisect.bisect_left(days, first) : bisect.bisect_right(days, last)]]

    def pain_sum(self, first: dt.date, last: dt.date, read: Callable[[PainEntry], int | None]) -> tuple[float, int]:
        """Sum and number of the readings ``read`` gives for the entries dated ``first`` to ``last`` (not None).

        Integer readings (every 0-10 scale) are summed once per history as running totals, so a
        window's sum is two look-ups: a period asks for overlapping windows thousands of times.
        ``total / count`` is then exactly :func:`mean_or_none` of the window (integer sums are exact).
        """
        days = self._pain_days
        lo, hi = bisect.bisect_left(days, first), bisect.bisect_right(days, last)
        key = ("pain_sum", read)
        if key not in self._memo:  # no closure per call: a ten-year period asks 25,000 times
            self._memo[key] = _running_totals([read(self.pain[d]) for d in days])
        totals = cast("tuple[list[int], list[int]] | None", self._memo[key])
        if totals is None:  # a reading that is not a whole number: sum the window itself
            values = [float(v) for d in days[lo:hi] if (v := read(self.pain[d])) is not None]
            return (math.fsum(values), len(values))
        sums, counts = totals
        return (float(sums[hi] - sums[lo]), counts[hi] - counts[lo])

    def heavy_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Distinct days with strength or plyometric work, oldest first.

        All of them are found once per history and a window is a binary search: a period's days
        asked for overlapping windows about four times a day (13,700 times in ten years).
        """
        days: list[dt.date] = self.memo("heavy", lambda: sorted({s.local_date for s in self.sessions if s.is_heavy}))
        return days[bisect.bisect_left(days, first) : bisect.bisect_right(days, last)]

    def daily_load_au(self, first: dt.date, last: dt.date) -> list[float]:
        """Daily damage load from ``first`` to ``last``: per day, the most loaded leg's sum."""
        n = (last - first).days + 1
        per_leg: dict[str, list[float]] = {}
        for s in self.sessions_between(first, last):
            i = (s.local_date - first).days
            for leg in s.legs:
                per_leg.setdefault(leg, [0.0] * max(n, 0))[i] += s.load_au
        most_loaded = [max(day) for day in zip(*per_leg.values(), strict=True)] if per_leg else [0.0] * max(n, 0)
        e = self.earlier
        if e is not None and n > 0:
            lo, hi = max(first, e.first_date), min(last, e.last_date)
            if lo <= hi and e.seed is not None:
                raise ValueError(f"the days to {hi.isoformat()} are held as the trends' state only (History.trend)")
            if lo <= hi:  # the days before the window: their load as the whole history gave it
                most_loaded[(lo - first).days : (hi - first).days + 1] = e.daily_load_au[
                    (lo - e.first_date).days : (hi - e.first_date).days + 1
                ]
        return most_loaded

    def trend(self, day: dt.date, params: TrendParameters) -> DailyTrend | None:
        """The daily load and its averages from the history's first day to ``day`` (None before it).

        With the averages of the days before a window stored (:attr:`EarlierDays.seed`), the
        series starts after them and continues from them: the same values for every day of it.
        """
        start = self.first_date
        if start is None or start > day:
            return None
        e = self.earlier
        seed = None if e is None else e.seed
        if seed is not None and seed.params == params and seed.last_date < day:
            lo = seed.last_date + dt.timedelta(days=1)
            # A window starts on the history's first day at the earliest (then no day is before it).
            return daily_trend(
                lo,
                self.daily_load_au(lo, day),
                params,
                seed=(seed.acute_au, seed.chronic_au),
                days_before=(lo - start).days,
            )
        return daily_trend(start, self.daily_load_au(start, day), params)

    def latest_dose(self, day: dt.date, *, within_days: int = 28) -> StrengthDose | None:
        """Return the dose of the last calf-raise session on or before ``day`` (within ``within_days``).

        Sessions of endurance sets only (``sets == 0``) are not the athlete's sets x reps dose: they
        are skipped, and only their endurance set counts (the longest since the dose's session).
        """
        endurance_s = 0.0
        for s in reversed(self.sessions_between(day - dt.timedelta(days=within_days), day)):
            if s.dose is None:
                continue
            if s.dose.sets == 0:
                endurance_s = max(endurance_s, s.dose.endurance_set_s)
                continue
            if endurance_s > s.dose.endurance_set_s:
                return dataclasses.replace(s.dose, endurance_set_s=endurance_s)
            return s.dose
        return None

    def step_dates(
        self,
        last: dt.date,
        *,
        since: dt.date | None = None,
        lookback_days: int = 28,
        programme: ProgrammeParameters = _DEFAULT_PROGRAMME,
    ) -> list[tuple[dt.date, str]]:
        """Days from ``since`` to ``last`` on which the athlete took a programme step, with what it was.

        A calf session is a step when, against every calf session of the ``lookback_days`` before it,
        it moved to a harder exercise, added weight, added a set, added at least two reps per set, or
        introduced a tempo variation. A hop session is a step when its exercise tier is higher than
        any in the lookback. The ``programme`` says whether added weight is a step (not in HSR,
        where the weight follows the RM).
        """
        days = self._session_days
        if days is None:  # out of order across a time-zone change: judge the sessions of the range
            found = (
                (s, self._step_of(s, lookback_days, programme))
                for s in self.sessions_between(since or dt.date.min, last)
            )
            return [(s.local_date, what) for s, what in found if what]
        # Each session's step is judged once per history (a period asks about the same sessions for
        # thousands of days); the range is then a binary search.
        steps = self.memo(
            ("steps", lookback_days, programme),
            lambda: [self._step_of(s, lookback_days, programme) for s in self.sessions],
        )
        lo = bisect.bisect_left(days, since or dt.date.min)
        hi = bisect.bisect_right(days, last)
        return [(days[i], what) for i in range(lo, hi) if (what := steps[i])]

    def _step_of(self, s: SessionLoad, lookback_days: int, programme: ProgrammeParameters) -> str | None:
        """The step session ``s`` took against the same activity's sessions of the ``lookback_days`` before it."""
        before = [
            p
            for p in self.sessions_between(s.local_date - dt.timedelta(days=lookback_days), s.local_date)
            if p.start_utc < s.start_utc and p.activity == s.activity
        ]
        return _step_over(s, before, programme)


def _running_totals(values: Sequence[int | None]) -> tuple[list[int], list[int]] | None:
    """Running sums and counts of the values that are not None (None when one is not an integer)."""
    sums, counts = [0], [0]
    for v in values:
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            return None
        sums.append(sums[-1] + (v or 0))
        counts.append(counts[-1] + (v is not None))
    return sums, counts


def _step_over(session: SessionLoad, before: Sequence[SessionLoad], prog: ProgrammeParameters) -> str | None:
    if not before:
        return None
    if session.activity == "hops":
        current = EXERCISES.get(session.exercise or "")
        top = max((e.tier for p in before if (e := EXERCISES.get(p.exercise or "")) is not None), default=0)
        return f"moved up to {current.label}" if current is not None and current.tier > top else None
    dose = session.dose
    # A session of endurance sets only is not a step of the sets x reps ladder, nor its reference.
    doses = [p.dose for p in before if p.dose is not None and p.dose.sets > 0]
    if dose is None or dose.sets == 0 or not doses:
        return None
    if dose.exercise.tier > max(d.exercise.tier for d in doses):
        return f"moved up to {dose.exercise.label}"
    if prog.weight_is_step and dose.added_load_kg > max(d.added_load_kg for d in doses) + 0.5:
        return Phrase("added weight (", Mass(dose.added_load_kg), ")")
    if dose.sets > max(d.sets for d in doses):
        return f"added a set ({dose.sets} sets)"
    same_sets = [d for d in doses if d.sets == dose.sets]
    if same_sets and dose.reps_per_set >= max(d.reps_per_set for d in same_sets) + 2:
        return f"added reps ({dose.sets} x {dose.reps_per_set})"
    if dose.tempo_varied and not any(d.tempo_varied for d in doses):
        return "started a tempo variation"
    if dose.endurance_set_s > 0 and not any(d.endurance_set_s > 0 for d in doses):
        return "added an endurance set"
    return None


def mean_or_none(values: Iterable[float | int | None]) -> float | None:
    """Mean of the values that are not ``None``."""
    present = [float(v) for v in values if v is not None]
    return statistics.fmean(present) if present else None


__all__ = [
    "WEEK_DAYS",
    "EarlierDays",
    "History",
    "PainEntry",
    "SessionPain",
    "TrendSeed",
    "daily_most_loaded",
    "mean_or_none",
    "merge_session_pain",
]
