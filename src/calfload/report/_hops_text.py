"""Terminal rendering of a hop analysis: a set table (hops, contact and flight times, fatigue) and contacts."""

from __future__ import annotations

from typing import Any

from calfload.report._table import Col, render_table, wrap_line
from calfload.report._words import plural, sensor_place
from calfload.units import hms


def render_hops_text(result: dict[str, Any], *, source: str = "", show_contacts: bool = True) -> str:
    """Render the ``calfload analyze`` JSON object of a hop session as aligned tables.

    Parameters
    ----------
    result
        The dict of :meth:`calfload.signal.HopAnalysis.to_dict`.
    source
        The file name shown in the title.
    show_contacts
        Also print one line per ground contact.
    """
    out = [
        *wrap_line(f"Hops{f' — {source}' if source else ''}", indent="", hang="  "),
        *wrap_line(
            f"{hms(result['duration_s'])} recorded at {result['sample_rate_hz']:.0f} Hz, "
            f"{sensor_place(result['placement'])}; "
            f"{plural(result['hops'], 'hop')} in {plural(len(result['sets']), 'set')}"
        ),
        "",
    ]
    sets = result["sets"]
    if not sets:
        out.append("  No hops found: hops show as free fall between landings. Check that the sensor is on the foot")
        out.append("  or shank and that the recording starts with a few seconds of standing still.")
        return "\n".join(out)
    out.append(
        render_table(
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
                    s["index"],
                    s["hops"],
                    s["start_s"],
                    s["mean_contact_ms"],
                    s["mean_flight_ms"],
                    s["contact_change_pct"],
                    "contact time rising" if s["fatigue"] else "",
                ]
                for s in sets
            ],
        )
    )
    if show_contacts:
        out += [
            "",
            render_table(
                [
                    Col("set"),
                    Col("hop"),
                    Col("landing (s)", "{:.2f}"),
                    Col("flight (ms)", "{:.0f}"),
                    Col("height (cm)", "{:.1f}"),
                    Col("contact (ms)", "{:.0f}"),
                ],
                [
                    [c["set"], c["index"], c["start_s"], c["flight_ms"], c["jump_height_cm"], c["contact_ms"]]
                    for c in result["contacts"]
                ],
            ),
            "",
            "  Contact: landing to the next take-off (none after a landing to stand). Height from flight time, g·t²/8.",
        ]
    return "\n".join(out)


__all__ = ["render_hops_text"]
