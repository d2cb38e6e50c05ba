"""The use cases as a Python API: import, analyse, add to the journal, review, live counting, demo.

The command line only parses arguments, calls these functions and prints what they return;
a notebook calls them the same way (docs/api.md).
"""

from __future__ import annotations

from calfload.pipeline._review import review_journal

__all__ = ["review_journal"]
