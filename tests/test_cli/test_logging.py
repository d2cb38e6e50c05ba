"""Log lines: ``-v`` shows calfload's records, a library user none unasked; ``--help`` needs no logging, no typing."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import calfload


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


def test_help_and_version_import_neither_logging_nor_typing() -> None:
    """No module of ``--help`` or ``--version`` logs or needs :mod:`typing` at run time (a fifth of ``--help``)."""
    for flag in ("--help", "--version"):
        code = (
            "import contextlib, io, json, sys\nfrom calfload.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    main([{flag!r}])\n"
            "print(json.dumps(sorted(sys.modules)))"
        )
        loaded = set(json.loads(_run(code).stdout.splitlines()[-1]))
        assert "calfload.cli" in loaded
        assert not {"logging", "typing"} & loaded, flag


def test_a_module_that_logs_gives_the_package_one_null_handler() -> None:
    """The first module that logs adds the package's NullHandler, the next ones none."""
    code = (
        "import logging\nimport calfload\nassert not logging.getLogger('calfload').handlers\n"
        "import calfload.report._progress, calfload.journal._journal, calfload.loadmodel._session\n"
        "print([type(h).__name__ for h in logging.getLogger('calfload').handlers])"
    )
    assert _run(code).stdout.split() == ["['NullHandler']"]


def test_a_library_user_sees_no_warning_unless_logging_is_configured() -> None:
    """Without the NullHandler, Python's last-resort handler would print the warning on stderr."""
    code = "from calfload.report._html_session import logger\nlogger.warning('no raise-angle plot: %s', 'test')"
    done = _run(code)
    assert done.stderr == ""
    configured = _run("import logging\nlogging.basicConfig(format='%(name)s %(message)s')\n" + code)
    assert configured.stderr == "calfload.report._html_session no raise-angle plot: test\n"


def test_verbose_shows_info_lines_and_the_default_shows_none(tmp_path: Path, sample_dir: Path) -> None:
    """``-v`` configures logging before the command runs: the journal's INFO line is printed in calfload's format."""
    sample = sample_dir / "calf_endurance_52hz.csv"
    lines = []
    for name, flags in (("quiet", []), ("verbose", ["-v"])):
        command = [sys.executable, "-m", "calfload", "--data-dir", str(tmp_path / name), *flags, "import", str(sample)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        lines.append([line for line in done.stderr.splitlines() if "INFO" in line])
    assert lines[0] == []
    assert "calfload: INFO: journal schema migrated to version 1" in lines[1]  # a new journal's schema
    assert lines[1][-1] == f"calfload: INFO: added session 1 from {sample.name}"


def test_every_module_that_logs_takes_its_logger_from_package_logger() -> None:
    """A module calling ``logging.getLogger`` itself could log before the package's NullHandler is there."""
    package = Path(calfload.__file__).parent
    direct = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "_logger.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "getLogger":
                direct.append(str(path.relative_to(package)))
    assert direct == []
