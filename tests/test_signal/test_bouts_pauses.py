"""A pause's stillness test reads its samples' norms as the activity windows do, bit for bit (issue 15).

``_bouts_pauses._norms`` sums the three columns' squares in float64 one column after another
without stacking them; the truth is ``np.linalg.norm`` of the stacked float64 rows
(``Recording.acc_mps2()``), which NumPy reduces row by row in the same order.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.schema import ACC_MPS2, GYR_DPS
from calfload.signal import _bouts_pauses
from calfload.signal._activity_windows import ActivityParams
from calfload.signal._bouts_pauses import _norms, _still, _stills
from tools.validate_cases import imu_recording


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(500, 1500), st.floats(0.0, 1.0), st.floats(0.0, 0.3))
def test_a_pauses_norms_and_stillness_are_the_stacked_rows(seed: int, n: int, at: float, length: float) -> None:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 100.0
    scale = rng.choice([0.001, 0.05, 1.0, 30.0])
    acc = (rng.normal(0, 0.2 * scale, (n, 3)) + np.array([0.0, 0.0, 9.81])).astype(np.float32)
    gyr = rng.normal(0, 4.0 * scale, (n, 3)).astype(np.float32)
    gyr[: n // 2] *= 100.0  # gyro units are checked on the whole recording: turn well in its first half
    rec = imu_recording(t, acc, gyr, source="pause")
    a = int(at * (n - 1))
    b = min(n, a + 1 + int(length * n))
    for names, rows in ((ACC_MPS2, rec.acc_mps2()), (GYR_DPS, rec.gyr_dps())):
        assert np.array_equal(_norms(rec, names, slice(a, b)), np.linalg.norm(rows[a:b], axis=1))
    lo, hi = float(t[a]), float(t[b - 1])
    params = ActivityParams()
    gyr_norm = np.linalg.norm(rec.gyr_dps()[a:b], axis=1)
    acc_norm = np.linalg.norm(rec.acc_mps2()[a:b], axis=1)
    expected = b - a >= 3 and gyr_norm.std() < params.still_gyr_dps and acc_norm.std() < params.still_acc_mps2
    assert _still(rec, lo, hi) == expected


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 12), st.sampled_from([50, 400, 1 << 18]))
def test_many_pauses_stillness_is_each_pauses_alone(seed: int, count: int, gather: int) -> None:
    """Pauses judged together (their samples gathered in batches of ``gather``) as each one alone."""
    rng = np.random.default_rng(seed)
    n = 3000
    t = np.arange(n) / 100.0
    acc = (rng.normal(0, 0.2, (n, 3)) + np.array([0.0, 0.0, 9.81])).astype(np.float32)
    gyr = rng.normal(0, 4.0, (n, 3)).astype(np.float32)
    for at in rng.integers(0, n, 6).tolist():  # still and moving stretches, some moving only in acceleration
        acc[at : at + 300] *= rng.choice([0.01, 1.0, 3.0])
        gyr[at : at + 300] *= rng.choice([0.01, 1.0, 30.0])
    gyr[:100] = 200.0  # gyro units are checked on the whole recording
    rec = imu_recording(t, acc, gyr, source="pauses")
    edges = np.sort(rng.uniform(-1.0, 31.0, 2 * count))
    spans = [(float(a), float(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    params = ActivityParams()
    expected = []
    for lo, hi in spans:
        rows = (t >= lo) & (t <= hi)
        gyr_norm, acc_norm = np.linalg.norm(rec.gyr_dps()[rows], axis=1), np.linalg.norm(rec.acc_mps2()[rows], axis=1)
        expected.append(
            bool(rows.sum() >= 3 and gyr_norm.std() < params.still_gyr_dps and acc_norm.std() < params.still_acc_mps2)
        )
    old = _bouts_pauses._GATHER
    _bouts_pauses._GATHER = gather
    try:
        assert _stills(rec, spans) == expected
    finally:
        _bouts_pauses._GATHER = old


def test_the_variances_at_once_are_sure_only_clear_of_the_threshold() -> None:
    """``_clear_of`` against each segment's ``np.std``: sure answers are its answers; unsure only near the limit."""
    rng = np.random.default_rng(29)
    segments = []
    for _ in range(600):
        n = int(rng.choice([3, 4, 17, 400, 5000, 120_000]))
        limit = float(rng.choice([5.0, 0.35]))
        x = rng.normal(0.0, 1.0, n)
        x *= limit / x.std() * (1.0 + float(rng.choice([-1e-3, -1e-7, -1e-13, 0.0, 1e-13, 1e-7, 1e-3, 0.5])))
        x += float(rng.choice([0.0, 9.8, 300.0, 1e6]))
        segments.append((np.abs(x), limit))
    segments.append((np.array([1.0, np.nan, 2.0]), 5.0))
    segments.append((np.array([1.0, np.inf, 2.0]), 5.0))
    segments.append((np.array([9.81, 9.81, 9.81]), 0.35))
    sure = 0
    for limit in (5.0, 0.35):
        mine = [x for x, lim in segments if lim == limit]
        norms = np.concatenate(mine)
        at = np.cumsum([0, *(x.size for x in mine)])
        for x, clear in zip(mine, _bouts_pauses._clear_of(norms, at, limit), strict=True):
            with np.errstate(invalid="ignore"):
                std = x.std()
            if clear:
                assert (clear < 0) == bool(std < limit)
                sure += 1
            else:  # unsure: within the margin, or a NaN
                assert np.isnan(std) or abs(std / limit - 1.0) < 1e-5
    assert sure > 200
