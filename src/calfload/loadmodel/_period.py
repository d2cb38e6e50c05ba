"""A period of any length ending on a day: its days, sessions and heel-rise tests, from four-week reviews.

:func:`build_period` is pure (a :class:`History` in, a :class:`Period` out);
:func:`calfload.pipeline.review_period` reads the journal first, and
:func:`calfload.report.render_period_html` draws the result. Every figure is the one
``calfload review --date D --json`` gives for its day: the period is stitched from one review per
four weeks, each reviewed from the same history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from calfload.loadmodel._baseline import BaselineTest, SymmetryRecord
from calfload.loadmodel._history import History, SessionPain
from calfload.loadmodel._params import DEFAULT_PARAMETERS, LoadModelParameters
from calfload.loadmodel._review import DaySummary, Review, build_review, day_dict, session_dict
from calfload.loadmodel._session import SessionLoad
from calfload.loadmodel._visa_a import VisaA

#: Days one review covers (``calfload review`` shows four weeks).
REVIEW_DAYS: Final = 28
SIDES: Final = ("left", "right")


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodSession:
    """A session of the period with its spike ratios (runs), as its review lists it.

    Parameters
    ----------
    load
        The session's load.
    spike
        ``(by_distance, by_load)`` ratios to the long-run base (runs), or None.
    pain
        Pain logged for this session (``log pain --session``), or None.
    """

    load: SessionLoad
    spike: tuple[float | None, float | None] | None = None
    pain: SessionPain | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeelRisePair:
    """Both legs' heel-rise test of one day and the limb symmetry index (LSI, %).

    Parameters
    ----------
    day
        The test day.
    left_reps, right_reps
        Reps to fatigue per leg (None where that leg was not tested).
    left_height_cm, right_height_cm, left_work_j, right_work_j
        Mean rise height and work, where ``calfload test heel-rise`` measured them.
    lsi_pct, lsi_height_pct, lsi_work_pct
        Limb symmetry of reps, height and work (%).
    lsi_basis
        What the LSI divides: ``"left (affected) ÷ other"`` or ``"weaker ÷ stronger"``.
    """

    day: dt.date
    left_reps: int | None = None
    right_reps: int | None = None
    left_height_cm: float | None = None
    right_height_cm: float | None = None
    left_work_j: float | None = None
    right_work_j: float | None = None
    lsi_pct: float | None = None
    lsi_height_pct: float | None = None
    lsi_work_pct: float | None = None
    lsi_basis: str | None = None

    def to_dict(self) -> dict[str, object]:
        """The row of the period page's ``heel_rise`` list."""
        row: dict[str, object] = {"date": self.day.isoformat()}
        for side in SIDES:
            for name in ("reps", "height_cm", "work_j"):
                row[f"{side}_{name}"] = getattr(self, f"{side}_{name}")
        row.update(
            lsi_pct=self.lsi_pct,
            lsi_height_pct=self.lsi_height_pct,
            lsi_work_pct=self.lsi_work_pct,
            lsi_basis=self.lsi_basis,
        )
        return row


@dataclass(frozen=True, slots=True, kw_only=True)
class Period:
    """The period ending on ``day``: the review of that day, and the days and sessions of all of it.

    Parameters
    ----------
    day, first
        The period's last and first day.
    since_days
        Its length in days, both ends included.
    review
        The review of ``day`` (``calfload review --date day``).
    days
        Every day of the period, oldest first, as the review of its four weeks has it.
    sessions
        Every session of the period, in start order.
    heel_rise
        The heel-rise tests up to ``day``, one row per test day.
    """

    day: dt.date
    first: dt.date
    since_days: int
    review: Review
    days: tuple[DaySummary, ...]
    sessions: tuple[PeriodSession, ...]
    heel_rise: tuple[HeelRisePair, ...]

    def to_dict(self) -> dict[str, object]:
        """The period page's data island: ``review`` is the ``calfload review --json`` object."""
        return {
            "date": self.day.isoformat(),
            "first_date": self.first.isoformat(),
            "since_days": self.since_days,
            "review": self.review.to_dict(),
            "days": [day_dict(d) for d in self.days],
            "sessions": [session_dict(s.load, s.spike, s.pain) for s in self.sessions],
            "heel_rise": [p.to_dict() for p in self.heel_rise],
        }


def build_period(
    history: History,
    day: dt.date,
    *,
    since_days: int = REVIEW_DAYS,
    baseline: Sequence[BaselineTest] = (),
    visa_a: Sequence[VisaA] = (),
    params: LoadModelParameters = DEFAULT_PARAMETERS,
    on_review: Callable[[], None] | None = None,
) -> Period:
    """The period of ``since_days`` ending on ``day``, stitched from four-week reviews.

    Parameters
    ----------
    history
        The athlete's history up to ``day``.
    day
        The period's last day, whose review (flag, reasons) the period carries.
    since_days
        Length of the period in days, ``day`` included (at least 1).
    baseline, visa_a
        Baseline tests and VISA-A questionnaires (those up to ``day`` are used).
    params
        Load-model constants.
    on_review
        Called after each four-week review is built (for a progress bar).
    """
    since_days = max(1, since_days)
    first = day - dt.timedelta(days=since_days - 1)
    reviews: list[Review] = []
    end = day
    # The averages look back only: one trend to ``day`` serves every block (a trend per block was
    # quadratic in the history's length).
    trend = history.trend(day, params.trend)
    while True:
        # Each block is reviewed from the same history: a review ignores what is dated after its
        # day, and session loads do not depend on later runs.
        reviews.append(build_review(history, end, baseline=baseline, params=params, visa_a=visa_a, trend=trend))
        if on_review is not None:
            on_review()
        end -= dt.timedelta(days=REVIEW_DAYS)
        if end < first:
            break
    days = sorted((d for r in reviews for d in r.days if d.day >= first), key=lambda d: d.day)
    sessions = sorted(
        (
            PeriodSession(load=s, spike=r.spikes.get(i), pain=r.session_pain.get(s.session_id or 0))
            for r in reviews
            for i, s in enumerate(r.sessions)
            if s.local_date >= first
        ),
        key=lambda s: (s.load.start_utc.isoformat(), s.load.session_id),
    )
    review = reviews[0]
    return Period(
        day=day,
        first=first,
        since_days=since_days,
        review=review,
        days=tuple(days),
        sessions=tuple(sessions),
        heel_rise=heel_rise_pairs(review.baseline),
    )


def reviews_needed(since_days: int) -> int:
    """How many four-week reviews :func:`build_period` builds for a period (for a progress bar)."""
    return max(1, -(-max(1, since_days) // REVIEW_DAYS))


def heel_rise_pairs(baseline: Sequence[BaselineTest]) -> tuple[HeelRisePair, ...]:
    """Heel-rise results of both legs per test day and their limb symmetry index (LSI, %).

    Reps come from the baseline rows; mean rise height and work from the details that
    ``calfload test heel-rise`` stores. The LSI is the one that test computed (affected ÷ other,
    for reps, height and work) when present; otherwise the affected leg's reps over the other's
    when the details name the affected side, else the weaker leg's over the stronger's.

    Examples
    --------
    >>> day = dt.date(2024, 5, 1)
    >>> pairs = heel_rise_pairs([BaselineTest(day=day, side="left", heel_rise_reps=20, calf_circumference_cm=None,
    ...                                       knee_to_wall_cm=None),
    ...                          BaselineTest(day=day, side="right", heel_rise_reps=25, calf_circumference_cm=None,
    ...                                       knee_to_wall_cm=None)])
    >>> pairs[0].lsi_pct, pairs[0].lsi_basis
    (80.0, 'weaker ÷ stronger')
    """
    by_test: dict[tuple[dt.date, str], list[BaselineTest]] = {}
    for b in baseline:
        # Each test is its own record: a same-day logged baseline and measured test are two rows.
        if b.heel_rise_reps is not None and b.side in SIDES:
            by_test.setdefault((b.day, b.source), []).append(b)
    return tuple(_pair(day, tests) for (day, _), tests in sorted(by_test.items()))


def _pair(day: dt.date, tests: Sequence[BaselineTest]) -> HeelRisePair:
    """One test's row (a later row of the same side replaces an earlier one)."""
    reps: dict[str, int | None] = dict.fromkeys(SIDES)
    height: dict[str, float | None] = dict.fromkeys(SIDES)
    work: dict[str, float | None] = dict.fromkeys(SIDES)
    affected: str | None = None
    stored: SymmetryRecord | None = None
    for b in tests:
        details = b.details
        reps[b.side] = b.heel_rise_reps
        height[b.side] = None if details is None else details.mean_height_cm
        work[b.side] = None if details is None else details.work_j
        if details is not None and details.affected_side in SIDES:
            affected = details.affected_side
        if details is not None and details.symmetry is not None:
            stored = details.symmetry
    lsi = height_lsi = work_lsi = None
    basis: str | None = None
    left, right = reps["left"], reps["right"]
    if stored is not None:
        lsi, height_lsi, work_lsi = stored.reps_pct, stored.height_pct, stored.work_pct
        basis = f"{stored.affected_side or affected} (affected) ÷ other"
    elif left is not None and right is not None and max(left, right) > 0:
        if affected is not None:
            mine, other = reps[affected], reps["right" if affected == "left" else "left"]
            if mine is not None and other:
                lsi, basis = 100.0 * mine / other, f"{affected} (affected) ÷ other"
        else:
            lsi, basis = 100.0 * min(left, right) / max(left, right), "weaker ÷ stronger"
    return HeelRisePair(
        day=day,
        left_reps=left,
        right_reps=right,
        left_height_cm=height["left"],
        right_height_cm=height["right"],
        left_work_j=work["left"],
        right_work_j=work["right"],
        lsi_pct=None if lsi is None else round(float(lsi), 1),
        lsi_height_pct=height_lsi,
        lsi_work_pct=work_lsi,
        lsi_basis=basis,
    )


__all__ = [
    "REVIEW_DAYS",
    "HeelRisePair",
    "Period",
    "PeriodSession",
    "build_period",
    "heel_rise_pairs",
    "reviews_needed",
]
