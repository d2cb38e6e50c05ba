"""Packages that import their public names on first use: the names, the type checker's view and ``__all__`` agree."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LAZY = ("calfload.journal", "calfload.pipeline", "calfload.loadmodel", "calfload.signal", "calfload.report")


def _type_checking_imports(package: str) -> dict[str, str]:
    """Name -> module of the ``if TYPE_CHECKING:`` imports in the package's ``__init__.py``."""
    tree = ast.parse((SRC / package.replace(".", "/") / "__init__.py").read_text())
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom)
                assert imp.module is not None
                names.update({alias.name: imp.module for alias in imp.names})
    return names


@pytest.mark.parametrize("package", LAZY)
def test_every_public_name_resolves_to_its_modules_object(package: str) -> None:
    """``__all__`` is exactly the names the type checker sees, and each is the defining module's object."""
    module = importlib.import_module(package)
    declared = _type_checking_imports(package)
    assert sorted(module.__all__) == sorted(declared)
    for name, source in declared.items():
        assert getattr(module, name) is getattr(importlib.import_module(source), name)
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match="no attribute"):
        _ = module.no_such_name


def test_importing_one_submodule_loads_neither_the_journal_nor_the_load_model() -> None:
    """The command line's guard and data-folder look-ups stay cheap: no journal, load model or NumPy behind them."""
    code = (
        "import json, sys\n"
        "import calfload.journal._paths, calfload.pipeline._journal_import, calfload.loadmodel._params\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(json.loads(out))
    assert not {"calfload.journal._journal", "calfload.loadmodel._review", "calfload.signal._gait", "numpy"} & loaded


def test_a_name_listed_under_two_modules_is_refused() -> None:
    """pipeline listed ``stored_session`` under _heel_rise and _session_report: the later silently won."""
    from calfload._lazy import lazy_exports

    with pytest.raises(ValueError, match=r"'page' is listed under m\.a and m\.b"):
        lazy_exports("m", {"m.a": ("page", "x"), "m.b": ("page",)})
    getattr_, _ = lazy_exports("m", {"m.a": ("x",), "m.b": ("y",)})
    assert callable(getattr_)


def test_a_deferred_module_is_imported_at_its_first_attribute_read() -> None:
    """``DeferredModule``: nothing imported when it is made; the first attribute read imports the module."""
    code = (
        "import sys\nfrom calfload._lazy import DeferredModule\n"
        "facts = DeferredModule('calfload._device_facts')\nassert 'calfload._device_facts' not in sys.modules\n"
        "from calfload._device_facts import FitLap\nassert facts.FitLap is FitLap\n"
        "try:\n    facts.no_such_name\nexcept AttributeError:\n    pass\nelse:\n    raise SystemExit('no error')\n"
        "print(repr(facts))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "<deferred module 'calfload._device_facts'>"


def test_the_metadata_contract_names_the_device_facts_it_defers() -> None:
    """schema and _recording_facts name the device's records (types resolved, the same classes) without making them."""
    code = (
        "import sys, typing\nfrom calfload import schema, _recording_facts\n"
        "assert 'calfload._device_facts' not in sys.modules\n"
        "hints = typing.get_type_hints(schema.RecordingMeta)\nmeta = typing.get_type_hints(schema.MetaChanges)\n"
        "from calfload import _device_facts as d\n"
        "assert hints['recorder'] == meta['recorder'] == d.RecorderFacts | None, hints['recorder']\n"
        "assert hints['laps'] == tuple[d.FitLap, ...] and hints['device_summary'] == d.FitDeviceSummary | None\n"
        "for name in ('FitDeviceSummary', 'FitLap', 'HostTiming', 'RecorderFacts'):\n"
        "    assert getattr(schema, name) is getattr(_recording_facts, name) is getattr(d, name)\n"
        "    assert name in dir(schema) and name in _recording_facts.__all__"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
