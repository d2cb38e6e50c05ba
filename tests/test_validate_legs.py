"""The Marpino reference: foot contacts from a toe and a heel pressure sensor (tools/validate_legs.py).

The truth is a constructed trace: standing loaded, then strides of 1.2 s with 0.45 s of swing
(both sensors at their unloaded baseline), each stance loading the heel first and the toe last
with a dip between them (the roll over the midfoot, down to about a fifth of the loaded level, as
in the real traces) that must not count as a new contact.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tools.validate_legs import FS_HZ, alternates, data_source, pressure_events
from tools.validate_legs_pairs import contact_ms


def _trace(contacts_s: np.ndarray, swing_s: float, end_s: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(0.0, end_s, 1.0 / FS_HZ)
    heel = np.full(t.size, 900.0)
    toe = np.full(t.size, 400.0)
    for c in contacts_s:
        lift = c - swing_s
        swing = (t >= lift) & (t < c)
        heel[swing], toe[swing] = 10.0, 90.0
        # After the landing: the heel unloads as the toe loads, with a dip in between.
        stance = (t >= c) & (t < c + 1.2 - swing_s)
        phase = (t[stance] - c) / (1.2 - swing_s)
        heel[stance] = 1800.0 * np.clip(1.0 - 2.0 * phase, 0.0, 1.0) + 10.0
        toe[stance] = 2000.0 * np.clip(2.5 * (phase - 0.4), 0.0, 1.0) + 90.0
    last = (t >= contacts_s[-1] + 0.2) & (t < end_s)
    heel[last], toe[last] = 900.0, 400.0
    return toe, heel


def test_contacts_from_toe_and_heel_pressure() -> None:
    truth = 2.0 + 0.45 + 1.2 * np.arange(6)
    toe, heel = _trace(truth, 0.45, truth[-1] + 3.0)
    contacts, lifts = pressure_events(toe, heel)
    assert contacts.size == truth.size
    assert np.max(np.abs(contacts - truth)) <= 0.02
    assert lifts.size == truth.size
    assert np.all(lifts < contacts)
    assert np.all(contacts - lifts < 0.5)


def test_no_data_set_means_no_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALFLOAD_LEGS_DATA", str(tmp_path / "absent"))
    monkeypatch.setattr("tools.validate_legs.DEFAULT_DATA", tmp_path / "also absent")
    assert data_source(None) is None


def test_alternating_contacts_are_told_from_a_missed_landing_and_a_bounce() -> None:
    right = 1.0 + 1.1 * np.arange(6)  # a stride of 1.1 s
    left = right[:-1] + 0.55  # half a stride later: each foot lands once in every stride of the other
    assert alternates(left, right)
    assert not alternates(np.delete(left, 2), right)  # a landing the sensors missed
    assert not alternates(np.sort(np.append(left, left[1] + 0.3)), right)  # a heel bounce taken for a landing
    # A stop of 3 s (longer than any stride) between two walks is not a stride: both walks alternate.
    assert alternates(np.concatenate((left, left + 9.0)), np.concatenate((right, right + 9.0)))


def test_contact_time_of_each_foot_from_its_pressure_sensors() -> None:
    """The constructed stances last 1.2 s less the swing: 750 ms with 0.45 s swings, 650 ms with 0.55 s."""
    truth = 2.0 + 0.55 + 1.2 * np.arange(6)
    for swing_s, stance_ms in ((0.45, 750.0), (0.55, 650.0)):
        contacts, lifts = pressure_events(*_trace(truth, swing_s, truth[-1] + 3.0))
        got = contact_ms(contacts, lifts)
        assert got == pytest.approx(stance_ms, abs=20.0)
    assert contact_ms(np.array([1.0, 2.0]), np.array([0.5])) is None  # no lift after any contact
