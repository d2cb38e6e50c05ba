"""A page to hand over (``calfload report --athlete NAME --share``): one printed page for an athlete or a referrer.

It holds today's advice (flag, reasons, next step), the calf dose of the last four weeks, pain,
the last heel-rise test against norms and the smallest real change, what the method can and
cannot measure, and the statement that it is decision support, not a diagnosis. It is one
self-contained HTML file (no scripts to run, no network) and prints on one A4 page;
:func:`print_pdf` prints it with headless Chromium (``chromium --headless --print-to-pdf``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from calfload.loadmodel import BaselineTest, Review
from calfload.loadmodel._heel_rise_norms import (
    RETURN_TO_RUNNING_LSI_PCT,
    SEM_HEIGHT_CM,
    SEM_REPS,
    SEM_WORK_J,
    heel_rise_norm,
)
from calfload.report._html import esc, num, page
from calfload.units import Length, Phrase, UnitSystem, in_units

#: The statement every handed-over page carries.
NOT_A_DIAGNOSIS: Final = (
    "This summary is decision support, not a diagnosis: it counts and times what the sensor recorded and "
    "applies a fixed, published rule table to the athlete's own entries. Pain that is severe, sharp, "
    "rising at rest or at night, or swelling, needs a clinician's examination."
)
#: What the method's figures can be trusted to, for a referrer (docs/validation.md, docs/load-model.md).
KNOWN_ERROR: Final = (
    (
        "Rep counts and lowering times are checked against simulated sessions with known truth, where they are "
        "exact; no labelled real calf-raise recording exists yet, so their error on real recordings is not known."
    ),
    Phrase(
        f"Heel-rise test: a change smaller than the test's measurement error (about {SEM_REPS:g} reps, ",
        Length(SEM_HEIGHT_CM),
        f" or {SEM_WORK_J:.0f} J, Byrne 2017) is not a real change.",
    ),
    (
        "Load figures are a relative index (easy-run-equivalent loading cycles), not a tendon force; "
        "the flag follows the documented rule table (docs/load-model.md), pain rules first."
    ),
    (
        "Steps and cadence of runs and walks are checked against public labelled recordings; calfload's "
        "docs/validation.md lists each figure."
    ),
)
FLAG_TITLES: Final = {"back_off": "Back off", "hold": "Hold", "progress": "Progress"}
#: Chromium's names on the common systems, tried in order (``CALFLOAD_CHROMIUM`` names another).
CHROMIUM_NAMES: Final = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_PRINT_CSS: Final = (
    "<style>@page { size: A4; margin: 10mm 12mm; } "
    "@media print { main { max-width: none; padding: 0; } body { font-size: 10.5px; line-height: 1.3; } "
    "h1 { font-size: 18px; } .sub, .caveat, figcaption, footer { font-size: 9.5px; } "
    ".share h2 { margin: 8px 0 3px; font-size: 13px; } .flag { padding: 6px 10px; margin: 6px 0; } "
    ".flag .flag-title { font-size: 15px; } .flag .label { margin-top: 3px; font-size: 9px; } "
    "table { font-size: 10px; margin: 2px 0 4px; } th, td { padding: 1px 6px; } .caveat { margin: 4px 0; "
    "padding: 4px 8px; } footer { margin-top: 6px; padding-top: 4px; } header { margin-bottom: 4px; "
    "padding-bottom: 4px; } .statement { padding: 5px 9px; margin: 6px 0; } } "
    ".share h2 { font-size: 16px; margin: 16px 0 6px; } .share ul { margin: 4px 0; padding-left: 18px; } "
    ".statement { border: 2px solid var(--ink); border-radius: 8px; padding: 8px 12px; margin: 10px 0; "
    "font-weight: 600; }</style>"
)


def render_share_html(
    review: Review, *, athlete: str, baseline: Sequence[BaselineTest] = (), units: UnitSystem = "metric"
) -> str:
    """The one-page summary of ``review`` for ``athlete`` (baseline: the athlete's heel-rise tests).

    Weights, distances and lengths in the text are shown in ``units``.
    """
    test = last_heel_rise_test(baseline, review)
    data = {"athlete": athlete, "review": review.to_dict(), "heel_rise": None if test is None else test.to_dict()}
    body = [
        _PRINT_CSS,
        '<div class="share">',
        _advice(review, units),
        _dose(review, units),
        _pain(review),
        _heel_rise(test),
        "<h2>How exact this is</h2><ul>"
        + "".join(f"<li>{esc(in_units(t, units))}</li>" for t in KNOWN_ERROR)
        + "</ul>",
        f'<p class="statement" data-statement>{esc(NOT_A_DIAGNOSIS)}</p>',
        "</div>",
    ]
    return page(
        kind="share",
        title=f"{athlete}: Achilles loading summary",
        subtitle=f"for {review.day.isoformat()}, the last four weeks; made by calfload for the athlete or a clinician",
        body=body,
        data=data,
    )


def _advice(review: Review, units: UnitSystem) -> str:
    d = review.decision
    reasons = "".join(f"<li>{esc(in_units(r, units))}</li>" for r in d.reasons)
    return (
        f'<div class="flag {esc(d.flag)}" data-flag="{esc(d.flag)}"><div class="flag-title">Today: '
        f'{esc(FLAG_TITLES.get(d.flag, d.flag))}</div><div class="label">Why</div><ul>{reasons}</ul>'
        f'<div class="label">Next step</div><p class="next">{esc(in_units(d.next_step, units))}</p></div>'
    )


def _dose(review: Review, units: UnitSystem) -> str:
    rows = []
    for i, w in enumerate(review.weeks):
        c, key = w.calf, f"review.weeks.{i}.calf"
        rows.append(
            f"<tr><td>{esc(w.first.isoformat())} – {esc(w.last.isoformat())}</td>"
            f'<td class="n">{num(c.sessions if c else 0, "{:d}", key=f"{key}.sessions" if c else None)}</td>'
            f'<td class="n">{num(c.reps if c else None, "{:d}", key=f"{key}.reps" if c else None)}</td>'
            f"<td>{esc(in_units(c.top_dose, units)) if c and c.top_dose else '–'}</td>"
            f'<td class="n">{num(c.tut_s if c else None, "{:.0f}", unit=" s")}</td>'
            f'<td class="n">{num(c.tempo_pass_rate if c else None, "%")}</td>'
            f'<td class="n">{num(w.load_au, "{:.0f}")}</td></tr>'
        )
    head = (
        '<tr><th>Week</th><th class="n">Calf sessions</th><th class="n">Reps</th><th>Hardest sets</th>'
        '<th class="n">Time under tension</th><th class="n">Slow lowering</th><th class="n">All load (index)</th></tr>'
    )
    table = f'<table data-table="dose"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    return f"<h2>Calf dose, last four weeks</h2>{table}"


def _pain(review: Review) -> str:
    rows = "".join(
        f"<tr><td>{esc(w.first.isoformat())} – {esc(w.last.isoformat())}</td>"
        f'<td class="n">{num(w.pain_during_max, "{:d}", key=f"review.weeks.{i}.pain.during_max")}</td>'
        f'<td class="n">{num(w.pain_after_max, "{:d}", key=f"review.weeks.{i}.pain.after_max")}</td>'
        f'<td class="n">{num(w.pain_morning_mean, "{:.1f}")}</td></tr>'
        for i, w in enumerate(review.weeks)
    )
    head = (
        '<tr><th>Week</th><th class="n">Worst during (0–10)</th><th class="n">Worst after</th>'
        '<th class="n">Morning, mean</th></tr>'
    )
    return f'<h2>Pain</h2><table data-table="pain"><thead>{head}</thead><tbody>{rows}</tbody></table>'


@dataclass(frozen=True, slots=True)
class HeelRiseSummary:
    """The last day both sides were tested: reps per side, the norm, the LSI (weaker ÷ stronger or affected ÷ other)."""

    date: dt.date
    reps: dict[str, int]
    norm_reps: float
    norm_source: str
    lsi_pct: float | None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready (the page's data island)."""
        return {
            "date": self.date.isoformat(),
            "reps": dict(self.reps),
            "norm_reps": self.norm_reps,
            "norm_source": self.norm_source,
            "lsi_pct": self.lsi_pct,
            "criterion_pct": RETURN_TO_RUNNING_LSI_PCT,
        }


def last_heel_rise_test(baseline: Sequence[BaselineTest], review: Review) -> HeelRiseSummary | None:
    """The heel-rise test of both sides last done by the review day (None without one)."""
    from calfload.loadmodel._roster import heel_rise_lsi

    by_day: dict[dt.date, dict[str, int]] = {}
    for b in baseline:
        if b.heel_rise_reps is not None and b.day <= review.day:
            by_day.setdefault(b.day, {})[b.side] = b.heel_rise_reps
    days = sorted(d for d, sides in by_day.items() if set(sides) == {"left", "right"})
    if not days:
        return None
    norm, source = heel_rise_norm(None, None)
    lsi, _ = heel_rise_lsi([b for b in baseline if b.day == days[-1]], None)
    return HeelRiseSummary(days[-1], by_day[days[-1]], norm, source, lsi)


def _heel_rise(test: HeelRiseSummary | None) -> str:
    if test is None:
        return (
            "<h2>Heel-rise test</h2><p>No heel-rise test of both sides yet (<code>calfload test heel-rise</code>).</p>"
        )
    sides = "; ".join(
        f"{esc(side)} {num(n, '{:d}', key=f'heel_rise.reps.{side}')} reps "
        f"({100 * n / test.norm_reps:.0f} % of the norm)"
        for side, n in sorted(test.reps.items())
    )
    verdict = ""
    if test.lsi_pct is not None:
        met = test.lsi_pct >= RETURN_TO_RUNNING_LSI_PCT
        verdict = f" — {'meets' if met else 'below'} the {RETURN_TO_RUNNING_LSI_PCT:.0f} % return-to-running criterion"
    lsi = num(test.lsi_pct, "{:.0f}", key="heel_rise.lsi_pct", unit=" %")
    return (
        f"<h2>Heel-rise test ({esc(test.date.isoformat())})</h2><p>{sides}. Norm {test.norm_reps:g} reps "
        f"({esc(test.norm_source)}). Limb symmetry (reps): {lsi}{esc(verdict)}. "
        f"A change under {SEM_REPS:g} reps between tests is within measurement error.</p>"
    )


# ---------------------------------------------------------------------------------------- PDF


def find_chromium() -> str | None:
    """The Chromium to print with: ``$CALFLOAD_CHROMIUM``, else the first of :data:`CHROMIUM_NAMES` on PATH."""
    named = os.environ.get("CALFLOAD_CHROMIUM")
    if named:
        return shutil.which(named)
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def print_pdf(html_path: Path, *, chromium: str, timeout_s: float = 180.0) -> bytes:
    """Print ``html_path`` to PDF with headless Chromium and return the PDF's bytes (the caller writes them).

    Raises
    ------
    OSError
        If Chromium cannot be run, fails, or writes no PDF.
    """
    with tempfile.TemporaryDirectory(prefix="calfload-pdf-") as tmp:
        out = Path(tmp) / "page.pdf"
        command = [
            chromium,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={out}",
            html_path.resolve().as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise OSError(f"{chromium} did not finish printing within {timeout_s:.0f} s") from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            raise OSError(f"{chromium} could not print the page (exit code {done.returncode})")
        return out.read_bytes()


__all__ = [
    "KNOWN_ERROR",
    "NOT_A_DIAGNOSIS",
    "HeelRiseSummary",
    "find_chromium",
    "last_heel_rise_test",
    "print_pdf",
    "render_share_html",
]
