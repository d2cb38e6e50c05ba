"""Options every command takes wherever they are written, and "did you mean" for mistyped commands.

``--data-dir``, ``--athlete``, ``-q``, ``-v``, ``--debug`` and ``--units`` are accepted before the command name (on the
top-level parser) and after it (on every command's parser, nested ones included). After the
command they default to :data:`argparse.SUPPRESS`, so a value given before the command is kept
unless the same option is given again after it.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection

# typing is imported for the type checker only (mypy takes any ``TYPE_CHECKING`` as true): ``--help``'s
# modules use none of its names at run time, and importing it was about a tenth of ``--help``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

#: (flags, keyword arguments) of the options every command accepts after its name.
GLOBAL_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, object]], ...] = (
    (("--data-dir",), {"metavar": "DIR", "help": "journal folder (as before the command)"}),
    (("--athlete",), {"metavar": "NAME", "help": "whose journal (as before the command)"}),
    (("-q", "--quiet"), {"action": "store_true", "help": "only errors (as before the command)"}),
    (("-v", "--verbose"), {"action": "count", "help": "more log output (as before the command)"}),
    (("--debug",), {"action": "store_true", "help": "show tracebacks (as before the command)"}),
    (("--units",), {"choices": ("metric", "imperial"), "help": "km and kg, or miles and lb (as before the command)"}),
)


def terminal_columns() -> int:
    """The terminal's width as :func:`shutil.get_terminal_size` gives it, without importing :mod:`shutil`.

    ``$COLUMNS`` when it is a positive number, else the width of the terminal on
    ``sys.__stdout__``, else 80 (no terminal, or one that says 0 columns). argparse makes a help
    formatter at every ``add_argument`` (to check the option's metavar) and its default formatter
    imports shutil for the width, and shutil imports bz2, lzma and fnmatch: about 4 ms of CPU at
    every command (benchmarks/README.md). ``tests/test_cli/test_parse_line.py`` holds the two equal.
    """
    import os
    import sys

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns or 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as the terminal (:func:`terminal_columns`), as argparse's default is."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width)


class CommandParser(argparse.ArgumentParser):
    """An argument parser that answers an unknown command with the closest ones ("did you mean").

    Its help (and that of the command parsers it makes) is laid out by :class:`HelpFormatter` unless
    another ``formatter_class`` is given.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Exit 2 with one line that says what to do (no usage block: every error is one line).

        An unknown command gets the nearest command names ("did you mean").
        """
        import difflib
        import sys

        from calfload.cli._terminal import fit_message

        metavar, choices = _subcommands(self)
        # "argument COMMAND: invalid choice: ..." (not an option's value: "argument --units: invalid choice")
        if choices and message.startswith(f"argument {metavar}: invalid choice:"):
            wrong = message.split("invalid choice:", 1)[1].split("(", 1)[0].strip().strip("'\"")
            close = difflib.get_close_matches(wrong, choices, n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            line = f"{self.prog}: error: unknown command {wrong!r}{hint} (`{self.prog} --help` lists them)"
        else:
            line = f"{self.prog}: error: {message} (`{self.prog} --help` shows the options)"
        self.exit(2, fit_message(" ".join(line.split()), sys.stderr) + "\n")


def _subcommands(parser: argparse.ArgumentParser) -> tuple[str, list[str]]:
    """The metavar of ``parser``'s subcommands (``COMMAND``) and their names, aliases left out."""
    for action in parser._actions:  # argparse has no public list of subcommands
        if isinstance(action, argparse._SubParsersAction):
            first: dict[int, str] = {}
            for name, sub in action.choices.items():  # an alias ("analyse") after its command's name
                first.setdefault(id(sub), name)
            return str(action.metavar), sorted(first.values())
    return "", []


def add_global_options(parser: argparse.ArgumentParser, *, skip: Collection[argparse.ArgumentParser] = ()) -> None:
    """Give every command parser below ``parser`` the :data:`GLOBAL_OPTIONS` (where not already defined).

    ``skip``: command parsers left as they are (the commands only listed by name, not built).
    """
    seen: set[int] = {id(sub) for sub in skip}
    for action in parser._actions:  # argparse has no public list of subcommands
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in action.choices.values():
            if id(sub) in seen:
                continue
            seen.add(id(sub))
            taken = {s for a in sub._actions for s in a.option_strings}
            for flags, kwargs in GLOBAL_OPTIONS:
                free = [f for f in flags if f not in taken]
                if free:
                    sub.add_argument(*free, default=argparse.SUPPRESS, **kwargs)
            add_global_options(sub)


__all__ = ["GLOBAL_OPTIONS", "CommandParser", "add_global_options"]
