"""The triage list (``calfload roster``) as text, as JSON-ready rows and as a self-contained HTML page."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Final

from calfload.loadmodel._roster import RosterRow
from calfload.report._html import esc, page
from calfload.units import UnitSystem, in_units

#: How each flag is written for people.
FLAG_WORDS: Final = {"back_off": "BACK OFF", "hold": "hold", "progress": "progress"}


def roster_record(row: RosterRow) -> dict[str, object]:
    """One row of ``roster --json``."""
    pain = row.morning_pain
    return {
        "name": row.name,
        "flag": row.flag,
        "reason": row.reason,
        "rule": row.rule,
        "days_since_last_session": row.days_since_last_session,
        "days_since_last_entry": row.days_since_last_entry,
        "stopped_logging": row.stopped_logging,
        "adherence": {"sessions": row.adherence.sessions, "target": row.adherence.target},
        "morning_pain_trend": {
            "last_7d_mean": pain.last_7d_mean,
            "previous_7d_mean": pain.previous_7d_mean,
            "direction": pain.direction,
        },
        "heel_rise_lsi": row.heel_rise_lsi_pct,
        "heel_rise_date": None if row.heel_rise_date is None else row.heel_rise_date.isoformat(),
    }


def _since(row: RosterRow) -> str:
    return "never" if row.days_since_last_session is None else f"{row.days_since_last_session} d"


def _pain(row: RosterRow) -> str:
    p = row.morning_pain
    if p.last_7d_mean is None:
        return "–"
    return f"{p.last_7d_mean:g}" + (f" {p.direction}" if p.direction else "")


def _lsi(row: RosterRow) -> str:
    return "–" if row.heel_rise_lsi_pct is None else f"{row.heel_rise_lsi_pct:.0f} %"


def render_roster_text(rows: Sequence[RosterRow], day_iso: str, *, units: UnitSystem = "metric") -> str:
    """The terminal list: one line of figures per athlete and the deciding reason (in ``units``) under it."""
    head = f"{'#':>2}  {'athlete':<18} {'flag':<9} {'last':>6} {'sessions':>9} {'morning':>12} {'LSI':>5}"
    lines = [f"Roster for {day_iso} (sessions: 14 days / target; morning pain: 7-day mean)", head]
    for i, row in enumerate(rows, 1):
        adherence = f"{row.adherence.sessions}/{row.adherence.target}"
        name = row.name if len(row.name) <= 18 else row.name[:17] + "…"
        flag = FLAG_WORDS.get(row.flag, row.flag)
        lines.append(f"{i:>2}  {name:<18} {flag:<9} {_since(row):>6} {adherence:>9} {_pain(row):>12} {_lsi(row):>5}")
        lines.extend(textwrap.wrap(in_units(row.reason, units), 80, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines)


def render_roster_html(
    rows: Sequence[RosterRow], day_iso: str, links: Mapping[str, str], *, units: UnitSystem = "metric"
) -> str:
    """The roster page: one row per athlete, each name linking to that athlete's period report in ``links``."""
    headers = (
        "#",
        "Athlete",
        "Flag",
        "Deciding reason",
        "Last session",
        "Sessions, 14 days / target",
        "Morning pain, 7 days",
        "Heel-rise LSI",
    )
    numeric = {0, 4, 5, 6, 7}
    head = "".join(f'<th class="n">{h}</th>' if i in numeric else f"<th>{h}</th>" for i, h in enumerate(headers))
    body = []
    for i, row in enumerate(rows, 1):
        href = links.get(row.name)
        name = f'<a href="{esc(href)}">{esc(row.name)}</a>' if href else esc(row.name)
        cells = (
            str(i),
            name,
            f'<span class="pill {_PILL[row.flag]}">{esc(FLAG_WORDS.get(row.flag, row.flag))}</span>',
            esc(in_units(row.reason, units)),
            esc(_since(row)),
            f"{row.adherence.sessions} / {esc(row.adherence.target)}",
            esc(_pain(row)),
            esc(_lsi(row)),
        )
        tds = "".join(
            f'<td class="n">{c}</td>' if j in numeric else f'<td style="white-space: normal">{c}</td>'
            for j, c in enumerate(cells)
        )
        body.append(f'<tr data-athlete="{esc(row.name)}" data-flag="{esc(row.flag)}">{tds}</tr>')
    section = (
        '<section id="roster"><h2>Who needs attention today</h2>'
        "<p>Back off first, then hold, then progress; athletes who stopped logging last. Each name opens the "
        "athlete's period report.</p>"
        f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
        "</section>"
    )
    return page(
        kind="roster",
        title=f"Roster for {day_iso}",
        subtitle=f"{len(rows)} athlete{'s' if len(rows) != 1 else ''}",
        body=[section],
        data={"date": day_iso, "roster": [roster_record(r) for r in rows]},
    )


#: Pill colour of each flag.
_PILL: Final = {"back_off": "bad", "hold": "neutral", "progress": "ok"}


__all__ = ["render_roster_html", "render_roster_text", "roster_record"]
