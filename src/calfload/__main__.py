"""``python -m calfload``: the same as the ``calfload`` console script."""

from calfload.cli import entry

raise SystemExit(entry())
