"""calfload's loggers, made by the modules that log: ``import calfload`` itself does not import :mod:`logging`.

A library adds a :class:`logging.NullHandler` to its top logger, so that its records go nowhere
until the application configures logging (without it Python's last-resort handler prints every
warning on stderr). calfload added it in ``calfload/__init__.py``, which made every command pay
for importing :mod:`logging` (with ``traceback``, ``string``, ``threading`` and ``weakref``),
``--help`` too, though no module of ``--help`` logs: about 15 % of its instructions
(benchmarks/README.md). Each module that logs now takes its logger from :func:`package_logger`,
which adds the handler the first time, so the handler is there before any record is made::

    from calfload._logger import package_logger

    logger = package_logger(__name__)
"""

from __future__ import annotations

import logging

#: The package's top logger, to which the NullHandler is added.
PACKAGE_LOGGER = "calfload"

_handler_added = False


def package_logger(name: str) -> logging.Logger:
    """The logger ``name`` (a module's ``__name__``), after the package's NullHandler is added once.

    Parameters
    ----------
    name
        The logger's name, ``calfload`` or below it.

    Returns
    -------
    logging.Logger
        ``logging.getLogger(name)``.
    """
    global _handler_added  # noqa: PLW0603 (once per process, as the import of calfload/__init__ did)
    if not _handler_added:
        logging.getLogger(PACKAGE_LOGGER).addHandler(logging.NullHandler())
        _handler_added = True
    return logging.getLogger(name)


__all__ = ["PACKAGE_LOGGER", "package_logger"]
