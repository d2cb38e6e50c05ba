"""Unit suffixes used in names, and the few conversion constants the package needs.

Every quantity in a column or parameter name carries one of these suffixes (``t_s``,
``acc_x_mps2``, ``cadence_spm``), so a number never travels without its unit.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final, Literal

from calfload._lazy import lazy_exports

if TYPE_CHECKING:
    from calfload._phrases import Distance, Length, Mass, Phrase, Quantity, in_units, join_phrases

#: Standard gravity (m/s²), the conversion factor from g to m/s².
STANDARD_GRAVITY_MPS2: Final = 9.80665

DEG_PER_RAD: Final = 57.29577951308232

#: Unit suffix -> human-readable unit, for tables and the metadata's unit map.
UNIT_SUFFIXES: Final[dict[str, str]] = {
    "s": "s",
    "ms": "ms",
    "hz": "Hz",
    "mps2": "m/s²",
    "dps": "deg/s",
    "deg": "deg",
    "mps": "m/s",
    "m": "m",
    "cm": "cm",
    "kg": "kg",
    "spm": "steps/min",
    "bpm": "beats/min",
    "bw": "body weights",
    "n": "N",
    "j": "J",
    "w": "W",
    "mm": "mm",
    "pct": "%",
    "knpm": "kN/m",
}


def unit_of(name: str) -> str:
    """Return the unit that a name's suffix declares.

    Parameters
    ----------
    name
        A column or parameter name such as ``"acc_x_mps2"``.

    Returns
    -------
    str
        The unit, or ``""`` for dimensionless names (``"running"``).

    Examples
    --------
    >>> unit_of("cadence_spm")
    'steps/min'
    >>> unit_of("running")
    ''
    """
    suffix = name.rsplit("_", 1)[-1] if "_" in name else ""
    return UNIT_SUFFIXES.get(suffix, "")


# --- Formatting for people: durations h:mm:ss, distances and loads in the athlete's units ----------

#: The unit systems an athlete can choose (``units`` in config.toml, ``--units`` on a command).
UNIT_SYSTEMS: Final = ("metric", "imperial")
UnitSystem = Literal["metric", "imperial"]

#: International mile (exact, by the 1959 agreement).
KM_PER_MILE: Final = 1.609344
#: International avoirdupois pound (exact, by the 1959 agreement).
KG_PER_LB: Final = 0.45359237
#: International inch (exact, by the 1959 agreement).
CM_PER_INCH: Final = 2.54


def unit_system(text: str) -> UnitSystem:
    """Check a unit system's name (``"metric"`` or ``"imperial"``).

    Raises
    ------
    ValueError
        For any other name, with a message that lists the two.
    """
    if text == "metric":
        return "metric"
    if text == "imperial":
        return "imperial"
    raise ValueError(f"units must be metric or imperial, not {text!r}")


def plural(n: int, noun: str) -> str:
    """A count and its noun: ``1 rep``, ``2 reps``, ``0 sets``.

    Examples
    --------
    >>> plural(1, "rep"), plural(3, "set")
    ('1 rep', '3 sets')
    """
    return f"{n} {noun}{'' if n == 1 else 's'}"


def hms(seconds: float) -> str:
    """A duration as ``h:mm:ss`` (rounded to the second; ``"-"`` when unknown).

    Examples
    --------
    >>> hms(3725.4)
    '1:02:05'
    >>> hms(59.6)
    '0:01:00'
    >>> hms(float("nan"))
    '-'
    """
    if not math.isfinite(seconds):
        return "-"
    sign = "-" if seconds < 0 else ""
    total = round(abs(seconds))
    return f"{sign}{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"


def distance(km: float, system: UnitSystem = "metric", *, digits: int = 2) -> str:
    """A distance in km, or in miles for ``"imperial"``.

    Examples
    --------
    >>> distance(16.0)
    '16.00 km'
    >>> distance(16.0, "imperial", digits=1)
    '9.9 mi'
    """
    if not math.isfinite(km):
        return "-"
    if system == "imperial":
        return f"{km / KM_PER_MILE:.{digits}f} mi"
    return f"{km:.{digits}f} km"


def distance_unit(system: UnitSystem = "metric") -> tuple[float, str]:
    """The distance unit of a unit system and its size: ``(units per metre, name)``, km or mi.

    Tables scale metres by the first value (``num(..., scale=...)``) and name the column by the second.

    Examples
    --------
    >>> distance_unit()
    (0.001, 'km')
    >>> round(1609.344 * distance_unit("imperial")[0], 12), distance_unit("imperial")[1]
    (1.0, 'mi')
    """
    return (1.0 / (1000.0 * KM_PER_MILE), "mi") if system == "imperial" else (1.0 / 1000.0, "km")


def pace(s_per_km: float, system: UnitSystem = "metric") -> str:
    """A pace as ``m:ss /km``, or ``m:ss /mi`` for ``"imperial"``.

    Examples
    --------
    >>> pace(300.0)
    '5:00 /km'
    >>> pace(300.0, "imperial")
    '8:03 /mi'
    """
    if not math.isfinite(s_per_km) or s_per_km <= 0:
        return "-"
    per, unit = (s_per_km * KM_PER_MILE, "mi") if system == "imperial" else (s_per_km, "km")
    total = round(per)
    return f"{total // 60}:{total % 60:02d} /{unit}"


def mass(kg: float, system: UnitSystem = "metric") -> str:
    """A mass (body mass, added load) in kg, or in lb for ``"imperial"``.

    Examples
    --------
    >>> mass(20.0)
    '20 kg'
    >>> mass(20.0, "imperial")
    '44.1 lb'
    """
    if not math.isfinite(kg):
        return "-"
    if system == "imperial":
        return f"{kg / KG_PER_LB:.1f} lb"
    return f"{kg:g} kg"


def km_from(value: float, system: UnitSystem) -> float:
    """A distance given in the athlete's unit (km or miles), in km."""
    return value * KM_PER_MILE if system == "imperial" else value


def kg_from(value: float, system: UnitSystem) -> float:
    """A mass given in the athlete's unit (kg or lb), in kg."""
    return value * KG_PER_LB if system == "imperial" else value


def cm_from(value: float, system: UnitSystem) -> float:
    """A short length given in the athlete's unit (cm or inches), in cm."""
    return value * CM_PER_INCH if system == "imperial" else value


# --- Sentences whose quantities follow the athlete's units (calfload._phrases) -----------------

# Loaded on first use: three frozen dataclasses that ``analyze`` never needs (their creation is
# start-up CPU at every command; benchmarks/README.md).
__getattr__, __dir__ = lazy_exports(
    __name__,
    {"calfload._phrases": ("Distance", "Length", "Mass", "Phrase", "Quantity", "in_units", "join_phrases")},
)

__all__ = [
    "CM_PER_INCH",
    "DEG_PER_RAD",
    "KG_PER_LB",
    "KM_PER_MILE",
    "STANDARD_GRAVITY_MPS2",
    "UNIT_SUFFIXES",
    "UNIT_SYSTEMS",
    "Distance",
    "Length",
    "Mass",
    "Phrase",
    "Quantity",
    "UnitSystem",
    "cm_from",
    "distance",
    "distance_unit",
    "hms",
    "in_units",
    "join_phrases",
    "kg_from",
    "km_from",
    "mass",
    "pace",
    "plural",
    "unit_of",
    "unit_system",
]
