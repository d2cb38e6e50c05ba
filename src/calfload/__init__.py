"""calfload: calf-raise tempo, running cadence and Achilles load from wearable IMUs and foot pods.

The package is layered; dependencies run one way::

    cli -> report -> loadmodel -> signal -> schema / recording / units
    cli -> ingest -> schema / recording

Importing :mod:`calfload` is cheap: heavy modules (numpy, pandas, scipy, bleak, matplotlib)
load only when a command needs them.
"""

from __future__ import annotations

import logging
from typing import Final

logging.getLogger(__name__).addHandler(logging.NullHandler())


#: The version, declared here once: ``pyproject.toml`` reads it (``[tool.setuptools.dynamic]``), so
#: the installed metadata says the same, and no command pays ``importlib.metadata``'s start-up
#: (about 0.1 s: it imports ``email``, ``inspect`` and ``zipfile``) to stamp a result with it.
__version__: Final = "0.1.0"


def package_version() -> str:
    """The version of calfload (the same as the installed package metadata's)."""
    return __version__


__all__ = ["__version__", "package_version"]
