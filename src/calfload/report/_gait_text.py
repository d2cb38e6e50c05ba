"""Terminal rendering of a walk or run: summary lines, bouts and the cadence series."""

from __future__ import annotations

import itertools
from typing import Any

from calfload.report._table import Col, render_table, wrap_line
from calfload.report._words import ordinal
from calfload.units import UnitSystem, distance, hms, pace

#: At most this many cadence-series rows are printed; longer series are thinned evenly.
MAX_SERIES_ROWS = 24


def render_gait_text(result: dict[str, Any], *, source: str = "", units: UnitSystem = "metric") -> str:
    """Render the ``calfload analyze`` JSON object of a walk or run as readable text.

    Parameters
    ----------
    result
        The dict of :meth:`calfload.signal._gait.GaitAnalysis.to_dict`.
    source
        The file name(s) shown in the title.
    units
        Distance and pace in km or miles.

    Returns
    -------
    str
        Summary, bouts (IMU) and the cadence series.
    """
    activity = {"run": "Run", "walk": "Walk"}.get(result["activity"], result["activity"])
    how = "detected" if result.get("activity_detected") else "given"
    out = wrap_line(f"{activity}{f' — {source}' if source else ''}", indent="", hang="  ")
    where = f"{result['source']}, {result['placement']}" + (f", {result['device']}" if result.get("device") else "")
    out += wrap_line(f"{hms(result['duration_s'])} recorded ({where}); activity {how}")
    cadence = result["cadence_spm"]
    steps = f"  steps {'unknown' if result['steps'] is None else result['steps']}"
    if result.get("steps_doubled_from_one_foot"):
        steps += f" (one foot: {result['strides'][0]} strides doubled)"
    elif result.get("strides") and len(result["strides"]) == 2:
        steps += f" (left + right: {result['strides'][0]} + {result['strides'][1]} strides)"
    elif result.get("steps_source"):
        steps += f" ({result['steps_source']})"
    out.append(steps)
    out.append(f"  cadence mean {_num(cadence['mean'], '.0f')} · median {_num(cadence['median'], '.0f')} steps/min")
    if cadence.get("moving") is not None and cadence.get("device_average") is not None:
        out.append(
            f"  cadence while moving {cadence['moving']:.0f} steps/min "
            f"(the device's average: {cadence['device_average']:.0f})"
        )
    gct = result["ground_contact_ms"]["median"]
    if gct is not None:
        duty = result.get("duty_factor")
        out.append(f"  ground contact median {gct:.0f} ms" + (f" (duty factor {duty:.2f})" if duty else ""))
    feet = result.get("both_feet")
    if feet and feet.get("contact_balance_left_pct") is not None:
        out.append(
            f"  left / right contact {feet['contact_left_ms']:.0f} / {feet['contact_right_ms']:.0f} ms "
            f"(balance L {feet['contact_balance_left_pct']:.1f} %)"
        )
    if feet and feet.get("step_time_asymmetry_pct") is not None:
        out.append(
            f"  step time ending left / right {feet['step_time_left_ms']:.0f} / {feet['step_time_right_ms']:.0f} ms "
            f"(asymmetry {feet['step_time_asymmetry_pct']:.1f} %)"
        )
    if result.get("speed_mps") is not None:
        dist = f" · distance {distance(metres / 1000, units)}" if (metres := result.get("distance_m")) else ""
        out.append(f"  speed {result['speed_mps']:.2f} m/s ({_pace(result['speed_mps'], units)}){dist}")
    device = result.get("device_summary")
    if device and device.get("avg_cadence_spm") is not None:
        total = device.get("total_strides")
        tot = f", {2 * total} steps" if total else ""
        out.append(f"  device says: {device['avg_cadence_spm']:.0f} steps/min{tot}")
    for warning in result.get("warnings", []):
        out += wrap_line(warning, indent="  ! ", hang="    ")
    bouts = result.get("bouts") or []
    if len(bouts) > 1:
        out += ["", "  bouts"]
        out.append(
            render_table(
                [Col("start"), Col("end"), Col("steps"), Col("cadence spm", "{:.0f}")],
                [[hms(b["start_s"]), hms(b["end_s"]), b["steps"], b["cadence_spm"]] for b in bouts],
                indent="    ",
            )
        )
    series = result.get("cadence_series") or []
    if series:
        step = max(1, -(-len(series) // MAX_SERIES_ROWS))
        out += ["", f"  cadence every {_window(series)}" + (f" (every {ordinal(step)} row)" if step > 1 else "")]
        out.append(
            render_table(
                [Col("time"), Col("steps/min", "{:.0f}")],
                [[hms(r["t_s"]), r["cadence_spm"]] for r in series[::step]],
                indent="    ",
            )
        )
    return "\n".join(out)


def _num(x: float | None, fmt: str) -> str:
    return "–" if x is None else format(x, fmt)


def _pace(speed_mps: float, units: UnitSystem) -> str:
    if speed_mps <= 0.2:
        return "standing"
    return pace(1000.0 / speed_mps, units)


def _window(series: list[dict[str, Any]]) -> str:
    if len(series) < 2:
        return "window"
    gap = min(b["t_s"] - a["t_s"] for a, b in itertools.pairwise(series))
    return f"{gap:.0f} s"
