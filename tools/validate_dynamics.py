"""Running dynamics of the public FIT files against the devices' own session averages.

Part of ``python -m tools.validate``. The tolerances are those of
``tests/test_signal/test_run_dynamics.py``; they were chosen after seeing every file in
``fit_public_repos``, so the files of ``HELD_OUT_FIT_PUBLIC`` (declared afterwards, by hash) are
reported on their own: a figure agrees when it is within the tolerance of the device's, is
missing when the device has it and calfload does not, and is not compared when the device has none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from calfload.errors import CalfloadError
from tools.validate_cases import QUICK_MAX_FIT_BYTES, read_fit_once

#: (label, ours, device's, digits, absolute tolerance, relative tolerance).
DYNAMICS: Final = (
    ("heart rate bpm", "heart_rate_mean_bpm", "avg_heart_rate_bpm", 1, 2.5, 0.0),
    ("power W", "power_mean_w", "avg_power_w", 0, 0.0, 0.01),
    ("contact ms", "ground_contact_mean_ms", "avg_ground_contact_ms", 1, 1.0, 0.0),
    ("vertical osc. mm", "vertical_oscillation_mean_mm", "avg_vertical_oscillation_mm", 1, 1.0, 0.0),
    ("GCT balance L %", "contact_balance_left_pct", "avg_contact_balance_left_pct", 2, 0.5, 0.0),
    ("step length m", "step_length_mean_m", "avg_step_length_m", 3, 0.0, 0.02),
)


def agreement(ours: float | None, device: float | None, absolute: float, relative: float) -> str | None:
    """``agrees``, ``differs`` or ``missing`` (the device has it, calfload not); None when the device has none."""
    if device is None:
        return None
    if ours is None:
        return "missing"
    return "agrees" if abs(ours - device) <= absolute + relative * abs(device) else "differs"


def dynamics_lines(root: Path, held_out: tuple[str, ...], *, quick: bool = False) -> list[str]:
    """The Markdown section: one row per file with running dynamics, and a tally per split.

    ``quick`` (the test suite's run) reads only the files up to ``QUICK_MAX_FIT_BYTES``.
    """
    from calfload.signal import GaitAnalysis, analyze

    rows: list[str] = []
    tally: dict[str, dict[str, int]] = {"tuned": {}, "held out": {}}
    folder = root / "fit_public_repos"
    refs = json.loads((folder / "refs.json").read_text(encoding="utf-8"))["files"] if folder.is_dir() else []
    for ref in refs:
        if quick and ref["bytes"] > QUICK_MAX_FIT_BYTES:
            continue
        try:
            recs = [r for r in read_fit_once(folder / ref["file"]) if r.meta.kind == "footpod"]
            result = analyze(recs[0]) if recs else None
        except CalfloadError:
            continue
        if not isinstance(result, GaitAnalysis) or result.dynamics is None or result.footpod is None:
            continue
        d, device = result.dynamics, result.footpod.device_summary
        ours = [getattr(d, spec[1]) for spec in DYNAMICS]
        if all(v is None for v in ours[1:]):
            continue
        split = "held out" if ref["file"] in held_out else "tuned"
        cells = []
        for (_, _, theirs, digits, absolute, relative), value in zip(DYNAMICS, ours, strict=True):
            other = None if device is None else getattr(device, theirs)
            verdict = agreement(value, other, absolute, relative)
            if verdict is not None:
                tally[split][verdict] = tally[split].get(verdict, 0) + 1
            mine = "–" if value is None else f"{value:.{digits}f}"
            mark = " **differs**" if verdict == "differs" else " **missing**" if verdict == "missing" else ""
            cells.append(mine + ("" if other is None else f" ({other:.{digits}f})") + mark)
        stryd = ", ".join(c for c, src in d.sources if src == "Stryd developer field") or "–"
        rows.append(f"| {ref['file']} | {split} | " + " | ".join(cells) + f" | {len(d.laps)} | {stryd} |")
    return [*_header(), *rows, "", *_tally_lines(tally), ""]


def _header() -> list[str]:
    return [
        "## Running dynamics from FIT files",
        "",
        "calfload's time-weighted means over moving records (`running_dynamics` in `analyze --json`) against",
        "the device's own session averages (in brackets; `–` where the session has none), and the laps read.",
        "Only files whose records carry at least one running-dynamics field are listed. The figures are the",
        "records' own values averaged over moving time; the tolerances (heart rate 2.5 bpm, power 1 %, contact",
        "1 ms, vertical oscillation 1 mm, balance 0.5 points, step length 2 %) were chosen after seeing all 24",
        "files, so the files held out afterwards (`HELD_OUT_FIT_PUBLIC` in tools/validate_cases.py: the first byte",
        "of the SHA-256 of the path divisible by 3) are tallied on their own below. The cadence alerts",
        "(docs/load-model.md) were set on simulated runs only; judged against their own first half, 18 of the",
        "20 public runs raise no alert and 2 raise one 2-3 minute alert 3.4 % below.",
        "",
        "| file | split | " + " | ".join(spec[0] for spec in DYNAMICS) + " | laps | Stryd fields |",
        "|---|---|" + "---|" * (len(DYNAMICS) + 2),
    ]


def _tally_lines(tally: dict[str, dict[str, int]]) -> list[str]:
    out = []
    for split, counts in tally.items():
        total = sum(counts.values())
        out.append(
            f"- **{split}**: {counts.get('agrees', 0)} of {total} device figures agree within the tolerance, "
            f"{counts.get('differs', 0)} differ, missing from calfload's figures: {counts.get('missing', 0)}."
        )
    return out


__all__ = ["DYNAMICS", "agreement", "dynamics_lines"]
