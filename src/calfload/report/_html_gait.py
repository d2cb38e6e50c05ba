"""The walk/run page: did the cadence hold, how many steps, how long on the ground, from which device."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from calfload.report._html import card, cards, esc, figure, message, num, page, table
from calfload.report._plots_gait import all_gaps, cadence_svg

logger = logging.getLogger(__name__)

_SOURCES = {
    "imu": "IMU (steps and contacts from the sensor's motion)",
    "footpod": "foot pod (the device's own cadence and speed)",
    "fit": "FIT file (the watch's or foot pod's own cadence and speed)",
}


def render_gait_html(
    result: Mapping[str, Any],
    *,
    source: str = "",
    recorded: str = "",
    gaps_s: Sequence[tuple[float, float]] | None = None,
) -> str:
    """The HTML report of one walk or run.

    Parameters
    ----------
    result
        The ``calfload analyze --json`` object of the walk or run (embedded in the page as its data).
    source
        The recording's name, for the heading.
    recorded
        When it was recorded (free text), for the heading.
    gaps_s
        Stretches ``(start_s, end_s)`` the recording has no data for (from its timestamps); without
        them, the jumps in the cadence series stand in.

    Returns
    -------
    str
        A self-contained HTML document.
    """
    activity = str(result.get("activity", "run"))
    series = result.get("cadence_series") or []
    gaps = list(gaps_s) if gaps_s is not None else all_gaps(result)
    body = [_summary(result), _device(result)]
    body.append("<h2>Cadence over time</h2>")
    if series:
        body.append(
            figure(
                cadence_svg(result, gaps_s=gaps),
                "gait-cadence",
                "Steps per minute of both feet through the "
                f"{activity}, with its median (dashed). Hatched stretches have no data: the line breaks there.",
            )
        )
    else:
        body.append(
            message(
                f"No cadence to plot for this {activity}",
                "No steps were found. Check that the sensor was worn during the walk or run and that the "
                "recording covers it.",
                warn=True,
                key="no-cadence",
            )
        )
    if gaps:
        lost = sum(b - a for a, b in gaps)
        body.append(
            message(
                f"This {activity} has {len(gaps)} stretch{'es' if len(gaps) != 1 else ''} without data "
                f"({lost:.0f} s in all)",
                "Cadence and steps there are unknown; the figures above count only the time with data.",
                warn=True,
                key="gaps",
            )
        )
    bouts = result.get("bouts") or []
    if bouts:
        body += ["<h2>Bouts</h2>", _bout_table(bouts)]
    warnings = result.get("warnings") or []
    if warnings:
        body.append("<h2>Checks</h2><ul>" + "".join(f"<li data-warning>{esc(w)}</li>" for w in warnings) + "</ul>")
    subtitle = " · ".join(x for x in (source, recorded, f"{result.get('duration_s', 0):.0f} s recorded") if x)
    title = "Run" if activity == "run" else ("Walk" if activity == "walk" else activity.capitalize())
    return page(kind="gait_session", title=title, subtitle=subtitle, body=body, data=result)


def _summary(result: Mapping[str, Any]) -> str:
    cad = result.get("cadence_spm") or {}
    contact = (result.get("ground_contact_ms") or {}).get("median")
    doubled = bool(result.get("steps_doubled_from_one_foot"))
    items = [
        card("Duration", num(result.get("duration_s"), "{:.0f}", key="duration_s", unit="s")),
        card(
            "Steps",
            num(result.get("steps"), "{:d}", key="steps"),
            "one foot's strides doubled" if doubled else "",
        ),
        card(
            "Median cadence",
            num(cad.get("median"), "{:.0f}", key="cadence_spm.median", unit="steps/min"),
            "" if cad.get("mean") is None else f"mean {cad['mean']:.0f} steps/min",
        ),
        card(
            "Ground contact",
            num(contact, "{:.0f}", key="ground_contact_ms.median", unit="ms"),
            "median of one foot" if contact is not None else "not measured by this sensor",
        ),
    ]
    if result.get("distance_m") is not None:
        items.append(card("Distance", num(result["distance_m"], "{:.0f}", key="distance_m", unit="m")))
    if result.get("speed_mps") is not None:
        items.append(card("Speed", num(result["speed_mps"], "{:.2f}", key="speed_mps", unit="m/s")))
    return cards(items)


def _device(result: Mapping[str, Any]) -> str:
    source = str(result.get("source") or "")
    rows = [
        ("Device", esc(result.get("device") or "unknown")),
        ("Data", esc(_SOURCES.get(source, source or "unknown"))),
        ("Worn on", esc(result.get("placement") or "unknown")),
    ]
    strides = result.get("strides")
    if strides:
        rows.append(("Strides per foot", " / ".join(num(s, "{:d}", key=f"strides.{i}") for i, s in enumerate(strides))))
    if result.get("activity_detected"):
        rows.append(("Activity", f"{esc(result.get('activity'))} (detected from the data)"))
    return (
        '<h2>Sensor</h2><dl class="device" data-device>'
        + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
        + "</dl>"
    )


def _bout_table(bouts: list[Mapping[str, Any]]) -> str:
    headers = [("start (s)", True), ("end (s)", True), ("steps", True), ("cadence (steps/min)", True)]
    rows = [
        [
            num(b["start_s"], "{:.0f}", key=f"bouts.{i}.start_s"),
            num(b["end_s"], "{:.0f}", key=f"bouts.{i}.end_s"),
            num(b["steps"], "{:d}", key=f"bouts.{i}.steps"),
            num(b["cadence_spm"], "{:.0f}", key=f"bouts.{i}.cadence_spm"),
        ]
        for i, b in enumerate(bouts)
    ]
    return table(headers, rows, caption="Bouts")


__all__ = ["render_gait_html"]
