"""Getting data in: files (Parquet, CSV, FIT), BLE devices, the crash-safe recorder.

``ingest`` depends on :mod:`calfload.schema` and :mod:`calfload.recording` only; the analysis
packages never import it.
"""

from __future__ import annotations

from calfload.ingest.files import load_recording, load_recordings

__all__ = ["load_recording", "load_recordings"]
