"""Signal processing: orientation, calf-raise reps and phases, hops, steps, cadence and contacts.

Depends on :mod:`calfload.schema` and :mod:`calfload.recording` only (never on ``ingest``).
Import SciPy's module as ``scipy.signal`` aliased ``sps`` inside this package so the two names
never meet.
"""

from __future__ import annotations

__all__: list[str] = []
