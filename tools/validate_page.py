"""The docs/validation.md page: the summary per data set, how to read it, the timing and per-file tables.

Part of ``python -m tools.validate``, which evaluates the cases (:func:`tools.validate.run_validation`)
and writes the page with :func:`render_markdown`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from tools.validate_cases import Case, Row
from tools.validate_cli import CliCase
from tools.validate_events import MATCH_S, EventCase, timing_table

#: A section another tool writes (or a person, from a tool's run): ``<!-- name:begin -->`` to ``<!-- name:end -->``.
_KEPT: re.Pattern[str] = re.compile(r"<!-- ([a-z0-9-]+):begin -->.*?<!-- \1:end -->", re.DOTALL)


def kept_sections(text: str) -> str:
    """Every marked section of a page's text, in order and blank-line separated, or ``""``.

    ``python -m tools.validate`` rewrites the page and appends these, so the sections other tools
    write (stride length, the FIT judge, the HuGaDB activity check) survive it.
    """
    return "\n\n".join(m.group(0) for m in _KEPT.finditer(text))


def summary_table(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per dataset: files, step error, cadence error, contact bias, pass rate."""
    out = []
    for name in dict.fromkeys(r.case.dataset for r in rows):
        group = [r for r in rows if r.case.dataset == name]
        step_err = [abs(r.step_error) for r in group if r.step_error is not None]
        step_rel = [
            100.0 * abs(r.step_error) / r.case.ref_steps for r in group if r.step_error is not None and r.case.ref_steps
        ]
        cad_err = [abs(r.cadence_error) for r in group if r.cadence_error is not None]
        bias = [r.contact_bias_ms for r in group if r.contact_bias_ms is not None]
        passed = [r.passed for r in group if r.passed is not None]
        detected = [r.detected for r in group if r.detected is not None]
        out.append(
            {
                "dataset": name,
                "files": len(group),
                "median_abs_step_error": _stat(step_err, np.median),
                "mean_abs_step_error_pct": _stat(step_rel, np.mean),
                "median_abs_cadence_error_spm": _stat(cad_err, np.median),
                "max_abs_cadence_error_spm": _stat(cad_err, np.max),
                "median_contact_bias_ms": _stat(bias, np.median),
                "pass_rate": None if not passed else sum(passed) / len(passed),
                "passed": sum(passed),
                "judged": len(passed),
                "detected_as_gait": None if not detected else sum(d == "gait" for d in detected) / len(detected),
                "seconds": sum(r.seconds for r in group),
            }
        )
    return out


def _pass(passed: int, judged: int) -> str:
    """Passed of judged, with the share to one decimal (94.9 % must not read as 95 %)."""
    return "–" if not judged else f"{passed}/{judged} ({100.0 * passed / judged:.1f} %)"


def _stat(values: Sequence[float], fn: Callable[[Any], Any]) -> float | None:
    return float(fn(values)) if values else None


NOTES = """## Reading the table

- **Held out.** Rows marked "(held out)" were kept out of tuning: the IPOL trials 5-1, 9-1, 12-1,
  15-1, 16-1 and 18-1 (`HELD_OUT_IPOL`) from 2026-12-01 on, declared before that day's tuning
  (earlier sessions had seen every trial, so they are held out of later changes only), and 9 of
  the 24 public FIT files (`HELD_OUT_FIT_PUBLIC`), declared after the running-dynamics tolerances
  had been chosen on all of them. Both splits are the names whose SHA-256 has a first byte
  divisible by 3, fixed in `tests/test_validate.py`.
- **Feet (IPOL, gaitmap)**: each trial is analysed with the left foot alone, the right foot alone
  (strides doubled into steps) and both feet merged, in the original files and in copies rotated
  to a random mounting (100 Hz) and in copies in another random mounting resampled to 50, 200
  and 400 Hz. Single-foot step counts are off by one
  step at each end of a walk by construction (the other foot's first or last step is unseen).
  The reference cadence is 120 / median same-foot stride time (heel strike to heel strike,
  both feet pooled, every labelled stride including the U-turn and the first and last); ours
  is 120 / median of the same kind of intervals between our initial contacts (unfiltered,
  sub-sample timing), one foot's or both feet's. **Turning steps** (2026-12-01): a U-turn step
  whose foot turns about a non-sagittal axis leaves no swing lobe, so the still moments around
  it are more than a stride apart. Such a gap (0.3 s to 2.5 strides) is now integrated as one
  stride with zero-velocity updates at both ends (`calfload.signal._gait_turns`): a foot that
  moved at least 0.15 m and turned faster than 100 deg/s took a step. In the tuned IPOL trials
  the gaps holding a labelled step moved 0.20, 0.23, 0.27 and 0.68 m (all now counted) and one
  0.14 m (not); the gaps without one 0.08 and 0.11 m (neither counted). This fixed 3-1 left
  (36 -> 38 of 39). **The end of a foot's data** (2026-12-01 evening, for 15-1 left below): a
  swing whose lobe has not ended at the last sample lands after it, by a time the samples cannot
  tell, so it is not a step of the recording and no event is put after the last sample (it used
  to get its swing peak plus the median peak-to-contact lag, which could lie after the file's
  end); and after the last stride, where no stride closes the gap, the gap ends at the first
  still moment (rate under 60 deg/s and |acc| within 1.5 m/s^2 of 1 g for 0.2 s) after the foot
  turned faster than 100 deg/s, the same 0.15 m test decides, and the step is put where the
  foot came to rest. Both rules come from the physics and are tested on the walk simulator (a
  file cut in mid-swing, a turning step spliced after the stop, a pivot on the spot that is not
  a step: `tests/test_signal/test_gait_file_end.py`). On the tuned trials the second rule finds
  nothing in any variant (no tuned trial ends a foot's walk with a turning step), so its only
  real evidence is held out; the first changes one tuned case, 4-1 left in the 50 and 400 Hz
  copies (38 -> 36 steps of 37, still passing). **Why the remaining files fail** (every failure
  in every variant, through `analyze` and through the command line alike; no parameter
  changed). *17-1 right (and both feet), tuned*: 34 (28) steps, 17 strides. 15 lie inside the
  labelled trial (IPOL's `TrialBoundaries`, 4.33-19.72 s), one of them an unlabelled pivot in
  the U-turn (12.36 s, 0.03 m). Two come after it: from 19.8 to 20.4 s both feet rotate at once
  (up to 440 deg/s left, 290 right) while |acc| stays within 1.2 m/s^2 of 1 g (a turn on the
  spot; neither foot moves more than 0.07 m), and from 21.0 to 21.6 s the right foot moves
  0.22 m, at the very end of the file. **The reference's scope.** In 15 of the 19 trials
  `TrialBoundaries` are exactly the first labelled toe-off and the last labelled heel strike; in
  4-1, 7-1, 16-1 and 18-1 swings after the boundary are labelled too (1, 2, 5 and 3 of them;
  the labels end 5.3, 9.3, 8.4 and 3.5 s after it), while in the others the movements after the
  last label are not labelled: our landings more than 0.3 s after the last label (either foot)
  are 17-1 (1 left, 2 right), 7-1, 8-1 and 16-1 (1 right each), and none before the first label
  in any trial (originals, 2026-12-01). So the raw figure counts movements the reference labels
  in some trials and not in others. **Within the labelled span** (the rows so named): the same
  analysis, not run again, counting only the landings from 0.3 s before the first labelled
  toe-off to 0.3 s after the last labelled heel strike of either foot, steps and median cadence
  as the analysis counts them (`tools.validate.within_span`). The raw rows stay the judged figure
  and both are shown; the span rows judge the walk the reference describes. They can also show
  an error the raw count hides: 8-1 right has 19 landings for 19 labels, but one labelled step is
  missed and one after the labels is counted (36 of 38 steps within the span, still passing).
  *15-1 left, held out* (analysed on the held-out file; the two rules above were argued from the
  physics and checked on the tuned trials and the simulator): the labelled left step of
  26.7-27.7 s turns the foot at up to 480 deg/s about another axis (the sagittal rate stays
  under 110 deg/s), so no swing lobe is found; the foot is still again at 27.5-28.05 s, and its
  next swing (after the trial) is cut by the end of the file (28.47 s). Before: no stride closed
  the gap, so the turning step was not looked for, and the cut swing's instant was put at
  28.62 s, after the last sample; the 1.65 s stride was missing from our intervals and the
  median cadence read 104.3 against 102.1. Now the turning step is found at 27.53 s (labelled
  27.66 s), the cut swing is not counted, and the cadence reads 103.6 (38 steps of 38) in every
  variant; the held-out feet pass 90 of 90 (84 before). 16-1 right (held out) gains one
  unlabelled step by the second rule, 1.5 s after the last label (the foot turns at 200 deg/s
  for 0.35 s and moves over 0.15 m): 40 steps of 38, within tolerance, and 38 within the span.
  **The displacement does not decide the short strides that are found**: strides integrated to
  under 0.3 m hold a labelled step in 3-1 right (0.05 m, the closing step), 17-1 left (0.02 m,
  a U-turn pivot), 7-1 left (0.09 m) and 2-1, 10-1, 13-1 (0.18-0.29 m), and none in 17-1 right
  (0.02 and 0.03 m, a pivot and the turn on the spot after the trial, and 0.22 m after it),
  17-1 left (0.07 m, after the trial), 7-1 right (0.06 m) and 8-1 right (0.06 m, after the
  trial): the labellers counted some pivots and closing shuffles as steps and not others, so
  dropping strides by length would trade one error for another. Neither does the landing's
  impact (the peak of |acc| - 1 g within 0.1 s of our contact, original files): 0.3-49 m/s^2
  (median 3.5) at the 10 tuned contacts no label matches, 1.3-125 m/s^2 (median 35) at the 444 matched ones,
  the low ones being turning steps.
- **Contact time** is initial contact to the next toe-off of the same foot. The IPOL reference
  events are algorithmic and hand-checked, gaitmap's come from motion capture. The timing table
  below splits the contact bias: against gaitmap's motion capture our initial contacts are on
  time (median +0 ms) and our toe-offs 21 ms early (the fastest plantarflexion comes before the
  toe leaves the ground); against IPOL's algorithmic labels both come about 30 ms early, which
  says as much about where those labels put the events as about ours. On the simulated runs the
  toe-off is exact and the initial contact 17-25 ms early (the end of the swing lobe is found
  before the simulated strike, most with forefoot strikes). No offset was fitted: one mocap
  walk is too little to correct on. **Per data set** (2026-12-01, a scratch analysis of the
  original files, not run by this tool): in IPOL the foot's sagittal rate (`Gyr_Y`) crosses zero
  a median 20 ms before the labelled heel strike (IQR 10-30 ms, 665 strikes) and the |acc|
  impact peak comes 30 ms after it; in gaitmap the crossing is 5 ms before the mocap contact (IQR
  0-10 ms) and the impact 24 ms after it. Likewise the peak angular rate near toe-off is 30 ms
  before IPOL's label and 5 ms before gaitmap's mocap toe-off. So IPOL's labels sit 15-25 ms
  later in the foot's motion than motion capture puts the events, which explains about half of
  our -31 ms against them; the other half is ours (our contact comes about 11 ms before the
  crossing on IPOL, 5 ms after it on gaitmap). Per IPOL trial our contact bias ranges from -14
  to -63 ms and our toe-off bias from -24 to -60 ms, unrelated to cadence (r = 0.07 for the
  contact) and age (r = 0.01). The contact-time bias is therefore a difference of two offsets
  against IPOL and one walker's offset against gaitmap; none of the three says what the bias of
  a runner's contact time is.
- **FIT files**: calfload reports the device's own figures where the session has them: steps =
  2 x `total_strides`, mean cadence = 2 x (`avg_running_cadence` or `avg_cadence` +
  `avg_fractional_cadence`), which the FIT profile defines as `total_cycles / total_timer_time`
  (time with non-zero cadence), i.e. steps over moving time from every internal sample; the
  JSON says so (`steps_source`, `cadence_mean_source`). This row therefore checks the import
  (sport, strides to steps, fractional part), not an estimate, and it is the judged FIT figure
  (what `analyze --json` reports). **FIT files, from records** is not what calfload reports for
  these files: it is the fallback used only when a session has no stride total or no average
  (the JSON then gives `steps_source` "integrated cadence" or `cadence_mean_source`
  "time-weighted records"), here checked
  against the device's figures as a cross-check of that fallback: steps by integrating the
  recorded cadence, mean cadence time-weighted over moving time
  (`cadence_mean_from_records_spm`). It passes on the three other files and fails on the two
  Fenix 5 files, which "smart record" (17-21 records, up to 14 s apart) and whose two device
  figures contradict each other, so no estimate from the records can meet both. The walk's
  session average (122.5 spm) over its timer time (45.4 s; its records never show a stop) is
  92.6 steps, against 82 from its stride total (41 strides: 108 spm, while every record says
  106-136 spm); ours are 93 steps and 121.8 spm, agreeing with the average. The run's records
  show zero cadence for the first 2-4 s, so its own 78 strides over the remaining 52.9-54.9 s
  are 170.5-176.9 spm, against its average of 167.3 spm (which implies 55.9 s of moving); ours
  are 155 steps (156) and 173.0 spm, agreeing with the stride total. Each of our figures agrees
  with one of the device's, and the device's other figure is inconsistent with the first.
- **Lower back** (IPOL L5, mobgap with INDIP bouts) and **arm/hand** (Oxford, phone accelerometer
  only) are best effort: steps from the periodic bounce, no contact time. mobgap steps are those
  inside the reference walking bouts; short bouts (4-10 steps) lose their first and last steps.
  **Shank** and **thigh** are measured on the Marpino walking data set (its own section below:
  real IMUs on feet, shanks and thighs with foot-pressure contacts, read from a mirror outside
  this project). Both use the foot's swing detection, with the swing's sign taken from the
  largest lobe of the slow angular rate (a shank or thigh never dwells flat, and its swing is its
  largest rotation: Aminian et al. 2002, Salarian et al. 2004), the thigh on its rate low-passed
  at 2 Hz and its strides timed by the peak of that slow lobe (the lobe's end, a crossing near
  zero, moves with the thigh's soft-tissue wobble); also checked on a kinematic stand-in
  (`tests/test_signal/test_gait_leg_segments.py`, its angle curves stated there).
- **Simulated runs** (`calfload.sim.simulate_run`, physics in its docstring) stand in for labelled
  running IMU data, which no public dataset provides: cadence 150-200 spm, 2.2-5.5 m/s, rearfoot
  and forefoot strikes, random mounting, noise, bias, timestamp jitter, dropped packets,
  50-1000 Hz. Forefoot strikes make contact up to ~70 ms long: the foot's rotation slows to
  zero before the forefoot lands, so the end of the swing lobe is found at foot-flat or at
  contact depending on noise.
- **Gait without --activity** (last column): every IMU case's first recording with its placement
  set to `unknown` goes through the activity detection (`calfload.signal._activity`) that
  `calfload analyze` uses when neither `--activity` nor the metadata names the activity; the
  column is the share detected as gait (walking or running). mobgap's Test11 trials are
  simulated daily living (walking bouts among sitting, standing and reaching): "cannot tell" is
  the intended answer there, and `analyze` then asks for `--activity` in one line.
- **Activity, simulated (held out)**: calf-raise sessions (with walking between sets at random),
  hop sessions (foot or shank) and runs from the simulators, any mounting, 25-1000 Hz, seeds
  100-129. The thresholds were set while looking at seeds 0-40 (calf raises), 0-11 (hops), 0-7
  (runs) and at the real recordings of every data set here (IPOL, gaitmap, mobgap, Oxford), so
  only these seeds are held out; no real calf-raise or hop IMU recording exists to hold out.
  Shank and thigh walking without `--activity` is not in this column (the Marpino section below
  runs its originals through the command line without `--activity`).
- **FIT files, public repositories**: 24 files that nobody here recorded (GoldenCheetah,
  workoutizer, ActivityLog2 test folders; `refs.json` gives the devices' own values read with
  fitdecode). Pass: the expected activity, steps within 3 % of twice the stride total and the
  session average within 2 spm where the file has them; a file that records no cadence must give
  unknown steps (never 0) with a warning; the rowing file must be refused in one line. The steps
  and average are the device's own figures (an import check); the JSON adds `cadence_spm.moving`
  (time-weighted over moving records) beside `cadence_spm.device_average`, because the FR645M
  walks' averages count stopped time (51.9, 63.9, 65.9, 75.6 spm while moving at 100-103).
  The Suunto run has no session cadence and reports 110 steps/min in 77 % of its records at
  1.6 m/s: its 2663 steps are what the records say, with nothing to check them against.
- **Tiled walk**: gaitmap's example walk (left foot, 33 strides) tiled 2, 5 and 20 times gives
  66, 165 and 660 strides and the same median cadence (110.7 spm): no extra stride at the tile
  joins (a scratch measurement, not run by this tool).
- **Speed**: one hour of 200 Hz foot IMU (720 000 samples) takes 0.2-0.5 s on this shared 2-core
  machine (a scratch measurement; the benchmark script is separate).
"""


def _detected(row: Row) -> str:
    if row.case.error is not None:
        return f": {row.case.error.split(': ', 1)[-1]}"
    if row.case.ref_activity is not None and row.case.detect_only:
        return f" (truth {row.case.ref_activity})"
    return "" if row.detected is None else f" (without --activity: {row.detected})"


def timing_lines(rows: Sequence[Row]) -> list[str]:
    """Initial-contact and toe-off timing of every one-foot case with labelled events."""
    cases = [
        EventCase(r.case.dataset, _variant_label(r.case), r.case.recordings[0], *r.case.events[0])
        for r in rows
        if len(r.case.recordings) == 1 and len(r.case.events) == 1 and r.case.within_span_of is None
    ]
    if not cases:
        return []
    return [
        "## Initial contact and toe-off timing",
        "",
        "Each one-foot case's initial contacts (IC) and toe-offs (TO), found as `calfload analyze` finds them,",
        f"paired with the nearest reference event within {1000 * MATCH_S:.0f} ms (`tools/validate_events.py`);",
        "error = ours minus the reference (positive: late). Both feet pooled per row.",
        "",
        *timing_table(cases),
        "",
    ]


def cli_cases(rows: Sequence[Row]) -> list[CliCase]:
    """The real foot walks (IPOL and gaitmap, every variant) for the command-line check."""
    return [
        CliCase(c.dataset, c.name, c.recordings, c.placement, c.ref_steps, c.ref_cadence_spm)
        for c in (r.case for r in rows)
        if c.dataset.startswith(("IPOL feet", "gaitmap feet")) and c.within_span_of is None
    ]


def _variant_label(case: Case) -> str:
    if case.dataset.startswith("IPOL"):
        return case.name.rsplit(" ", 1)[-1]
    if case.dataset == "simulated runs":
        return case.name.split(", ")[2]  # rearfoot / forefoot
    return case.name.rsplit(" ", 1)[0]


def render_markdown(
    rows: Sequence[Row],
    dynamics: Sequence[str] | None = None,
    timing: Sequence[str] | None = None,
    stamp: str | None = None,
) -> str:
    """Render the docs/validation.md page (with the running-dynamics section's lines and the run's stamp, if given)."""

    def f(x: float | None, fmt: str) -> str:
        return "–" if x is None or math.isnan(x) else format(x, fmt)

    lines = [
        "# Validation of steps, cadence and ground contact",
        "",
        "Written by `python -m tools.validate` from the labelled recordings in `../shared/validation`",
        "(see each folder's `SOURCE.md`; none of them is copied into this project). Criteria from issue 3: steps",
        "within max(2, 3 %) of the reference and median cadence within 2 spm (FIT: steps from the cadence",
        "within 3 % of twice the device's stride total, mean cadence within 2 spm of its session average).",
        '"FIT files, from records" is a cross-check of the fallback used when a file has no totals, not what',
        "`analyze` reports for these files (see Reading the table).",
        "",
        (
            "| dataset | files | median abs step error | mean abs step error | median abs cadence error | "
            "max abs cadence error | median contact bias | pass | gait without --activity |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summary_table(rows):
        lines.append(
            f"| {s['dataset']} | {s['files']} | {f(s['median_abs_step_error'], '.0f')} | "
            f"{f(s['mean_abs_step_error_pct'], '.1f')} % | {f(s['median_abs_cadence_error_spm'], '.1f')} spm | "
            f"{f(s['max_abs_cadence_error_spm'], '.1f')} spm | {f(s['median_contact_bias_ms'], '+.0f')} ms | "
            f"{_pass(s['passed'], s['judged'])} | "
            f"{f(None if s['detected_as_gait'] is None else 100 * s['detected_as_gait'], '.0f')} % |"
        )
    lines += ["", *([stamp, ""] if stamp else []), NOTES, *(timing or []), *(dynamics or []), "## Per file", ""]
    lines += [
        "| dataset | case | steps (ref) | median/mean cadence spm (ref) | contact ms (ref) | activity | pass |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in (r for r in rows if r.case.within_span_of is None):
        ref_cad = r.case.ref_mean_cadence_spm if r.case.use_mean else r.case.ref_cadence_spm
        ok = {True: "yes", False: "**no**", None: "–"}[r.passed]
        lines.append(
            f"| {r.case.dataset} | {r.case.name} | {f(r.steps, 'd')} ({f(r.case.ref_steps, 'd')}) | "
            f"{f(r.cadence_spm, '.1f')} ({f(ref_cad, '.1f')}) | {f(r.contact_ms, '.0f')} "
            f"({f(r.case.ref_contact_ms, '.0f')}) | {r.activity}{_detected(r)} | {ok} |"
        )
    return "\n".join(lines) + "\n"


__all__ = ["NOTES", "cli_cases", "render_markdown", "summary_table", "timing_lines"]
