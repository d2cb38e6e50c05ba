"""Terminal rendering of a walk or run: summary lines, bouts (walk, run, stand, ...) and the cadence series."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from calfload.report._table import Col, render_table, wrap_line
from calfload.report._words import ordinal
from calfload.units import UnitSystem, distance, hms, pace

if TYPE_CHECKING:
    from calfload.signal import GaitAnalysis
    from calfload.signal._bouts_types import Bout

#: At most this many cadence-series rows are printed; longer series are thinned evenly.
MAX_SERIES_ROWS = 24


def render_gait_text(result: GaitAnalysis, *, source: str = "", units: UnitSystem = "metric") -> str:
    """Render a walk or run as readable text.

    Parameters
    ----------
    result
        The walk or run analysis (:func:`calfload.signal.analyze`).
    source
        The file name(s) shown in the title.
    units
        Distance and pace in km or miles.

    Returns
    -------
    str
        Summary, bouts (IMU) and the cadence series.
    """
    activity = {"run": "Run", "walk": "Walk"}.get(result.activity, result.activity)
    how = "detected" if result.activity_detected else "given"
    out = wrap_line(f"{activity}{f' — {source}' if source else ''}", indent="", hang="  ")
    where = f"{result.source}, {result.placement}" + (f", {result.device}" if result.device else "")
    out += wrap_line(f"{hms(round(result.duration_s, 2))} recorded ({where}); activity {how}")
    out += _step_lines(result)
    out += _contact_lines(result)
    speed_mps = _r(result.speed_mps, 2)
    if speed_mps is not None:
        dist = f" · distance {distance(metres / 1000, units)}" if (metres := _r(result.distance_m, 1)) else ""
        out.append(f"  speed {speed_mps:.2f} m/s ({_pace(speed_mps, units)}){dist}{_speed_source(result)}")
    out += _stride_lines(result)
    device = None if result.footpod is None else result.footpod.device_summary
    if device is not None and device.avg_cadence_spm is not None:
        total = device.total_strides
        tot = f", {2 * total} steps" if total else ""
        out.append(f"  device says: {device.avg_cadence_spm:.0f} steps/min{tot}")
    for warning in result.warnings:
        out += wrap_line(warning, indent="  ! ", hang="    ")
    return "\n".join(out + _tables(result, units))


def _speed_source(result: GaitAnalysis) -> str:
    """Where speed and distance came from, when the foot IMU measured them."""
    return " (from the foot IMU's strides)" if result.speed_source == "imu_zupt" else ""


def _stride_lines(result: GaitAnalysis) -> list[str]:
    """The foot-IMU stride length, its spread and the strides left out."""
    z = result.stride_lengths
    if z is None:
        return []
    low, high = (round(x, 3) for x in z.stride_length_iqr_m)
    left_out = f", {z.left_out} left out" if z.left_out else ""
    line = f"stride length {round(z.stride_length_median_m, 3):.2f} m (middle half {low:.2f}-{high:.2f} m; "
    return wrap_line(line + f"{z.strides} strides{left_out})", indent="  ", hang="    ")


def _r(x: float | None, digits: int) -> float | None:
    """``x`` rounded as ``analyze --json`` prints it (None when unknown), so the text and the JSON agree."""
    return None if x is None or not math.isfinite(x) else round(x, digits)


def _step_lines(result: GaitAnalysis) -> list[str]:
    """Steps (and where they came from) and the cadence."""
    steps = f"  steps {'unknown' if result.steps is None else result.steps}"
    strides = result.strides
    if result.steps_doubled_from_one_foot and strides:
        steps += f" (one foot: {strides[0]} strides doubled)"
    elif strides and len(strides) == 2:
        steps += f" (left + right: {strides[0]} + {strides[1]} strides)"
    elif result.footpod is not None and result.footpod.steps_source:
        steps += f" ({result.footpod.steps_source})"
    mean, median = _r(result.cadence_mean_spm, 1), _r(result.cadence_median_spm, 1)
    out = [steps, f"  cadence mean {_num(mean, '.0f')} · median {_num(median, '.0f')} steps/min"]
    footpod = result.footpod
    moving = None if footpod is None else footpod.cadence_mean_from_records_spm
    device = None if footpod is None or footpod.device_summary is None else footpod.device_summary.avg_cadence_spm
    if moving is not None and device is not None:
        out.append(f"  cadence while moving {moving:.0f} steps/min (the device's average: {device:.0f})")
    return out


def _contact_lines(result: GaitAnalysis) -> list[str]:
    """Ground contact, and the left / right balance of a two-feet recording."""
    out = []
    gct = _r(result.ground_contact_median_ms, 0)
    if gct is not None:
        duty = None if result.imu is None else result.imu.duty_factor
        out.append(f"  ground contact median {gct:.0f} ms" + (f" (duty factor {duty:.2f})" if duty else ""))
    feet = result.both_feet
    if feet is not None and feet.contact_balance_left_pct is not None:
        out.append(
            f"  left / right contact {feet.contact_left_ms:.0f} / {feet.contact_right_ms:.0f} ms "
            f"(balance L {feet.contact_balance_left_pct:.1f} %)"
        )
    if feet is not None and feet.step_time_asymmetry_pct is not None:
        out.append(
            f"  step time ending left / right {feet.step_time_left_ms:.0f} / {feet.step_time_right_ms:.0f} ms "
            f"(asymmetry {feet.step_time_asymmetry_pct:.1f} %)"
        )
    return out


def _tables(result: GaitAnalysis, units: UnitSystem) -> list[str]:
    """The bouts (when more than one) and the cadence series, thinned to :data:`MAX_SERIES_ROWS` rows."""
    out: list[str] = []
    bouts = result.bouts
    if len(result.segments) > 1:
        out += ["", "  bouts"]
        out.append(_segment_table(result.segments, units))
    elif len(bouts) > 1 and not result.segments:
        out += ["", "  bouts"]
        out.append(
            render_table(
                [Col("start"), Col("end"), Col("steps"), Col("cadence spm", "{:.0f}")],
                [[hms(round(b.start_s, 2)), hms(round(b.end_s, 2)), b.steps, _r(b.cadence_spm, 2)] for b in bouts],
                indent="    ",
            )
        )
    series = [(round(t, 1), round(c, 1)) for t, c in result.series]
    if series:
        step = max(1, -(-len(series) // MAX_SERIES_ROWS))
        out += ["", f"  cadence every {_window(series)}" + (f" (every {ordinal(step)} row)" if step > 1 else "")]
        out.append(
            render_table(
                [Col("time"), Col("steps/min", "{:.0f}")],
                [[hms(t), c] for t, c in series[::step]],
                indent="    ",
            )
        )
    return out


def _segment_table(segments: tuple[Bout, ...], units: UnitSystem) -> str:
    """One row per bout: activity, part, start, duration, steps, cadence, contact (and pace where known)."""
    cols = [
        Col("bout", align="<"),
        Col("part", align="<"),
        Col("start"),
        Col("time"),
        Col("steps"),
        Col("spm", "{:.0f}"),
        Col("contact ms", "{:.0f}", drop=2),
        Col("pace", drop=1),
    ]
    rows = [
        [
            b.activity.replace("_", " "),
            b.part or "",
            hms(round(b.start_s, 2)),
            hms(round(round(b.end_s, 2) - round(b.start_s, 2), 2)),
            b.steps,
            _r(b.cadence_median_spm, 1),
            _r(b.ground_contact_median_ms, 0),
            None if (speed := _r(b.speed_mps, 2)) is None else _pace(speed, units),
        ]
        for b in segments
    ]
    if all(row[-1] is None for row in rows):
        cols, rows = cols[:-1], [row[:-1] for row in rows]
    return render_table(cols, rows, indent="    ")


def _num(x: float | None, fmt: str) -> str:
    return "–" if x is None else format(x, fmt)


def _pace(speed_mps: float, units: UnitSystem) -> str:
    if speed_mps <= 0.2:
        return "standing"
    return pace(1000.0 / speed_mps, units)


def _window(series: list[tuple[float, float]]) -> str:
    if len(series) < 2:
        return "window"
    gap = min(b[0] - a[0] for a, b in itertools.pairwise(series))
    return f"{gap:.0f} s"
