"""``calfload analyze FILE``: reps, phases and tempo of a calf session (or steps and cadence of a run)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from calfload.cli._commands import CommandAdder
from calfload.cli._common import COLUMNS_HELP, bounded_float, column_map, print_json
from calfload.vocabulary import ACTIVITIES, PLACEMENTS, TARGET_ECCENTRIC_RANGE_S

if TYPE_CHECKING:
    from calfload.loadmodel._cadence_types import CadenceCheck
    from calfload.signal import SessionAnalysis
    from calfload.units import UnitSystem


def register(sub: CommandAdder) -> None:
    """Add the ``analyze`` command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "analyze",
        description=(
            "Analyse a recording (.parquet, .csv, .fit, or a phone app's export folder or .zip). "
            "For calf raises: reps, sets, rise / top hold / "
            "lowering / bottom per rep, and the lowering-tempo audit. Give the left and right files of one "
            "walk or run together to merge them into true step counts."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="recording files, or a phone-app export folder or .zip")
    p.add_argument("--columns", type=column_map, metavar="MAP", help=COLUMNS_HELP)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--activity", choices=ACTIVITIES, help="override the recording's activity")
    p.add_argument("--placement", choices=PLACEMENTS, help="override where the sensor was worn")
    p.add_argument(
        "--target-eccentric",
        type=bounded_float(*TARGET_ECCENTRIC_RANGE_S, what="--target-eccentric"),
        metavar="S",
        help="target lowering time in seconds (default 3.0)",
    )
    p.add_argument(
        "--tolerance",
        type=bounded_float(0.0, 10.0, what="--tolerance"),
        metavar="S",
        help="a rep passes when lowering lasts at least target - tolerance (default 0.5 s)",
    )
    p.add_argument("--no-reps", action="store_true", help="print the set table only")
    p.add_argument(
        "--cadence-target",
        type=bounded_float(0.5, 20.0, what="--cadence-target"),
        metavar="PCT",
        help="a run's cadence retraining target, %% above your usual cadence at that speed (e.g. 5)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Analyse the files and print tables or JSON."""
    from calfload.pipeline import recording_session
    from calfload.report import Progress

    target = args.target_eccentric
    tolerance = args.tolerance
    if target is not None and tolerance is not None:
        from calfload.signal._calf_types import check_tempo  # a run's analyze never loads the calf-raise types

        check_tempo(target, tolerance)  # before the file is read

    # A bar on a terminal for long recordings; nothing when piped, with --json or --quiet.
    with Progress(len(args.files) + 1, "analysing", enabled=False if args.json or args.quiet else None) as bar:
        page = recording_session(
            args.files,
            activity=args.activity,
            placement=args.placement,
            columns=args.columns,
            target_eccentric_s=target,
            tolerance_s=tolerance,
            data_dir=args.data_dir,
            target_increase_pct=args.cadence_target,
            steps=bar,
        )
    analysis, cadence, pulse = page.analysis, page.cadence, page.heart_rate
    result = analysis.to_dict()
    if cadence is not None:
        result["cadence_check"] = cadence.to_dict()
    if pulse is not None:
        result["heart_rate"] = pulse.to_dict()
    if args.json:
        # The page's recordings and the analysis are all in ``result`` now: the JSON text of a long
        # file is made without them (a 5.4 h FIT walk's peak memory was here).
        del page, analysis
        print_json(result)
        return 0
    text = render_text(analysis, source=", ".join(args.files), show_reps=not args.no_reps, units=args.units)
    if cadence is not None:
        text += "\n\n" + "\n".join(f"  {line}" for line in _cadence_lines(cadence))
    if pulse is not None:
        text += f"\n\n  heart rate mean {pulse.mean_bpm:.0f}, max {pulse.max_bpm:.0f} beats/min"
    print(text)
    return 0


def _cadence_lines(check: CadenceCheck) -> list[str]:
    where = "your usual cadence at that speed" if check.reference == "habitual relation" else "the run's first half"
    lines = [
        f"cadence alert: {a.cadence_spm:.0f} steps/min from {a.start_s / 60:.1f} to {a.end_s / 60:.1f} min, "
        f"{-a.deficit_pct:.0f} % below {where}"
        for a in check.alerts
    ]
    if not lines and check.reference != "not judged":
        lines = [f"cadence: no stretch more than {check.threshold_pct:g} % below {where}"]
    lines += [a.describe() for a in check.asymmetry]
    if check.target_increase_pct is not None and check.target_met_share is not None:
        lines.append(f"cadence target +{check.target_increase_pct:g} %: met in {check.target_met_share:.0%} of the run")
    return lines


def render_text(
    result: SessionAnalysis,
    *,
    source: str,
    show_reps: bool = True,
    units: UnitSystem = "metric",
) -> str:
    """The terminal rendering for any activity's result (distances and hop heights in ``units``)."""
    from calfload.report import render_calf_text, render_gait_text
    from calfload.signal import CalfRaiseAnalysis, HopAnalysis

    if isinstance(result, CalfRaiseAnalysis):
        return render_calf_text(result, source=source, show_reps=show_reps)
    if isinstance(result, HopAnalysis):
        from calfload.report._hops_text import render_hops_text

        return render_hops_text(result, source=source, show_contacts=show_reps, units=units)
    return render_gait_text(result, source=source, units=units)
