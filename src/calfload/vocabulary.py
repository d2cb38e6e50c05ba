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

#: The ranges of the measures a user enters (the journal refuses others; the command line checks them
#: first, in the unit of the flag the user typed).
BODY_MASS_RANGE_KG: Final = (20.0, 300.0)
ADDED_LOAD_RANGE_KG: Final = (0.0, 200.0)
CALF_CIRCUMFERENCE_RANGE_CM: Final = (15.0, 80.0)
KNEE_TO_WALL_RANGE_CM: Final = (0.0, 30.0)
FOOT_LENGTH_RANGE_CM: Final = (5.0, 35.0)
#: A logged run's or walk's distance: above the first, at most the second.
DISTANCE_RANGE_KM: Final = (0.0, 300.0)
#: The target lowering time a calf-raise audit may be given (s).
TARGET_ECCENTRIC_RANGE_S: Final = (0.5, 20.0)

__all__ = [
    "ACTIVITIES",
    "ADDED_LOAD_RANGE_KG",
    "BODY_MASS_RANGE_KG",
    "CALF_CIRCUMFERENCE_RANGE_CM",
    "DISTANCE_RANGE_KM",
    "FOOT_LENGTH_RANGE_CM",
    "KINDS",
    "KNEE_TO_WALL_RANGE_CM",
    "PLACEMENTS",
    "PROGRAMMES",
    "SIDES",
    "SIDES_AFFECTED",
    "TARGET_ECCENTRIC_RANGE_S",
    "UNITS",
    "Activity",
    "Kind",
    "Placement",
    "Side",
]
