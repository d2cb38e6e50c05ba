"""``--scaling``'s precision: bootstrap intervals of medians, and when a length's verdict counts as decided."""

from __future__ import annotations

import statistics

import numpy as np
import pytest

from benchmarks.scaling import Length, Pair, _undecided, decided, ratio_bounds
from benchmarks.spread import median_interval, ratio_interval
from benchmarks.whole import Usage


def _pair(floor_s: float, command_s: float) -> Pair:
    return Pair(Usage(floor_s, floor_s, 60.0, 0), Usage(command_s, command_s, 90.0, 0))


def test_median_interval_holds_the_median_and_widens_with_the_spread() -> None:
    rng = np.random.default_rng(1)
    narrow = list(0.5 + 0.01 * rng.standard_normal(40))
    wide = list(0.5 + 0.1 * rng.standard_normal(40))
    low_n, high_n = median_interval(narrow)
    low_w, high_w = median_interval(wide)
    assert low_n <= statistics.median(narrow) <= high_n
    assert low_w <= statistics.median(wide) <= high_w
    assert high_w - low_w > 3 * (high_n - low_n)
    assert median_interval(wide) == (low_w, high_w)  # a fixed seed: the same runs give the same interval
    assert median_interval([0.3] * 7) == (0.3, 0.3)


def test_ratio_interval_is_the_scaled_ratio_of_medians() -> None:
    rng = np.random.default_rng(2)
    top = list(0.15 + 0.02 * rng.standard_normal(30))
    bottom = list(0.55 + 0.05 * rng.standard_normal(30))
    low, high = ratio_interval(top, bottom, scale=4.0)
    middle = 4.0 * statistics.median(top) / statistics.median(bottom)
    assert low < middle < high
    assert high < 1.5 * middle
    assert low > 0.6 * middle
    # A denominator whose median can be 0 or less has no meaningful ratio.
    assert all(np.isnan(ratio_interval(top, [0.1, -0.1, 0.0, -0.2, 0.05])))


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ((0.9, 1.15), True),  # wholly inside +-20 %
        ((1.21, 1.5), True),  # wholly above: a decided miss
        ((0.5, 0.79), True),  # wholly below
        ((1.05, 1.3), False),  # crosses 1.2
        ((0.7, 0.9), False),  # crosses 0.8
        (None, False),  # too few pairs for an interval
    ],
)
def test_a_verdict_is_decided_when_its_interval_is_on_one_side_of_each_line(
    bounds: tuple[float, float] | None, expected: bool
) -> None:
    assert decided(bounds) is expected


def test_a_length_is_the_median_of_its_paired_differences() -> None:
    pairs = [_pair(0.40, 0.55), _pair(0.30, 0.50), _pair(0.45, 0.56), _pair(0.35, 0.60), _pair(0.38, 0.50)]
    length = Length.of(pairs)
    assert length.runs == 5
    assert length.differences_s() == pytest.approx([0.15, 0.20, 0.11, 0.25, 0.12])
    assert length.analysis_cpu_s == pytest.approx(0.15)  # not median(command) - median(floor) = 0.55 - 0.38
    assert length.startup_cpu_s == pytest.approx(0.38)
    assert length.pairs_cpu_s[1] == (0.30, 0.50)


def test_lengths_stay_open_until_their_ratio_is_decided() -> None:
    """A length at the reference's rate closes; one straddling +20 % stays open, as does one with too few pairs."""
    rng = np.random.default_rng(3)

    def pairs(analysis_s: float, spread_s: float, n: int) -> list[Pair]:
        floors = 0.38 + 0.02 * rng.standard_normal(n)
        return [_pair(f, f + analysis_s + spread_s * e) for f, e in zip(floors, rng.standard_normal(n), strict=True)]

    reference = pairs(0.55, 0.005, 40)  # an hour: 0.55 s of analysis
    steady = pairs(2 * 0.55, 0.01, 10)  # two hours at the same rate
    borderline = pairs(1.2 * 0.55 / 4, 0.05, 40)  # 15 minutes at x1.2 the rate, noisy
    few = pairs(4 * 0.55, 0.01, 3)
    still = _undecided({60.0: reference, 120.0: steady, 15.0: borderline, 240.0: few}, 60.0)
    assert set(still) == {15.0, 240.0}
    assert still[240.0] is None
    steady_bounds = ratio_bounds(Length.of(steady), Length.of(reference), 0.5)
    assert steady_bounds is not None
    assert 0.95 < steady_bounds[0] < 1.0 < steady_bounds[1] < 1.05


def test_a_whole_commands_line_says_when_its_runs_straddle_the_target() -> None:
    """The median of a few runs on either side of a CPU target is a toss-up: the line says so."""
    from benchmarks.run import _straddles

    assert _straddles([0.39, 0.52, 0.45], 0.5) == "; the runs straddle it"
    assert _straddles([0.39, 0.45, 0.49], 0.5) == ""
    assert _straddles([0.51, 0.55], 0.5) == ""
    assert _straddles([], 0.5) == ""
    assert _straddles([0.6], None) == ""
