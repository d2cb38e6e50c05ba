"""The commands, in the order ``--help`` lists them: name, aliases, one-line help and the module that builds it.

The table is the one place a command's name and one-line help are written: ``calfload --help``
lists the commands from it without importing a single command module, and the command the user
chose is the only one whose module is imported and whose parser is built
(:func:`calfload.cli.build_parser`). Each module's ``register(sub)`` adds its parser through
:class:`CommandAdder`, which fills in the help and aliases from here.
"""

from __future__ import annotations

import argparse

# typing is imported for the type checker only (mypy takes any ``TYPE_CHECKING`` as true): ``--help``'s
# modules use none of its names at run time, and importing it was about a tenth of ``--help``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from calfload.cli._options import CommandParser


class Command:
    """One top-level command (read-only).

    A plain class, not a ``typing.NamedTuple`` or a dataclass: ``--help`` builds this table and
    neither imports :mod:`typing` nor compiles any source at run time (a ``NamedTuple`` is made by
    compiling its ``__new__``, a dataclass its methods; the process's first ``compile`` costs about 2 ms).

    Parameters
    ----------
    name
        What the user types.
    module
        The module whose ``register(sub)`` builds the command's parser.
    help
        The one-line help ``--help`` lists.
    aliases
        Other names the command answers to.
    """

    __slots__ = ("aliases", "help", "module", "name")

    def __init__(self, name: str, module: str, help: str, aliases: tuple[str, ...] = ()) -> None:  # noqa: A002
        self.name: Final = name
        self.module: Final = module
        self.help: Final = help
        self.aliases: Final = aliases

    def __repr__(self) -> str:
        return f"Command({self.name!r}, {self.module!r}, {self.help!r}, {self.aliases!r})"


COMMANDS: Final[tuple[Command, ...]] = (
    Command("scan", "calfload.cli._scan", "list nearby foot pods, Polar and WitMotion sensors"),
    Command(
        "record",
        "calfload.cli._record",
        "record a session from a foot pod, Polar or WitMotion sensor (or sim:polar ...)",
    ),
    Command("recover", "calfload.cli._recover", "finish an interrupted recording (after a crash or kill)"),
    Command("import", "calfload.cli._import", "store recordings and their analyses in the journal"),
    Command(
        "analyze",
        "calfload.cli._analyze",
        "analyse a recording: calf-raise reps, phases and tempo, or steps and cadence",
        aliases=("analyse",),
    ),
    Command("log", "calfload.cli._log", "log body mass, pain, baseline tests, or a session's exercise and load"),
    Command("correct", "calfload.cli._correct", "correct a session: activity, exercise, side, added load, date"),
    Command(
        "delete",
        "calfload.cli._correct",
        "delete a session or an entry (kept in the audit trail: `calfload undelete`)",
    ),
    Command("undelete", "calfload.cli._correct", "list deletions, or put one back"),
    Command("test", "calfload.cli._test", "the heel-rise endurance test and its metronome"),
    Command("review", "calfload.cli._review", "back off, hold or progress today, why, and the next step"),
    Command(
        "report",
        "calfload.cli._report",
        "write an HTML report with plots: a session, or the last weeks with today's flag",
    ),
    Command(
        "reanalyze",
        "calfload.cli._reanalyze",
        "run today's algorithms over the stored recordings and show what changes",
    ),
    Command("demo", "calfload.cli._demo", "run calfload on the bundled sample recordings"),
    Command(
        "check",
        "calfload.cli._check",
        "check the journal: SQLite integrity, schema, and every session's stored recording",
    ),
    Command(
        "backup",
        "calfload.cli._check",
        "copy the journal and its recordings into a new folder (safe while other commands run)",
    ),
    Command("athlete", "calfload.cli._athlete", "the athletes of this data folder: add, list, set their profile"),
    Command("roster", "calfload.cli._roster", "the triage list: every athlete's flag today, back off first"),
    Command(
        "export",
        "calfload.cli._export",
        "write every athlete's data as CSV and a Parquet dataset (DuckDB, Spark, Polars read it)",
    ),
    Command(
        "restore",
        "calfload.cli._export",
        "rebuild a data folder from an export (session ids and entry times kept)",
    ),
    Command(
        "batch",
        "calfload.cli._batch",
        "analyse every recording under a folder in parallel (local processes or a Dask cluster)",
    ),
    Command("completion", "calfload.cli._completion", "print a bash or zsh completion script"),
)

#: Command names and aliases -> their command.
BY_NAME: Final[dict[str, Command]] = {n: c for c in COMMANDS for n in (c.name, *c.aliases)}


class CommandAdder:
    """What a command module's ``register(sub)`` receives: ``add_parser`` with the table's help and aliases."""

    def __init__(self, action: argparse._SubParsersAction[CommandParser]) -> None:
        self._action = action

    def add_parser(self, name: str, *, description: str) -> argparse.ArgumentParser:
        """Add command ``name`` (which must be in :data:`COMMANDS`) with its help and aliases from the table."""
        command = BY_NAME[name]
        parser: argparse.ArgumentParser = self._action.add_parser(
            name, help=command.help, aliases=list(command.aliases), description=description
        )
        return parser


def add_listed(action: argparse._SubParsersAction[CommandParser], command: Command) -> argparse.ArgumentParser:
    """Add ``command`` by name and help only: enough to list it and to recognise it, not to parse its options."""
    parser: argparse.ArgumentParser = action.add_parser(
        command.name, help=command.help, aliases=list(command.aliases), add_help=False
    )
    return parser


__all__ = ["BY_NAME", "COMMANDS", "Command", "CommandAdder", "add_listed"]
