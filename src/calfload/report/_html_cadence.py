"""The cadence section of the walk/run page: cadence over time, and the run's cadence and asymmetry alerts."""

from __future__ import annotations

from collections.abc import Sequence

from calfload.loadmodel._cadence_types import CadenceCheck
from calfload.report._html import card, cards, esc, figure, message, num, table
from calfload.report._plots_gait import cadence_svg
from calfload.signal import GaitAnalysis


def cadence_section(
    result: GaitAnalysis, gaps: Sequence[tuple[float, float]], cadence: CadenceCheck | None
) -> list[str]:
    """The cadence plot (alerts shaded, gaps hatched), or why there is none, then the alerts."""
    activity = result.activity
    out = ["<h2>Cadence over time</h2>"]
    if result.series:
        out.append(
            figure(
                cadence_svg(result, gaps_s=gaps, alerts_s=_alert_spans(cadence)),
                "gait-cadence",
                "Steps per minute of both feet through the "
                f"{activity}, with its median (dashed). Hatched stretches have no data: the line breaks there.",
            )
        )
    else:
        out.append(
            message(
                f"No cadence to plot for this {activity}",
                "No steps were found. Check that the sensor was worn during the walk or run and that the "
                "recording covers it.",
                warn=True,
                key="no-cadence",
            )
        )
    return out + _cadence_alerts(cadence)


def _alert_spans(cadence: CadenceCheck | None) -> list[tuple[float, float]]:
    return [] if cadence is None else [(a.start_s, a.end_s) for a in cadence.alerts]


def _cadence_alerts(cadence: CadenceCheck | None) -> list[str]:
    """Where the cadence fell clearly below the reference, and the retraining target's share."""
    if cadence is None:
        return []
    where = "your usual cadence at that speed" if cadence.reference == "habitual relation" else "the run's first half"
    out = ["<h2>Cadence alerts</h2>"]
    if cadence.reference == "not judged":
        out.append(message("Cadence not judged", "The run is too short for cadence windows.", key="no-cadence-alerts"))
    elif not cadence.alerts:
        out.append(
            message(
                f"No stretch more than {cadence.threshold_pct:g} % below {where}",
                "Judged over the running time at running speed.",
                key="no-cadence-alerts",
            )
        )
    else:
        headers = [("from", True), ("to", True), ("cadence (steps/min)", True), ("expected", True), ("below", True)]
        rows = [
            [
                num(a.start_s, "hms", key=f"cadence_check.alerts.{i}.start_s"),
                num(a.end_s, "hms", key=f"cadence_check.alerts.{i}.end_s"),
                num(a.cadence_spm, "{:.0f}", key=f"cadence_check.alerts.{i}.cadence_spm"),
                num(a.expected_spm, "{:.0f}", key=f"cadence_check.alerts.{i}.expected_spm"),
                num(a.deficit_pct, "{:.1f}", key=f"cadence_check.alerts.{i}.deficit_pct", unit=" %"),
            ]
            for i, a in enumerate(cadence.alerts)
        ]
        out.append(f"<p data-cadence-reference>Compared with {esc(where)} (shaded on the cadence plot).</p>")
        out.append(table(headers, rows, caption="Cadence alerts"))
    out += _asymmetry_alerts(cadence)
    if cadence.target_increase_pct is not None and cadence.target_met_share is not None:
        met = num(cadence.target_met_share, "%", key="cadence_check.target_met_share")
        out.append(
            cards([card(f"Cadence target +{cadence.target_increase_pct:g} %", met, "of the judged time met it")])
        )
    return out


def _asymmetry_alerts(cadence: CadenceCheck) -> list[str]:
    """Left/right shares beyond the limit (loadmodel._asymmetry), one message each."""
    return [
        message(
            f"Left/right {a.measure}: {a.longer_side} foot "
            f"{(a.left_share_pct if a.longer_side == 'left' else 100.0 - a.left_share_pct):.1f} %",
            a.describe(),
            warn=True,
            key=f"asymmetry-{i}",
        )
        for i, a in enumerate(cadence.asymmetry)
    ]


__all__ = ["cadence_section"]
