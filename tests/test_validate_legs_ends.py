"""First and last contacts against the pressure sensors (tools/validate_legs_ends.py), on a constructed recording.

The truth: a simulated walk of both feet in the Marpino format (:mod:`tests._marpino_frames`)
whose pressures load at once at every simulated landing, except, in the second recording, each
foot's last landing, whose heel loads linearly over 0.3 s (a walker shifting weight onto the
closing foot). The summed scaled load then crosses the reference's 0.35 at 105 ms and the first
touch's 0.1 at 30 ms after that landing, 75 ms apart; every other landing is touched and crossed
in the same sample.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests._marpino_frames import marpino_frame, walk
from tools.validate_legs_ends import ContactTiming, first_touch, summary_lines, walk_timings


def test_first_touch_is_where_the_load_last_rose_above_its_level() -> None:
    load = np.array([0.0, 0.05, 0.2, 0.3, 0.5, 0.9, 0.05, 0.4])
    assert first_touch(load, 4) == 2
    assert first_touch(load, 7) == 7  # the load rose at the contact itself
    assert first_touch(np.full(5, 0.5), 3) == 0  # loaded from the start


def _timings(last_rise_s: float) -> list[ContactTiming]:
    return list(walk_timings("Dataset/Young/constructed_3.xlsx", marpino_frame(walk(), last_rise_s)))


def test_a_slowly_loaded_last_landing_is_late_at_the_crossing_not_at_the_touch() -> None:
    sudden, slow = _timings(0.0), _timings(0.3)
    feet = [t for t in slow if t.placement == "foot"]
    assert {t.position for t in feet} == {"first", "middle", "last"}
    assert len(feet) == len([t for t in sudden if t.placement == "foot"])
    for t in feet:
        if t.position != "last":
            assert t.rise_ms == 0.0
            continue
        assert t.rise_ms == pytest.approx(75.0, abs=10.0)
        # The detected landing did not move; the reference's contact came 105 ms later, the touch 30 ms.
        before = next(s for s in sudden if (s.placement, s.position, s.toe_first) == ("foot", "last", t.toe_first))
        assert t.vs_crossing_ms - before.vs_crossing_ms == pytest.approx(-105.0, abs=10.0)
        assert t.vs_touch_ms - before.vs_touch_ms == pytest.approx(-30.0, abs=10.0)
        assert not t.toe_first  # the heel loads first
    table = summary_lines(slow)
    assert any(line.startswith("| foot | last | 2 |") for line in table)
