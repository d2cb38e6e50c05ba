"""Text from files and devices reaches the terminal only with its control characters escaped.

Sensor and device names, file names, metadata values and error messages can hold anything,
including escape sequences that move the cursor, rewrite the window title or hide text. The
command line writes its output through :class:`SafeStream`, so every printed character passes
:func:`terminal_safe` whichever module printed it.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from collections.abc import Iterator

# typing is imported for the type checker only (mypy takes any ``TYPE_CHECKING`` as true): ``--help``'s
# modules use none of its names at run time, and importing it was about a tenth of ``--help``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final, TextIO

#: C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text
#: (zero-width, bidirectional overrides and isolates, line and paragraph separators).
_INVISIBLE: Final = "\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_ANY_CONTROL: Final = f"[\x00-\x1f{_INVISIBLE}]"
#: The same, but tab, newline and carriage return (the status line's rewrite) are layout.
_NON_LAYOUT: Final = f"[\x00-\x08\x0b\x0c\x0e-\x1f{_INVISIBLE}]"


@functools.cache
def _controls(keep_layout: bool) -> re.Pattern[str]:
    """The characters to escape, as a pattern compiled on first use.

    ``--help`` and usage errors print before any output goes through :class:`SafeStream`, and
    compiling both classes at import cost about 1.7 ms of CPU (``--help`` takes about 75 ms).
    """
    return re.compile(_NON_LAYOUT if keep_layout else _ANY_CONTROL)


def _escaped(match: re.Match[str]) -> str:
    # \uXXXX above ASCII: valid inside a JSON string too (JSON escapes C0 itself).
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def terminal_safe(text: str, *, keep_layout: bool = False) -> str:
    """Escape control characters: ESC becomes the four characters backslash, x, 1, b.

    Parameters
    ----------
    text
        Text from a file, a device or the user.
    keep_layout
        Keep tab, newline and carriage return (for whole output lines rather than one field).
    """
    return _controls(keep_layout).sub(_escaped, text)


class SafeStream:
    """A text stream that writes everything through :func:`terminal_safe` (layout kept)."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        """Write ``text`` with its control characters escaped."""
        self.inner.write(terminal_safe(text, keep_layout=True))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def fit_message(text: str, stream: TextIO) -> str:
    """One message for ``stream``, wrapped at spaces on a terminal and one line anywhere else.

    A pipe or a file gets the message as it is (one line, easy to grep); a terminal gets it wrapped
    to its width with continuation lines indented, never broken inside a word.
    """
    isatty = getattr(stream, "isatty", None)
    if not (callable(isatty) and isatty()):
        return text
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size((80, 24)).columns, 20)
    lines = textwrap.wrap(text, width, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)
    return "\n".join(lines or [text])


def unfiltered(stream: TextIO) -> TextIO:
    """The stream beneath a :class:`SafeStream`: only for calfload's own control output (a bell)."""
    return stream.inner if isinstance(stream, SafeStream) else stream


@contextlib.contextmanager
def safe_terminal() -> Iterator[None]:
    """Route ``sys.stdout`` and ``sys.stderr`` through :class:`SafeStream` inside the block."""
    from typing import cast  # here: --help ends before a command's output is filtered

    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout = cast("TextIO", SafeStream(stdout))
    sys.stderr = cast("TextIO", SafeStream(stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


__all__ = ["SafeStream", "fit_message", "safe_terminal", "terminal_safe", "unfiltered"]
