"""The calfload version every analysis result carries."""

from __future__ import annotations


def current_version() -> str:
    """Return the installed calfload's version (``0.0.0+unknown`` from a bare source tree)."""
    from calfload import package_version

    return package_version()
