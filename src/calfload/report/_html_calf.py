"""The calf-session page: was the lowering slow enough, rep by rep and set by set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from calfload._logger import package_logger
from calfload.report._html import card, cards, esc, figure, message, num, page, pill, table
from calfload.report._plots_calf import calf_angle_svg, lowering_bars_svg
from calfload.report._words import sensor_place
from calfload.signal import CalfRaiseAnalysis, CalfRep, CalfSet
from calfload.units import hms

logger = package_logger(__name__)


def render_calf_html(
    result: CalfRaiseAnalysis,
    *,
    data: Mapping[str, object] | None = None,
    angle: tuple[np.ndarray, np.ndarray] | None = None,
    source: str = "",
    recorded: str = "",
) -> str:
    """The HTML report of one calf-raise session.

    Parameters
    ----------
    result
        The analysis of the session.
    data
        The page's source object (default: ``result.to_dict()``, the ``calfload analyze --json``
        object); the tagged numbers point into it.
    angle
        ``(t_s, angle_deg)`` from :func:`calfload.signal.raise_angle_series`; without it the page
        says why the raise-angle plot is missing.
    source
        The recording's name, for the heading.
    recorded
        When it was recorded (free text, e.g. the local date), for the heading.

    Returns
    -------
    str
        A self-contained HTML document.
    """
    pass_from = result.params.target_eccentric_s - result.params.tolerance_s
    body = [_summary(result, pass_from), "<h2>Raise angle, rep by rep</h2>", _angle_section(result, angle)]
    body += _audit_section(result, pass_from)
    body.append(_notes(result))
    subtitle = " · ".join(
        x
        for x in (
            source,
            recorded,
            f"{hms(result.duration_s)} recorded",
            sensor_place(result.placement),
            f"{round(result.sample_rate_hz, 2):g} Hz" if result.sample_rate_hz else "",
        )
        if x
    )
    source_object = result.to_dict() if data is None else data
    return page(kind="calf_session", title="Calf-raise session", subtitle=subtitle, body=body, data=source_object)


def _angle_section(result: CalfRaiseAnalysis, angle: tuple[np.ndarray, np.ndarray] | None) -> str:
    """The raise-angle plot, or why it is missing."""
    if angle is not None and angle[0].size:
        return figure(
            calf_angle_svg(result, angle[0], angle[1]),
            "calf-angle",
            "Foot angle (0° = heel down) through the session, one row per set. Each rep is shaded by phase: "
            "rise, top hold, lowering, and rest at the bottom; the number above a rep is its place in the set.",
        )
    return message(
        "The raise-angle plot needs the recording",
        "This session's recording file was not available, so only the measured figures are shown.",
        key="no-angle",
    )


def _audit_section(result: CalfRaiseAnalysis, pass_from: float) -> list[str]:
    """The lowering times against the target and the set and rep tables, or why there are none."""
    if not result.reps:
        return [
            message(
                "No calf-raise reps found in this recording",
                "Nothing to audit. Check that the sensor was on the foot (or shank) and that the recording covers "
                "the sets; a few seconds of standing still before the first set helps.",
                warn=True,
                key="no-reps",
            )
        ]
    target, tol = result.params.target_eccentric_s, result.params.tolerance_s
    return [
        f"<h2>Lowering time against the target (pass from {pass_from:.1f} s)</h2>",
        figure(
            lowering_bars_svg(result),
            "calf-lowering",
            f"One bar per rep: the time from the top to the heel touching down. The green band is the target "
            f"{target:.1f} s ± {tol:.1f} s; a rep passes when its lowering lasts at least {pass_from:.1f} s.",
        ),
        "<h2>Sets</h2>",
        _set_table(result.sets),
        _rep_table(result.reps, result.partial_reps),
    ]


def _summary(result: CalfRaiseAnalysis, pass_from: float) -> str:
    sets, reps = result.sets, result.reps
    partial = len(result.partial_reps)
    passed = sum(1 for r in reps if r.eccentric_pass)
    items = [
        card("Reps counted", num(result.rep_count, "{:d}", key="rep_count"), f"+{partial} partial" if partial else ""),
        card("Sets", num(len(sets), "{:d}")),
        card(
            "Lowered slowly enough",
            num(result.pass_rate, "%", key="tempo.pass_rate"),
            _pass_note(result, passed, pass_from),
        ),
        card("Time under tension", num(_tut_s(result), "{:.0f}", key="time_under_tension_s", unit="s")),
        card(
            "Target lowering",
            num(result.params.target_eccentric_s, "{:.1f}", key="tempo.target_eccentric_s", unit="s"),
        ),
    ]
    return cards(items)


def _pass_note(result: CalfRaiseAnalysis, passed: int, pass_from: float) -> str:
    reps = result.reps
    if not reps:
        return ""
    if all(s.endurance for s in result.sets):
        return "endurance sets: lowering not audited"
    return f"{passed} of {len(reps)} reps ≥ {pass_from:.1f} s"


def _set_table(sets: Sequence[CalfSet]) -> str:
    headers = [
        ("set", True),
        ("reps", True),
        ("partial", True),
        ("start (s)", True),
        ("end (s)", True),
        ("under tension (s)", True),
        ("mean lowering (s)", True),
        ("tempo pass", True),
        ("kind", False),
    ]
    rows = [
        [
            num(s.index, "{:d}"),
            num(s.rep_count, "{:d}", key=f"sets.{i}.rep_count"),
            num(s.partial_rep_count, "{:d}", key=f"sets.{i}.partial_rep_count"),
            num(s.start_s, "{:.1f}", key=f"sets.{i}.start_s"),
            num(s.end_s, "{:.1f}", key=f"sets.{i}.end_s"),
            num(s.time_under_tension_s, "{:.1f}", key=f"sets.{i}.time_under_tension_s"),
            num(s.mean_eccentric_s, "{:.2f}", key=f"sets.{i}.mean_eccentric_s"),
            num(s.tempo_pass_rate, "%", key=f"sets.{i}.tempo_pass_rate"),
            esc("endurance" if s.endurance else "strength"),
        ]
        for i, s in enumerate(sets)
    ]
    return table(headers, rows, caption="Sets")


def _rep_table(reps: Sequence[CalfRep], partial: Sequence[CalfRep]) -> str:
    headers = [
        ("set", True),
        ("rep", True),
        ("start (s)", True),
        ("rise (s)", True),
        ("top hold (s)", True),
        ("lowering (s)", True),
        ("bottom (s)", True),
        ("raise angle (deg)", True),
        ("tempo", False),
    ]
    rows = [
        [
            num(r.set, "{:d}"),
            num(r.index, "{:d}"),
            num(r.start_s, "{:.1f}", key=f"reps.{i}.start_s"),
            num(r.concentric_s, "{:.2f}", key=f"reps.{i}.concentric_s"),
            num(r.top_hold_s, "{:.2f}", key=f"reps.{i}.top_hold_s"),
            num(r.eccentric_s, "{:.2f}", key=f"reps.{i}.eccentric_s"),
            num(r.bottom_s, "{:.2f}", key=f"reps.{i}.bottom_s"),
            num(r.excursion_deg, "{:.0f}", key=f"reps.{i}.excursion_deg"),
            pill("slow enough", "ok") if r.eccentric_pass else pill("too fast", "bad"),
        ]
        for i, r in enumerate(reps)
    ]
    extra = f", and {len(partial)} partial reps (not counted)" if partial else ""
    return (
        f"<details><summary>Every rep ({len(reps)}{esc(extra)})</summary>"
        + table(headers, rows, caption="Reps")
        + "</details>"
    )


def _notes(result: CalfRaiseAnalysis) -> str:
    notes = []
    gaps = result.gaps_s
    if gaps:
        lost = sum(b - a for a, b in gaps)
        notes.append(
            f"The recording has {len(gaps)} gap{'s' if len(gaps) != 1 else ''} ({lost:.1f} s in all); "
            "short gaps are bridged, reps cut by a longer gap are not counted."
        )
    walking = result.walking_s
    if walking:
        notes.append(f"Walking was found in {len(walking)} stretch{'es' if len(walking) != 1 else ''}; it ends a set.")
    endurance = [s.index for s in result.sets if s.endurance]
    if endurance:
        notes.append(
            "Endurance sets (continuous raises for 60–90 s) are reported by their time under tension; "
            "their fast lowering is expected and not audited."
        )
    if not notes:
        return ""
    return "<h2>Notes</h2><ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"


def _tut_s(result: CalfRaiseAnalysis) -> float:
    """Time under tension of all sets."""
    return sum(s.time_under_tension_s for s in result.sets)


__all__ = ["render_calf_html"]
