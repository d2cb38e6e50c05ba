"""The shared formatting helpers: h:mm:ss, km or miles, pace, kg or lb."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfload.units import distance, hms, kg_from, km_from, mass, pace, unit_system


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=0, max_value=400_000, allow_nan=False))
def test_hms_reads_back_to_the_rounded_second(seconds: float) -> None:
    h, m, s = (int(part) for part in hms(seconds).split(":"))
    assert 0 <= m < 60
    assert 0 <= s < 60
    assert h * 3600 + m * 60 + s == round(seconds)


def test_hms_pads_minutes_and_seconds() -> None:
    assert hms(0) == "0:00:00"
    assert hms(3599.6) == "1:00:00"
    assert hms(36_000 + 61) == "10:01:01"
    assert hms(math.inf) == "-"


def test_a_marathon_in_both_systems() -> None:
    # 42.195 km is 26.219 mi by the international mile (1.609344 km).
    assert distance(42.195) == "42.20 km"
    assert distance(42.195, "imperial") == "26.22 mi"
    assert km_from(26.21875, "imperial") == pytest.approx(42.195, abs=1e-4)
    assert km_from(5.0, "metric") == 5.0


def test_pace_per_km_and_per_mile() -> None:
    assert pace(270.0) == "4:30 /km"
    assert pace(270.0, "imperial") == "7:15 /mi"  # 434.5 s per mile rounds to 7:15 (435 s)
    assert pace(0.0) == "-"


def test_mass_in_kg_and_lb() -> None:
    assert mass(12.5) == "12.5 kg"
    assert mass(kg_from(44.0, "imperial"), "imperial") == "44.0 lb"
    assert kg_from(10.0, "imperial") == pytest.approx(4.5359237)


def test_unit_system_names() -> None:
    assert unit_system("imperial") == "imperial"
    with pytest.raises(ValueError, match="metric or imperial"):
        unit_system("US")


def test_the_sentences_load_with_their_first_use_and_are_the_units_modules_names() -> None:
    """``calfload.units`` gives Phrase and its quantities from calfload._phrases, imported on first use only."""
    import importlib
    import json
    import subprocess
    import sys

    code = "import json, sys\nimport calfload.units\nprint(json.dumps('calfload._phrases' in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) is False
    units = importlib.import_module("calfload.units")
    phrases = importlib.import_module("calfload._phrases")
    for name in phrases.__all__:
        assert getattr(units, name) is getattr(phrases, name)
        assert name in units.__all__
        assert name in dir(units)
    assert units.Phrase("drop the ", units.Mass(20.0)).render("imperial") == "drop the 44.1 lb"
