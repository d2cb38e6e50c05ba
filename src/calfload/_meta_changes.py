"""The keywords of :meth:`calfload.schema.RecordingMeta.replace`, public as ``calfload.schema.MetaChanges``.

A ``TypedDict`` for type checkers only: creating it evaluates its 18 string annotations (about 0.4 ms
of CPU), which no analysis needs. :mod:`calfload.schema` names it through a deferred module, so it is
made when ``typing.get_type_hints`` or an import of the name asks for it (benchmarks/README.md).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

# The annotations below name these; get_type_hints evaluates them in this module.
from calfload.schema import SensorInfo, SimulationFacts

if TYPE_CHECKING:
    from calfload import _device_facts
else:
    from calfload._lazy import DeferredModule

    _device_facts = DeferredModule("calfload._device_facts")


class MetaChanges(TypedDict, total=False):
    """The keyword arguments of :meth:`~calfload.schema.RecordingMeta.replace`: every metadata field, by its type.

    ``tests/test_field_sources.py`` checks that the keys are the dataclass's fields and the types its annotations.
    """

    kind: str
    sample_rate_hz: float
    start_utc: dt.datetime
    sensor: SensorInfo
    placement: str
    side: str
    activity: str | None
    exercise: str | None
    added_load_kg: float | None
    gaps: tuple[tuple[float, float], ...]
    schema_version: str
    origin: str | None
    recorder: _device_facts.RecorderFacts | None
    simulated: SimulationFacts | None
    device_summary: _device_facts.FitDeviceSummary | None
    laps: tuple[_device_facts.FitLap, ...]
    column_sources: tuple[tuple[str, str], ...]
    unrecognised: tuple[tuple[str, str], ...]


__all__ = ["MetaChanges"]
