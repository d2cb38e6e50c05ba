"""The VISA-A questionnaire (Robinson et al. 2001): the Achilles tendinopathy score, 0-100 (100: no symptoms).

Eight items, each checked against its own answer scale before anything is stored:

- Q1 morning stiffness (0: 100 minutes or more, 10: none), Q2 pain stretching the tendon, Q3 pain
  walking 6 minutes on level ground, Q4 pain walking downstairs, Q5 pain during or after 10
  single-leg heel raises, Q6 single-leg hops without pain: 0-10 each;
- Q7 sport or other physical activity now: 0, 4, 7 or 10;
- Q8 training with pain: one of three scales by how pain limits it (A: no pain 0/7/14/21/30; B:
  pain without stopping 0/4/10/14/20; C: pain that stops it 0/2/5/7/10), so 0-30 from their union.

References
----------
.. [1] Robinson J.M. et al. (2001) The VISA-A questionnaire: a valid and reliable index of the
   clinical severity of Achilles tendinopathy. Br J Sports Med 35:335-341.
.. [2] Silbernagel et al. (2007) Am J Sports Med 35:897 (VISA-A 57 -> 85-91 over 12 months).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from calfload.errors import JournalError

#: Allowed answers per item, Q1..Q8.
ITEM_SCALES: Final[tuple[frozenset[int], ...]] = (
    *(frozenset(range(11)),) * 6,
    frozenset({0, 4, 7, 10}),
    frozenset({0, 7, 14, 21, 30} | {0, 4, 10, 14, 20} | {0, 2, 5, 7, 10}),
)
ITEM_NAMES: Final = (
    "Q1 morning stiffness",
    "Q2 pain stretching",
    "Q3 pain walking",
    "Q4 pain downstairs",
    "Q5 pain with heel raises",
    "Q6 hops without pain",
    "Q7 sport now",
    "Q8 training with pain",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class VisaA:
    """One completed VISA-A questionnaire.

    Parameters
    ----------
    day
        The day it was filled in.
    items
        The eight answers, Q1 first.
    """

    day: dt.date
    items: tuple[int, ...]

    @property
    def score(self) -> int:
        """The VISA-A score, 0-100 (the sum of the items)."""
        return sum(self.items)


def check_items(items: Sequence[object]) -> tuple[int, ...]:
    """Return the eight answers, or refuse them in one line naming the first out of its scale.

    Examples
    --------
    >>> sum(check_items([10, 10, 10, 10, 10, 10, 10, 30]))
    100
    """
    if len(items) != len(ITEM_SCALES):
        raise JournalError(f"VISA-A has {len(ITEM_SCALES)} items (Q1 to Q8), got {len(items)}")
    answers: list[int] = []
    for name, value, scale in zip(ITEM_NAMES, items, ITEM_SCALES, strict=True):
        if isinstance(value, int) and not isinstance(value, bool) and value in scale:
            answers.append(value)
        else:
            contiguous = len(scale) == max(scale) - min(scale) + 1
            allowed = f"{min(scale)}-{max(scale)}" if contiguous else ", ".join(map(str, sorted(scale)))
            raise JournalError(f"VISA-A {name} must be one of {allowed}, got {value}")
    return tuple(answers)


__all__ = ["ITEM_NAMES", "ITEM_SCALES", "VisaA", "check_items"]
