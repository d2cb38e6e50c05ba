"""The examples in src/'s docstrings run (the doctests), module by module.

Collected here rather than with ``--doctest-modules`` so that only the package is searched (not
tests/ or tools/) and ``calfload.__main__`` is never imported.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import calfload


def _modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(calfload.__path__, "calfload."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        if any(t.examples for t in doctest.DocTestFinder().find(module, module.__name__)):
            names.append(info.name)
    return names


MODULES = _modules_with_examples()


def test_examples_are_found() -> None:
    assert {"calfload.units", "calfload.errors", "calfload._result_tables"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (output above)"
