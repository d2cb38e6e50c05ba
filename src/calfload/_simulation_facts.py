"""The simulator's record of a recording it made: part of the metadata contract (:mod:`calfload._recording_facts`).

Public as ``calfload.schema.SimulationFacts`` and ``calfload._recording_facts.SimulationFacts``.
Declared apart, as the device's facts are (:mod:`calfload._device_facts`), so that reading a real
recording does not create its frozen class (about 0.5 ms of CPU at every start, benchmarks/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationFacts:
    """The simulator that made a recording (:mod:`calfload.sim`), so it can be made again.

    Parameters
    ----------
    generator
        The function that made it (``calfload.sim.simulate_run``).
    seed
        Its random seed.
    mount
        Rotation from the foot's frame to the sensor's (3 x 3, rows), where the generator chose one.
    """

    generator: str
    seed: int | None = None
    mount: tuple[tuple[float, float, float], ...] | None = None


__all__ = ["SimulationFacts"]
