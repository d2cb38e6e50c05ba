"""Simulated motion kept for the next session that differs from it only in its sensor.

A simulator's fine-grid motion, and the ideal sensor signals it gives (:func:`ideal_imu`, most of a
simulator's time), depend on the session's physics; the sensor model only samples them. The test
suite simulates the same motion under many sensors (sample rates, noise, bias, quantisation, lost
packets), so it asks each motion to be made once per process and kept while it fits a budget,
the oldest going first: :func:`keep_motions`, or the environment variable
:data:`KEEP_MOTIONS_VARIABLE` (MB) read at the first simulation, which the suite's conftest sets
without importing the simulators. Nothing is kept unless a process asks: a library's simulator
should not hold a hundred megabytes for a caller that simulates once, or for a virtual device
that streams sessions for hours.

A kept motion gives the same bits as making it again: it was made by the same code, its arrays are
read-only (a simulator cannot change them after they are kept), and the random generator that
making it advanced resumes from the same state.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Final, TypeVar, cast

import numpy as np

#: The budget :func:`keep_motions` gives by default, MB (a 2000 Hz fine grid of three minutes is about 25 MB).
BUDGET_MB: Final = 160.0

#: The environment variable that sets the budget (MB) for a process that has not called :func:`keep_motions`.
KEEP_MOTIONS_VARIABLE: Final = "CALFLOAD_SIM_KEEP_MOTIONS_MB"


class _Budget:
    """Memory the kept motions may hold together, MB (0: nothing kept); None until set or read from the environment."""

    mb: float | None = None


T = TypeVar("T", bound=tuple[Any, ...])

_kept: OrderedDict[Hashable, tuple[Any, Mapping[str, Any], float]] = OrderedDict()
_lock = threading.Lock()


def motion_once(key: Hashable, rng: np.random.Generator, make: Callable[[np.random.Generator], T]) -> T:
    """``make(rng)``, or what it returned for an equal ``key`` before, with ``rng`` advanced as it advanced it.

    Parameters
    ----------
    key
        Everything the motion depends on besides ``rng``'s state: the simulator's name and its
        spec without the sensor model (hashable; frozen dataclasses of tuples are).
    rng
        The session's generator, in the state its seed gives; ``make`` draws from it, and on a
        repeat it is set to the state ``make`` left it in.
    make
        Makes the motion: a tuple of arrays (made read-only here) and immutable values.

    Returns
    -------
    tuple
        The motion; its arrays are read-only.
    """
    budget_mb = _budget()
    if budget_mb <= 0.0:
        return _read_only(make(rng))[0]
    start = rng.bit_generator.state
    full_key = (key, repr(start))
    with _lock:
        hit = _kept.get(full_key)
        if hit is not None:
            _kept.move_to_end(full_key)
    if hit is not None:
        kept, state, _ = hit
        rng.bit_generator.state = state
        return cast("T", kept)
    motion, size_mb = _read_only(make(rng))
    if size_mb <= budget_mb:
        with _lock:
            _kept[full_key] = (motion, rng.bit_generator.state, size_mb)
            _fit_budget(budget_mb)
    return motion


def _budget() -> float:
    """The budget in MB: :func:`keep_motions`' if called, else :data:`KEEP_MOTIONS_VARIABLE`'s, else 0."""
    if _Budget.mb is None:
        text = os.environ.get(KEEP_MOTIONS_VARIABLE, "0")
        try:
            _Budget.mb = max(0.0, float(text))
        except ValueError:
            raise ValueError(f"{KEEP_MOTIONS_VARIABLE} must be a number of megabytes, not {text!r}") from None
    return _Budget.mb


def _fit_budget(budget_mb: float) -> None:
    """Let the oldest kept motions go until the rest fit ``budget_mb`` (hold :data:`_lock`)."""
    while _kept and sum(entry[2] for entry in _kept.values()) > budget_mb:
        _kept.popitem(last=False)


def _read_only(motion: T) -> tuple[T, float]:
    """``motion`` with its arrays made read-only (kept or not, so a simulator behaves the same), and their MB."""
    size_mb = 0.0
    for part in motion:
        if isinstance(part, np.ndarray):
            part.setflags(write=False)
            size_mb += part.nbytes / 1e6
    return motion, size_mb


def keep_motions(budget_mb: float = BUDGET_MB) -> None:
    """Keep simulated motions in this process, up to ``budget_mb`` MB together (0: keep none, and let the kept go).

    For a process that simulates the same motion under many sensors (the test suite); the bits
    are the same either way.
    """
    with _lock:
        _Budget.mb = max(0.0, float(budget_mb))
        _fit_budget(_Budget.mb)


def forget_motions() -> None:
    """Let every kept motion go."""
    with _lock:
        _kept.clear()


__all__ = ["BUDGET_MB", "KEEP_MOTIONS_VARIABLE", "forget_motions", "keep_motions", "motion_once"]
