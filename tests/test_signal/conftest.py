"""Fixtures for the signal tests: simulated calf sessions with ground truth."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest

from calfload.errors import SignalQualityWarning
from calfload.sim import CalfSessionSpec, SimulatedSession, random_calf_session, simulate_calf_session


def simulate_quietly(spec: CalfSessionSpec) -> SimulatedSession:
    """Simulate; packet drops may leave NaN-free gaps only, so no warning is expected but tolerate quality notes."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        return simulate_calf_session(spec)


@pytest.fixture
def session_factory() -> Callable[..., SimulatedSession]:
    """Make a random simulated session from a seed and overrides of :func:`random_calf_session`."""

    def make(seed: int, **kwargs: object) -> SimulatedSession:
        return simulate_quietly(random_calf_session(np.random.default_rng(seed), **kwargs))  # type: ignore[arg-type]

    return make
