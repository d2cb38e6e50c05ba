"""Validate the walk/run analysis on every labelled dataset in ``../shared/validation``.

``python -m tools.validate [--root DIR] [--out docs/validation.md] [--quick]`` runs
:func:`calfload.signal._gait.analyze_gait` on each dataset that has step, cadence or contact
references, and writes a Markdown table per dataset (files, step error, cadence error, contact
time bias) plus one line per file. ``--quick`` runs a subset and prints its summary only; it
writes a page only where ``--out`` names one, so it never replaces ``docs/validation.md``.

Datasets and what is compared (see each folder's ``SOURCE.md``):

- **IPOL** (Voisard et al. 2023): both feet at 100 Hz, sensor-local axes, 10 m walk - U-turn -
  10 m walk. Reference steps = labelled swings of both feet; cadence = 120 / median stride time
  (heel strike to heel strike of the same foot, both feet pooled); stance = heel strike to the
  next toe-off. Each trial is analysed per
  foot (strides doubled), with both feet merged, and as copies that are **rotated** (a random
  mounting per foot) and **rotated and resampled** (to 50, 200 and 400 Hz, with timestamp jitter) from the
  originals. The lower-back sensor gives the trunk placement.
- **gaitmap** example data: both feet at 204.8 Hz in gaitmap's foot frame and as raw sensor axes;
  motion-capture initial contacts and toe-offs give cadence and stance. Its hand-labelled strides
  leave out the turn and the first and last steps, so step counts are not compared.
- **FIT files**: the device's stride totals, session average cadence and sport. Two rows: what
  calfload reports (the session's figures where the file has them, converted from strides) and,
  as a cross-check, what it reproduces from the records alone (integrated cadence, time-weighted
  mean cadence over moving time).
- **mobgap** lower back (INDIP reference walking bouts) and **Oxford step counter** (arm band and
  hand-held phone, ground-truth step device) for the other placements.

The "pass" column applies the issue's criteria: steps within max(2, 3 %) of the reference,
median cadence within 2 spm; FIT: activity right, steps within 3 % of twice the stride total, mean
cadence within 2 spm of the session average.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import numpy as np

from calfload.errors import CalfloadWarning
from calfload.signal._activity import detect_activity
from calfload.signal._gait import _imu_cadence, analyze_gait
from calfload.signal._gait_types import GaitAnalysis
from tools.validate_cases import DEFAULT_ROOT, HELD_OUT_FIT_PUBLIC, HELD_OUT_LABEL, QUICK_IPOL_SUBJECTS, Case, Row
from tools.validate_cli import cli_lines, cli_rows
from tools.validate_datasets import (
    fit_cases,
    fit_public_cases,
    gaitmap_cases,
    ipol_cases,
    ipol_lower_back_cases,
    mobgap_cases,
    oxford_cases,
    simulated_activity_cases,
    simulated_run_cases,
    windowed_cadence,
)
from tools.validate_dynamics import dynamics_lines
from tools.validate_page import cli_cases, kept_sections, render_markdown, summary_table, timing_lines

# ------------------------------------------------------------------------------------------ evaluation


def evaluate(case: Case) -> Row:
    """Run the analysis on one case (and, for IMU cases, the activity detection without a placement)."""
    if case.error is not None or not case.recordings:
        return Row(case, None, None, None, "refused", 0.0)
    if case.detect_only:
        return Row(case, None, None, None, detect_activity(case.recordings[0]).activity or "cannot tell", 0.0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalfloadWarning)
        analysis = analyze_gait(list(case.recordings), placement=case.placement)
    seconds = time.perf_counter() - start
    result = analysis.to_dict()
    steps = result["steps"]
    cadence = result["cadence_spm"]["mean" if case.use_mean else "median"]
    if case.fit and case.from_records:
        steps = result.get("steps_from_cadence", steps)
        cadence = result.get("cadence_mean_from_records_spm", cadence)
    if case.windows_s:
        # Only the steps inside the reference walking bouts (daily-living recordings also hold
        # movements the reference does not label).
        times = analysis.step_times_s
        inside = np.zeros(times.size, dtype=bool)
        for a, b in case.windows_s:
            inside |= (times >= a - 0.3) & (times <= b + 0.3)
        steps = int(inside.sum())
        cadence = windowed_cadence(times, case.windows_s)
    detected = None
    if not case.fit:
        first = case.recordings[0]
        guess = detect_activity(first.with_meta(placement="unknown"))
        detected = guess.activity or "cannot tell"
    contact = result["ground_contact_ms"]["median"]
    within = None if case.span_s is None else within_span(analysis, case.span_s)
    return Row(case, steps, cadence, contact, result["activity"], seconds, result, detected, within)


#: A landing this close outside the labelled span still counts as in it (s; our landings scatter
#: about a tenth of a second around the labelled heel strikes).
SPAN_MARGIN_S = 0.3
#: The dataset name's suffix for the figures counted within the labelled span.
WITHIN_SPAN = ", within the labelled span"


def within_span(analysis: GaitAnalysis, span_s: tuple[float, float]) -> tuple[int | None, float | None]:
    """Steps and median cadence of the analysis's own stride instants that lie in the reference's labelled span.

    The same counting as the analysis (one foot's strides doubled, both feet merged), restricted
    to the landings from ``SPAN_MARGIN_S`` before the first labelled toe-off to as long after the
    last labelled heel strike: what the reference says nothing about is left out.
    """
    lo, hi = span_s[0] - SPAN_MARGIN_S, span_s[1] + SPAN_MARGIN_S
    inside = [t[(t >= lo) & (t <= hi)] for t in analysis.events.instants_s]
    cad = _imu_cadence(inside, analysis.placement in ("foot", "shank", "thigh"), analysis.params)
    return cad.steps, (cad.median_spm if math.isfinite(cad.median_spm) else None)


def span_rows(rows: Sequence[Row]) -> list[Row]:
    """A second row for every case with a labelled span: its figures counted within the span only."""
    out = []
    for r in rows:
        if r.within_span is not None:
            name = r.case.dataset.replace(HELD_OUT_LABEL, "") + WITHIN_SPAN
            held = HELD_OUT_LABEL if HELD_OUT_LABEL in r.case.dataset else ""
            case = replace(r.case, dataset=name + held, span_s=None, within_span_of=r.case.dataset)
            steps, cadence = r.within_span
            # Steps and cadence only: contact time and the activity are the raw row's.
            out.append(replace(r, case=case, steps=steps, cadence_spm=cadence, contact_ms=None, detected=None))
    return out


Source = Callable[[Path], Iterator[Case]]


def all_sources(quick: bool) -> list[tuple[str, Source]]:
    """The datasets, in report order; ``quick`` uses a subset (for the test suite)."""
    subjects = QUICK_IPOL_SUBJECTS if quick else None
    variants = ("original", "rotated", "50hz") if quick else ("original", "rotated", "50hz", "200hz", "400hz")
    seeds = range(1000, 1004) if quick else range(1000, 1030)
    return [
        ("IPOL feet", lambda r: ipol_cases(r, subjects=subjects, variants=variants)),
        ("gaitmap feet", gaitmap_cases),
        ("FIT files", lambda r: fit_cases(r, quick=quick)),
        ("FIT files, from records", lambda r: fit_cases(r, from_records=True, quick=quick)),
        ("FIT files, public repositories", lambda r: fit_public_cases(r, quick=quick)),
        ("IPOL lower back", lambda r: ipol_lower_back_cases(r, subjects=subjects)),
        ("mobgap lower back", mobgap_cases),
        ("Oxford arm/hand", oxford_cases),
        ("simulated runs", lambda _root: simulated_run_cases(seeds)),
        ("activity, simulated (held out)", lambda _root: simulated_activity_cases(range(100, 103 if quick else 130))),
    ]


def run_validation(root: Path = DEFAULT_ROOT, *, quick: bool = False) -> list[Row]:
    """Evaluate every dataset present under ``root``."""
    rows: list[Row] = []
    for folder_key, source in all_sources(quick):
        del folder_key
        try:
            found = [evaluate(case) for case in source(root)]
        except FileNotFoundError:
            continue
        rows += [*found, *span_rows(found)]
    return rows


def run_stamp(started: datetime, load_before: float, cpu_s: float) -> str:
    """When the page was written, how long it took and how loaded the machine was (figures of speed depend on it)."""
    ended = datetime.now(UTC)
    wall_min = (ended - started).total_seconds() / 60.0
    return (
        f"Run {started:%Y-%m-%d %H:%M}-{ended:%H:%M} UTC: {wall_min:.0f} min wall, {cpu_s / 60.0:.0f} min CPU "
        f"(this process); load average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end "
        f"on {os.cpu_count()} cores."
    )


#: The judged page a full run writes.
DEFAULT_PAGE: Final = Path("docs") / "validation.md"


def page_path(out: Path | None, *, quick: bool) -> Path | None:
    """The page a run writes: ``out`` if given, else the judged page for a full run and none for a quick one.

    A quick run covers a subset of the data; written over ``docs/validation.md`` it would replace
    the judged figures in whatever checkout ran it.
    """
    if out is not None:
        return out
    return None if quick else DEFAULT_PAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the validation and write the Markdown page."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the shared validation folder")
    parser.add_argument(
        "--out",
        type=Path,
        help="Markdown file to write (default: docs/validation.md; with --quick, none unless given)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a subset (as in the test suite); prints the summary, writes no page"
    )
    parser.add_argument("--legs", type=Path, help="Marpino/Walking-dataset checkout or mirror (tools/validate_legs.py)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"no validation data at {args.root}")
    started, load_before, cpu_before = datetime.now(UTC), os.getloadavg()[0], time.process_time()
    out = page_path(args.out, quick=args.quick)
    rows = run_validation(args.root, quick=args.quick)
    dynamics = dynamics_lines(args.root, HELD_OUT_FIT_PUBLIC, quick=args.quick)
    from tools.validate_bouts import section_lines  # imports this module

    dynamics = [*dynamics, *section_lines(args.root, quick=args.quick)]
    if not args.quick:
        from tools.validate_legs import section_lines as legs_lines  # imports this module

        dynamics = [*dynamics, *legs_lines(args.legs)]
    foot_walks = cli_cases(rows)
    through_cli = cli_lines(cli_rows(foot_walks[:4] if args.quick else foot_walks))
    # The marked sections (stride length, the FIT judge, HuGaDB) are written by other tools; keep them.
    if out is not None:
        kept = kept_sections(out.read_text(encoding="utf-8")) if out.exists() else ""
        stamp = run_stamp(started, load_before, time.process_time() - cpu_before)
        page = render_markdown(rows, dynamics, [*through_cli, *timing_lines(rows)], stamp)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page + (f"\n{kept}\n" if kept else ""), encoding="utf-8")
    for s in summary_table(rows):
        print(json.dumps(s))  # noqa: T201 - a command-line tool
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
