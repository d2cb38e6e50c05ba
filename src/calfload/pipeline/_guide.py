"""Guided calf-raise sets (``calfload record --guide``): tempo cues, rep count, "too fast", rest.

:class:`SetGuide` turns the recording clock and the live rep counter
(:class:`~calfload.pipeline.CalfRaiseCounter`, the same analysis as ``calfload analyze``) into
cues: a tick every second of the programme's tempo (up 1 s, hold 1 s, down 3 s, bottom 1 s), the
rep count after each rep, "too fast" right after a rep whose lowering failed the tempo audit, the
end of the set at the target reps, then a rest and "go". :func:`render_wav` writes the cue track as
sound (standard-library ``wave``), which is how the tests check its timing; while recording, the
cues ring the terminal bell and show on the status line.
"""

from __future__ import annotations

import math
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from calfload.ingest.live import LiveWindow

#: Tone of each cue kind: frequency (Hz) and length (s).
TONES: Final[dict[str, tuple[float, float]]] = {
    "up": (880.0, 0.08),
    "hold": (660.0, 0.08),
    "down": (440.0, 0.08),
    "tick": (1000.0, 0.03),
    "rep": (1320.0, 0.12),
    "too_fast": (220.0, 0.40),
    "rest": (520.0, 0.60),
    "go": (1760.0, 0.30),
}
#: Silence between two cues that fall together.
CUE_GAP_S: Final = 0.05


@dataclass(frozen=True, slots=True)
class GuideParams:
    """The guided set's tempo and volume.

    Parameters
    ----------
    up_s, hold_s, down_s, bottom_s
        The programme's tempo: rise, top hold, lowering and pause at the bottom, in seconds.
    target_reps
        Reps per set; the set ends at this many counted reps (dimensionless).
    rest_s
        Rest between sets, in seconds.
    """

    up_s: float = 1.0
    hold_s: float = 1.0
    down_s: float = 3.0
    bottom_s: float = 1.0
    target_reps: int = 12
    rest_s: float = 90.0

    @property
    def cycle_s(self) -> float:
        """One rep at the programme's tempo."""
        return self.up_s + self.hold_s + self.down_s + self.bottom_s


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue: when (recording clock, s), which kind (see :data:`TONES`) and what it says."""

    t_s: float
    kind: str
    text: str


class SetGuide:
    """Cues for guided sets, from the clock and the live rep count (see the module docstring)."""

    def __init__(self, params: GuideParams, start_s: float) -> None:
        self.params = params
        self.set_index = 1
        self.set_start_s = start_s
        self.next_tick_s = start_s
        self.reps_seen = 0
        self.reps_in_set = 0
        self.resting_until_s: float | None = None

    def update(self, now_s: float, rep_count: int, last_pass: bool | None) -> list[Cue]:
        """The cues due by ``now_s``, given the reps counted so far and whether the last one passed.

        The metronome's beats come first, then what the reps say (rep count, "too fast", rest).
        """
        cues: list[Cue] = []
        if self.resting_until_s is not None and now_s >= self.resting_until_s:
            self.set_index += 1
            self.reps_in_set = 0
            self.resting_until_s = None
            self.set_start_s = self.next_tick_s = now_s
            cues.append(Cue(now_s, "go", f"set {self.set_index}: go"))
        while self.resting_until_s is None and self.next_tick_s <= now_s:
            cues.append(self._tick(self.next_tick_s))
            self.next_tick_s += 1.0
        while self.reps_seen < rep_count:
            self.reps_seen += 1
            self.reps_in_set += 1
            cues.append(Cue(now_s, "rep", f"rep {self.reps_in_set}"))
            if self.reps_seen == rep_count and last_pass is False:
                cues.append(Cue(now_s, "too_fast", "too fast: lower for three seconds"))
            if self.reps_in_set >= self.params.target_reps and self.resting_until_s is None:
                cues.append(Cue(now_s, "rest", f"set {self.set_index} done: rest {self.params.rest_s:.0f} s"))
                self.resting_until_s = now_s + self.params.rest_s
        return cues

    def _tick(self, t_s: float) -> Cue:
        p = self.params
        phase = math.fmod(t_s - self.set_start_s, p.cycle_s)
        if phase < 0.5:
            return Cue(t_s, "up", "up")
        if abs(phase - p.up_s) < 0.5:
            return Cue(t_s, "hold", "hold")
        if abs(phase - p.up_s - p.hold_s) < 0.5:
            return Cue(t_s, "down", "down")
        return Cue(t_s, "tick", "")


def render_wav(cues: list[Cue], path: Path, *, duration_s: float, rate_hz: int = 8000) -> list[float]:
    """Write the cue track (16-bit mono): each cue's tone (:data:`TONES`) at its time.

    A cue due while another's tone still sounds follows it after :data:`CUE_GAP_S`. Returns
    each cue's onset in the track (s).
    """
    track = np.zeros(round(duration_s * rate_hz) + 1)
    onsets: list[float] = []
    free_s = -math.inf
    for cue in cues:
        freq, length = TONES[cue.kind]
        at_s = max(cue.t_s, free_s)
        onsets.append(at_s)
        free_s = at_s + length + CUE_GAP_S
        start = round(at_s * rate_hz)
        n = min(round(length * rate_hz), track.size - start)
        if n > 0:
            track[start : start + n] += 0.5 * np.sin(2 * np.pi * freq * np.arange(n) / rate_hz)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate_hz)
        out.writeframes((np.clip(track, -1, 1) * 32767).astype("<i2").tobytes())
    return onsets


__all__ = ["CUE_GAP_S", "TONES", "Cue", "GuideParams", "GuidedCounter", "SetGuide", "render_wav"]


class GuidedCounter:
    """The live hook of ``record --guide``: the rep counter, its cues, and a sound for each.

    ``sound`` is called with every cue as it falls due (the terminal bell while recording); the
    cues so far are kept in :attr:`cues` (for :func:`render_wav`).
    """

    def __init__(self, params: GuideParams, sound: Callable[[Cue], None]) -> None:
        from calfload.pipeline._live import CalfRaiseCounter

        self.params = params
        self.sound = sound
        self.counter = CalfRaiseCounter()
        self.guide: SetGuide | None = None
        self.cues: list[Cue] = []

    def __call__(self, window: LiveWindow) -> str | None:
        """Count the reps of the recent window, play the cues now due, and return the status text."""
        if window.t_s.size == 0:
            return None
        now_s = float(window.t_s[-1])
        if self.guide is None:
            self.guide = SetGuide(self.params, now_s)
        self.counter(window)
        last = self.counter.last_eccentric_s
        target = self.counter.target_eccentric_s - self.counter.tolerance_s
        cues = self.guide.update(now_s, self.counter.count, None if last is None else last >= target)
        for cue in cues:
            self.sound(cue)
        self.cues += cues
        said = [c.text for c in cues if c.kind not in ("tick", "up", "hold", "down")]
        return self.counter.text() + (f" | {said[-1]}" if said else "")
