"""What the command line loads at start-up: only what the command uses (measured figures live in benchmarks/)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import calfload
from calfload.cli import YOUNG_COLLECTION_OBJECTS


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_version_prints_the_installed_version() -> None:
    proc = subprocess.run([sys.executable, "-m", "calfload", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"calfload {calfload.package_version()}"
    assert calfload.__version__ == calfload.package_version()
    from importlib.metadata import version

    assert version("calfload") == calfload.__version__  # the installed metadata reads the same declaration


def test_help_loads_no_metadata_reader_and_no_numerics() -> None:
    loaded = _modules_after("from calfload.cli import build_parser\nbuild_parser()")
    assert not {"importlib.metadata", "numpy", "pandas", "scipy", "pyarrow", "matplotlib"} & loaded


def test_help_imports_no_command_module() -> None:
    """``calfload --help`` lists every command from the table without building one (nor opening sqlite3)."""
    code = (
        "import contextlib, io\nfrom calfload.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])"
    )
    loaded = _modules_after(code)
    from calfload.cli import COMMAND_MODULES

    assert not set(COMMAND_MODULES) & loaded
    assert "sqlite3" not in loaded


def test_help_compiles_no_terminal_pattern() -> None:
    """``--help`` prints before any output goes through the terminal filter: its patterns stay uncompiled."""
    code = (
        "import contextlib, io\nfrom calfload.cli import main, _terminal\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])\n"
        "assert _terminal._controls.cache_info().currsize == 0, _terminal._controls.cache_info()"
    )
    _modules_after(code)  # raises when the probe's assertion fails


def test_help_compiles_no_source() -> None:
    """``--help`` compiles no Python source at run time: a process's first ``compile`` costs about 2 ms.

    (``typing.NamedTuple`` compiled each field's annotation when the command table's module had
    string annotations.)
    """
    code = (
        "import builtins, contextlib, io\ncompiled = []\nreal = builtins.compile\n"
        "def counted(*a, **k):\n    compiled.append(a[0])\n    return real(*a, **k)\n"
        "builtins.compile = counted\nfrom calfload.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])\n"
        "assert not compiled, compiled"
    )
    _modules_after(code)  # raises when the probe's assertion fails


def test_a_command_builds_only_its_own_module(tmp_path: Path) -> None:
    """``calfload log pain`` imports the log command's module and none of the other commands'."""
    code = (
        "import contextlib, io\nfrom calfload.cli import main\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['--data-dir', {str(tmp_path)!r}, 'log', 'pain', '--morning', '2']) == 0"
    )
    loaded = _modules_after(code)
    from calfload.cli import COMMAND_MODULES

    # cli._athlete also holds select_athlete, which every command runs (--athlete)
    assert set(COMMAND_MODULES) & loaded - {"calfload.cli._athlete"} == {"calfload.cli._log"}


def test_help_lists_every_command_of_the_table_in_order() -> None:
    """The listing comes from the command table; each command's own parser still has its options."""
    from calfload.cli import build_parser
    from calfload.cli._commands import COMMANDS

    proc = subprocess.run([sys.executable, "-m", "calfload", "--help"], capture_output=True, text=True, check=True)
    listed = [line.split()[0] for line in proc.stdout.splitlines() if line.startswith("    ") and line.split()]
    assert [w for w in listed if w in {c.name for c in COMMANDS}] == [c.name for c in COMMANDS]
    for command in COMMANDS:
        assert command.help in " ".join(proc.stdout.split())
    full = build_parser()
    sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == {n for c in COMMANDS for n in (c.name, *c.aliases)}
    assert all(any(a.option_strings for a in p._actions if a.dest != "help") for p in sub.choices.values())


def test_review_json_loads_no_renderer_and_no_data_file_reader(tmp_path: Path) -> None:
    """``review --json`` reads SQLite and the stored loads: no text or page renderer, no Parquet, pandas or plots.

    The pain is logged by another process (``log`` prints its sentence with a renderer of its own).
    """
    subprocess.run(
        [sys.executable, "-m", "calfload", "--data-dir", str(tmp_path), "log", "pain", "--morning", "2"],
        capture_output=True,
        check=True,
    )
    code = (
        "import contextlib, io, json\nfrom calfload.cli import main\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    assert main(['--data-dir', {str(tmp_path)!r}, 'review', '--json']) == 0\n"
        "assert json.loads(out.getvalue())['flag']"
    )
    loaded = _modules_after(code)
    assert "calfload.loadmodel._review" in loaded  # the review was built
    assert not {"calfload.report", "calfload.report._review_text", "pyarrow", "pandas", "matplotlib"} & loaded


def test_review_json_of_a_calf_journal_imports_no_numpy(tmp_path: Path) -> None:
    """A review reads stored loads and sums them in plain Python: NumPy (0.1 s) only for a week with runs.

    The journal has calf sessions over nine weeks (the oldest before the review's window, read as
    daily loads), pain, and a run three weeks ago (its week is not the review's); the review a
    fresh interpreter prints is the one this process prints.
    """
    import contextlib
    import datetime as dt
    import io

    from calfload.cli import main

    today = dt.datetime.now().astimezone().date()  # the journal's calendar is local
    data = ["--data-dir", str(tmp_path)]
    with contextlib.redirect_stdout(io.StringIO()):
        for back in (60, 40, 30, 12, 9, 5, 2):
            day = (today - dt.timedelta(days=back)).isoformat()
            calf = ["log", "workout", "--activity", "calf_raise", "--sets-reps", "3x15", "--date", day]
            assert main([*data, *calf]) == 0
            assert main([*data, "log", "pain", "--during", "2", "--after", "3", "--date", day]) == 0
        run_day = (today - dt.timedelta(days=21)).isoformat()
        assert main([*data, "log", "workout", "--activity", "run", "--duration", "30", "--date", run_day]) == 0
    code = (
        "import contextlib, io, sys\nfrom calfload.cli import main\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    assert main({[*data, 'review', '--json']!r}) == 0\n"
        "print(out.getvalue())\nprint(json.dumps(sorted(sys.modules)))"
    )
    probe = f"import json, sys\n{code}"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    *review_lines, modules = proc.stdout.strip().splitlines()
    assert "numpy" not in set(json.loads(modules))
    review = json.loads("\n".join(review_lines))
    expected = io.StringIO()
    with contextlib.redirect_stdout(expected):
        assert main([*data, "review", "--json"]) == 0
    assert review == json.loads(expected.getvalue())
    assert review["today"]["chronic_au"] > 0  # the loads were summed and averaged
    assert review["today"]["monotony"] is not None


def test_log_says_what_was_logged_without_loading_the_session_renderers(tmp_path: Path) -> None:
    """``log`` prints one sentence from report._logged_text; the report package loads its renderers on first use."""
    code = (
        "import contextlib, io\nfrom calfload.cli import main\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    assert main(['--data-dir', {str(tmp_path)!r}, 'log', 'pain', '--morning', '2']) == 0\n"
        "assert out.getvalue().startswith('pain on ') and out.getvalue().endswith(': morning 2/10\\n')"
    )
    loaded = _modules_after(code)
    assert "calfload.report._logged_text" in loaded
    assert not {"calfload.report._calf_text", "calfload.report._gait_text", "calfload.report._progress"} & loaded


def test_the_command_line_runs_numpy_with_one_blas_thread_unless_the_user_chose() -> None:
    """``main`` sets OpenBLAS to one thread before NumPy loads (its thread start-up is CPU at every command)."""
    code = (
        "import contextlib, io, os\nfrom calfload.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.split()[-1] == "1"
    chosen = {**env, "OPENBLAS_NUM_THREADS": "3"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=chosen, check=True)
    assert done.stdout.split()[-1] == "3"


def test_the_command_leaves_no_collection_for_exit_but_main_does_not_freeze() -> None:
    """``python -m calfload`` collects rarely and freezes the collector before exit (passes cost CPU at every command).

    :func:`calfload.cli.main` called in a process (tests, notebooks) leaves the collector alone,
    and the console script runs the same entry as ``python -m calfload``.
    """
    import tomllib

    probe = (
        "import atexit, contextlib, gc, io, runpy, sys\n"
        "python_s = gc.get_threshold()\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, gc.get_threshold()[0]))\n"
        "from calfload.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--version'])\n"
        "print('after main', gc.get_freeze_count() > 0, gc.get_threshold() == python_s)\n"
        "sys.argv = ['calfload', '--version']\nrunpy.run_module('calfload', run_name='__main__')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = ["after main False True", f"calfload {calfload.__version__}", f"frozen True {YOUNG_COLLECTION_OBJECTS}"]
    assert done.stdout.splitlines() == lines
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["calfload"] == "calfload.cli:entry"


@pytest.mark.parametrize("columns", [None, "132", "0", "-5", "wide"])
@pytest.mark.parametrize("terminal", [None, (100, 30), (0, 0)])
def test_the_help_width_is_shutils_terminal_width(
    monkeypatch: pytest.MonkeyPatch, columns: str | None, terminal: tuple[int, int] | None
) -> None:
    """:func:`terminal_columns` gives what ``shutil.get_terminal_size().columns`` gives, so help is laid out as before.

    ``$COLUMNS`` set, unset, zero, negative or not a number; a terminal of 100 columns, one that
    says 0, or none at all.
    """
    import shutil

    from calfload.cli._options import terminal_columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("LINES", raising=False)

    def size(fd: int = 1) -> os.terminal_size:
        if terminal is None:
            raise OSError("not a terminal")
        return os.terminal_size(terminal)

    monkeypatch.setattr(os, "get_terminal_size", size)
    assert terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize("columns", ["50", "80", "160"])
def test_help_is_laid_out_as_argparses_default_formatter_lays_it_out(
    monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    """The command parsers' formatter changes where the width comes from, not the help text (at any width)."""
    from calfload.cli import build_parser

    monkeypatch.setenv("COLUMNS", columns)
    ours = build_parser()
    sub = next(a for a in ours._actions if isinstance(a, argparse._SubParsersAction))
    for parser in (ours, sub.choices["analyze"], sub.choices["log"]):
        assert parser.formatter_class is not argparse.HelpFormatter
        text = parser.format_help()
        parser.formatter_class = argparse.HelpFormatter
        assert text == parser.format_help()


def test_a_command_imports_no_shutil(tmp_path: Path) -> None:
    """Neither ``--help`` nor ``analyze`` of a file imports shutil (with bz2 and lzma, about 4 ms at every start)."""
    sample = Path(calfload.__file__).parent / "sample_data" / "calf_tempo_3x12_104hz.parquet"
    for line in (["--help"], ["--data-dir", str(tmp_path), "analyze", str(sample), "--json"]):
        code = (
            "import contextlib, io\nfrom calfload.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    main({line!r})"
        )
        loaded = _modules_after(code)
        assert "calfload.cli._options" in loaded
        assert not {"shutil", "bz2", "lzma"} & loaded, line
