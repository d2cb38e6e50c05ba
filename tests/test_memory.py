"""``calfload._memory``: a command that analyses whole recordings reuses the large blocks it frees.

Behaviour, not time: the kernel's count of minor page faults (``getrusage``) when a 64 MB array is
made, freed and made again, in a fresh interpreter with and without the setting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calfload import _memory

glibc_only = pytest.mark.skipif(not _memory._is_glibc(), reason="the heap setting is glibc's mallopt")

#: Made, freed and made again in a fresh interpreter; prints the faults of the second one and the setting
#: (``setting-only``: the setting alone, ``none``: the faults without it).
_PROBE = """
import json, resource, sys
from calfload._memory import reuse_freed_memory
setting = reuse_freed_memory() if sys.argv[1] != "none" else None
if sys.argv[1] == "setting-only":
    print(json.dumps({"setting": setting.__dict__}))
    raise SystemExit
import numpy as np

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

np.ones(8_000_000)  # 64 MB, freed at once
before = faults()
np.ones(8_000_000)
print(json.dumps({"faults": faults() - before, "setting": None if setting is None else setting.__dict__}))
"""

_PAGES_64MB = 64_000_000 // 4096


def _probe(mode: str, **env: str) -> dict[str, object]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NUMPY_MADVISE", "GLIBC_TUNABLES", "MALLOC_"))}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, env={**base, **env}, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@glibc_only
def test_a_freed_large_array_is_reused_without_new_page_faults() -> None:
    kept = _probe("set")
    assert kept["setting"] == {"numpy_hugepages_off": True, "heap_kept": True, "arrow_freed_returned": True}
    assert isinstance(kept["faults"], int)
    assert kept["faults"] < _PAGES_64MB // 100
    # Without it (4 kB pages, as the setting's NumPy uses), glibc maps the second array afresh: every page faults.
    # (Unless the kernel backs every mapping with huge pages: then a fault is 2 MB and the count says little.)
    thp = Path("/sys/kernel/mm/transparent_hugepage/enabled")
    if thp.exists() and "[always]" in thp.read_text():
        return
    fresh = _probe("none", NUMPY_MADVISE_HUGEPAGE="0")
    assert isinstance(fresh["faults"], int)
    assert fresh["faults"] > _PAGES_64MB // 2


@glibc_only
def test_the_users_own_malloc_and_numpy_settings_are_kept() -> None:
    tuned = _probe("setting-only", GLIBC_TUNABLES="glibc.malloc.trim_threshold=131072", NUMPY_MADVISE_HUGEPAGE="1")
    assert tuned["setting"] == {"numpy_hugepages_off": False, "heap_kept": False, "arrow_freed_returned": True}
    legacy = _probe("setting-only", MALLOC_MMAP_MAX_="65536")
    assert legacy["setting"] == {"numpy_hugepages_off": True, "heap_kept": False, "arrow_freed_returned": True}


def test_off_glibc_the_allocator_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "confstr", lambda name: None, raising=False)
    assert not _memory._is_glibc()
    monkeypatch.setattr(_memory, "_is_glibc", lambda: False)
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "unset")  # so that the delenv below is undone after the test
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE")
    import numpy  # noqa: F401  (imported: its huge-page choice, read at import, is not touched either)

    assert _memory.reuse_freed_memory().heap_kept is False
    assert "NUMPY_MADVISE_HUGEPAGE" not in os.environ


_ENTRY_PROBE = """
import atexit, os, runpy, sys
report = "calfload._memory_setting"
atexit.register(
    lambda: print("probe", os.environ.get("NUMPY_MADVISE_HUGEPAGE"), "ctypes" in sys.modules, report in sys.modules)
)
sys.argv = ["calfload", *sys.argv[1:]]
runpy.run_module("calfload", run_name="__main__")
"""


@pytest.mark.parametrize(
    ("line", "applied"),
    [
        (["analyze", "missing.parquet"], True),
        (["--quiet", "analyse", "missing.parquet"], True),  # alias, after a top-level flag
        (["review"], False),
        (["record"], False),  # a long-lived process hands freed memory back (here: a usage error, no device)
        (["--help"], False),
    ],
)
def test_only_commands_that_analyse_recordings_change_the_allocator(
    tmp_path: Path, line: list[str], applied: bool
) -> None:
    """``analyze`` sets it (and fails on the missing file as before); ``review``, ``record`` and ``--help`` do not.

    The command line reads no report of what was set: the report's class is never made.
    """
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    done = subprocess.run(
        [sys.executable, "-c", _ENTRY_PROBE, "--data-dir", str(tmp_path), *line],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=tmp_path,
    )
    (probe,) = (x for x in done.stdout.splitlines() if x.startswith("probe "))
    expected = f"probe 0 {_memory._is_glibc()} False" if applied else "probe None False False"
    assert probe == expected, done.stderr


#: With Arrow's jemalloc pool: 64 MB in 256 kB buffers (a column's pages) written and freed; how much the RSS fell.
_ARROW_PROBE = """
import json, os, sys
from calfload._memory import reuse_freed_memory
setting = reuse_freed_memory() if sys.argv[1] == "set" else None
os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "jemalloc"
import numpy as np
import pyarrow as pa

def resident():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

try:
    pool = pa.jemalloc_memory_pool()
except NotImplementedError:
    print(json.dumps({"jemalloc": False}))
    raise SystemExit
buffers = [pa.allocate_buffer(1 << 18, memory_pool=pool) for _ in range(64_000_000 >> 18)]
for buffer in buffers:
    np.frombuffer(buffer, dtype=np.uint8)[:] = 1  # every page resident
before = resident()
del buffer, buffers
fell = before - resident()
print(json.dumps({"jemalloc": True, "fell": fell, "setting": None if setting is None else setting.__dict__}))
"""


def _arrow_probe(mode: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("JE_ARROW_MALLOC_CONF", "ARROW_DEFAULT_MEMORY_POOL")}
    done = subprocess.run(
        [sys.executable, "-c", _ARROW_PROBE, mode], capture_output=True, text=True, env=env, check=True
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the resident set from /proc")
def test_arrows_freed_pages_are_returned_at_once() -> None:
    """The reading's buffers are not kept resident by jemalloc's decay: 64 MB freed in 256 kB buffers leave RSS at once.

    (jemalloc returns single blocks over its oversize threshold, 8 MB, at once in any case.)
    """
    returned = _arrow_probe("set")
    if not returned["jemalloc"]:
        pytest.skip("this pyarrow has no jemalloc pool")
    assert isinstance(returned["setting"], dict)
    assert returned["setting"]["arrow_freed_returned"] is True
    assert isinstance(returned["fell"], int)
    assert returned["fell"] > 56_000_000
    kept = _arrow_probe("none")  # jemalloc's default: most pages stay resident for its decay time (17 of 64 MB went)
    assert isinstance(kept["fell"], int)
    assert kept["fell"] < 48_000_000
