"""The recording facts' stored JSON (:mod:`calfload._recording_facts`): reading, old layouts, writing.

Files written before schema 1.3 (calfload 0.1 up to the release that wrote 1.2) keep the FIT
facts in one ``fit`` object (totals, ``laps``, ``dynamics_sources``, ``laps_left_out``); they read
into the same records. A key this calfload does not know (a later minor version's, or one of a
known record's keys it does not declare), and a known key whose value does not have the declared
shape, is kept as its JSON text in ``unrecognised`` (key path, JSON), written back unchanged, and
read by no analysis. (Keys a lap does not declare are not kept.)
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, TypeVar

from calfload._lazy import DeferredModule
from calfload._recording_facts import RecordingFacts

if TYPE_CHECKING:
    from calfload import _device_facts, _simulation_facts
    from calfload._device_facts import FitLap
else:  # the device's and the simulator's facts are made only when a file has them
    _device_facts = DeferredModule("calfload._device_facts")
    _simulation_facts = DeferredModule("calfload._simulation_facts")
from calfload._rows import row_from_record
from calfload.errors import RecordError

_T = TypeVar("_T")

#: The first minor version (of major 1) with the facts under their own keys; before it, ``fit``.
FACTS_MINOR: Final = 3


#: The facts stored as one JSON object each.
_BLOCKS: Final = ("recorder", "simulated", "device_summary")


def minor_version(version: str) -> int:
    """The minor number of a checked ``MAJOR.MINOR`` (0 where it has none)."""
    _, _, minor = version.partition(".")
    return int(minor) if minor.isdigit() else 0


class _Reader:
    """Reads the facts' keys of a metadata object, keeping what does not read as JSON text."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.unrecognised: dict[str, str] = {}

    def keep(self, path: str, value: object) -> None:
        self.unrecognised[path] = json.dumps(value, sort_keys=True)

    def block(self, key: str, value: object, cls: type[_T]) -> _T | None:
        """``value`` as ``cls``, its undeclared keys kept; None (and the whole value kept) when it does not read."""
        if not isinstance(value, dict):
            self.keep(key, value)
            return None
        known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for name, item in value.items():
            if name not in known:
                self.keep(f"{key}.{name}", item)
        try:
            return row_from_record(cls, {k: v for k, v in value.items() if k in known}, source=self.source, path=key)
        except RecordError:
            self.unrecognised = {p: t for p, t in self.unrecognised.items() if not p.startswith(f"{key}.")}
            self.keep(key, value)
            return None

    def laps(self, key: str, value: object) -> tuple[FitLap, ...]:
        if not isinstance(value, list):
            self.keep(key, value)
            return ()
        try:
            return tuple(row_from_record(_device_facts.FitLap, row, source=self.source, path=key) for row in value)
        except RecordError:
            self.keep(key, value)
            return ()

    def text_pairs(self, key: str, value: object) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.keep(key, value)
            return ()
        return tuple(sorted((str(k), str(v)) for k, v in value.items()))


def read_facts(doc: Mapping[str, object], *, minor: int, source: str | None = None) -> RecordingFacts:
    """The facts of a metadata object of schema ``1.minor``.

    ``doc`` holds the object's keys other than the stream's own (``kind``, ``sensor``, ``gaps`` ...):
    the facts' keys, and any key this calfload does not know (kept in ``unrecognised``).
    """
    reader = _Reader(source)
    values = dict(doc)
    if minor < FACTS_MINOR and "fit" in values:
        _old_fit_layout(values, values.pop("fit"), reader)
    origin = values.pop("origin", None)
    if origin is not None and not isinstance(origin, str):
        reader.keep("origin", origin)
        origin = None
    device = _device_facts  # imported here only when the file has one of its facts
    recorder = reader.block("recorder", values.pop("recorder"), device.RecorderFacts) if "recorder" in values else None
    simulated = (
        reader.block("simulated", values.pop("simulated"), _simulation_facts.SimulationFacts)
        if "simulated" in values
        else None
    )
    summary = (
        reader.block("device_summary", values.pop("device_summary"), device.FitDeviceSummary)
        if "device_summary" in values
        else None
    )
    laps = reader.laps("laps", values.pop("laps")) if "laps" in values else ()
    sources = reader.text_pairs("column_sources", values.pop("column_sources")) if "column_sources" in values else ()
    for key, value in values.items():
        reader.keep(key, value)
    return RecordingFacts(
        origin=origin,
        recorder=recorder,
        simulated=simulated,
        device_summary=summary,
        laps=laps,
        column_sources=sources,
        unrecognised=tuple(sorted(reader.unrecognised.items())),
    )


def _old_fit_layout(values: dict[str, object], fit: object, reader: _Reader) -> None:
    """Schema 1.0-1.2: the FIT facts in one ``fit`` object; moved to their own keys in ``values``."""
    if not isinstance(fit, dict):
        reader.keep("fit", fit)
        return
    summary = {k: v for k, v in fit.items() if k not in ("laps", "dynamics_sources")}
    values["device_summary"] = summary
    if "laps" in fit:
        values["laps"] = fit["laps"]
    if "dynamics_sources" in fit:
        values["column_sources"] = fit["dynamics_sources"]


def facts_doc(facts: RecordingFacts) -> dict[str, object]:
    """The facts as the JSON object's keys (schema 1.3): absent facts and None values left out."""
    doc: dict[str, object] = {}
    for path, text in facts.unrecognised:
        head, _, rest = path.partition(".")
        if rest and head in _BLOCKS and getattr(facts, head) is not None:
            nested = doc.setdefault(head, {})
            if isinstance(nested, dict):
                nested[rest] = json.loads(text)
        else:
            doc[path] = json.loads(text)
    if facts.origin is not None:
        doc["origin"] = facts.origin
    for key in _BLOCKS:
        block = getattr(facts, key)
        if block is not None:
            stored = doc.get(key)
            doc[key] = {**(stored if isinstance(stored, dict) else {}), **_plain(block)}
    if facts.laps:
        doc["laps"] = [_plain(lap) for lap in facts.laps]
    if facts.column_sources:
        doc["column_sources"] = dict(facts.column_sources)
    return doc


def _plain(record: object) -> dict[str, object]:
    """A frozen record as a JSON object: None and () left out, tuples as lists, nested records as objects."""
    out: dict[str, object] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if value is None or value == ():
            continue
        out[f.name] = _plain(value) if dataclasses.is_dataclass(value) else _lists(value)
    return out


def _lists(value: object) -> object:
    return [_lists(v) for v in value] if isinstance(value, tuple) else value


__all__ = ["FACTS_MINOR", "facts_doc", "minor_version", "read_facts"]
