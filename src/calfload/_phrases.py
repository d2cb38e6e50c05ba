"""Sentences whose quantities follow the athlete's units: :class:`Phrase` and the quantities it holds.

The review's reasons and next steps say "drop the 20 kg" or "keep the long run under 12 km"; a
:class:`Phrase` keeps those quantities typed so that the terminal and the reports show them in
miles, lb and inches for an athlete who chose imperial units. Public as :mod:`calfload.units`'
(``from calfload.units import Phrase``), which loads this module on first use: ``analyze`` needs
the unit constants, not the three frozen dataclasses of sentences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from calfload.units import CM_PER_INCH, UnitSystem, distance, mass


def _signed(value: float, spec: str, sign: bool) -> str:
    return f"{value:{'+' if sign else ''}{spec}}"


@dataclass(frozen=True, slots=True)
class Distance:
    """A distance in a sentence (a run's length), shown in km or miles.

    Examples
    --------
    >>> Distance(12_000.0).render("metric"), Distance(12_000.0).render("imperial")
    ('12.0 km', '7.5 mi')
    """

    m: float
    digits: int = 1

    def render(self, system: UnitSystem) -> str:
        """The distance in ``system``'s unit."""
        km = self.m / 1000.0
        return distance(km, system, digits=self.digits)


@dataclass(frozen=True, slots=True)
class Mass:
    """A mass in a sentence (an added weight, a load step), shown in kg or lb.

    Examples
    --------
    >>> Mass(2.5, sign=True).render("metric"), Mass(2.5, sign=True).render("imperial")
    ('+2.5 kg', '+5.5 lb')
    """

    kg: float
    sign: bool = False

    def render(self, system: UnitSystem) -> str:
        """The mass in ``system``'s unit."""
        text = mass(abs(self.kg), system)
        return ("+" if self.kg >= 0 else "-") + text if self.sign else text


@dataclass(frozen=True, slots=True)
class Length:
    """A short length in a sentence (a heel-rise height, a circumference), shown in cm or inches.

    Examples
    --------
    >>> Length(-1.27, sign=True).render("metric"), Length(-1.27, sign=True).render("imperial")
    ('-1.3 cm', '-0.5 in')
    """

    cm: float
    digits: int = 1
    sign: bool = False

    def render(self, system: UnitSystem) -> str:
        """The length in ``system``'s unit."""
        if not math.isfinite(self.cm):
            return "-"
        if system == "imperial":
            return f"{_signed(self.cm / CM_PER_INCH, f'.{self.digits}f', self.sign)} in"
        return f"{_signed(self.cm, f'.{self.digits}f', self.sign)} cm"


#: A quantity inside a :class:`Phrase`.
Quantity = Distance | Mass | Length


class Phrase(str):
    """A sentence whose quantities are kept typed, to be shown in the athlete's units.

    As a ``str`` it reads in metric units (what ``--json`` and the journal keep); the edges (the
    terminal, the reports) call :func:`in_units` to show it in miles, lb and inches instead. Plain
    strings pass through :func:`in_units` unchanged, so a sentence without quantities stays a ``str``.

    Examples
    --------
    >>> p = Phrase("keep the long run under ", Distance(12_000.0))
    >>> str(p), p.render("imperial")
    ('keep the long run under 12.0 km', 'keep the long run under 7.5 mi')
    >>> Phrase("spike: ", p, "!").render("imperial")
    'spike: keep the long run under 7.5 mi!'
    """

    __slots__ = ("parts",)
    parts: tuple[str | Quantity, ...]

    def __new__(cls, *parts: str | Quantity) -> Phrase:
        """Join ``parts`` (text, quantities and other phrases, whose parts are taken over)."""
        flat: list[str | Quantity] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, Phrase) else (part,))
        self = super().__new__(cls, "".join(p if isinstance(p, str) else p.render("metric") for p in flat))
        self.parts = tuple(flat)
        return self

    def render(self, system: UnitSystem) -> str:
        """The sentence with every quantity in ``system``'s units."""
        return "".join(p if isinstance(p, str) else p.render(system) for p in self.parts)


def join_phrases(sep: str, items: Sequence[str]) -> Phrase:
    """``sep.join(items)`` that keeps the quantities of the items that are phrases.

    Examples
    --------
    >>> join_phrases("; ", ["a", Phrase("b ", Mass(5.0))]).render("imperial")
    'a; b 11.0 lb'
    """
    parts: list[str | Quantity] = []
    for i, item in enumerate(items):
        parts += [sep, item] if i else [item]
    return Phrase(*parts)


def in_units(text: str, system: UnitSystem) -> str:
    """``text`` with its quantities in ``system``'s units (a plain ``str`` is returned as it is).

    Examples
    --------
    >>> in_units(Phrase("drop the ", Mass(20.0)), "imperial"), in_units("hold", "imperial")
    ('drop the 44.1 lb', 'hold')
    """
    return text.render(system) if isinstance(text, Phrase) else text


__all__ = ["Distance", "Length", "Mass", "Phrase", "Quantity", "in_units", "join_phrases"]
