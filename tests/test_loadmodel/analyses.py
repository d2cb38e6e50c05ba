"""Hand-written analysis summaries (the DESIGN.md shapes) made into typed results for the load model.

The load model takes typed results only. Tests describe sessions by the few figures that matter;
:func:`typed` fills in the rest with neutral values and reads the summary with
:func:`calfload.signal.from_record`, as the journal reads a stored one. A calf set without an
``endurance`` flag is an endurance set from 25 reps on (the rule those summaries were written for).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from calfload.signal import HeelRiseResult, SessionAnalysis, from_record


def typed(summary: Mapping[str, Any]) -> SessionAnalysis:
    """Return the typed result of a hand-written summary."""
    doc: dict[str, Any] = copy.deepcopy(dict(summary))
    doc.setdefault("duration_s", 600.0)
    doc.setdefault("sample_rate_hz", 100.0)
    activity = doc["activity"]
    if activity == "calf_raise":
        if "reps" not in doc:  # a count only: that many passing reps in one set
            n = doc.get("rep_count", 0)
            doc["reps"] = [{"set": 1, "concentric_s": 1.0, "top_hold_s": 0.0, "eccentric_s": 3.0} for _ in range(n)]
            for rep in doc["reps"]:
                rep["eccentric_pass"] = True
            doc.setdefault("sets", [{"index": 1, "rep_count": n, "time_under_tension_s": 4.0 * n}] if n else [])
        for i, rep in enumerate(doc.setdefault("reps", []), start=1):
            rep.setdefault("index", i)
            rep.setdefault("start_s", 10.0 * i)
            rep.setdefault("end_s", 10.0 * i + 5.0)
            rep.setdefault("bottom_s", None)
            for key, value in (("excursion_deg", 20.0), ("peak_rise_dps", 60.0), ("peak_lowering_dps", 20.0)):
                rep.setdefault(key, value)
        for s in doc.setdefault("sets", []):
            s.setdefault("endurance", s["rep_count"] >= 25)
            for key, value in (("start_s", 0.0), ("end_s", 0.0), ("tempo_pass_rate", 0.0)):
                s.setdefault(key, value)
            s.setdefault("mean_eccentric_s", 0.0)
            s.setdefault("partial_rep_count", 0)
        result = from_record(doc)
    elif activity == "hops":
        if "contacts" not in doc:  # a count only: that many landings without times
            doc["contacts"] = [
                {"start_s": 0.5 * i, "contact_ms": None, "flight_ms": None} for i in range(doc.get("hops", 0))
            ]
        for i, c in enumerate(doc.setdefault("contacts", []), start=1):
            c.setdefault("set", 1)
            c.setdefault("index", i)
            for key in ("contact_ms", "flight_ms", "jump_height_cm"):
                c.setdefault(key, None)
        result = from_record(doc)
    else:
        speed = doc.get("speed_mps")
        if isinstance(speed, Mapping):
            doc["speed_mps"] = speed.get("median", speed.get("mean"))
        doc.setdefault("activity_detected", False)
        doc.setdefault("steps_doubled_from_one_foot", False)
        doc.setdefault("source", "imu")
        result = from_record(doc)
    assert not isinstance(result, HeelRiseResult)
    return result
