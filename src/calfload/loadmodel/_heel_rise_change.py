"""The change between two heel-rise tests of one side, against the test's measurement error.

Each test is one dated record (:class:`BaselineTest`, ``logged`` or ``measured``). The latest test
of a side is compared with the one before it: reps always (both kinds have them), mean rise height
and total work when both tests were measured from recordings. A change is called real when it
exceeds Byrne et al.'s (2017) standard error of measurement: 6.7 reps, 0.8 cm, 419 J; smaller ones
are within measurement error. (The stricter minimal detectable change at 95 %, 2.77 × SEM, would
be about 19 reps: the SEM is the smallest change worth a second look, not proof.)

References
----------
.. [1] Byrne C. et al. (2017) J Electromyogr Kinesiol 36:34-39.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from calfload.loadmodel._baseline import BaselineTest
from calfload.loadmodel._heel_rise_norms import SEM_HEIGHT_CM, SEM_REPS, SEM_WORK_J
from calfload.units import Length, Phrase, join_phrases


@dataclass(frozen=True, slots=True, kw_only=True)
class HeelRiseChange:
    """One side's latest heel-rise test against the test before it.

    Parameters
    ----------
    side
        ``left`` or ``right``.
    day, previous_day
        The dates of the two tests.
    reps_change, height_change_cm, work_change_j
        Latest minus previous (``None`` when either test lacks the figure).
    reps_real, height_real, work_real
        Whether each change exceeds the SEM (``None`` without a change).
    """

    side: str
    day: dt.date
    previous_day: dt.date
    reps_change: int | None
    height_change_cm: float | None
    work_change_j: float | None
    reps_real: bool | None
    height_real: bool | None
    work_real: bool | None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (``review --json``'s ``heel_rise_change`` items), with :meth:`text` as ``text``."""
        return {
            "side": self.side,
            "date": self.day.isoformat(),
            "previous_date": self.previous_day.isoformat(),
            "reps_change": self.reps_change,
            "height_change_cm": self.height_change_cm,
            "work_change_j": self.work_change_j,
            "reps_real": self.reps_real,
            "height_real": self.height_real,
            "work_real": self.work_real,
            "text": self.text(),
        }

    def text(self) -> Phrase:
        """One line: each change and whether it is beyond the measurement error (heights typed)."""
        parts: list[str] = []
        for name, value, real in (
            ("reps", None if self.reps_change is None else f"{self.reps_change:+d}", self.reps_real),
            (
                "height",
                None if self.height_change_cm is None else Length(self.height_change_cm, sign=True),
                self.height_real,
            ),
            ("work", None if self.work_change_j is None else f"{self.work_change_j:+.0f} J", self.work_real),
        ):
            if value is not None:
                verdict = "a real change" if real else "within measurement error"
                parts.append(Phrase(f"{name} ", value, f" ({verdict})"))
        sem = Phrase(f"Byrne 2017 SEM {SEM_REPS:g} reps, ", Length(SEM_HEIGHT_CM), f", {SEM_WORK_J:.0f} J")
        return Phrase(f"{self.side} since {self.previous_day.isoformat()}: ", join_phrases(", ", parts), " [", sem, "]")


def heel_rise_changes(tests: Sequence[BaselineTest], *, until: dt.date | None = None) -> tuple[HeelRiseChange, ...]:
    """The change since the previous test for each side's latest test (dated up to ``until``).

    Only entries with heel-rise reps are tests; a same-day logged and measured test are two tests,
    the measured one taken as the later.
    """
    out = []
    for side in ("left", "right"):
        mine = sorted(
            (t for t in tests if t.side == side and t.heel_rise_reps is not None and (until is None or t.day <= until)),
            key=lambda t: (t.day, t.source == "measured"),
        )
        if len(mine) >= 2:
            out.append(_change(mine[-2], mine[-1]))
    return tuple(out)


def _detail(test: BaselineTest, key: str) -> float | None:
    if test.source != "measured" or test.details is None:
        return None
    value = getattr(test.details, key)
    return float(value) if isinstance(value, int | float) else None


def _change(before: BaselineTest, after: BaselineTest) -> HeelRiseChange:
    reps = (after.heel_rise_reps or 0) - (before.heel_rise_reps or 0)  # both are tests: reps given
    height = work = None
    h0, h1 = _detail(before, "mean_height_cm"), _detail(after, "mean_height_cm")
    if h0 is not None and h1 is not None:
        height = round(h1 - h0, 2)
    w0, w1 = _detail(before, "work_j"), _detail(after, "work_j")
    if w0 is not None and w1 is not None:
        work = round(w1 - w0, 1)
    return HeelRiseChange(
        side=after.side,
        day=after.day,
        previous_day=before.day,
        reps_change=reps,
        height_change_cm=height,
        work_change_j=work,
        reps_real=abs(reps) > SEM_REPS,
        height_real=None if height is None else abs(height) > SEM_HEIGHT_CM,
        work_real=None if work is None else abs(work) > SEM_WORK_J,
    )


__all__ = ["HeelRiseChange", "heel_rise_changes"]
