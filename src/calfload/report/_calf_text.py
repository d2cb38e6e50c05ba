"""Terminal rendering of a calf-raise analysis: a set table, a rep table and the tempo verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from calfload.report._table import Col, render_table, wrap_line
from calfload.report._words import sensor_place
from calfload.units import hms

if TYPE_CHECKING:
    from calfload.signal import CalfRaiseAnalysis, CalfRep, CalfSet


def _r(value: float, digits: int = 3) -> float:
    """``value`` rounded as ``analyze --json`` prints it, so the text and the JSON never disagree."""
    return round(value, digits)


def render_calf_text(result: CalfRaiseAnalysis, *, source: str = "", show_reps: bool = True) -> str:
    """Render a calf-raise analysis as aligned tables.

    Parameters
    ----------
    result
        The calf-raise analysis (:func:`calfload.signal.analyze`).
    source
        The file name shown in the title.
    show_reps
        Also print one line per rep.
    """
    target, tol = result.params.target_eccentric_s, result.params.tolerance_s
    out = [
        *wrap_line(f"Calf raises{f' — {source}' if source else ''}", indent="", hang="  "),
        *wrap_line(
            f"{hms(_r(result.duration_s, 2))} recorded, {sensor_place(result.placement)}; "
            f"tempo audit: lowering ≥ {target - tol:.1f} s passes (target {target:.1f} s ± {tol:.1f} s)"
        ),
        "",
    ]
    sets = result.sets
    if not sets:
        out.append("  No calf-raise reps found. Check that the sensor is on the foot and that the recording")
        out.append("  covers the sets (a few seconds of standing still before the first set helps).")
        return "\n".join(out)
    out.append(_set_table(sets))
    if show_reps:
        out += ["", _rep_table(result.reps)]
    partial = result.partial_reps
    rate = result.pass_rate
    tension_s = _r(sum(s.time_under_tension_s for s in sets), 2)
    out += [
        "",
        *wrap_line(
            f"{result.rep_count} reps in {len(sets)} set{'s' if len(sets) != 1 else ''}"
            + (f" (+{len(partial)} partial, not counted)" if partial else "")
            + f"; {_r(rate or 0.0):.0%} lowered slowly enough; {hms(tension_s)} under tension."
        ),
    ]
    endurance = {s.index for s in sets if s.endurance}
    for s in sets:
        if s.index in endurance:
            out += wrap_line(
                f"Set {s.index} is an endurance set: {_r(s.time_under_tension_s):.0f} s under tension "
                "(the programme asks for 60–90 s); its fast lowering is expected."
            )
    fast = [r for r in result.reps if not r.eccentric_pass and r.set not in endurance]
    if fast:
        out += wrap_line(
            f"{len(fast)} rep{'s' if len(fast) != 1 else ''} lowered in under {target - tol:.1f} s: "
            f"count the lowering ('one-and-two-and-three') or lower the load."
        )
    for r in result.incomplete_reps:
        cut = f"The rep from {_r(r.start_s):.1f} s was cut by the end of the recording: not counted or scored."
        out += wrap_line(cut)
    return "\n".join(out)


def _set_table(sets: tuple[CalfSet, ...]) -> str:
    """One row per set."""
    return render_table(
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
                s.index,
                s.rep_count,
                s.partial_rep_count,
                hms(_r(s.start_s)),
                hms(_r(s.end_s)),
                _r(s.time_under_tension_s),
                _r(s.mean_eccentric_s),
                _r(s.tempo_pass_rate),
                "endurance" if s.endurance else "strength",
            ]
            for s in sets
        ],
    )


def _rep_table(reps: tuple[CalfRep, ...]) -> str:
    """One row per counted rep."""
    return render_table(
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
                r.set,
                r.index,
                hms(_r(r.start_s)),
                _r(r.concentric_s),
                _r(r.top_hold_s),
                _r(r.eccentric_s),
                None if r.bottom_s is None else _r(r.bottom_s),
                _r(r.excursion_deg),
                "ok" if r.eccentric_pass else "too fast",
            ]
            for r in reps
        ],
    )
