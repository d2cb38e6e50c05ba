"""How a command that analyses whole recordings asks for memory: freed blocks reused, not returned and faulted in again.

An hour of 200 Hz samples is a (720,000, 3) float64 array of 17 MB; at 4 h it is 69 MB and at 10 h
173 MB. The analysis makes and frees arrays of that size dozens of times (reading, the unit checks,
re-gridding, filtering, the strides). With the allocators' defaults each one costs the kernel again:

- glibc serves every block over its mmap threshold (32 MB at most) with a fresh ``mmap`` and gives
  it back with ``munmap`` when freed, so the next array of that size is faulted in page by page;
- NumPy advises the kernel to back every array of 4 MB or more with huge pages
  (``madvise(MADV_HUGEPAGE)``), and with this kernel's ``defrag = madvise`` each fresh huge page may
  first compact memory.

Measured on the benchmark's 10 h run (whole ``analyze`` command, benchmarks/README.md): system time
7.2 s as is, 1.8 s without the huge-page advice, 0.6 s when freed heap is also kept for reuse, for
a peak 1.7 % higher (652 against 641 MB). :func:`reuse_freed_memory` does both for the process that
calls it; it is for commands that analyse and exit (``calfload.cli.entry`` calls it for those), not
for long-lived processes such as ``record``, which should hand freed memory back.

Arrow's memory is the other way round. Arrow allocates only while the file is read: the columns,
which the recording keeps, and the reading's own buffers (decompressed pages), which nothing
allocates from again once the columns are read. Its jemalloc pool (the command line's choice on
x86-64 Linux) keeps freed pages resident for a decay time, so the reading's buffers were still
resident at the analysis' peak; :func:`reuse_freed_memory` asks jemalloc to return them at once
(the simulated run hour's whole command, paired over 8 runs: peak 131.5-134.5 -> 129.0-129.2 MB,
benchmarks/README.md).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Final

from calfload._lazy import lazy_exports

if TYPE_CHECKING:
    from calfload._memory_setting import MemorySetting

#: glibc's ``mallopt`` parameters (malloc.h).
M_TRIM_THRESHOLD: Final = -1
M_MMAP_MAX: Final = -4

#: Freed memory at the top of the heap kept for reuse, up to this many bytes (glibc's default: 128 kB).
KEEP_FREED_BYTES: Final = 1 << 30

#: The configuration variable of the jemalloc that pyarrow's wheels bundle (built with the ``je_arrow_`` prefix).
ARROW_JEMALLOC_CONF: Final = "JE_ARROW_MALLOC_CONF"

#: Freed pages handed back to the kernel at once, not after jemalloc's decay time (Arrow's default is a second).
ARROW_RETURN_FREED: Final = "dirty_decay_ms:0,muzzy_decay_ms:0"

#: Environment variables through which a user sets glibc's malloc at start; any of them leaves it alone.
_USER_MALLOC_SETTINGS: Final = (
    "MALLOC_MMAP_MAX_",
    "MALLOC_TRIM_THRESHOLD_",
    "MALLOC_TOP_PAD_",
    "MALLOC_MMAP_THRESHOLD_",
)


# The report's record (a frozen dataclass: about 0.5 ms to create) is made only when a caller asks for it.
__getattr__, __dir__ = lazy_exports(__name__, {"calfload._memory_setting": ("MemorySetting",)})


def reuse_freed_memory() -> MemorySetting:
    """Let this process reuse the large blocks it frees instead of faulting fresh pages in for each.

    Call it early, before NumPy and pyarrow are imported and before the first large array: NumPy
    reads its huge-page setting once, at import, jemalloc its configuration when pyarrow first
    allocates, and glibc applies ``mallopt`` to blocks allocated after it. Settings the user made
    (``NUMPY_MADVISE_HUGEPAGE``, ``JE_ARROW_MALLOC_CONF``, ``GLIBC_TUNABLES`` with ``glibc.malloc.``
    tunables, glibc's ``MALLOC_*_`` variables) are kept. Elsewhere than glibc Linux the glibc
    setting is left out.

    Returns
    -------
    MemorySetting
        What was changed.
    """
    from calfload._memory_setting import MemorySetting

    hugepages_off, heap_kept, arrow_returns = _reuse()
    return MemorySetting(numpy_hugepages_off=hugepages_off, heap_kept=heap_kept, arrow_freed_returned=arrow_returns)


def set_freed_memory_reuse() -> None:
    """:func:`reuse_freed_memory`, for a caller that reads no report (``calfload.cli.entry``): its class is not made."""
    _reuse()


def _reuse() -> tuple[bool, bool, bool]:
    """Make the settings; whether NumPy's huge pages were turned off, the heap kept, Arrow's freed pages returned."""
    hugepages_off = "numpy" not in sys.modules and "NUMPY_MADVISE_HUGEPAGE" not in os.environ
    if hugepages_off:
        os.environ["NUMPY_MADVISE_HUGEPAGE"] = "0"
    arrow_returns = "pyarrow" not in sys.modules and ARROW_JEMALLOC_CONF not in os.environ
    if arrow_returns:
        os.environ[ARROW_JEMALLOC_CONF] = ARROW_RETURN_FREED
    return hugepages_off, _keep_heap(), arrow_returns


def _keep_heap() -> bool:
    """Set glibc's malloc: no ``mmap`` for large blocks, and freed heap kept up to :data:`KEEP_FREED_BYTES`."""
    if not _is_glibc() or _user_set_malloc():
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success; the trim threshold first, so a refused one leaves mmap in use.
    return bool(mallopt(M_TRIM_THRESHOLD, KEEP_FREED_BYTES) == 1 and mallopt(M_MMAP_MAX, 0) == 1)


def _is_glibc() -> bool:
    """True when this process runs on GNU libc (``confstr`` names it; musl and other systems do not)."""
    try:
        name = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        return False
    return sys.platform.startswith("linux") and bool(name) and str(name).startswith("glibc")


def _user_set_malloc() -> bool:
    """True when the environment holds the user's own glibc malloc settings."""
    return "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", "") or any(
        name in os.environ for name in _USER_MALLOC_SETTINGS
    )


__all__ = [
    "ARROW_JEMALLOC_CONF",
    "ARROW_RETURN_FREED",
    "KEEP_FREED_BYTES",
    "MemorySetting",
    "reuse_freed_memory",
    "set_freed_memory_reuse",
]
