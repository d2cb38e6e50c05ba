"""The walk/run page a runner reads: time, distance, pace, cadence, and what the sensors add.

Durations read ``h:mm:ss``, distances km (or miles) and pace min/km (or min/mi). Beside cadence it
plots pace, heart rate, ground contact and power where the data have them, and it says which it
could not show rather than drawing empty axes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from calfload._logger import package_logger
from calfload.loadmodel._cadence_types import CadenceCheck
from calfload.report._html import card, cards, esc, figure, message, num, page, table
from calfload.report._html_cadence import cadence_section
from calfload.report._plots_gait import TRACK_STYLE, all_gaps, dynamics_svg
from calfload.report._run_tracks import Track
from calfload.signal import GaitAnalysis
from calfload.signal._heart_rate import HeartRateSummary
from calfload.units import UnitSystem, distance_unit, hms, pace

logger = package_logger(__name__)

#: Lap figures shown when any lap has them: (header, RunLap field).
_LAP_FIGURES = (
    ("heart rate (beats/min)", "heart_rate_bpm"),
    ("cadence (steps/min)", "cadence_spm"),
    ("power (W)", "power_w"),
    ("ground contact (ms)", "ground_contact_ms"),
)
_SOURCES = {
    "imu": "IMU (steps and contacts from the sensor's motion)",
    "footpod": "foot pod (the device's own cadence and speed)",
    "fit": "FIT file (the watch's or foot pod's own cadence and speed)",
}


def render_gait_html(
    result: GaitAnalysis,
    *,
    data: Mapping[str, object] | None = None,
    source: str = "",
    recorded: str = "",
    gaps_s: Sequence[tuple[float, float]] | None = None,
    tracks: Sequence[Track] = (),
    heart_rate: HeartRateSummary | None = None,
    units: UnitSystem = "metric",
    cadence: CadenceCheck | None = None,
) -> str:
    """The HTML report of one walk or run.

    Parameters
    ----------
    result
        The analysis of the walk or run.
    data
        The page's source object (default: ``result.to_dict()``, the ``calfload analyze --json``
        object); the tagged numbers point into it, so with ``heart_rate`` it must hold ``heart_rate``.
    source
        The recording's name, for the heading.
    recorded
        When it was recorded (free text), for the heading.
    gaps_s
        Stretches ``(start_s, end_s)`` the recording has no data for (from its timestamps); without
        them, the jumps in the cadence series stand in.
    tracks
        Pace, heart rate, ground contact and power over the run (:func:`run_tracks`), where the
        session's streams have them.
    heart_rate
        The session's heart-rate summary, if a heart-rate stream covers it.
    units
        ``metric`` (km, min/km) or ``imperial`` (miles, min/mi).
    cadence
        The run's cadence alerts; with them ``data`` must hold ``cadence_check``.

    Returns
    -------
    str
        A self-contained HTML document.
    """
    activity = result.activity
    gaps = list(gaps_s) if gaps_s is not None else all_gaps(result)
    body = [_summary(result, tracks, heart_rate, units), _device(result)]
    body += cadence_section(result, gaps, cadence)
    body += _dynamics(result, tracks, gaps, units)
    body += _laps(result, units)
    body += _balance(result)
    body += _gaps_note(activity, gaps)
    body += _bouts(result, units)
    if result.warnings:
        items = "".join(f"<li data-warning>{esc(w)}</li>" for w in result.warnings)
        body.append(f"<h2>Checks</h2><ul>{items}</ul>")
    subtitle = " · ".join(x for x in (source, recorded, f"{hms(result.duration_s)} recorded") if x)
    title = "Run" if activity == "run" else ("Walk" if activity == "walk" else activity.capitalize())
    source_object = result.to_dict() if data is None else data
    return page(kind="gait_session", title=title, subtitle=subtitle, body=body, data=source_object)


def _gaps_note(activity: str, gaps: Sequence[tuple[float, float]]) -> list[str]:
    """How many stretches have no data, and what that means for the figures."""
    if not gaps:
        return []
    lost = sum(b - a for a, b in gaps)
    return [
        message(
            f"This {activity} has {len(gaps)} stretch{'es' if len(gaps) != 1 else ''} without data "
            f"({lost:.0f} s in all)",
            "Cadence and steps there are unknown; the figures above count only the time with data.",
            warn=True,
            key="gaps",
        )
    ]


def _bouts(result: GaitAnalysis, units: UnitSystem) -> list[str]:
    """The walking, running and standing parts, or the device's bouts (none for one steady bout)."""
    if len(result.segments) > 1:
        return ["<h2>Bouts</h2>", _segment_table(result, units)]
    if result.bouts and not result.segments:
        return ["<h2>Bouts</h2>", _bout_table(result)]
    return []


def _summary(
    result: GaitAnalysis, tracks: Sequence[Track], heart_rate: HeartRateSummary | None, units: UnitSystem
) -> str:
    contact = result.ground_contact_median_ms
    items = [
        card("Duration", num(result.duration_s, "hms", key="duration_s"), _moving_note(result)),
        card("Steps", num(result.steps, "{:d}", key="steps"), _steps_note(result)),
        card(
            "Median cadence",
            num(result.cadence_median_spm, "{:.0f}", key="cadence_spm.median", unit="steps/min"),
            "" if result.cadence_mean_spm is None else f"mean {result.cadence_mean_spm:.0f} steps/min",
        ),
        card(
            "Ground contact",
            num(contact, "{:.0f}", key="ground_contact_ms.median", unit="ms"),
            "median of one foot" if contact is not None else "not measured by this sensor",
        ),
    ]
    if result.distance_m is not None:
        per_m, unit = distance_unit(units)
        items.insert(1, card("Distance", num(result.distance_m, "{:.2f}", key="distance_m", unit=unit, scale=per_m)))
    dyn = result.dynamics
    speed = result.speed_mps if result.speed_mps is not None else (None if dyn is None else dyn.speed_mean_mps)
    if speed is not None and speed > 0:
        per_km = pace(1000.0 / speed, units)
        items.insert(2, card("Pace", f'<span class="num">{esc(per_km)}</span>', f"{speed:.2f} m/s while moving"))
    if heart_rate is not None:
        items.append(
            card(
                "Heart rate",
                num(heart_rate.mean_bpm, "{:.0f}", key="heart_rate.mean_bpm", unit="beats/min"),
                f"max {heart_rate.max_bpm:.0f} beats/min",
            )
        )
    elif dyn is not None and dyn.heart_rate_mean_bpm is not None:
        key = "running_dynamics.heart_rate_mean_bpm"
        top = "" if dyn.heart_rate_max_bpm is None else f"max {dyn.heart_rate_max_bpm:.0f} beats/min"
        items.append(card("Heart rate", num(dyn.heart_rate_mean_bpm, "{:.0f}", key=key, unit="beats/min"), top))
    if dyn is not None and dyn.power_mean_w is not None:
        key = "running_dynamics.power_mean_w"
        items.append(card("Power", num(dyn.power_mean_w, "{:.0f}", key=key, unit="W"), "mean while moving"))
    else:
        power = next((t.mean for t in tracks if t.name == "power"), None)
        if power is not None:
            items.append(card("Power", num(power, "{:.0f}", unit="W"), "mean of the device's records"))
    return cards(items)


def _laps(result: GaitAnalysis, units: UnitSystem) -> list[str]:
    """The device's laps: time, distance, pace and what else each lap summary holds."""
    laps = () if result.dynamics is None else result.dynamics.laps
    if not laps:
        return []
    per_m, unit = distance_unit(units)
    optional = [(header, name) for header, name in _LAP_FIGURES if any(getattr(lap, name) is not None for lap in laps)]
    headers = [("lap", True), ("start", True), ("time", True), (f"distance ({unit})", True)]
    headers += [(f"pace (min/{unit})", True), *((header, True) for header, _ in optional)]
    rows = []
    for i, lap in enumerate(laps):
        k = f"running_dynamics.laps.{i}"
        row = [
            num(lap.index, "{:d}"),
            num(lap.start_s, "hms", key=f"{k}.start_s"),
            num(lap.timer_s, "hms", key=f"{k}.timer_s"),
            num(lap.distance_m, "{:.2f}", key=f"{k}.distance_m", scale=per_m),
            esc(_lap_pace(lap.speed_mps, units)),
        ]
        row += [num(getattr(lap, name), "{:.0f}", key=f"{k}.{name}") for _, name in optional]
        rows.append(row)
    return ["<h2>Laps</h2>", table(headers, rows, caption="Laps")]


def _lap_pace(speed_mps: float | None, units: UnitSystem) -> str:
    if speed_mps is None or speed_mps <= 0:
        return "–"
    return pace(1000.0 / speed_mps, units).split(" ")[0]


def _balance(result: GaitAnalysis) -> list[str]:
    """Left and right: from two foot sensors, or the balance a FIT file reports."""
    feet = result.both_feet
    if feet is not None:
        headers = [("", False), ("left", True), ("right", True)]
        rows = [
            [esc("strides"), num(feet.strides_left, "{:d}", key="both_feet.strides_left"),
             num(feet.strides_right, "{:d}", key="both_feet.strides_right")],
            [esc("ground contact (ms)"), num(feet.contact_left_ms, "{:.0f}", key="both_feet.contact_left_ms"),
             num(feet.contact_right_ms, "{:.0f}", key="both_feet.contact_right_ms")],
            [esc("step time (ms)"), num(feet.step_time_left_ms, "{:.0f}", key="both_feet.step_time_left_ms"),
             num(feet.step_time_right_ms, "{:.0f}", key="both_feet.step_time_right_ms")],
        ]  # fmt: skip
        items = [
            card(
                "Ground-contact balance",
                num(feet.contact_balance_left_pct, "{:.1f}", key="both_feet.contact_balance_left_pct", unit="% left"),
                "50 % is symmetric",
            ),
            card(
                "Step-time asymmetry",
                num(feet.step_time_asymmetry_pct, "{:.1f}", key="both_feet.step_time_asymmetry_pct", unit="%"),
                "0 % is symmetric",
            ),
        ]
        return ["<h2>Left and right</h2>", cards(items), table(headers, rows, caption="Left and right")]
    balance = None if result.dynamics is None else result.dynamics.contact_balance_left_pct
    if balance is None:
        return []
    key = "running_dynamics.contact_balance_left_pct"
    item = card(
        "Ground-contact balance", num(balance, "{:.1f}", key=key, unit="% left"), "from the device; 50 % is symmetric"
    )
    return ["<h2>Left and right</h2>", cards([item])]


def _moving_note(result: GaitAnalysis) -> str:
    if result.footpod is None or result.footpod.moving_s <= 0:
        return ""
    return f"{hms(result.footpod.moving_s)} moving"


def _steps_note(result: GaitAnalysis) -> str:
    if result.steps_doubled_from_one_foot:
        return "one foot's strides doubled"
    if result.steps is None:
        return "this file records no cadence"
    return ""


def _dynamics(
    result: GaitAnalysis, tracks: Sequence[Track], gaps: Sequence[tuple[float, float]], units: UnitSystem
) -> list[str]:
    """The pace / heart rate / contact / power plot, and which of them the data do not have."""
    if not tracks:
        return []
    shown = ", ".join(TRACK_STYLE[t.name][0].lower() for t in tracks)
    missing = [TRACK_STYLE[name][0].lower() for name in TRACK_STYLE if name not in {t.name for t in tracks}]
    caption = (
        f"{shown.capitalize()} through the {result.activity}, each averaged over 10 s"
        + (" (pace: faster upwards)" if any(t.name == "pace" for t in tracks) else "")
        + ". "
        + (f"This recording has no {_joined(missing)}." if missing else "")
    )
    plot = dynamics_svg(tracks, duration_s=result.duration_s, gaps_s=gaps, system=units)
    return [f"<h2>{esc(shown.capitalize())}</h2>", figure(plot, "gait-dynamics", caption.strip())]


def _joined(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _device(result: GaitAnalysis) -> str:
    rows = [
        ("Device", esc(result.device or "unknown")),
        ("Data", esc(_SOURCES.get(result.source, result.source or "unknown"))),
        ("Worn on", esc(result.placement or "unknown")),
    ]
    if result.strides:
        strides = " / ".join(num(s, "{:d}", key=f"strides.{i}") for i, s in enumerate(result.strides))
        rows.append(("Strides per foot", strides))
    if result.activity_detected:
        rows.append(("Activity", f"{esc(result.activity)} (detected from the data)"))
    return (
        '<h2>Sensor</h2><dl class="device" data-device>'
        + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in rows)
        + "</dl>"
    )


def _bout_table(result: GaitAnalysis) -> str:
    headers = [("start", True), ("end", True), ("steps", True), ("cadence (steps/min)", True)]
    rows = [
        [
            num(b.start_s, "hms", key=f"bouts.{i}.start_s"),
            num(b.end_s, "hms", key=f"bouts.{i}.end_s"),
            num(b.steps, "{:d}", key=f"bouts.{i}.steps"),
            num(b.cadence_spm, "{:.0f}", key=f"bouts.{i}.cadence_spm"),
        ]
        for i, b in enumerate(result.bouts)
    ]
    return table(headers, rows, caption="Bouts")


def _segment_table(result: GaitAnalysis, units: UnitSystem) -> str:
    """Walking, running and standing bouts, with the warm-up, intervals, recoveries and cool-down.

    Distance and pace of each bout where the data give them (a foot IMU's strides, a foot pod's
    speed), so a runner reads each interval's pace as in the laps table.
    """
    per_m, unit = distance_unit(units)
    moving = any(b.speed_mps is not None or b.distance_m is not None for b in result.segments)
    headers = [("bout", False), ("part", False), ("start", True), ("time", True), ("steps", True)]
    headers += [("cadence (steps/min)", True), ("ground contact (ms)", True)]
    headers += [(f"distance ({unit})", True), (f"pace (min/{unit})", True)] if moving else []
    rows = []
    for i, b in enumerate(result.segments):
        k = f"segments.{i}"
        row = [
            esc(b.activity.replace("_", " ")),
            esc(b.part or ""),
            num(b.start_s, "hms", key=f"{k}.start_s"),
            num(b.duration_s, "hms", key=f"{k}.duration_s"),
            num(b.steps, "{:d}", key=f"{k}.steps"),
            num(b.cadence_median_spm, "{:.0f}", key=f"{k}.cadence_median_spm"),
            num(b.ground_contact_median_ms, "{:.0f}", key=f"{k}.ground_contact_median_ms"),
        ]
        if moving:
            row += [num(b.distance_m, "{:.2f}", key=f"{k}.distance_m", scale=per_m), esc(_lap_pace(b.speed_mps, units))]
        rows.append(row)
    return table(headers, rows, caption="Bouts")


__all__ = ["render_gait_html"]
