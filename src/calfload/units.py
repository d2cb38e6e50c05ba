"""Unit suffixes used in names, and the few conversion constants the package needs.

Every quantity in a column or parameter name carries one of these suffixes (``t_s``,
``acc_x_mps2``, ``cadence_spm``), so a number never travels without its unit.
"""

from __future__ import annotations

from typing import Final

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
