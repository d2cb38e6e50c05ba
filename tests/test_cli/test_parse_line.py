"""The command line is parsed as the parser of every command parses it, building only the named command's parser."""

from __future__ import annotations

import argparse
import contextlib
import functools
import io

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import calfload.cli
from calfload.cli import LISTED, build_parser, parse_line, plain_command

#: Words a command line is made of here: top-level options and values, command names and aliases,
#: a command's options, mistakes (an abbreviation, a wrong value, a mistyped command, a stray value).
WORDS = (
    "--data-dir",
    "--data-dir=/tmp/x",
    "--data",
    "/tmp/d",
    "--athlete",
    "sam",
    "--units",
    "--units=imperial",
    "metric",
    "foo",
    "-q",
    "-v",
    "-vv",
    "--debug",
    "--quiet",
    "--verbose",
    "--help",
    "--version",
    "analyze",
    "analyse",
    "anlyze",
    "review",
    "log",
    "pain",
    "--morning",
    "2",
    "--json",
    "run.parquet",
    "-",
)


@functools.cache
def _every_command() -> argparse.ArgumentParser:
    return build_parser()


def _outcome(parse: object, line: list[str]) -> tuple[object, str, str]:
    """What parsing ``line`` gives: the namespace or the exit code, and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: object = vars(parse(line))  # type: ignore[operator]
        except SystemExit as exc:
            result = ("exit", exc.code)
    return result, out.getvalue(), err.getvalue()


@settings(max_examples=60, deadline=None)
@given(line=st.lists(st.sampled_from(WORDS), max_size=6))
@example(line=["--units", "foo", "analyze", "run.parquet"])
@example(line=["--data-dir", "analyze", "analyze", "run.parquet", "--json"])
@example(line=["--athlete", "log", "review", "--json"])  # an option's value that names a command
@example(line=["--data-dir", "-v", "analyze", "run.parquet"])
@example(line=["-v", "--data-dir=/tmp/x", "log", "pain", "--morning", "2"])
def test_a_line_parses_as_the_parser_of_every_command_parses_it(line: list[str]) -> None:
    """Options, values, exit codes and messages are those of :func:`build_parser` with every command built."""
    assert _outcome(parse_line, line) == _outcome(_every_command().parse_args, line)


def test_a_plain_line_builds_only_its_commands_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The listing parser (every command by name) is built only when the line is not plain."""
    built: list[str | None] = []

    def spy(only: str | None = None) -> argparse.ArgumentParser:
        built.append(only)
        return build_parser(only)

    monkeypatch.setattr(calfload.cli, "build_parser", spy)
    args = parse_line(["--data-dir", "/tmp/d", "-q", "analyse", "run.parquet", "--json"])
    assert (args.command, args.data_dir, args.quiet, args.json) == ("analyse", "/tmp/d", True, True)
    assert built == ["analyse"]
    built.clear()
    args = parse_line(["--data", "/tmp/d", "review"])  # an abbreviation: the listing parser finds the command
    assert (args.command, args.data_dir) == ("review", "/tmp/d")
    assert built == [LISTED, "review"]
    assert [plain_command(line) for line in (["--help"], ["-vv", "review"], ["--units"], [])] == [None] * 4


def test_a_wrong_option_value_before_the_command_is_not_called_an_unknown_command() -> None:
    """Was: ``calfload --units foo analyze x`` said "unknown command 'foo'"."""
    result, _, err = _outcome(parse_line, ["--units", "foo", "analyze", "x"])
    assert result == ("exit", 2)
    assert "argument --units: invalid choice: 'foo'" in err
    assert "unknown command" not in err
