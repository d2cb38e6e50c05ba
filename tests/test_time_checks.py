"""The time checks in one pass: the same refusals, word for word, as the checks they replaced.

The checks now take one difference of the times and look for the first bad row only when its
smallest step is not positive (a NaN or an infinite time makes a step NaN or non-positive, or is
an end). Truth is the replaced code, kept here: for every kind of bad time (missing, infinite,
repeated, going back, too short, a stray sample hours away, mostly gaps, too long) at any row,
the message must be the one it gave, and for good times the median step must be its median.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload._validation import (
    MAX_DURATION_S,
    MAX_GAP_S,
    MAX_STEPS_PER_SAMPLE,
    MIN_DURATION_S,
    SPAN_SLACK_S,
    _check_time,
)
from calfload.errors import DataError

DEFECTS = ("none", "nan", "inf", "-inf", "repeat", "back", "short", "stray", "gappy", "long", "one")


def _replaced_check(t: np.ndarray) -> float:
    """``_validation._check_time`` and ``check_time_span`` as they were, returning the median step."""
    if not np.all(np.isfinite(t)):
        i = int(np.flatnonzero(~np.isfinite(t))[0])
        raise DataError(f"t_s is missing or not finite at row {i}; every sample needs a time", source="f")
    dt_s = np.diff(t)
    if np.any(dt_s <= 0):
        i = int(np.flatnonzero(dt_s <= 0)[0]) + 1
        raise DataError(
            f"t_s is not strictly increasing at row {i} ({t[i - 1]:.6g} s then {t[i]:.6g} s); "
            "sort the rows by time and drop duplicates",
            source="f",
        )
    duration = float(t[-1] - t[0])
    if duration < MIN_DURATION_S:
        raise DataError(
            f"the recording lasts only {duration:.1f} s; calfload needs at least {MIN_DURATION_S:.0f} s of data",
            source="f",
        )
    widest = int(np.argmax(dt_s))
    if dt_s[widest] > MAX_GAP_S:
        raise DataError(
            f"t_s jumps by {dt_s[widest] / 3600:.3g} h between rows {widest} and {widest + 1} "
            f"({t[widest]:.6g} s then {t[widest + 1]:.6g} s); a recording is one session: remove the stray "
            "rows or split the file at the gap",
            source="f",
        )
    if duration > MAX_DURATION_S:
        raise DataError(
            f"the recording spans {duration / 3600:.3g} h; calfload reads recordings of up to "
            f"{MAX_DURATION_S / 3600:.0f} h: split the file into its sessions",
            source="f",
        )
    step = float(np.median(dt_s))
    span_steps = duration / step
    if span_steps > MAX_STEPS_PER_SAMPLE * t.size + SPAN_SLACK_S / step:
        raise DataError(
            f"the {t.size} samples (one every {step:.3g} s) cover {100 * t.size / span_steps:.2g} % of the "
            f"{duration:.6g} s from the first to the last: the file is mostly gaps (the longest after row {widest}); "
            "remove stray rows or split the file at its gaps",
            source="f",
        )
    return step


def _times(defect: str, n: int, rate_hz: float, row: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = 1000.0 + np.cumsum(np.full(n, 1.0 / rate_hz) * rng.uniform(0.98, 1.02, n))
    row = row % n
    if defect in ("nan", "inf", "-inf"):
        t[row] = float(defect)
    elif defect == "repeat":
        t[max(row, 1)] = t[max(row, 1) - 1]
    elif defect == "back":
        t[max(row, 1) :] -= 2.5
    elif defect == "short":
        t = t[: max(1, int(rate_hz * 3.0))]
    elif defect == "stray":
        t[row:] += 7 * 3600.0
    elif defect == "gappy":
        t[row:] += 200.0 * n / rate_hz + 2 * SPAN_SLACK_S
    elif defect == "long":
        t = np.linspace(0.0, 50 * 3600.0, n)
    elif defect == "one":
        t = t[:1]
    return t


def _outcome(check: object, t: np.ndarray) -> str:
    try:
        return repr(check(t))  # type: ignore[operator]
    except DataError as exc:
        return str(exc)


@settings(max_examples=120)
@given(
    defect=st.sampled_from(DEFECTS),
    n=st.integers(2, 60_000),
    rate_hz=st.sampled_from([50.0, 100.0, 204.8, 400.0]),
    row=st.integers(0, 10**6),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_bad_time_gets_the_replaced_checks_message(
    defect: str, n: int, rate_hz: float, row: int, seed: int
) -> None:
    t = _times(defect, n, rate_hz, row, seed)
    assert _outcome(lambda times: _check_time(times, source="f"), t) == _outcome(_replaced_check, t)


@pytest.mark.parametrize("defect", DEFECTS)
def test_each_defect_is_refused_or_passed_as_before(defect: str) -> None:
    # Every kind once on a long file (over the size at which the median is found from a sample).
    t = _times(defect, 100_000, 200.0, 54_321, 8)
    ours = _outcome(lambda times: _check_time(times, source="f"), t)
    assert ours == _outcome(_replaced_check, t)
    assert (ours.startswith("f: ")) == (defect != "none")
