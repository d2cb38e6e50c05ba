"""The hop session's terminal text, from the typed :class:`calfload.signal.HopAnalysis` (issue 11).

Truth is the hop simulator's (:mod:`calfload.sim._hops`): free fall in flight, a spring-mass ground
force in contact. The text must say what the simulator did and print every figure as
``analyze --json`` rounds it.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from calfload.errors import SignalQualityWarning
from calfload.report._hops_text import render_hops_text
from calfload.signal import analyze_hops
from calfload.sim import random_hop_session, simulate_hop_session


def test_hop_text_says_what_the_simulator_did_and_agrees_with_the_json() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        sim = simulate_hop_session(random_hop_session(np.random.default_rng(0), placement="foot"))
        result = analyze_hops(sim.recording)
    truth = sim.truth
    text = render_hops_text(result, source="hops.parquet")
    lines = text.splitlines()
    assert lines[0] == "Hops — hops.parquet"
    n_sets = len(truth.set_counts())
    assert f"{len(truth.contacts)} hops in {n_sets} set{'s' if n_sets != 1 else ''}" in lines[1]
    rows = [line.split() for line in lines if re.fullmatch(r"\s+\d+\s+\d+\s+\d+\.\d\d\s.*", line)]
    assert len(rows) == len(truth.contacts)
    stored = result.to_dict()["contacts"]
    for row, true, json in zip(rows, truth.contacts, stored, strict=True):
        assert abs(float(row[2]) - true.start_s) < 0.02  # landing within 20 ms of the true touchdown
        assert row[2] == f"{json['start_s']:.2f}"
        assert (row[5] == "-") == (true.contact_ms is None)  # a set's last landing ends standing
    assert "contact time rising" in text if any(s.fatigue for s in result.sets) else "rising" not in text
    assert "landing (s)" not in render_hops_text(result, show_contacts=False)


def test_hop_heights_read_in_inches_for_imperial_and_every_line_fits_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 17: the heights were cm whatever the units, and the closing note ran to 105 characters."""
    monkeypatch.setenv("COLUMNS", "80")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SignalQualityWarning)
        sim = simulate_hop_session(random_hop_session(np.random.default_rng(0), placement="foot"))
        result = analyze_hops(sim.recording)
    metric = render_hops_text(result, source="hops.parquet")
    imperial = render_hops_text(result, source="hops.parquet", units="imperial")
    assert "height (in)" in imperial
    assert "(cm)" not in imperial
    stored = [c["jump_height_cm"] for c in result.to_dict()["contacts"]]
    rows = [line.split() for line in imperial.splitlines() if re.fullmatch(r"\s+\d+\s+\d+\s+\d+\.\d\d\s.*", line)]
    assert [row[4] for row in rows] == [f"{cm / 2.54:.1f}" for cm in stored]
    for text in (metric, imperial):
        assert max(len(line) for line in text.splitlines()) <= 80
