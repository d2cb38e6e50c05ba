"""The contract's enumerations, importable without numpy or pyarrow (the CLI needs them at start-up)."""

from __future__ import annotations

from typing import Final, Literal, get_args

Kind = Literal["imu", "footpod", "heart_rate"]
Placement = Literal["foot", "shank", "thigh", "wrist", "lower_back", "unknown"]
Side = Literal["left", "right", "both", "unknown"]
Activity = Literal["calf_raise", "hops", "run", "walk"]

KINDS: Final[tuple[str, ...]] = get_args(Kind)
PLACEMENTS: Final[tuple[str, ...]] = get_args(Placement)
SIDES: Final[tuple[str, ...]] = get_args(Side)
ACTIVITIES: Final[tuple[str, ...]] = get_args(Activity)

#: An athlete's profile (``calfload athlete add``): the painful side, their calf programme, their units.
SIDES_AFFECTED: Final = ("left", "right", "both")
PROGRAMMES: Final = ("default", "alfredson", "hsr")
UNITS: Final = ("metric", "imperial")

__all__ = [
    "ACTIVITIES",
    "KINDS",
    "PLACEMENTS",
    "PROGRAMMES",
    "SIDES",
    "SIDES_AFFECTED",
    "UNITS",
    "Activity",
    "Kind",
    "Placement",
    "Side",
]
