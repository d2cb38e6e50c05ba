"""calfload: calf-raise tempo, running cadence and Achilles load from wearable IMUs and foot pods.

The package is layered; dependencies run one way::

    cli -> report -> loadmodel -> signal -> schema / recording / units
    cli -> ingest -> schema / recording

Importing :mod:`calfload` is cheap: heavy modules (numpy, pandas, scipy, bleak, matplotlib)
load only when a command needs them.

The package's loggers get their :class:`logging.NullHandler` from the first module that logs
(:func:`calfload._logger.package_logger`): importing the package does not import :mod:`logging`.
"""

from __future__ import annotations

# typing is imported for the type checker only (mypy takes any ``TYPE_CHECKING`` as true): ``--help``'s
# modules use none of its names at run time, and importing it was about a tenth of ``--help``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final


#: The version, declared here once: ``pyproject.toml`` reads it (``[tool.setuptools.dynamic]``), so
#: the installed metadata says the same, and no command pays ``importlib.metadata``'s start-up
#: (about 0.1 s: it imports ``email``, ``inspect`` and ``zipfile``) to stamp a result with it.
__version__: Final = "0.1.0"


def package_version() -> str:
    """The version of calfload (the same as the installed package metadata's)."""
    return __version__


__all__ = ["__version__", "package_version"]
