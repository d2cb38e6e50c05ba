"""Small wording helpers shared by the terminal and HTML renderings."""

from __future__ import annotations


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``12th``, ``13th``, ``21st`` ...

    Examples
    --------
    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sensor_place(placement: str | None) -> str:
    """``sensor on the foot``, or ``sensor placement not recorded`` when it is unknown.

    Examples
    --------
    >>> sensor_place("shank"), sensor_place("unknown")
    ('sensor on the shank', 'sensor placement not recorded')
    """
    if not placement or placement == "unknown":
        return "sensor placement not recorded"
    return f"sensor on the {placement}"
