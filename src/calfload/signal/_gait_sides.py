"""Left and right: contact time per foot, ground-contact-time balance and step-time asymmetry.

With a sensor on each foot (two files, or a two-sensor session), every stride of each foot has
its initial contact and, where the next toe-off is found, its contact time
(:mod:`calfload.signal._gait`). From these:

1. **Contact time per side** is the median of that foot's contact times.
2. **Ground-contact-time balance** is the left foot's share of the two medians,
   ``100 · L / (L + R)`` (the convention of Garmin's "GCT balance": 50 % is symmetric).
3. **Step times.** The initial contacts of both feet are merged in time; a step ends with the
   landing of one foot and starts with the previous landing of the other. Steps longer than
   ``max_step_s`` (a pause) and two landings of one foot in a row (a missed stride) are left out.
   The step time of a side is the median of the steps ending on that foot.
4. **Step-time asymmetry** is ``100 · |L − R| / ((L + R) / 2)``, the symmetry index of
   Robinson et al. (1987) applied to step time, as in the running-gait literature.

References
----------
Robinson R.O., Herzog W., Nigg B.M. (1987). Use of force platform variables to quantify the
effects of chiropractic manipulation on gait symmetry. J Manipulative Physiol Ther 10(4):172-176.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from calfload._stats import median


@dataclass(frozen=True, slots=True, kw_only=True)
class FeetBalance:
    """Left and right figures of a walk or run recorded on both feet (None where not measured).

    Parameters
    ----------
    strides_left, strides_right
        Strides found on each foot.
    contact_left_ms, contact_right_ms
        Median contact time of each foot.
    contact_balance_left_pct
        The left foot's share of the two contact times (50 % symmetric).
    step_time_left_ms, step_time_right_ms
        Median time of the steps that end with a landing of that foot.
    step_time_asymmetry_pct
        ``100 · |L − R| / mean(L, R)`` of the step times.
    """

    strides_left: int
    strides_right: int
    contact_left_ms: float | None = None
    contact_right_ms: float | None = None
    contact_balance_left_pct: float | None = None
    step_time_left_ms: float | None = None
    step_time_right_ms: float | None = None
    step_time_asymmetry_pct: float | None = None

    def to_dict(self) -> dict[str, object]:
        """The ``both_feet`` object of ``calfload analyze --json``."""
        return dict(asdict(self))


def feet_balance(
    sides: tuple[str, ...],
    landings_s: list[np.ndarray],
    contacts_ms: list[np.ndarray],
    *,
    max_step_s: float,
) -> FeetBalance | None:
    """Left/right figures (steps 1-4), or None unless the recordings are one left and one right foot.

    Parameters
    ----------
    sides
        The side of each recording.
    landings_s
        Each recording's initial contacts on a common clock.
    contacts_ms
        Each recording's contact times.
    max_step_s
        Longest step; longer intervals are pauses.
    """
    if sorted(sides) != ["left", "right"]:
        return None
    left, right = (sides.index("left"), sides.index("right"))
    # 1.-2. Contact time per side and balance.
    c_left, c_right = _median(contacts_ms[left]), _median(contacts_ms[right])
    balance = None if c_left is None or c_right is None else _round(100.0 * c_left / (c_left + c_right), 2)
    # 3. Step times.
    times = np.concatenate([landings_s[left], landings_s[right]])
    is_left = np.concatenate([np.ones(landings_s[left].size, bool), np.zeros(landings_s[right].size, bool)])
    order = np.argsort(times, kind="stable")
    times, is_left = times[order], is_left[order]
    step = np.diff(times)
    ok = (is_left[1:] != is_left[:-1]) & (step > 0) & (step <= max_step_s)
    s_left, s_right = _median(1000.0 * step[ok & is_left[1:]]), _median(1000.0 * step[ok & ~is_left[1:]])
    # 4. Asymmetry.
    asym = None
    if s_left is not None and s_right is not None:
        asym = _round(100.0 * abs(s_left - s_right) / ((s_left + s_right) / 2.0), 2)
    return FeetBalance(
        strides_left=int(landings_s[left].size),
        strides_right=int(landings_s[right].size),
        contact_left_ms=_round(c_left, 1),
        contact_right_ms=_round(c_right, 1),
        contact_balance_left_pct=balance,
        step_time_left_ms=_round(s_left, 1),
        step_time_right_ms=_round(s_right, 1),
        step_time_asymmetry_pct=asym,
    )


def _median(x: np.ndarray) -> float | None:
    x = x[np.isfinite(x)]
    return float(median(x)) if x.size else None


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, digits)


__all__ = ["FeetBalance", "feet_balance"]
