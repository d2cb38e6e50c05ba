"""Local paths as text, spelled and tested as :class:`pathlib.Path` does, without importing pathlib.

``import pathlib`` imports ``urllib.parse`` (and with it ``ipaddress``), ``fnmatch`` and
``ntpath``: about 5 ms of CPU at every ``analyze``, which needs only a file's name, its suffix
and whether it is there (benchmarks/README.md). The command line's path to an analysis (the data
folder, ``config.toml``, the journal guard, reading the files) uses these functions; everything
that makes or changes files keeps :mod:`pathlib`.

Each function gives what the :class:`pathlib.Path` expression in its docstring gives (tests hold
them to pathlib, edge cases included: repeated and trailing slashes, ``.`` parts, two leading
slashes, names that start or end with a dot). Off POSIX they ask pathlib itself.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Final

#: The errors :class:`pathlib.Path`'s tests (``exists``, ``is_dir``, ``is_file``) read as "no": nothing
#: there, a file where a folder should be, a bad descriptor, a loop of links. Any other error is raised.
_NOT_THERE: Final = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})

_POSIX: Final = os.name == "posix"


def path_text(path: str | os.PathLike[str]) -> str:
    """``str(Path(path))``: the path with repeated slashes and ``.`` parts dropped (``..`` kept).

    Raises
    ------
    TypeError
        If ``path`` is not text or a path-like object of text (as ``Path`` does).
    """
    text = os.fspath(path)
    if not isinstance(text, str):
        raise TypeError(
            "argument should be a str or an os.PathLike object where __fspath__ returns a str, "
            f"not {type(text).__name__!r}"
        )
    if not _POSIX:
        import pathlib

        return str(pathlib.Path(text))
    # POSIX: two leading slashes may mean something of their own and are kept; more are one.
    root = "//" if text.startswith("//") and not text.startswith("///") else "/" if text.startswith("/") else ""
    parts = [part for part in text.split("/") if part and part != "."]
    return root + "/".join(parts) or "."


def path_join(folder: str | os.PathLike[str], name: str) -> str:
    """``str(Path(folder) / name)``."""
    return path_text(os.path.join(os.fspath(folder), name))  # noqa: PTH118 (this module is pathlib-free)


def path_name(path: str) -> str:
    """``Path(path).name``: the last part ('' for a root or ``.``); ``path`` as :func:`path_text` spells it."""
    if not _POSIX:
        import pathlib

        return pathlib.Path(path).name
    name = path.rpartition("/")[2]
    return "" if name == "." else name


def path_suffix(path: str) -> str:
    """``Path(path).suffix``: the name's last dot and what follows, '' when the name starts or ends with it."""
    name = path_name(path)
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def path_stem(path: str) -> str:
    """``Path(path).stem``: the name without its :func:`path_suffix`."""
    name = path_name(path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def path_parents(path: str) -> list[str]:
    """``[str(p) for p in Path(path).parents]``: the folders above ``path``, nearest first."""
    if not _POSIX:
        import pathlib

        return [str(p) for p in pathlib.Path(path).parents]
    path = path_text(path)
    root = "//" if path.startswith("//") else "/" if path.startswith("/") else ""
    parts = [part for part in path[len(root) :].split("/") if part and part != "."]
    return [root + "/".join(parts[:end]) or "." for end in range(len(parts) - 1, -1, -1)]


def expand_user(path: str) -> str:
    """``str(Path(path).expanduser())``: a first part ``~`` or ``~user`` replaced by that home folder.

    Raises
    ------
    RuntimeError
        If the home folder cannot be found (as ``Path.expanduser``).
    """
    if not path.startswith("~"):
        return path
    first, slash, rest = path.partition("/")
    home = os.path.expanduser(first)  # noqa: PTH111 (as Path.expanduser does)
    if home[:1] == "~":
        raise RuntimeError("Could not determine home directory.")
    return path_text(home + slash + rest)


def _mode(path: str | os.PathLike[str]) -> int | None:
    """The file's mode, following links; None where pathlib's tests say "no" (see :data:`_NOT_THERE`)."""
    try:
        return os.stat(path).st_mode  # noqa: PTH116 (as Path.stat does)
    except OSError as exc:
        if exc.errno not in _NOT_THERE:
            raise
        return None
    except ValueError:  # a name with a NUL character
        return None


def exists(path: str | os.PathLike[str]) -> bool:
    """``Path(path).exists()``: other errors than :data:`_NOT_THERE` (no permission) are raised."""
    return _mode(path) is not None


def is_dir(path: str | os.PathLike[str]) -> bool:
    """``Path(path).is_dir()``."""
    mode = _mode(path)
    return mode is not None and stat.S_ISDIR(mode)


def is_file(path: str | os.PathLike[str]) -> bool:
    """``Path(path).is_file()``."""
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


__all__ = [
    "exists",
    "expand_user",
    "is_dir",
    "is_file",
    "path_join",
    "path_name",
    "path_parents",
    "path_stem",
    "path_suffix",
    "path_text",
]
