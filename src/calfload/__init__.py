"""calfload: calf-raise tempo, running cadence and Achilles load from wearable IMUs and foot pods.

The package is layered; dependencies run one way::

    cli -> report -> loadmodel -> signal -> schema / recording / units
    cli -> ingest -> schema / recording

Importing :mod:`calfload` is cheap: heavy modules (numpy, pandas, scipy, bleak, matplotlib)
load only when a command needs them.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("calfload")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["__version__"]
