"""What :func:`calfload._memory.reuse_freed_memory` reports (public there as ``calfload._memory.MemorySetting``).

Declared apart so that the command line, which reads no report, does not create the class (a frozen
dataclass costs about 0.5 ms of CPU at every command that analyses, benchmarks/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MemorySetting:
    """What :func:`calfload._memory.reuse_freed_memory` changed in this process.

    Attributes
    ----------
    numpy_hugepages_off
        NumPy will not advise huge pages for its arrays (``NUMPY_MADVISE_HUGEPAGE=0`` set before NumPy
        was imported). False when the user set the variable or NumPy was already imported.
    heap_kept
        glibc's malloc serves large blocks from the heap and keeps up to :data:`calfload._memory.KEEP_FREED_BYTES` of
        freed heap for reuse. False off glibc, or when the user set malloc's tunables.
    arrow_freed_returned
        Arrow's jemalloc pool, when used, returns freed pages at once (:data:`calfload._memory.ARROW_JEMALLOC_CONF`
        set before pyarrow was imported). False when the user set the variable or pyarrow was
        already imported.
    """

    numpy_hugepages_off: bool
    heap_kept: bool
    arrow_freed_returned: bool = False


__all__ = ["MemorySetting"]
