"""Terminal rendering of a walk or run: summary lines, bouts and the cadence series."""

from __future__ import annotations

import itertools
from typing import Any

from calfload.report._table import Col, render_table
from calfload.report._words import ordinal

#: At most this many cadence-series rows are printed; longer series are thinned evenly.
MAX_SERIES_ROWS = 24


def render_gait_text(result: dict[str, Any], *, source: str = "") -> str:
    """Render the ``calfload analyze`` JSON object of a walk or run as readable text.

    Parameters
    ----------
    result
        The dict of :meth:`calfload.signal._gait.GaitAnalysis.to_dict`.
    source
        The file name(s) shown in the title.

    Returns
    -------
    str
        Summary, bouts (IMU) and the cadence series.
    """
    activity = {"run": "Run", "walk": "Walk"}.get(result["activity"], result["activity"])
    how = "detected" if result.get("activity_detected") else "given"
    out = [f"{activity}{f' — {source}' if source else ''}"]
    where = f"{result['source']}, {result['placement']}" + (f", {result['device']}" if result.get("device") else "")
    out.append(f"  {_duration(result['duration_s'])} recorded ({where}); activity {how}")
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
        distance = result.get("distance_m")
        dist = f" · distance {distance / 1000:.2f} km" if distance else ""
        out.append(f"  speed {result['speed_mps']:.2f} m/s ({_pace(result['speed_mps'])}){dist}")
    device = result.get("device_summary")
    if device and device.get("avg_cadence_spm") is not None:
        total = device.get("total_strides")
        tot = f", {2 * total} steps" if total else ""
        out.append(f"  device says: {device['avg_cadence_spm']:.0f} steps/min{tot}")
    for warning in result.get("warnings", []):
        out.append(f"  ! {warning}")
    bouts = result.get("bouts") or []
    if len(bouts) > 1:
        out += ["", "  bouts"]
        out.append(
            render_table(
                [Col("start s", "{:.1f}"), Col("end s", "{:.1f}"), Col("steps"), Col("cadence spm", "{:.0f}")],
                [[b["start_s"], b["end_s"], b["steps"], b["cadence_spm"]] for b in bouts],
                indent="    ",
            )
        )
    series = result.get("cadence_series") or []
    if series:
        step = max(1, -(-len(series) // MAX_SERIES_ROWS))
        out += ["", f"  cadence every {_window(series)}" + (f" (every {ordinal(step)} row)" if step > 1 else "")]
        out.append(
            render_table(
                [Col("t s", "{:.0f}"), Col("steps/min", "{:.0f}")],
                [[r["t_s"], r["cadence_spm"]] for r in series[::step]],
                indent="    ",
            )
        )
    return "\n".join(out)


def _num(x: float | None, fmt: str) -> str:
    return "–" if x is None else format(x, fmt)


def _duration(seconds: float) -> str:
    minutes, sec = divmod(round(seconds), 60)
    return f"{minutes} min {sec:02d} s" if minutes else f"{sec} s"


def _pace(speed_mps: float) -> str:
    if speed_mps <= 0.2:
        return "standing"
    per_km = 1000.0 / speed_mps
    minutes, sec = divmod(round(per_km), 60)
    return f"{minutes}:{sec:02d} min/km"


def _window(series: list[dict[str, Any]]) -> str:
    if len(series) < 2:
        return "window"
    gap = min(b["t_s"] - a["t_s"] for a, b in itertools.pairwise(series))
    return f"{gap:.0f} s"
