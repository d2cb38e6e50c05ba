"""The preset parameters of an analysis for a sensor placement (one look-up for every parameter class)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calfload.errors import AnalysisError


def placement_preset(presets: Mapping[str, Mapping[str, Any]], placement: str, *, analysis: str) -> Mapping[str, Any]:
    """The preset of ``placement`` (``unknown`` is taken as ``foot``).

    Raises
    ------
    AnalysisError
        If the analysis has no preset for that placement; its ``parameter`` is ``placement``.

    Examples
    --------
    >>> placement_preset({"foot": {}, "shank": {"a": 1}}, "shank", analysis="hop")
    {'a': 1}
    >>> placement_preset({"foot": {}, "shank": {}}, "wrist", analysis="hop")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    calfload.errors.AnalysisError: hop analysis needs the sensor on the foot or shank, not the wrist; ...
    """
    key = "foot" if placement == "unknown" else placement
    if key not in presets:
        *rest, last = presets
        allowed = f"{', '.join(rest)} or {last}" if rest else last
        raise AnalysisError(
            f"{analysis} analysis needs the sensor on the {allowed}, not the {placement}; give `placement` {allowed}",
            value=placement,
            expected=allowed,
            parameter="placement",
        )
    return presets[key]


__all__ = ["placement_preset"]
