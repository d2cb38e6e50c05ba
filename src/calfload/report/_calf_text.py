"""Terminal rendering of a calf-raise analysis: a set table, a rep table and the tempo verdict."""

from __future__ import annotations

from typing import Any

from calfload.report._table import Col, render_table, wrap_line
from calfload.report._words import sensor_place
from calfload.units import hms


def render_calf_text(result: dict[str, Any], *, source: str = "", show_reps: bool = True) -> str:
    """Render the ``calfload analyze`` JSON object of a calf session as aligned tables.

    Parameters
    ----------
    result
        The dict of :meth:`calfload.signal.CalfRaiseAnalysis.to_dict`.
    source
        The file name shown in the title.
    show_reps
        Also print one line per rep.
    """
    tempo = result["tempo"]
    target, tol = tempo["target_eccentric_s"], tempo["tolerance_s"]
    out = [
        *wrap_line(f"Calf raises{f' — {source}' if source else ''}", indent="", hang="  "),
        *wrap_line(
            f"{hms(result['duration_s'])} recorded, {sensor_place(result['placement'])}; "
            f"tempo audit: lowering ≥ {target - tol:.1f} s passes (target {target:.1f} s ± {tol:.1f} s)"
        ),
        "",
    ]
    sets = result["sets"]
    if not sets:
        out.append("  No calf-raise reps found. Check that the sensor is on the foot and that the recording")
        out.append("  covers the sets (a few seconds of standing still before the first set helps).")
        return "\n".join(out)
    out.append(
        render_table(
            [
                Col("set"),
                Col("reps"),
                Col("partial", drop=2),
                Col("start"),
                Col("end", drop=3),
                Col("under tension (s)", "{:.1f}"),
                Col("mean lowering (s)", "{:.2f}"),
                Col("tempo pass", "{:.0%}"),
                Col("kind", align="<", drop=1),
            ],
            [
                [
                    s["index"],
                    s["rep_count"],
                    s["partial_rep_count"],
                    hms(s["start_s"]),
                    hms(s["end_s"]),
                    s["time_under_tension_s"],
                    s["mean_eccentric_s"],
                    s["tempo_pass_rate"],
                    "endurance" if s["endurance"] else "strength",
                ]
                for s in sets
            ],
        )
    )
    if show_reps:
        out += [
            "",
            render_table(
                [
                    Col("set"),
                    Col("rep"),
                    Col("start", drop=1),
                    Col("rise (s)", "{:.2f}"),
                    Col("top hold (s)", "{:.2f}", drop=3),
                    Col("lowering (s)", "{:.2f}"),
                    Col("bottom (s)", "{:.2f}", drop=4),
                    Col("pitch (deg)", "{:.0f}", drop=2),
                    Col("tempo", align="<"),
                ],
                [
                    [
                        r["set"],
                        r["index"],
                        hms(r["start_s"]),
                        r["concentric_s"],
                        r["top_hold_s"],
                        r["eccentric_s"],
                        r["bottom_s"],
                        r["excursion_deg"],
                        "ok" if r["eccentric_pass"] else "too fast",
                    ]
                    for r in result["reps"]
                ],
            ),
        ]
    partial = result.get("partial_reps", [])
    rate = tempo["pass_rate"]
    out += [
        "",
        *wrap_line(
            f"{result['rep_count']} reps in {len(sets)} set{'s' if len(sets) != 1 else ''}"
            + (f" (+{len(partial)} partial, not counted)" if partial else "")
            + f"; {rate:.0%} lowered slowly enough; {hms(result['time_under_tension_s'])} under tension."
        ),
    ]
    endurance = {s["index"] for s in sets if s["endurance"]}
    for s in sets:
        if s["index"] in endurance:
            out += wrap_line(
                f"Set {s['index']} is an endurance set: {s['time_under_tension_s']:.0f} s under tension "
                "(the programme asks for 60–90 s); its fast lowering is expected."
            )
    fast = [r for r in result["reps"] if not r["eccentric_pass"] and r["set"] not in endurance]
    if fast:
        out += wrap_line(
            f"{len(fast)} rep{'s' if len(fast) != 1 else ''} lowered in under {target - tol:.1f} s: "
            f"count the lowering ('one-and-two-and-three') or lower the load."
        )
    for r in result.get("incomplete_reps", []):
        out.append(f"  The rep from {r['start_s']:.1f} s was cut by the end of the recording: not counted or scored.")
    return "\n".join(out)
