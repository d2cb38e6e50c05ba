"""Calf raises inside a walk or run: the reps of each ``calf_raise`` bout, by the calf analysis.

A walk to the gym's step, three sets of raises, the walk home: one recording, analysed as a walk
(its activity or ``--activity walk``). The bouts find the stretch between the walks whose
movement the activity windows call calf raises (:mod:`calfload.signal._bouts`); here that stretch
alone is given to :func:`calfload.signal._calf_raise.analyze_calf_raises`, with the placement's
parameters, and its rep count becomes the bout's ``reps``. The load model counts them
(:mod:`calfload.loadmodel._session`). A stretch the calf analysis cannot read keeps no count.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from calfload.errors import CalfloadError
from calfload.recording import Recording
from calfload.signal._bouts_types import Bout


def count_bout_reps(rec: Recording, bouts: Sequence[Bout]) -> tuple[Bout, ...]:
    """The bouts, each ``calf_raise`` bout with the reps the calf analysis finds in it."""
    if not any(b.activity == "calf_raise" for b in bouts):
        return tuple(bouts)
    from calfload.signal._calf_raise import analyze_calf_raises
    from calfload.signal._calf_types import CalfRaiseParams

    params = CalfRaiseParams.for_placement(rec.meta.placement)
    out = []
    for bout in bouts:
        counted = bout
        if bout.activity == "calf_raise":
            i, j = (int(k) for k in np.searchsorted(rec.t_s, [bout.start_s, bout.end_s]))
            cut = Recording({name: values[i:j] for name, values in rec.columns.items()}, rec.meta, rec.source)
            # Too short or unreadable: the bout keeps its label, without a count.
            with contextlib.suppress(CalfloadError):
                counted = replace(bout, reps=analyze_calf_raises(cut, params).rep_count)
        out.append(counted)
    return tuple(out)


__all__ = ["count_bout_reps"]
