"""The quiet measure every IMU gait analysis carries, without the walk-or-run module behind it (issue 15).

A shank or thigh gives strides but no contact times, and its strides' quiet share tells a walk
from a run (:mod:`calfload.signal._activity_pace`). Every IMU analysis makes a
:class:`QuietMeasure`, but only a leg's is ever asked: the pace module (its parameters and
pieces, dataclasses made when it is imported) loads only then, so a foot's analysis does
without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from calfload.recording import Recording

if TYPE_CHECKING:
    from calfload.signal._activity_pace import PaceParams, QuietPieces

#: Placements whose gait analysis gives strides without contact times.
NO_CONTACT_LEGS = frozenset({"shank", "thigh"})


class QuietMeasure:
    """The quiet pieces of a leg's recordings, measured on first use and then kept.

    On a shank or thigh at a running cadence the gait analysis asks for them (walk or run, and
    whether the activity given fits), and the bouts again (runs cut by cadence whose strides are
    quiet): one measure serves every question (the whole recording on the 50 Hz grid and its
    norm low-passed, once). :meth:`measured` gives the pieces to carry in the result only when
    they were measured, so a slow walk measures nothing; the recordings are not kept in it.
    """

    __slots__ = ("_params", "_pieces", "_recordings")

    def __init__(self, recordings: Sequence[Recording], params: PaceParams | None = None) -> None:
        self._recordings = tuple(recordings)
        self._params = params  # the defaults when measured, if None
        self._pieces: QuietPieces | None = None

    def pieces(self) -> QuietPieces:
        """Every recording's quiet pieces (:func:`~calfload.signal._activity_pace.quiet_pieces`), measured once."""
        if self._pieces is None:
            from calfload.signal._activity_pace import PaceParams, quiet_pieces

            params = self._params or PaceParams()
            self._pieces = tuple(quiet_pieces(rec, params) for rec in self._recordings)
        return self._pieces

    def measured(self) -> QuietPieces | None:
        """The pieces when they were measured, else None."""
        return self._pieces


__all__ = ["NO_CONTACT_LEGS", "QuietMeasure"]
