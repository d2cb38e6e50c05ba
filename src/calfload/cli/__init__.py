"""Command line: argument parsing and wiring only.

Each command lives in its own module under :mod:`calfload.cli` with two functions:
``register(subparsers)`` adds its parser and sets ``handler``; the handler takes the parsed
namespace and returns the exit code. The commands' names and one-line help are declared in
:data:`calfload.cli._commands.COMMANDS`, so ``calfload --help`` imports no command module, and a
command line imports and builds only the command it names. Command modules import heavy
libraries inside their handlers.

Exit codes: 0 ok, 2 usage, 3 data errors, 4 device errors, 5 journal errors, 130 interrupted.
Every error is one line on stderr that says what to do; there are no tracebacks unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence

from calfload import package_version
from calfload.cli._commands import BY_NAME, COMMANDS, CommandAdder, add_listed
from calfload.cli._errors import cli_message, cli_text
from calfload.cli._terminal import fit_message, safe_terminal
from calfload.errors import CalfloadError, CalfloadWarning, JournalError

# typing is imported for the type checker only (mypy takes any ``TYPE_CHECKING`` as true): ``--help``'s
# modules use none of its names at run time, and importing it was about a tenth of ``--help``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final, TextIO

#: Commands that analyse whole recordings and exit: :func:`entry` lets them reuse the large blocks they free
#: (:mod:`calfload._memory`). Long-lived ones (``record``, ``batch``'s workers) hand freed memory back as before.
RECORDING_COMMANDS: Final = frozenset({"analyze", "import", "reanalyze", "demo"})

#: Command modules, in the order ``--help`` lists their commands.
COMMAND_MODULES: Final[tuple[str, ...]] = tuple(dict.fromkeys(c.module for c in COMMANDS))

#: New objects between two collections of the youngest generation in a command (:func:`entry`; Python's default is 700).
YOUNG_COLLECTION_OBJECTS: Final = 100_000

EXIT_USAGE: Final = 2
EXIT_INTERRUPTED: Final = 130
EXIT_INTERNAL: Final = 70


#: ``build_parser(only=LISTED)``: every command listed by name and help, none built.
LISTED: Final = ""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Build the top-level parser.

    Parameters
    ----------
    only
        None: every command with all its options (shell completion, tests). A command name: that
        command's module is imported and its commands' parsers built; the other commands are left
        out (the name is known to be that command's). :data:`LISTED`: every command listed by name
        and help, none built (enough for ``--help`` and to find the command).
    """
    from calfload.cli._options import CommandParser, add_global_options

    parser = CommandParser(
        prog="calfload",
        description=(
            "Calf-raise tempo, running cadence and Achilles load from wearable IMUs and foot pods. "
            "Figures are a relative index for training decisions, not a measurement of tendon force."
        ),
    )
    parser.add_argument("--version", action=_VersionAction, help="show the version and exit")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="journal folder (default: $CALFLOAD_HOME, else the platform's user data folder)",
    )
    parser.add_argument(
        "--athlete", metavar="NAME", help="whose journal (`calfload athlete list`; default: the folder's only athlete)"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (repeatable)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for bug reports)")
    parser.add_argument(
        "--units",
        choices=("metric", "imperial"),
        help="distances in km or miles, loads in kg or lb (default: units in config.toml, else metric)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = None if only is None else BY_NAME[only].module if only else LISTED
    built: set[str] = set()
    listed: list[argparse.ArgumentParser] = []
    for command in COMMANDS:
        if chosen is not None and command.module != chosen:
            if chosen == LISTED:
                listed.append(add_listed(sub, command))
        elif command.module not in built:  # a module registers all of its commands at once
            importlib.import_module(command.module).register(CommandAdder(sub))
            built.add(command.module)
    # --data-dir, --athlete, -q, -v, --debug, --units also after the command name
    add_global_options(parser, skip=listed)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``calfload`` command line and return the exit code."""
    _lean_arrow_memory()
    _one_blas_thread()
    try:
        args = parse_line(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    except CalfloadError as exc:  # a value refused as it is read (a measure out of its range), before any work
        print(fit_message(f"calfload: error: {_one_line(cli_message(exc))}", sys.stderr), file=sys.stderr)
        return exc.exit_code
    with safe_terminal():
        return _run(args)


def parse_line(line: Sequence[str]) -> argparse.Namespace:
    """Parse a command line as :func:`build_parser` ``()`` would, building only the named command's parser.

    First the command's name: read off a plain line (:func:`plain_command`), else found by the
    listing parser (``--help``, ``--version`` and usage errors before the name end there); then
    that command's parser reads the whole line.

    Raises
    ------
    SystemExit
        As argparse does: 2 on a usage error, 0 after ``--help`` or ``--version``.
    """
    command = plain_command(line) or build_parser(LISTED).parse_known_args(line)[0].command
    return build_parser(command).parse_args(line)


#: The top-level options (:func:`build_parser`) that take a value, and those that take none, spelled in full.
_VALUED: Final = ("--data-dir", "--athlete", "--units")
_FLAGS: Final = frozenset({"-q", "--quiet", "-v", "--verbose", "--debug"})


def plain_command(line: Sequence[str]) -> str | None:
    """The command a plain command line names: top-level options spelled in full, then a command's name.

    Building the parser that lists every command only to find the name cost a few milliseconds
    at every command (benchmarks/README.md). Any other line (``--help``, ``--version``, an
    abbreviated or combined option, an option's value that looks like an option, no command)
    gives None, and the listing parser finds the command as before; either way the command's
    own parser then reads the whole line, so its errors are the same.
    """
    i = 0
    while i < len(line):
        token = line[i]
        if token in BY_NAME:
            return token
        if token in _VALUED and i + 1 < len(line) and not line[i + 1].startswith("-"):
            i += 2
        elif token in _FLAGS or (token.startswith("--") and token.split("=", 1)[0] in _VALUED and "=" in token):
            i += 1
        else:
            return None
    return None


def entry() -> int:
    """The ``calfload`` console script and ``python -m calfload``: :func:`main`, then hand the exit code back.

    Before the interpreter exits, every object is moved out of the garbage collector's reach
    (:func:`gc.freeze`): at exit Python runs full collections over everything NumPy, pyarrow and
    the command ever allocated, which cost about a tenth of a calf session's whole ``analyze``
    (benchmarks/README.md). The objects are freed by the interpreter's teardown as before; only
    reference cycles left for the collector are not. A process that calls :func:`main` itself
    (tests, notebooks) keeps its collector as it was.

    A command in :data:`RECORDING_COMMANDS` first sets the process to reuse the large blocks it
    frees (:func:`calfload._memory.reuse_freed_memory`): at 10 h of samples the kernel's page
    faults had cost about as much CPU as the analysis. ``main`` alone leaves the allocator as it is.

    While the command runs, the collector's youngest generation is examined after
    :data:`YOUNG_COLLECTION_OBJECTS` new objects instead of Python's 700. Importing NumPy, pyarrow
    and calfload leaves about 28,000 objects the collector tracks; the 55 young and 6 middle
    collections that examined them on the way cost about 3 % of a calf session's whole
    ``analyze`` and found under 500 objects in cycles (benchmarks/README.md). Garbage without
    cycles is freed at once as before; cycles wait for the next, rarer collection.
    """
    gc.set_threshold(YOUNG_COLLECTION_OBJECTS, *gc.get_threshold()[1:])
    if (named := plain_command(sys.argv[1:])) and BY_NAME[named].name in RECORDING_COMMANDS:
        from calfload._memory import set_freed_memory_reuse

        set_freed_memory_reuse()  # before NumPy is imported and the first large array made
    code = main()
    gc.freeze()
    return code


def _lean_arrow_memory() -> None:
    """Arrow's jemalloc pool on x86-64 Linux (pyarrow's wheels there include it), unless the user chose a pool.

    With pyarrow's default (mimalloc), reading one small Parquet file left about 15 MB of arenas
    resident, and an hour of samples peaked 17 MB higher (benchmarks/README.md, issue 15 item 3).
    Set before pyarrow is imported; a process that already imported it keeps its pool. Other
    machines keep the default: a build without jemalloc (pyarrow's ARM wheels have been built
    without it) warns on every command when asked for it.
    """
    if sys.platform.startswith("linux") and os.uname().machine == "x86_64":
        os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")


def _one_blas_thread() -> None:
    """NumPy's OpenBLAS with one thread, unless the user chose a number (set before NumPy is imported).

    At import OpenBLAS starts a thread per core, which cost about 0.025 s of CPU at every
    command that imports NumPy (``import numpy`` paired with and without, benchmarks/README.md).
    calfload's matrix products are N x 3 by 3 or 3 x 3, too small for threads to pay, and
    ``analyze --json`` is byte-identical with and without on the benchmark's calf session, run
    and tiled gaitmap walk. ``batch`` workers inherit it (no more BLAS threads than cores). A
    process that already imported NumPy keeps its threads.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _run(args: argparse.Namespace) -> int:
    _configure_logging(args.verbose, args.quiet)
    stderr = sys.stderr
    with warnings.catch_warnings():
        warnings.showwarning = _warning_printer(stderr, quiet=args.quiet)
        # calfload's own warnings say what was assumed about the user's data: always one line each.
        warnings.simplefilter("always", CalfloadWarning)
        try:
            from calfload.cli._athlete import select_athlete
            from calfload.cli._config import apply_config
            from calfload.pipeline._journal_import import no_new_journal_on_failure

            # A failed command leaves no trace: a journal it started in a new folder is removed.
            with no_new_journal_on_failure(args.data_dir, failures=(CalfloadError,)):
                select_athlete(args)  # --athlete: the journal commands use that athlete's journal and profile
                apply_config(args)  # config.toml in the data folder fills options the command line left unset
                return int(args.handler(args))
        except CalfloadError as exc:
            if args.debug:
                raise
            print(fit_message(f"calfload: error: {_one_line(cli_message(exc))}", stderr), file=stderr)
            return exc.exit_code
        except KeyboardInterrupt:
            print("calfload: interrupted", file=stderr)
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            return 0
        except _database_error() as exc:  # a damaged page a read met (quick_check runs before the first write)
            if args.debug:
                raise
            from calfload.journal import DB_NAME, resolve_data_dir

            path = resolve_data_dir(args.data_dir) / DB_NAME
            print(
                f"calfload: error: the journal {path} is damaged or not calfload's ({_one_line(str(exc))}); "
                "nothing more was written: run `calfload check`",
                file=stderr,
            )
            return JournalError.exit_code
        except Exception as exc:  # the last line of defence: never a traceback for users
            if args.debug or os.environ.get("CALFLOAD_DEBUG"):
                raise
            print(
                f"calfload: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
                "(a bug: please report it with the output of --debug)",
                file=stderr,
            )
            return EXIT_INTERNAL


class _NeverRaisedError(Exception):
    """Stands for sqlite3's errors when no command opened a journal."""


def _database_error() -> type[Exception]:
    """sqlite3's DatabaseError once a journal was opened; sqlite3 is not imported for commands without one."""
    if "sqlite3" not in sys.modules:
        return _NeverRaisedError
    import sqlite3

    return sqlite3.DatabaseError


class _VersionAction(argparse.Action):
    """``--version``: reads the package metadata only when asked (it costs start-up time otherwise)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:  # noqa: A002
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"calfload {package_version()}")
        parser.exit()


#: Longest message printed for one error or warning (characters); a 50 MB field must not become a 50 MB line.
MAX_MESSAGE_CHARS: Final = 600


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_MESSAGE_CHARS else line[: MAX_MESSAGE_CHARS - 1] + "…"


def _warning_printer(stream: TextIO, *, quiet: bool) -> Callable[..., None]:
    def show(message: Warning | str, *_: object, **__: object) -> None:
        if not quiet:
            from calfload.report._progress import paused_progress

            with paused_progress():  # a progress bar on the line is erased first, then drawn below
                print(fit_message(f"calfload: warning: {_one_line(cli_text(str(message)))}", stream), file=stream)

    return show


def _configure_logging(verbose: int, quiet: bool) -> None:
    """The root handler every command's log lines go through (``-v``, ``-q``); :mod:`logging` is imported here.

    Not at the top of this module: ``--help``, ``--version`` and a usage error end before a command
    runs, and importing :mod:`logging` was about 15 % of ``--help``'s instructions.
    """
    import logging

    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="calfload: %(levelname)s: %(message)s", stream=sys.stderr)


__all__ = ["COMMAND_MODULES", "build_parser", "entry", "main", "parse_line", "plain_command"]
