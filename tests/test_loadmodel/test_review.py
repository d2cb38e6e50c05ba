"""The review object: flag, reasons, next step, four weeks, 28 days, sessions."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from calfload.loadmodel import DISCLAIMER, History, PainEntry, build_review, evaluate_day

MONDAY = dt.date(2024, 5, 6)
FRIDAY_2 = MONDAY + dt.timedelta(days=11)


def test_review_json_shape(calm_history):
    history = calm_history()
    doc = build_review(history, FRIDAY_2).to_dict()
    json.dumps(doc, allow_nan=False)  # plain JSON
    assert doc["flag"] == "progress"
    assert isinstance(doc["reasons"], list)
    assert isinstance(doc["next_step"], str)
    assert doc["disclaimer"] == DISCLAIMER
    assert [w["last_date"] for w in doc["weeks"]] == [
        (FRIDAY_2 - dt.timedelta(days=7 * k)).isoformat() for k in (3, 2, 1, 0)
    ]
    assert [w["sessions"] for w in doc["weeks"]] == [0, 0, 3, 3]
    assert len(doc["days"]) == 28
    assert doc["days"][-1]["date"] == FRIDAY_2.isoformat()
    assert doc["days"][-1]["flag"] == "progress"
    assert doc["days"][-1]["pain_during"] == 1
    # Flags over time are each day's own evaluation.
    assert doc["days"][-3]["flag"] == evaluate_day(history, FRIDAY_2 - dt.timedelta(days=2)).flag
    # Weekly load is the sum of the daily loads.
    assert doc["weeks"][-1]["load_au"] == pytest.approx(sum(d["load_au"] for d in doc["days"][-7:]), abs=0.02)
    assert doc["weeks"][-1]["tut_s"] == pytest.approx(3 * 24 * 4.5)


def test_review_of_an_empty_history():
    doc = build_review(History(), MONDAY).to_dict()
    assert doc["flag"] == "hold"
    assert doc["today"]["warming_up"] is True
    assert doc["sessions"] == []
    assert doc["next_step"].startswith("start the calf programme")


def test_runs_carry_their_spike_ratios(load, run_analysis):
    days = [MONDAY + dt.timedelta(days=i) for i in (0, 7, 14)]
    runs = [load(d, run_analysis(distance_m=km * 1000.0)) for d, km in zip(days, (8.0, 10.0, 12.0), strict=True)]
    doc = build_review(History.build(runs, [PainEntry(day=days[-1], morning=0)]), days[-1]).to_dict()
    first, _, last = doc["sessions"]
    assert first["spike_distance_ratio"] is None
    assert last["spike_distance_ratio"] == pytest.approx(1.2)
    assert last["spike_load_ratio"] == pytest.approx(1.2, rel=0.01)
    assert doc["flag"] == "hold"
    assert doc["reasons"][0].startswith("spike: the 12.0 km run")
