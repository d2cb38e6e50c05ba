"""Self-contained HTML pages: the shell, the stylesheet and small building blocks.

A report is one file that opens without network access: CSS inline, plots inline as SVG, no
scripts to run. Every figure a reader sees is also machine-readable, so a test (or another tool)
can check the page against ``calfload analyze --json`` and ``calfload review --json``:

- every displayed number is a ``<span class="num" data-key="PATH" data-value="VALUE">``, where
  ``PATH`` is its dotted place in the page's source object (``sets.0.tempo_pass_rate``) and
  ``VALUE`` the figure there (a share stays a share when the text says "83 %"). The renderers
  draw from the typed results and tag each number with its path only; :func:`page` fills in
  ``VALUE`` from the source object, so a page can never tag a figure its data island lacks;
- every plot is a ``<figure class="plot" data-plot="ID">`` holding one inline ``<svg>``;
- the source object itself is in ``<script type="application/json" id="calfload-data">``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from calfload import __version__
from calfload.loadmodel import DISCLAIMER
from calfload.units import hms

#: Stated on every page, whatever it shows (loadmodel.md §6.4): the load model's own words.
INDEX_CAVEAT: Final = DISCLAIMER
MISSING: Final = "–"
_BACKTICKS: Final = re.compile(r"`([^`]+)`")
_TAGGED: Final = re.compile(r'<span class="num" data-key="([^"]*)"')

_CSS: Final = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --panel: #f6f8fa; --accent: #0072B2;
  --back-off: #D55E00; --hold: #E69F00; --progress: #009E73;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif;
  color: var(--ink); background: #fff; line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 32px 48px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 16px; }
.brand { margin: 0; font-size: 13px; letter-spacing: .08em; text-transform: uppercase; color: var(--accent);
  font-weight: 700; }
h1 { margin: 4px 0 2px; font-size: 26px; line-height: 1.2; }
h2 { font-size: 19px; margin: 32px 0 8px; padding-top: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { margin: 0; color: var(--muted); font-size: 14px; }
.caveat { background: var(--panel); border-left: 4px solid var(--accent); padding: 8px 12px; margin: 12px 0 20px;
  font-size: 13.5px; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: #fff; }
.card .label { font-size: 12.5px; color: var(--muted); }
.card .value { font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .value .unit { font-size: 14px; font-weight: 500; color: var(--muted); margin-left: 2px; }
.card .note { font-size: 12px; color: var(--muted); }
figure.plot { margin: 8px 0 16px; }
figure.plot svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 9px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { text-align: left; font-weight: 600; background: var(--panel); white-space: normal; vertical-align: bottom;
  line-height: 1.25; }
td.n, th.n { text-align: right; }
tbody tr:hover { background: #fafbfc; }
.table-wrap { overflow-x: auto; }
.message { border: 1px dashed #9aa4ae; border-radius: 8px; padding: 12px 14px; margin: 10px 0; background: #fbfbfc; }
.message strong { display: block; margin-bottom: 2px; }
.warn { border-color: var(--hold); background: #fffaf0; }
.flag { border-radius: 10px; padding: 14px 16px; margin: 12px 0; border: 2px solid; }
.flag .flag-title { font-size: 22px; font-weight: 750; letter-spacing: .02em; }
.flag.back_off { border-color: var(--back-off); background: #fdf1ea; }
.flag.hold { border-color: var(--hold); background: #fef8ec; }
.flag.progress { border-color: var(--progress); background: #eaf6f2; }
.flag .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .06em;
  margin-top: 8px; }
.flag p { margin: 2px 0; }
.flag ul { margin: 6px 0; padding-left: 20px; }
.flag .next { font-weight: 600; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  border: 1px solid; }
.pill.ok { color: #005a8c; border-color: #0072B2; background: #eaf3fa; }
.pill.bad { color: #a34400; border-color: #D55E00; background: #fdf1ea; }
.pill.neutral { color: #555; border-color: #999; background: #f3f3f3; }
dl.device { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; font-size: 14px; margin: 6px 0; }
dl.device dt { color: var(--muted); }
dl.device dd { margin: 0; }
details { margin: 6px 0 12px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .92em;
  background: #eef1f4; padding: 1px 5px; border-radius: 4px; }
summary { cursor: pointer; color: var(--accent); font-size: 14px; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 12px; color: var(--muted); }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } figure.plot { break-inside: avoid; } }
"""


def esc(text: object) -> str:
    """HTML-escape any value's text."""
    return html.escape(str(text), quote=True)


def fmt_value(value: float | int | None, fmt: str = "{:.1f}") -> str:
    """Format a value for display (``None`` and non-finite values show as a dash).

    ``fmt`` is a ``str.format`` pattern; ``"%"`` formats a share as a whole percentage and
    ``"hms"`` a duration in seconds as ``h:mm:ss``.

    Examples
    --------
    >>> fmt_value(0.8333, "%"), fmt_value(None), fmt_value(12, "{:d}"), fmt_value(3725.4, "hms")
    ('83 %', '–', '12', '1:02:05')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    if fmt == "%":
        return f"{100.0 * float(value):.0f} %"
    if fmt == "hms":
        return hms(float(value))
    return fmt.format(value)


def num(
    value: float | int | None, fmt: str = "{:.1f}", *, key: str | None = None, unit: str = "", scale: float = 1.0
) -> str:
    """A displayed number, tagged with its key in the page's source object and its exact value.

    Parameters
    ----------
    value
        The figure (``None`` shows a dash).
    fmt
        Display format (see :func:`fmt_value`).
    key
        Dotted path of the value in the page's source object (``sets.0.rep_count``); untagged when None.
        :func:`page` adds the value found there as ``data-value``.
    unit
        Unit shown after the number (not part of ``data-value``).
    scale
        Shown is ``value × scale`` (metres as km: 0.001); said in ``data-scale`` when not 1.
    """
    shown = value if value is None or scale == 1.0 else value * scale
    text = esc(fmt_value(shown, fmt))
    unit_html = f'<span class="unit">{esc(unit)}</span>' if unit and value is not None else ""
    if key is None:
        return f'<span class="num">{text}</span>{unit_html}'
    scale_attr = "" if scale == 1.0 else f' data-scale="{scale!r}"'
    return f'<span class="num" data-key="{esc(key)}"{scale_attr}>{text}</span>{unit_html}'


def card(label: str, value_html: str, note: str = "") -> str:
    """A key-figure card."""
    note_html = f'<div class="note">{esc(note)}</div>' if note else ""
    return (
        f'<div class="card"><div class="label">{esc(label)}</div><div class="value">{value_html}</div>{note_html}</div>'
    )


def cards(items: Iterable[str]) -> str:
    """A row of cards."""
    return f'<div class="cards">{"".join(items)}</div>'


def table(headers: Sequence[tuple[str, bool]], rows: Iterable[Sequence[str]], *, caption: str = "") -> str:
    """A table of pre-rendered cells; ``headers`` are ``(text, numeric)`` (numeric columns align right)."""
    head = "".join(f'<th class="n">{esc(h)}</th>' if n else f"<th>{esc(h)}</th>" for h, n in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{c}</td>' if n else f"<td>{c}</td>" for (_, n), c in zip(headers, row, strict=True))
        + "</tr>"
        for row in rows
    )
    cap = f"<caption hidden>{esc(caption)}</caption>" if caption else ""
    return f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def figure(svg: str, plot_id: str, caption: str) -> str:
    """A plot with its caption."""
    return f'<figure class="plot" data-plot="{esc(plot_id)}">{svg}<figcaption>{esc(caption)}</figcaption></figure>'


def prose(text: str) -> str:
    """Escape text, showing `backticked` commands as code.

    Examples
    --------
    >>> prose("run `calfload import FILE` <now>")
    'run <code>calfload import FILE</code> &lt;now&gt;'
    """
    return _BACKTICKS.sub(r"<code>\1</code>", esc(text))


def message(title: str, text: str = "", *, warn: bool = False, key: str | None = None) -> str:
    """A clear message in place of a plot or table that has nothing to show."""
    key_attr = f' data-message="{esc(key)}"' if key else ""
    body = f"<span>{prose(text)}</span>" if text else ""
    return f'<div class="message{" warn" if warn else ""}"{key_attr}><strong>{esc(title)}</strong>{body}</div>'


def pill(text: str, kind: str) -> str:
    """A small status label (``ok``, ``bad`` or ``neutral``)."""
    return f'<span class="pill {esc(kind)}">{esc(text)}</span>'


def page(
    *,
    kind: str,
    title: str,
    subtitle: str,
    body: Sequence[str],
    data: Mapping[str, object],
    generated: dt.datetime | None = None,
) -> str:
    """The whole HTML document.

    Parameters
    ----------
    kind
        ``calf_session``, ``gait_session`` or ``period`` (also in ``<body data-report>``).
    title, subtitle
        Page heading and the line under it.
    body
        Sections (HTML), in order.
    data
        The page's source object, embedded as JSON: the ``data-key`` paths point into it.
    generated
        When the page was made (shown in the footer; default now).
    """
    when = (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    source = _finite(data)
    payload = json.dumps(source, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    # JSON unicode escapes for <, > and &: "</script", "<!--" (which switches the parser into the
    # script-data-escaped states) and "-->" cannot appear in the element; JSON.parse reads them back.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="calfload ' + esc(__version__) + '">\n'
        f"<title>{esc(title)} · calfload</title>\n"
        '<link rel="icon" href="data:,">\n'  # no favicon request (and no console error) when opened
        f"<style>{_CSS}</style>\n</head>\n"
        f'<body data-report="{esc(kind)}">\n<main>\n'
        f'<header><p class="brand">calfload</p><h1>{esc(title)}</h1><p class="sub">{esc(subtitle)}</p></header>\n'
        f'<p class="caveat" role="note" data-caveat>{esc(INDEX_CAVEAT)}</p>\n'
        + _tag_values("\n".join(body), source)
        + f"\n<footer>Made by calfload {esc(__version__)} on {esc(when)}.</footer>\n"
        f'<script type="application/json" id="calfload-data">{payload}</script>\n'
        "</main>\n</body>\n</html>\n"
    )


def _tag_values(body: str, source: object) -> str:
    """Add ``data-value`` (the figure at ``data-key`` in the source object) to every tagged number.

    Raises
    ------
    ValueError
        A number is tagged with a path the source object does not have (a renderer's mistake).
    """

    def tagged(m: re.Match[str]) -> str:
        key = html.unescape(m.group(1))
        value = _at_path(source, key)
        return f'{m.group(0)} data-value="{esc(json.dumps(value, ensure_ascii=False))}"'

    return _TAGGED.sub(tagged, body)


def _at_path(source: object, key: str) -> object:
    value = source
    for part in key.split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise ValueError(f"the page tags {key!r}, which its data does not have")
    return value


def _finite(obj: object) -> object:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {str(k): _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


__all__ = [
    "INDEX_CAVEAT",
    "card",
    "cards",
    "esc",
    "figure",
    "fmt_value",
    "message",
    "num",
    "page",
    "pill",
    "prose",
    "table",
]
