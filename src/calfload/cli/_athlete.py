"""``calfload athlete add|list|set``, and choosing the athlete whose journal a command uses.

``--athlete NAME`` (before or after the command name, or ``athlete = NAME`` in ``config.toml``)
chooses the athlete. For every command not in :data:`FOLDER_COMMANDS` the namespace's ``data_dir``
then names that athlete's journal folder (``data_root`` keeps the data folder), so every command
that opens a journal opens the athlete's. The athlete's profile fills options the command line
left unset (a flag wins, then the profile, then ``config.toml``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Final

from calfload.cli._commands import CommandAdder
from calfload.cli._common import print_json
from calfload.units import UnitSystem

if TYPE_CHECKING:
    from pathlib import Path

    from calfload.journal._athletes import ProfileValues

#: Commands that do not work on one athlete's journal. Every other command does, so a command added
#: later reads and writes the chosen athlete's journal without being listed anywhere.
FOLDER_COMMANDS: Final = frozenset(
    {"scan", "analyze", "analyse", "demo", "athlete", "roster", "export", "restore", "batch", "completion"}
)
#: Profile field -> the option (namespace attribute) it fills when the command line left it unset.
PROFILE_OPTIONS: Final = {"side_affected": "affected", "foot_length_cm": "foot_length_cm", "units": "units"}


def register(sub: CommandAdder) -> None:
    """Add the ``athlete`` command and its subcommands."""
    p: argparse.ArgumentParser = sub.add_parser(
        "athlete",
        description=(
            "One data folder holds many athletes, each with a journal of their own; choose one with --athlete NAME "
            "on any command. A folder that never used `athlete add` holds one athlete (named by config.toml's "
            "athlete, else 'default')."
        ),
    )
    kinds = p.add_subparsers(dest="athlete_command", metavar="ACTION", required=True)
    add = kinds.add_parser("add", help="add an athlete", description="Add an athlete and start their journal.")
    add.add_argument("name", metavar="NAME", help="the athlete's name (unique in this folder)")
    _profile_options(add)
    add.set_defaults(handler=run_add)
    put = kinds.add_parser(
        "set", help="change an athlete's profile", description="Change the profile values given; others are kept."
    )
    put.add_argument("name", metavar="NAME", help="the athlete's name")
    _profile_options(put)
    put.set_defaults(handler=run_set)
    ls = kinds.add_parser("list", help="list the athletes", description="List the athletes of this data folder.")
    ls.add_argument("--json", action="store_true", help="print a JSON array of objects with a name each")
    ls.set_defaults(handler=run_list)


def _profile_options(p: argparse.ArgumentParser) -> None:
    from calfload.cli._measure import MeasureRange, add_measure  # every command imports this module (select_athlete)
    from calfload.vocabulary import BODY_MASS_RANGE_KG, FOOT_LENGTH_RANGE_CM, PROGRAMMES, SIDES_AFFECTED, UNITS

    # dest profile_*: config.toml fills options by their dest, and must not fill a profile.
    p.add_argument("--side-affected", dest="profile_side_affected", choices=SIDES_AFFECTED, help="the painful side")
    add_measure(
        p,
        "--foot-length-cm",
        dest="profile_foot_length_cm",
        limits=MeasureRange(*FOOT_LENGTH_RANGE_CM),
        help="heel to ball",
    )
    p.add_argument("--programme", dest="profile_programme", choices=PROGRAMMES, help="the calf programme followed")
    p.add_argument("--units", dest="profile_units", choices=UNITS, help="units of this athlete's output")
    add_measure(
        p,
        "--body-mass-kg",
        limits=MeasureRange(*BODY_MASS_RANGE_KG),
        help="body mass today (kept in the athlete's journal)",
    )


def unnamed_athlete(args: argparse.Namespace) -> str:
    """The name of a folder's first athlete when nobody named them: config.toml's ``athlete``, else default."""
    from calfload.cli._config import read_config
    from calfload.journal import resolve_data_dir
    from calfload.journal._athletes import DEFAULT_ATHLETE

    name = read_config(resolve_data_dir(_root(args))).get("athlete")
    return name.strip() if isinstance(name, str) else DEFAULT_ATHLETE


def _root(args: argparse.Namespace) -> str | None:
    root: str | None = getattr(args, "data_root", None) or args.data_dir
    return root


def select_athlete(args: argparse.Namespace) -> None:
    """Point a journal command's ``data_dir`` at the chosen athlete's journal and fill options from the profile.

    Raises
    ------
    JournalError
        If the athlete is unknown, or none was chosen and the folder holds more than one.
    """
    if args.command in FOLDER_COMMANDS or getattr(args, "data_root", None) is not None:
        return
    from calfload.cli._config import read_config
    from calfload.journal import resolve_data_dir
    from calfload.journal._athletes import find_athlete, read_profile

    root = resolve_data_dir(args.data_dir)
    chosen = getattr(args, "athlete", None) or read_config(root).get("athlete")
    name = chosen if isinstance(chosen, str) else None
    athlete = read_profile(find_athlete(root, name, unnamed=unnamed_athlete(args)))
    args.data_root = str(root)
    args.data_dir = str(athlete.journal_dir)
    args.athlete_name = athlete.name
    for field, dest in PROFILE_OPTIONS.items():
        value = getattr(athlete, field)
        if value is not None and value != "both" and hasattr(args, dest) and getattr(args, dest) is None:
            setattr(args, dest, value)


def run_add(args: argparse.Namespace) -> int:
    """Add an athlete."""
    from calfload.journal._athletes import add_athlete

    athlete = add_athlete(_folder(args), args.name, unnamed=unnamed_athlete(args), **_profile_args(args))
    _log_mass(args, athlete.journal_dir)
    if not args.quiet:
        print(f"added athlete {athlete.name} (journal: {athlete.journal_dir})")
    return 0


def run_set(args: argparse.Namespace) -> int:
    """Change an athlete's profile."""
    from calfload.errors import JournalError
    from calfload.journal._athletes import update_athlete

    values = _profile_args(args)
    if all(v is None for v in values.values()) and args.body_mass_kg is None:
        raise JournalError(
            "give at least one of --side-affected, --foot-length-cm, --programme, --units, --body-mass-kg"
        )
    athlete = update_athlete(_folder(args), args.name, unnamed=unnamed_athlete(args), **values)
    _log_mass(args, athlete.journal_dir)
    if not args.quiet:
        print(f"updated athlete {athlete.name}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List the athletes with their profiles."""
    from calfload.journal._athletes import list_athletes, read_profile

    athletes = [read_profile(a) for a in list_athletes(_folder(args), unnamed=unnamed_athlete(args))]
    if args.json:
        print_json(
            [
                {
                    "name": a.name,
                    "side_affected": a.side_affected,
                    "foot_length_cm": a.foot_length_cm,
                    "programme": a.programme,
                    "units": a.units,
                }
                for a in athletes
            ]
        )
        return 0
    from calfload.units import Length  # calfload._phrases: not for the commands that only select an athlete

    for a in athletes:
        details = [
            f"{label} {value}"
            for label, value in (
                ("side affected", a.side_affected),
                (
                    "foot",
                    None
                    if a.foot_length_cm is None
                    else Length(a.foot_length_cm).render(_system(a.units or args.units)),
                ),
                ("programme", a.programme),
                ("units", a.units),
            )
            if value is not None
        ]
        print(a.name + (f"  ({', '.join(details)})" if details else ""))
    return 0


def _system(units: str | None) -> UnitSystem:
    return "imperial" if units == "imperial" else "metric"


def _folder(args: argparse.Namespace) -> Path:
    from calfload.journal import resolve_data_dir

    return resolve_data_dir(_root(args))


def _profile_args(args: argparse.Namespace) -> ProfileValues:
    return {
        "side_affected": args.profile_side_affected,
        "foot_length_cm": args.profile_foot_length_cm,
        "programme": args.profile_programme,
        "units": args.profile_units,
    }


def _log_mass(args: argparse.Namespace, journal_dir: Path) -> None:
    if args.body_mass_kg is None:
        return
    from calfload.journal import Journal

    with Journal(journal_dir) as journal:
        journal.log_mass(args.body_mass_kg)


__all__ = ["FOLDER_COMMANDS", "register", "select_athlete", "unnamed_athlete"]
