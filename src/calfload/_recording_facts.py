"""What a recording's metadata says beyond the stream: the typed records (their JSON: :mod:`calfload._facts_json`).

:class:`~calfload.schema.RecordingMeta` carries, besides the sensor, placement and gaps, the facts
of where the recording came from. Each is a frozen record, declared here or, for those a device
reports, in :mod:`calfload._device_facts` (names here on first use), and stored under the key of
the same name in the ``calfload`` metadata (schema 1.3):

========================  ==========================================================================
``origin``                how a file without calfload metadata was read (a phone export, a bare CSV)
``recorder``              :class:`RecorderFacts`: what ``calfload record`` counted while recording
``simulated``             :class:`SimulationFacts`: the generator and seed of a simulated recording
``device_summary``        :class:`FitDeviceSummary`: a FIT file's session totals, as the device said
``laps``                  :class:`FitLap` list: the laps of a FIT file
``column_sources``        ``{column: source}``: where each running-dynamics column of a FIT file came from
========================  ==========================================================================

How they are read from and written to that JSON, older layouts included, is
:mod:`calfload._facts_json`.

The records are public as :mod:`calfload.schema`'s (``from calfload.schema import FitLap``), the
module of the metadata contract; this module holds them so that the readers and analyses that
build or read them do not import the Parquet layer (pyarrow) behind :mod:`calfload.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from calfload._lazy import DeferredModule, lazy_exports

if TYPE_CHECKING:
    from calfload import _device_facts, _simulation_facts
    from calfload._device_facts import FitDeviceSummary, FitLap, HostTiming, RecorderFacts
    from calfload._simulation_facts import SimulationFacts
else:
    # The device's facts are created only for a recording that has them (see calfload._device_facts),
    # the simulator's only for a simulated one; annotations name them through these module objects,
    # so get_type_hints still resolves them.
    _device_facts = DeferredModule("calfload._device_facts")
    _simulation_facts = DeferredModule("calfload._simulation_facts")

#: The fact records made on first use: the module that declares them, and their names here and in schema.
DEVICE_FACTS: Final = {
    "calfload._device_facts": ("FitDeviceSummary", "FitLap", "HostTiming", "RecorderFacts"),
    "calfload._simulation_facts": ("SimulationFacts",),
}
__getattr__, __dir__ = lazy_exports(__name__, DEVICE_FACTS)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingFacts:
    """The facts of where a recording came from: the fields :class:`~calfload.schema.RecordingMeta` inherits.

    This is their one declaration; a ``RecordingMeta`` is these facts plus the stream's own
    description (kind, rate, start, sensor, placement, gaps), and its ``facts`` is this record.

    Parameters
    ----------
    origin
        How a file without calfload metadata was read (a phone export, a bare CSV), else None.
    recorder
        What ``calfload record`` counted while recording this stream, else None.
    simulated
        The simulator and seed that made this recording, else None.
    device_summary
        A FIT file's session totals and devices, else None.
    laps
        A FIT file's laps.
    column_sources
        ``(column, source)`` of each running-dynamics column of a FIT file (``record`` or a developer field).
    unrecognised
        ``(key path, JSON text)`` of every key this calfload does not know, kept so that a round
        trip loses nothing; no analysis reads them.
    """

    origin: str | None = None
    recorder: _device_facts.RecorderFacts | None = None
    simulated: _simulation_facts.SimulationFacts | None = None
    device_summary: _device_facts.FitDeviceSummary | None = None
    laps: tuple[_device_facts.FitLap, ...] = ()
    column_sources: tuple[tuple[str, str], ...] = ()
    unrecognised: tuple[tuple[str, str], ...] = ()


__all__ = [
    "FitDeviceSummary",
    "FitLap",
    "HostTiming",
    "RecorderFacts",
    "RecordingFacts",
    "SimulationFacts",
]
