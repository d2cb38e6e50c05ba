"""Terminal rendering of a hop analysis: a set table (hops, contact and flight times, fatigue) and contacts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from calfload.report._table import Col, render_table, wrap_line
from calfload.report._words import sensor_place
from calfload.units import CM_PER_INCH, UnitSystem, hms, plural

if TYPE_CHECKING:
    from calfload.signal import HopAnalysis, HopContact, HopSet


def _r(value: float | None, digits: int) -> float | None:
    """``value`` rounded as ``analyze --json`` prints it, so the text and the JSON never disagree."""
    return None if value is None else round(value, digits)


def render_hops_text(
    result: HopAnalysis, *, source: str = "", show_contacts: bool = True, units: UnitSystem = "metric"
) -> str:
    """Render a hop analysis as aligned tables.

    Parameters
    ----------
    result
        The hop analysis (:func:`calfload.signal.analyze`).
    source
        The file name shown in the title.
    show_contacts
        Also print one line per ground contact.
    units
        Hop heights in cm, or in inches for ``"imperial"``.
    """
    out = [
        *wrap_line(f"Hops{f' — {source}' if source else ''}", indent="", hang="  "),
        *wrap_line(
            f"{hms(round(result.duration_s, 2))} recorded at {round(result.sample_rate_hz, 2):.0f} Hz, "
            f"{sensor_place(result.placement)}; "
            f"{plural(result.hops, 'hop')} in {plural(len(result.sets), 'set')}"
        ),
        "",
    ]
    if not result.sets:
        out += wrap_line(
            "No hops found: hops show as free fall between landings. Check that the sensor is on the foot or "
            "shank and that the recording starts with a few seconds of standing still."
        )
        return "\n".join(out)
    out.append(_sets_table(result.sets))
    if show_contacts:
        out += [
            "",
            _contacts_table(result.contacts, units),
            "",
            *wrap_line(
                "Contact: landing to the next take-off (none after a landing to stand). Height from flight time, "
                "g·t²/8."
            ),
        ]
    return "\n".join(out)


def _sets_table(sets: Sequence[HopSet]) -> str:
    """One row per set: hops, start, mean contact and flight, and whether contact time rose."""
    return render_table(
        [
            Col("set"),
            Col("hops"),
            Col("start (s)", "{:.1f}"),
            Col("mean contact (ms)", "{:.0f}"),
            Col("mean flight (ms)", "{:.0f}"),
            Col("contact change", "{:+.0f} %"),
            Col("fatigue", align="<"),
        ],
        [
            [
                s.index,
                s.hops,
                _r(s.start_s, 2),
                _r(s.mean_contact_ms, 2),
                _r(s.mean_flight_ms, 2),
                _r(s.contact_change_pct, 2),
                "contact time rising" if s.fatigue else "",
            ]
            for s in sets
        ],
    )


def _contacts_table(contacts: Sequence[HopContact], units: UnitSystem) -> str:
    """One row per ground contact: landing, flight, the height it gives (cm or in), contact time."""
    unit, per_cm = ("in", 1 / CM_PER_INCH) if units == "imperial" else ("cm", 1.0)
    return render_table(
        [
            Col("set"),
            Col("hop"),
            Col("landing (s)", "{:.2f}"),
            Col("flight (ms)", "{:.0f}"),
            Col(f"height ({unit})", "{:.1f}"),
            Col("contact (ms)", "{:.0f}"),
        ],
        [
            [
                c.set,
                c.index,
                _r(c.start_s, 3),
                _r(c.flight_ms, 3),
                None if (height := _r(c.jump_height_cm, 3)) is None else height * per_cm,
                _r(c.contact_ms, 3),
            ]
            for c in contacts
        ],
    )


__all__ = ["render_hops_text"]
