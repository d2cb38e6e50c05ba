"""The README's Quick start is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path


def quick_start_commands(readme: str) -> list[str]:
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.DOTALL)
    assert block is not None, "no fenced code block under ## Quick start"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_quick_start_has_the_demo_and_the_test_command(repo_root: Path) -> None:
    commands = quick_start_commands((repo_root / "README.md").read_text())
    assert len(commands) == 2
    assert commands[0].endswith("calfload demo")
    assert "pytest" in commands[1]
    assert "ruff check" in commands[1]
    assert "ruff format --check" in commands[1]
    assert "mypy" in commands[1]


def test_ci_runs_the_readme_test_command(repo_root: Path) -> None:
    commands = quick_start_commands((repo_root / "README.md").read_text())
    ci = (repo_root / ".ci" / "run").read_text().splitlines()
    assert commands[1] in ci
