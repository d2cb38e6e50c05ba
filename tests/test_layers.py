"""The README's map holds: dependencies run one way, ``cli → pipeline → {report, journal, loadmodel, signal, ingest}``.

Every ``calfload.X`` import in ``src/`` (type-only ones included: they are a reader's dependency
too) is checked against the packages each package may not import. Before this test,
``report/`` imported the roster's row type and its heel-rise symmetry from ``pipeline/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "calfload"

#: Package -> the packages above it, which it must not import.
ABOVE = {
    "pipeline": {"cli"},
    "report": {"cli", "pipeline"},
    "journal": {"cli", "pipeline", "report"},
    "loadmodel": {"cli", "pipeline", "report", "journal", "ingest"},
    "signal": {"cli", "pipeline", "report", "journal", "loadmodel", "ingest"},
    "ingest": {"cli", "pipeline", "report", "journal", "loadmodel", "signal"},
    "sim": {"cli", "pipeline", "report", "journal", "loadmodel", "signal", "ingest"},
}


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n.split(".")[1] for n in names if n.startswith("calfload.") and n.count(".") >= 1}


def test_no_package_imports_one_above_it() -> None:
    offenders = []
    for package, above in ABOVE.items():
        for path in sorted((SRC / package).rglob("*.py")):
            wrong = _imported(ast.parse(path.read_text(encoding="utf-8"))) & above
            offenders += [f"{path.relative_to(SRC)} imports calfload.{name}" for name in sorted(wrong)]
    assert not offenders, offenders
