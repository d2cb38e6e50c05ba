"""Movements whose samples leave no room for a cut skip the peak search, with the same movements as with it.

The reference is the same function with the shortcut turned off (every piece searched for peaks).
Pieces are drawn as one to four humps with noise, flat tops, repeated values and dips, the
shapes of raises done back to back.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.signal import _calf_raise
from calfload.signal._calf_types import CalfRaiseParams

_PARAMS = CalfRaiseParams()


@st.composite
def _pieces(draw: st.DrawFn) -> np.ndarray:
    n = draw(st.integers(1, 400))
    t = np.arange(n, dtype=np.float64)
    heights = draw(st.lists(st.floats(1.0, 30.0), min_size=1, max_size=4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    piece = np.zeros(n)
    for h in heights:
        centre, width = rng.uniform(0, n), rng.uniform(2, max(3.0, n / 3))
        piece += h * np.exp(-0.5 * ((t - centre) / width) ** 2)
    piece += draw(st.floats(0.0, 2.0)) * rng.normal(size=n)
    step = draw(st.sampled_from([0.0, 0.5, 2.0]))  # coarse values: ties and flat tops
    return np.round(piece / step) * step if step else piece


@settings(max_examples=300, deadline=None)
@given(piece=_pieces(), offset=st.integers(0, 5))
def test_the_shortcut_finds_the_movements_the_peak_search_finds(piece: np.ndarray, offset: int) -> None:
    theta = np.concatenate([np.zeros(offset), piece, np.zeros(3)])
    a, b = offset, offset + piece.size
    fast = _calf_raise._split_at_valleys(theta, a, b, _PARAMS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_calf_raise, "_may_cut", lambda *_: True)
        searched = _calf_raise._split_at_valleys(theta, a, b, _PARAMS)
    assert fast == searched


def test_a_deep_valley_between_two_raises_is_still_cut() -> None:
    t = np.arange(600.0)
    piece = 20 * np.exp(-0.5 * ((t - 150) / 40) ** 2) + 18 * np.exp(-0.5 * ((t - 450) / 40) ** 2) + 0.5
    assert _calf_raise._may_cut(piece, _PARAMS.valley_depth_fraction)
    moves = _calf_raise._split_at_valleys(piece, 0, piece.size, _PARAMS)
    assert [m.peak for m in moves] == [150, 450]
