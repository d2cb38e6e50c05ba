"""A run's cadence check and relation as the journal stores them, in plain Python (no NumPy).

The check (without a target) is JSON with every float written in full (``repr`` round-trips), the
judged windows' cadence and reference are little-endian float64 (cadence first, then the
reference), and the relation is JSON. Reading them back gives values equal to those computed.
"""

from __future__ import annotations

import json
import struct
from dataclasses import asdict
from typing import Any

from calfload.loadmodel._cadence_alerts import AsymmetryAlert, CadenceAlert
from calfload.loadmodel._cadence_types import CadenceCheck, CadenceSpeedRelation, JudgedRun


def check_to_json(check: CadenceCheck) -> str:
    """The check as JSON, floats in full."""
    return json.dumps(asdict(check), separators=(",", ":"))


def check_from_json(text: str) -> CadenceCheck:
    """The check :func:`check_to_json` wrote."""
    doc: dict[str, Any] = json.loads(text)
    relation = doc.pop("relation")
    return CadenceCheck(
        **{k: v for k, v in doc.items() if k not in ("alerts", "asymmetry")},
        alerts=tuple(CadenceAlert(**a) for a in doc["alerts"]),
        asymmetry=tuple(AsymmetryAlert(**a) for a in doc["asymmetry"]),
        relation=None if relation is None else CadenceSpeedRelation(**relation),
    )


def judged_to_blob(judged: JudgedRun) -> bytes | None:
    """The judged windows' cadence then reference, little-endian float64 (None when not judged)."""
    values = (*judged.cadence_spm, *judged.expected_spm)
    return struct.pack(f"<{len(values)}d", *values) if values else None


def judged_from_stored(check_json: str, blob: bytes | None) -> JudgedRun:
    """The :class:`JudgedRun` stored as :func:`check_to_json` and :func:`judged_to_blob` wrote it."""
    check = check_from_json(check_json)
    if not blob:
        return JudgedRun(check=check)
    values = struct.unpack(f"<{len(blob) // 8}d", blob)
    half = len(values) // 2
    return JudgedRun(check=check, cadence_spm=values[:half], expected_spm=values[half:])


def relation_to_json(relation: CadenceSpeedRelation | None) -> str | None:
    """The relation as JSON (None stays None)."""
    return None if relation is None else json.dumps(asdict(relation), separators=(",", ":"))


def relation_from_json(text: str | None) -> CadenceSpeedRelation | None:
    """The relation :func:`relation_to_json` wrote."""
    return None if text is None else CadenceSpeedRelation(**json.loads(text))


__all__ = [
    "check_from_json",
    "check_to_json",
    "judged_from_stored",
    "judged_to_blob",
    "relation_from_json",
    "relation_to_json",
]
