"""Packages whose public names are imported on first use (PEP 562), so importing one submodule stays cheap.

``from calfload.journal._paths import DB_NAME`` runs ``calfload/journal/__init__.py`` first; when
that file imported every public name eagerly, it pulled in the journal, the load model, the
signal package and NumPy, and the command line paid about 0.25 s before ``analyze`` read a byte.
A package built with :func:`lazy_exports` imports the module that defines a name when the name
is first used, and keeps it::

    __getattr__, __dir__ = lazy_exports(__name__, {"calfload.journal._journal": ("Journal",)})

The package's ``__all__`` and an ``if TYPE_CHECKING:`` block of the same imports stay as they
were, for readers and type checkers; ``tests/test_lazy_packages.py`` checks that the three agree.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_exports(
    package: str, modules: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` that import each public name from its module on first use.

    Parameters
    ----------
    package
        The package's ``__name__``.
    modules
        Absolute module name -> the public names the package takes from it.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)`` for the package's namespace.

    Raises
    ------
    ValueError
        If a name is listed under two modules.
    """
    where: dict[str, str] = {}
    for module, names in modules.items():
        for name in names:
            if where.setdefault(name, module) != module:  # the later module would win without a word
                raise ValueError(f"{package}: {name!r} is listed under {where[name]} and {module}")

    def __getattr__(name: str) -> object:  # noqa: N807 (PEP 562 fixes the name)
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # later look-ups skip __getattr__
        return value

    def __dir__() -> list[str]:  # noqa: N807
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__


class DeferredModule:
    """A module imported when one of its attributes is first read.

    For annotations that name another module's classes (``recorder: _device_facts.RecorderFacts``):
    ``typing.get_type_hints`` evaluates them in the declaring module's namespace, where a PEP 562
    ``__getattr__`` is never consulted, so a deferred name must be an attribute of an object that
    is there. Declare it for the type checker too::

        if TYPE_CHECKING:
            from calfload import _device_facts
        else:
            _device_facts = DeferredModule("calfload._device_facts")
    """

    def __init__(self, module: str) -> None:
        self._deferred_name = module

    def __getattr__(self, name: str) -> object:
        return getattr(importlib.import_module(self._deferred_name), name)

    def __repr__(self) -> str:
        return f"<deferred module {self._deferred_name!r}>"


__all__ = ["DeferredModule", "lazy_exports"]
