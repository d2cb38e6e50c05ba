"""The hop page: how many hops, how long on the ground, and did contacts lengthen with fatigue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from calfload._logger import package_logger
from calfload.report._html import card, cards, esc, figure, message, num, page, pill, table
from calfload.report._plots_hops import hop_times_svg
from calfload.signal import HopAnalysis, HopSet
from calfload.units import hms

logger = package_logger(__name__)


def render_hops_html(
    result: HopAnalysis, *, data: Mapping[str, object] | None = None, source: str = "", recorded: str = ""
) -> str:
    """The HTML report of one hop session.

    Parameters
    ----------
    result
        The analysis of the session.
    data
        The page's source object (default: ``result.to_dict()``, the ``calfload analyze --json``
        object); the tagged numbers point into it.
    source, recorded
        The recording's name and date, for the heading.

    Returns
    -------
    str
        A self-contained HTML document.
    """
    sets, contacts = result.sets, result.contacts
    timed = [c.contact_ms for c in contacts if c.contact_ms is not None]
    mean_contact = sum(timed) / len(timed) if timed else None
    body = [
        cards(
            [
                card("Hops", num(result.hops, "{:d}", key="hops")),
                card("Sets", num(len(sets), "{:d}")),
                card("Mean ground contact", num(mean_contact, "{:.0f}", unit="ms"), "all timed contacts"),
                card("Duration", num(result.duration_s, "hms", key="duration_s")),
            ]
        ),
        "<h2>Contact and flight time, hop by hop</h2>",
    ]
    if contacts:
        body.append(
            figure(
                hop_times_svg(result),
                "hops-times",
                "Bars: time on the ground after each landing (the last landing of a set ends standing and has "
                "none). Diamonds: the flight before the landing. Lengthening contacts within a set are a sign of "
                "fatigue.",
            )
        )
        body += ["<h2>Sets</h2>", _set_table(sets)]
    else:
        body.append(
            message(
                "No hops found in this recording",
                "Check that the sensor was on the foot or shank during the hops; `calfload analyze FILE --activity "
                "hops` lists what was found.",
                warn=True,
                key="no-hops",
            )
        )
    subtitle = " · ".join(x for x in (source, recorded, f"{hms(result.duration_s)} recorded") if x)
    return page(
        kind="hops_session", title="Hops", subtitle=subtitle, body=body, data=result.to_dict() if data is None else data
    )


def _set_table(sets: Sequence[HopSet]) -> str:
    headers = [
        ("set", True),
        ("hops", True),
        ("start (s)", True),
        ("end (s)", True),
        ("mean contact (ms)", True),
        ("mean flight (ms)", True),
        ("contact change", True),
        ("fatigue", False),
    ]
    rows = [
        [
            num(s.index, "{:d}"),
            num(s.hops, "{:d}", key=f"sets.{i}.hops"),
            num(s.start_s, "{:.1f}", key=f"sets.{i}.start_s"),
            num(s.end_s, "{:.1f}", key=f"sets.{i}.end_s"),
            num(s.mean_contact_ms, "{:.0f}", key=f"sets.{i}.mean_contact_ms"),
            num(s.mean_flight_ms, "{:.0f}", key=f"sets.{i}.mean_flight_ms"),
            num(s.contact_change_pct, "{:+.0f}", key=f"sets.{i}.contact_change_pct", unit=" %"),
            pill("contacts lengthened", "bad") if s.fatigue else esc("–"),
        ]
        for i, s in enumerate(sets)
    ]
    return table(headers, rows, caption="Sets")


__all__ = ["render_hops_html"]
