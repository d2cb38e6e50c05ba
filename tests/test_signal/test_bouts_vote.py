"""A pause's vote settled early is the full vote of all its windows (issue 15).

``_bouts_vote.pause_votes`` classifies a pause's windows largest overlap first and stops once a
class leads by more than the unclassified windows could add to another. The truth is
``full_vote`` of every overlapping window, on random windows and classes (ties included: windows
on a coarse time grid give equal overlaps of different classes), and the pause classifier's
answers on real IPOL walks and a simulated calf session are those of classifying every window
over the pauses (``window_labels``) and voting. With a cheap look first (the acceleration showing a
window as "other"), the votes are the same, every window over a pause is looked at once, and only
windows the look left open are classified.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.recording import Recording
from calfload.signal._activity import window_labels
from calfload.signal._bouts_pauses import _inner, _still, pause_classifier
from calfload.signal._bouts_types import BoutParams
from calfload.signal._bouts_vote import full_vote, pause_votes

_CLASSES = ("still", "gait", "calf_raise", "hops", "unclear")


def _votes_asking(
    pauses: list[tuple[float, float]], windows: list[tuple[float, float]], labels: list[str]
) -> tuple[list[str], list[int]]:
    """``pause_votes`` with the given classes, and every window it asked for (checked: increasing, once each)."""
    asked: list[int] = []

    def labels_of(chosen: list[int]) -> list[str]:
        assert chosen == sorted(set(chosen))
        assert not set(chosen) & set(asked)
        asked.extend(chosen)
        return [labels[i] for i in chosen]

    return pause_votes(pauses, windows, labels_of), asked


def _full(pauses: list[tuple[float, float]], windows: list[tuple[float, float]], labels: list[str]) -> list[str]:
    return [
        full_vote(lo, hi, [(a, b, c) for (a, b), c in zip(windows, labels, strict=True) if b > lo and a < hi])
        for lo, hi in pauses
    ]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_early_vote_is_the_full_vote(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tick_s = float(rng.choice([0.02, 0.5, 2.0]))
    count, pauses, mixed = int(rng.integers(1, 60)), int(rng.integers(0, 8)), float(rng.uniform(0.0, 1.0))
    # Half-overlapping windows of 8 s (some shorter, at the ends of data), on a time grid of tick_s.
    starts = np.round(np.cumsum(rng.choice([4.0, 4.0, 4.0, 7.0], count)) / tick_s) * tick_s
    widths = np.where(rng.random(count) < 0.1, rng.choice([4.0, 6.0], count), 8.0)
    windows = [(float(a), float(a + w)) for a, w in zip(starts, widths, strict=True)]
    # Mostly one class, some pauses mixed: every share from one class to an even mix.
    weights = np.array([1.0 - mixed, mixed, mixed, mixed / 2, mixed]) + 1e-3
    labels = [str(c) for c in rng.choice(_CLASSES, count, p=weights / weights.sum())]
    edges = np.sort(np.round(rng.uniform(0.0, float(starts[-1]) + 10.0, 2 * pauses) / tick_s) * tick_s)
    spans = [(float(a), float(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b > a]
    votes, asked = _votes_asking(spans, windows, labels)
    assert votes == _full(spans, windows, labels)
    assert all(any(windows[i][1] > lo and windows[i][0] < hi for lo, hi in spans) for i in asked)


def _votes_looking(
    pauses: list[tuple[float, float]], windows: list[tuple[float, float]], labels: list[str], shown: list[bool]
) -> tuple[list[str], list[int], list[int]]:
    """``pause_votes`` with a look that shows the windows ``shown`` as "other"; the windows looked at and classified."""
    looked: list[int] = []
    asked: list[int] = []

    def look(chosen: list[int]) -> list[bool]:
        assert chosen == sorted(set(chosen))
        assert not looked  # once,
        assert not asked  # before any classifying
        looked.extend(chosen)
        return [shown[i] for i in chosen]

    def labels_of(chosen: list[int]) -> list[str]:
        assert chosen == sorted(set(chosen))
        assert not set(chosen) & set(asked)
        asked.extend(chosen)
        return [labels[i] for i in chosen]

    return pause_votes(pauses, windows, labels_of, look), looked, asked


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_windows_looked_at_first_give_the_full_vote(seed: int) -> None:
    """A look that shows some gait and unclear windows as "other" changes no vote; the rest are classified as needed."""
    rng = np.random.default_rng(seed)
    tick_s = float(rng.choice([0.02, 0.5, 2.0]))
    count, pauses, mixed = int(rng.integers(1, 60)), int(rng.integers(0, 8)), float(rng.uniform(0.0, 1.0))
    starts = np.round(np.cumsum(rng.choice([4.0, 4.0, 4.0, 7.0], count)) / tick_s) * tick_s
    windows = [(float(a), float(a + 8.0)) for a in starts]
    weights = np.array([mixed, 1.0 - mixed, mixed, mixed / 2, 1.0 - mixed]) + 1e-3
    labels = [str(c) for c in rng.choice(_CLASSES, count, p=weights / weights.sum())]
    sure = float(rng.uniform(0.0, 1.0))
    shown = [label in {"gait", "unclear"} and bool(rng.random() < sure) for label in labels]
    edges = np.sort(np.round(rng.uniform(0.0, float(starts[-1]) + 10.0, 2 * pauses) / tick_s) * tick_s)
    spans = [(float(a), float(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b > a]
    votes, looked, asked = _votes_looking(spans, windows, labels, shown)
    assert votes == _full(spans, windows, labels)
    over = [i for i, (a, b) in enumerate(windows) if any(b > lo and a < hi for lo, hi in spans)]
    assert looked == over
    assert not any(shown[i] for i in asked)


def test_a_look_that_outweighs_the_open_windows_classifies_none() -> None:
    windows = [(4.0 * k, 4.0 * k + 8.0) for k in range(30)]
    spans = [(10.0, 30.0), (60.0, 64.0)]
    labels = ["gait"] * 30
    labels[4] = "calf_raise"  # 16-24 s: the first pause's middle, 8 s of its 20
    shown = [label == "gait" for label in labels]
    votes, looked, asked = _votes_looking(spans, windows, labels, shown)
    assert votes == _full(spans, windows, labels) == ["other", "other"]
    assert looked == [1, 2, 3, 4, 5, 6, 7, 14, 15]
    assert asked == []
    # Over the short pause both windows are open (a gait window the look missed, a calf raise): both
    # classified, and the even split goes to the first window's class, as the full vote says.
    shown[14] = shown[15] = False
    labels[15] = "calf_raise"  # 60-68 s; window 14 is 56-64 s
    votes, _, asked = _votes_looking(spans, windows, labels, shown)
    assert votes == _full(spans, windows, labels) == ["other", "other"]
    assert asked == [14, 15]


def test_windows_that_agree_settle_the_vote_before_the_rest_are_classified() -> None:
    windows = [(4.0 * k, 4.0 * k + 8.0) for k in range(30)]  # 0-124 s
    spans = [(10.0, 50.0), (70.0, 72.0), (90.0, 110.0)]
    labels = ["gait"] * 30
    labels[11] = "still"  # 44-52 s: a sliver of the first pause
    votes, asked = _votes_asking(spans, windows, labels)
    assert votes == _full(spans, windows, labels) == ["other", "other", "other"]
    overlapping = [i for i, (a, b) in enumerate(windows) if any(b > lo and a < hi for lo, hi in spans)]
    assert len(asked) < len(overlapping) - 6
    # Two windows over the short pause, one still: an even split goes to the first window's class.
    labels[16] = "still"  # 64-72 s, before 68-76 s
    assert _votes_asking(spans, windows, labels)[0] == _full(spans, windows, labels) == ["other", "stand", "other"]
    # A pause no window reaches is "other", as the full vote says.
    assert pause_votes([(500.0, 510.0)], windows, lambda chosen: ["still"] * len(chosen)) == ["other"]


def _reference(rec: Recording, spans: list[tuple[float, float]], params: BoutParams) -> list[str]:
    """The classifier before the early vote: every window over the moving pauses classified, then voted."""
    inner = [_inner(a, b, params) for a, b in spans]
    still = [_still(rec, lo, hi) for lo, hi in inner]
    moving = [span for span, s in zip(inner, still, strict=True) if not s]
    windows = window_labels(rec, spans=moving) if moving else ()
    return [
        "stand" if s else full_vote(lo, hi, [w for w in windows if w[1] > lo and w[0] < hi])
        for (lo, hi), s in zip(inner, still, strict=True)
    ]


def _random_pauses(rng: np.random.Generator, t0: float, t1: float) -> list[tuple[float, float]]:
    edges = np.sort(rng.uniform(t0, t1, 2 * int(rng.integers(1, 5))))
    return [(float(a), float(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a > 0.5]


def test_real_walks_pauses_get_the_full_votes_classes(validation_dir: Path) -> None:
    from tools.validate_datasets import ipol_cases

    if not (validation_dir / "ipol_gait_voisard2023").is_dir():
        pytest.skip("IPOL data not present")
    params = BoutParams()
    rng = np.random.default_rng(15)
    checked = 0
    for case in ipol_cases(validation_dir, subjects=("1-1", "2-1", "7-1"), variants=("original", "200hz")):
        for rec in case.recordings:
            t = rec.t_s
            for _ in range(3):
                spans = _random_pauses(rng, float(t[0]) - 2.0, float(t[-1]) + 2.0)
                assert pause_classifier(rec, params)(spans) == _reference(rec, spans, params)
                checked += len(spans)
    assert checked > 20


def test_a_calf_sessions_pauses_get_the_full_votes_classes() -> None:
    from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, Walk, simulate_calf_session

    raises = RaiseSet(tuple(RaiseSpec() for _ in range(6)))
    spec = CalfSessionSpec(blocks=(Rest(5.0), Walk(12), raises, Rest(8.0), Walk(12), raises, Walk(8), Rest(5.0)))
    rec = simulate_calf_session(spec).recording
    params = BoutParams()
    rng = np.random.default_rng(3)
    t = rec.t_s
    answers = set()
    for _ in range(12):
        spans = _random_pauses(rng, float(t[0]), float(t[-1]))
        expected = _reference(rec, spans, params)
        assert pause_classifier(rec, params)(spans) == expected
        answers.update(expected)
    assert {"calf_raise", "other"} <= answers
