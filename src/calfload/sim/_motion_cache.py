"""Simulated motion kept for the next session that differs from it only in its sensor.

A simulator's fine-grid motion, and the ideal sensor signals it gives (:func:`ideal_imu`, most of a
simulator's time), depend on the session's physics; the sensor model only samples them. The test
suite simulates the same motion under many sensors (sample rates, noise, bias, quantisation, lost
packets), so each motion is made once per process and kept while it fits :data:`BUDGET_MB`,
the oldest going first.

A kept motion gives the same bits as making it again: it was made by the same code, its arrays are
read-only (a simulator cannot change them after they are kept), and the random generator that
making it advanced resumes from the same state.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Final, TypeVar, cast

import numpy as np

#: Memory the kept motions may hold together, MB (a 2000 Hz fine grid of three minutes is about 25 MB).
BUDGET_MB: Final = 160.0

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
    motion = make(rng)
    size_mb = 0.0
    for part in motion:
        if isinstance(part, np.ndarray):
            part.setflags(write=False)
            size_mb += part.nbytes / 1e6
    if size_mb <= BUDGET_MB:
        with _lock:
            _kept[full_key] = (motion, rng.bit_generator.state, size_mb)
            while sum(entry[2] for entry in _kept.values()) > BUDGET_MB:
                _kept.popitem(last=False)
    return motion


def forget_motions() -> None:
    """Let every kept motion go."""
    with _lock:
        _kept.clear()


__all__ = ["BUDGET_MB", "forget_motions", "motion_once"]
