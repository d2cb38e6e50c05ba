"""calfload: calf-raise tempo, running cadence and Achilles load from wearable IMUs and foot pods.

The package is layered; dependencies run one way::

    cli -> report -> loadmodel -> signal -> schema / recording / units
    cli -> ingest -> schema / recording

Importing :mod:`calfload` is cheap: heavy modules (numpy, pandas, scipy, bleak, matplotlib)
load only when a command needs them.
"""

from __future__ import annotations

import logging
from functools import cache

logging.getLogger(__name__).addHandler(logging.NullHandler())


@cache
def package_version() -> str:
    """The installed version of calfload, read from the package metadata on first use.

    ``importlib.metadata`` costs about 80 ms of start-up (it imports ``email`` and ``inspect``),
    so only the commands that print or store the version pay for it.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("calfload")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["__version__", "package_version"]
