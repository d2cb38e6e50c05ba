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


def test_the_readme_map_names_modules_and_functions_that_exist(repo_root: Path) -> None:
    """The map under "How it is built" is how a newcomer finds the code: every module it names exists
    in the package it is listed under, and every ``module.py: function`` it points to is defined there."""
    section = (repo_root / "README.md").read_text().split("## How it is built", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.DOTALL)
    assert block is not None, "no map under ## How it is built"
    src = repo_root / "src" / "calfload"
    package = src
    checked = 0
    for line in block.group(1).splitlines():
        listed = re.match(r"  ([a-z_]+)/ ", line)
        if listed:
            package = src / listed.group(1)
        for name in re.findall(r"(?<![\w.*])((?:[a-z_]+/)?_?[a-z_]+\.py)\b", line):
            path = src / name if "/" in name else package / name
            if not path.exists():
                path = src / name
            assert path.is_file(), f"the README map names {name}, which is not in {package.relative_to(repo_root)}"
            checked += 1
        for module, function in re.findall(r"([a-z_]+\.py): ([a-z_]+)", line):
            text = next(p for p in (package / module, src / module) if p.is_file()).read_text()
            assert f"def {function}(" in text, f"the README map says {module} defines {function}"
    assert checked > 20
