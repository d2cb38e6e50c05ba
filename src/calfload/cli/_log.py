"""``calfload log``: body mass, pain and tissue signs, workouts, baseline tests, a session's details.

Every entry is checked before anything is written; a bad value (pain 11, mass 0, a future date, an
unknown session) is refused in one line and the journal stays as it was.
"""

from __future__ import annotations

import argparse

from calfload.cli._arg_types import parse_date, session_id
from calfload.cli._commands import CommandAdder
from calfload.cli._measure import MeasureRange, add_measure
from calfload.units import KG_PER_LB
from calfload.vocabulary import (
    ADDED_LOAD_RANGE_KG,
    BODY_MASS_RANGE_KG,
    CALF_CIRCUMFERENCE_RANGE_CM,
    DISTANCE_RANGE_KM,
    KNEE_TO_WALL_RANGE_CM,
)


def register(sub: CommandAdder) -> None:
    """Add the ``log`` command and its subcommands."""
    p: argparse.ArgumentParser = sub.add_parser(
        "log",
        description="Add entries to the journal. Dates are your calendar dates (default: today).",
    )
    kinds = p.add_subparsers(dest="entry", metavar="ENTRY", required=True)
    _add_mass(kinds)
    _add_pain(kinds)
    _add_workout(kinds)
    _add_visa_a(kinds)
    _add_baseline(kinds)
    _add_programme(kinds)
    _add_session(kinds)


def _add_mass(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log mass``: body mass for a day."""
    mass = kinds.add_parser("mass", help="body mass in kg (or lb)", description="Log body mass (kg, or lb) for a day.")
    mass.add_argument("mass_kg", type=float, metavar="KG", help="body mass in kg (in lb with --lb)")
    mass.add_argument("--lb", action="store_true", help="the body mass is in lb")
    _date_option(mass)
    mass.add_argument("--json", action="store_true", help="print what was logged as one JSON object")
    mass.set_defaults(handler=run_mass)


def _add_pain(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log pain``: pain and tissue signs for a day or one session."""
    pain = kinds.add_parser(
        "pain",
        help="Achilles pain 0-10: during and after training, next morning",
        description=(
            "Log pain on a 0-10 scale for a day: the highest during training, in the hours after, and on the first "
            "steps in the morning. Entries for the same day are merged; morning entries are needed for progress."
        ),
    )
    _date_option(pain)
    pain.add_argument("--during", type=int, metavar="N", help="highest pain during training (0-10)")
    pain.add_argument("--after", type=int, metavar="N", help="pain in the hours after training (0-10)")
    pain.add_argument("--morning", type=int, metavar="N", help="pain on the first steps in the morning (0-10)")
    pain.add_argument("--stiffness", type=int, metavar="N", help="morning stiffness, apart from pain (0-10)")
    pain.add_argument("--tenderness", type=int, metavar="N", help="pain on pressing the tendon (0-10)")
    pain.add_argument(
        "--swelling",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the tendon is swollen that day (--no-swelling: it is not)",
    )
    pain.add_argument("--sharp", action="store_true", default=None, help="training brought a sharp pain")
    which = pain.add_mutually_exclusive_group()
    which.add_argument(
        "--session", type=session_id, metavar="ID", help="pain during/after this session (a day with two sessions)"
    )
    which.add_argument(
        "--activity", choices=("run", "walk", "calf_raise", "hops"), help="the day's session of this activity"
    )
    pain.add_argument("--json", action="store_true", help="print what was logged as one JSON object")
    pain.set_defaults(handler=run_pain)


def _add_workout(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log workout``: a run, walk or calf session without a recording."""
    workout = kinds.add_parser(
        "workout",
        help="a run or calf session without a recording",
        description=(
            "Log a session you did not record: a run or walk by distance and/or duration, or calf raises by "
            "sets x reps. A run's steps are estimated from its duration at your habitual cadence; a calf "
            "session logged this way has no tempo audit."
        ),
    )
    workout.add_argument("--activity", required=True, choices=("run", "walk", "calf_raise"), help="what it was")
    _date_option(workout)
    add_measure(
        workout,
        "--distance-km",
        limits=MeasureRange(*DISTANCE_RANGE_KM, above_low=True),
        help="runs and walks: distance in km",
    )
    workout.add_argument("--duration", type=float, metavar="MIN", help="runs and walks: duration in minutes")
    workout.add_argument("--sets-reps", metavar="SxR", help="calf raises: sets x reps, e.g. 3x12")
    add_measure(
        workout, "--added-load-kg", limits=MeasureRange(*ADDED_LOAD_RANGE_KG), help="calf raises: weight carried (kg)"
    )
    workout.add_argument("--exercise", metavar="NAME", help="calf raises: e.g. single_leg_standing (the default)")
    workout.add_argument("--json", action="store_true", help="print what was logged as one JSON object")
    workout.set_defaults(handler=run_workout)


def _add_visa_a(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log visa-a``: the VISA-A questionnaire by its eight answers."""
    visa = kinds.add_parser(
        "visa-a",
        help="the VISA-A questionnaire (0-100): its eight answers",
        description=(
            "Log the VISA-A questionnaire (Robinson 2001; 100 = no symptoms) by its eight answers in order: "
            "Q1-Q6 0-10 each, Q7 0/4/7/10, Q8 the score of the part (A, B or C) that applies, 0-30."
        ),
    )
    visa.add_argument("items", type=int, nargs=8, metavar="Q", help="the answers to Q1 ... Q8")
    _date_option(visa)
    visa.add_argument("--json", action="store_true", help="print what was logged as one JSON object")
    visa.set_defaults(handler=run_visa_a)


def _add_baseline(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log baseline``: baseline tests of one side."""
    base = kinds.add_parser(
        "baseline",
        help="baseline tests of one side: heel-rise reps, calf circumference, knee-to-wall",
        description="Log a baseline assessment of one leg.",
    )
    base.add_argument("--side", required=True, choices=("left", "right"), help="which leg")
    _date_option(base)
    base.add_argument("--heel-rise-reps", type=int, metavar="N", help="single-leg heel raises to fatigue")
    add_measure(
        base,
        "--calf-circumference-cm",
        limits=MeasureRange(*CALF_CIRCUMFERENCE_RANGE_CM),
        help="calf circumference (cm)",
    )
    add_measure(
        base,
        "--knee-to-wall-cm",
        limits=MeasureRange(*KNEE_TO_WALL_RANGE_CM),
        help="knee-to-wall distance (cm), dorsiflexion",
    )
    base.add_argument("--json", action="store_true", help="print what was logged as one JSON object")
    base.set_defaults(handler=run_baseline)


def _add_programme(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log programme``: the calf programme the review judges against."""
    prog = kinds.add_parser(
        "programme",
        help="the calf programme you follow: default, alfredson or hsr",
        description=(
            "Choose the calf programme the review judges against and takes its next steps from: the default "
            "ladder, Alfredson's heel drops (3 x 15 knee straight and bent, twice daily, 12 weeks) or heavy slow "
            "resistance (Beyer 2015: 3 sessions a week, 15 -> 6 RM over 12 weeks)."
        ),
    )
    prog.add_argument("name", choices=("default", "alfredson", "hsr"), help="the programme")
    prog.add_argument("--json", action="store_true", help="print what was logged as one JSON object")
    prog.set_defaults(handler=run_programme)


def _add_session(kinds: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``log session``: a stored session's exercise and added load."""
    session = kinds.add_parser(
        "session",
        help="set a session's exercise and added load",
        description="Say which exercise and added load a stored session was (`calfload review` lists the ids).",
    )
    session.add_argument("session_id", type=session_id, metavar="ID", help="session id")
    session.add_argument("--exercise", metavar="NAME", help="e.g. single_leg_standing, bilateral_standing, seated")
    add_measure(session, "--added-load-kg", limits=MeasureRange(*ADDED_LOAD_RANGE_KG), help="weight carried (kg)")
    session.add_argument("--json", action="store_true", help="print what was logged as one JSON object")
    session.set_defaults(handler=run_session)


def _say(args: argparse.Namespace, text: str, logged: dict[str, object]) -> None:
    """Confirm what was logged: ``text``, or ``logged`` with ``--json``; nothing with ``-q`` alone."""
    from calfload.cli._common import print_json

    if args.json:
        print_json({"logged": args.entry, **logged})
    elif not args.quiet:
        print(text)


def run_mass(args: argparse.Namespace) -> int:
    """Log body mass."""
    from calfload.journal import Journal
    from calfload.report._logged_text import mass_logged

    # --lb is checked in lb, so that an error speaks the unit typed
    unit, factor = ("lb", KG_PER_LB) if args.lb else ("kg", 1.0)
    mass_kg = MeasureRange(*BODY_MASS_RANGE_KG).check(args.mass_kg, what="body mass", unit=unit, factor=factor)
    with Journal(args.data_dir) as journal:
        day = args.date or journal.today
        journal.log_mass(mass_kg, day)
    _say(args, mass_logged(mass_kg, day, args.units), {"date": day, "mass_kg": mass_kg})
    return 0


def run_pain(args: argparse.Namespace) -> int:
    """Log pain and tissue signs (for a day, or during and after one session)."""
    from calfload.journal import Journal
    from calfload.report._logged_text import pain_logged

    if args.session is not None or args.activity is not None:
        return _run_session_pain(args)
    with Journal(args.data_dir) as journal:
        entry = journal.log_pain(
            args.date,
            during=args.during,
            after=args.after,
            morning=args.morning,
            stiffness=args.stiffness,
            tenderness=args.tenderness,
            swelling=args.swelling,
            sharp=args.sharp,
        )
    _say(args, pain_logged(entry), {"entry": entry})
    return 0


def _run_session_pain(args: argparse.Namespace) -> int:
    from calfload.errors import JournalError
    from calfload.journal import Journal
    from calfload.pipeline import log_session_pain
    from calfload.report._logged_text import session_pain_logged

    per_day = [f"--{n}" for n in ("morning", "stiffness", "tenderness", "swelling") if getattr(args, n) is not None]
    if per_day:
        raise JournalError(
            f"{', '.join(per_day)} belong to the day, not a session: log them without --session/--activity"
        )
    with Journal(args.data_dir, create=False) as journal:
        entry = log_session_pain(
            journal,
            session_id=args.session,
            day=args.date,
            activity=args.activity,
            during=args.during,
            after=args.after,
            sharp=args.sharp,
        )
    _say(args, session_pain_logged(entry), {"entry": entry})
    return 0


def run_workout(args: argparse.Namespace) -> int:
    """Log a session without a recording."""
    from calfload.journal import Journal
    from calfload.pipeline import log_workout
    from calfload.report._logged_text import workout_logged

    with Journal(args.data_dir) as journal:
        logged = log_workout(
            journal,
            activity=args.activity,
            day=args.date,
            distance_km=args.distance_km,
            duration_min=args.duration,
            sets_reps=args.sets_reps,
            added_load_kg=args.added_load_kg,
            exercise=args.exercise,
        )
    _say(
        args,
        workout_logged(logged.session_id, logged.workout, args.units),
        {"session_id": logged.session_id, "workout": logged.workout},
    )
    return 0


def run_visa_a(args: argparse.Namespace) -> int:
    """Log a VISA-A questionnaire."""
    from calfload.journal import Journal
    from calfload.report._logged_text import visa_a_logged

    with Journal(args.data_dir) as journal:
        entry = journal.log_visa_a(args.items, args.date)
    _say(args, visa_a_logged(entry), {"entry": entry, "score": entry.score})
    return 0


def run_baseline(args: argparse.Namespace) -> int:
    """Log a baseline test."""
    from calfload.journal import Journal
    from calfload.report._logged_text import baseline_logged

    with Journal(args.data_dir) as journal:
        test = journal.log_baseline(
            args.side,
            args.date,
            heel_rise_reps=args.heel_rise_reps,
            calf_circumference_cm=args.calf_circumference_cm,
            knee_to_wall_cm=args.knee_to_wall_cm,
        )
    _say(args, baseline_logged(test, args.units), {"test": test})
    return 0


def run_programme(args: argparse.Namespace) -> int:
    """Store the athlete's calf programme."""
    from calfload.journal import Journal
    from calfload.pipeline import PROGRAMME_SETTING

    with Journal(args.data_dir) as journal:
        journal.set_setting(PROGRAMME_SETTING, args.name)
    _say(args, f"programme: {args.name}", {"programme": args.name})
    return 0


def run_session(args: argparse.Namespace) -> int:
    """Set a session's exercise and added load."""
    from calfload.journal import Journal
    from calfload.report._logged_text import session_details_logged

    with Journal(args.data_dir) as journal:
        record = journal.set_session_details(args.session_id, exercise=args.exercise, added_load_kg=args.added_load_kg)
    _say(
        args,
        session_details_logged(record, args.units),
        {
            "session_id": record.session_id,
            "date": record.local_date,
            "exercise": record.exercise,
            "added_load_kg": record.added_load_kg,
        },
    )
    return 0


def _date_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="the day (default: today)")


__all__ = ["register"]
