"""A progress bar for long work, shown only to a person watching a terminal.

It writes to standard error, so standard output (tables, JSON, file names) stays clean, and it
draws nothing when standard error is not a terminal (piped, redirected, under a test runner) or
when the caller turns it off (``--json``, ``--quiet``). Work that ends within ``delay_s`` shows
nothing at all; longer work shows the bar, kept alive by a small timer thread (so one long step,
such as analysing a long recording, still shows the time going by), redrawn a few times a
second, and erased when done, leaving the terminal as it was.

Small on purpose: one line, a bar, a count and the time left. Libraries such as ``tqdm`` or
``rich`` would do more, but calfload needs only this and keeps its dependencies few.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Final, TextIO

from calfload._logger import package_logger

logger = package_logger(__name__)

_REDRAW_S: Final = 0.1
_TICK_S: Final = 0.25
_BAR_CELLS: Final = 24
#: The bars drawing now (a warning printed meanwhile erases them first: :func:`paused_progress`).
_ACTIVE: Final[list[Progress]] = []


def progress_enabled(stream: TextIO | None = None, *, quiet: bool = False) -> bool:
    """Whether a progress bar should be drawn on ``stream`` (default: standard error).

    False when ``quiet`` (``--json``, ``--quiet``), when the stream is not a terminal, when
    ``TERM=dumb`` or when ``CALFLOAD_NO_PROGRESS`` is set.
    """
    if quiet or os.environ.get("CALFLOAD_NO_PROGRESS") or os.environ.get("TERM") == "dumb":
        return False
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


class Progress:
    """A one-line progress bar; use as a context manager.

    Parameters
    ----------
    total
        Number of steps (``advance`` calls) expected; 0 or less shows a count without a bar.
    label
        What is being done ("importing", "rendering").
    enabled
        Draw at all; by default :func:`progress_enabled` decides.
    stream
        Where to draw (default: standard error).
    delay_s
        Draw nothing until the work has taken this long.

    Examples
    --------
    >>> import io
    >>> with Progress(3, "working", stream=io.StringIO()) as bar:  # not a terminal: draws nothing
    ...     for _ in range(3):
    ...         bar.advance()
    >>> bar.done
    3
    """

    def __init__(
        self,
        total: int,
        label: str,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        delay_s: float = 0.4,
    ) -> None:
        self.total = total
        self.delay_s = delay_s
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = progress_enabled(self.stream) if enabled is None else enabled
        self.done = 0
        self.detail = ""
        self._start = time.monotonic()
        self._last_draw = float("-inf")
        self._drawn = False
        self._drawn_len = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> Progress:
        self._start = time.monotonic()
        _ACTIVE.append(self)
        if self.enabled:
            self._ticker = threading.Thread(target=self._tick, name="calfload-progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def advance(self, steps: int = 1, *, detail: str = "") -> None:
        """Count ``steps`` more as done; ``detail`` names what is being worked on now (a file)."""
        self.done += steps
        if detail:
            self.detail = detail
        self._draw(force=self.done >= self.total > 0)

    def set_detail(self, detail: str) -> None:
        """Name what is being worked on now, without counting a step."""
        self.detail = detail
        self._draw()

    def close(self) -> None:
        """Stop redrawing and erase the bar (nothing was written if it never drew)."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._lock:
            self._erase()
        if self in _ACTIVE:
            _ACTIVE.remove(self)

    def _erase(self) -> None:
        """Blank the drawn bar and return to the start of its line (the caller holds the lock)."""
        if self.enabled and self._drawn:
            self._write("\r" + " " * self._drawn_len + "\r")
            self._drawn = False
            self._drawn_len = 0

    def line(self) -> str:
        """The text of the bar as it would be drawn now (without control characters)."""
        import shutil  # only when a bar is drawn: shutil imports bz2 and lzma (every analyze made a Progress)

        elapsed = time.monotonic() - self._start
        width = shutil.get_terminal_size((80, 24)).columns
        if self.total > 0:
            share = min(self.done / self.total, 1.0)
            filled = round(share * _BAR_CELLS)
            bar = "█" * filled + "░" * (_BAR_CELLS - filled)
            left = ""
            if 0 < self.done < self.total and elapsed > 1.0:
                left = f" ~{_duration(elapsed / self.done * (self.total - self.done))} left"
            text = f"{self.label} {bar} {self.done}/{self.total}{left}"
        else:
            text = f"{self.label} … {self.done} done, {_duration(elapsed)}"
        if self.detail:
            text += f"  {self.detail}"
        return text[: max(width - 1, 10)]

    def _tick(self) -> None:
        while not self._stop.wait(_TICK_S):
            self._draw(force=True)

    def _draw(self, *, force: bool = False) -> None:
        if not self.enabled or self._stop.is_set():
            return
        now = time.monotonic()
        if now - self._start < self.delay_s or (not force and now - self._last_draw < _REDRAW_S):
            return
        with self._lock:
            self._last_draw = now
            # Spaces, not an erase-line escape, cover the longer line drawn before: the command
            # line escapes every control character but the carriage return on its way out.
            line = self.line()
            self._write("\r" + line.ljust(self._drawn_len))
            self._drawn_len = len(line)
            self._drawn = True

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: stop drawing, never fail the work
            logger.debug("progress bar disabled: cannot write to the terminal")
            self.enabled = False


@contextlib.contextmanager
def paused_progress() -> Iterator[None]:
    """Erase the bars being drawn and keep them off the line while the block prints a message.

    A warning written while a bar is on the line would follow the bar on the same line; in this
    block it starts at the left edge, and the bar is drawn again below it on its next redraw.
    """
    bars = list(_ACTIVE)
    with contextlib.ExitStack() as stack:
        for bar in bars:
            stack.enter_context(bar._lock)
            bar._erase()
        yield


def _duration(seconds: float) -> str:
    """``42 s`` or ``3 min 05 s``."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s"


__all__ = ["Progress", "paused_progress", "progress_enabled"]
