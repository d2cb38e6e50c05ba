"""The strides' samples from the grid's columns: block means made with one search for the six columns.

A group of strides (:mod:`calfload.signal._trajectory`) integrates means of consecutive grid rows
(two at 200 Hz). :func:`column_block_means` makes them from the grid's columns
(:func:`calfload.signal._grid.grid_column_windows`) without the rows: the six columns'
values at the group's grid times (:class:`calfload.signal._interp.ColumnInterp`, ``np.interp``'s
bits with its search made once), added in order a block at a time and divided, component-major.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from calfload.signal._gait_foot_front import GridColumns
from calfload.signal._interp import ColumnInterp

#: The largest block :func:`column_block_means` sums in order (wider blocks are averaged by NumPy's ``mean``).
MAX_SUMMED_BLOCK: Final = 8


def column_block_means(columns: GridColumns, lo: int, hi: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    """Means of consecutive ``block`` grid rows ``[lo, hi)`` (a last partial block left out), ``(3, m)`` each.

    The acceleration's and the angular rate's, component-major: the rows of
    :func:`calfload.signal._grid.grid_rows` added in order ``block`` at a time and divided (the
    strides' block means, :func:`calfload.signal._trajectory._blocks`, the same bits), for blocks
    of one the rows themselves. Each column's interpolated values are made and let go in turn.
    """
    grid, native_t, acc_windows = columns(lo, hi, "acc")
    _, _, gyr_windows = columns(lo, hi, "gyr")  # the same rows, so the same times
    search = ColumnInterp(grid, native_t)
    m = (hi - lo) // block
    out = np.empty((3, m)), np.empty((3, m))
    for windows, into in ((acc_windows, out[0]), (gyr_windows, out[1])):
        for window, means in zip(windows, into, strict=True):
            values = search.values(window)
            if block == 1:
                means[:] = values
                continue
            np.add(values[0 : m * block : block], values[1 : m * block : block], out=means)
            for j in range(2, block):
                np.add(means, values[j : m * block : block], out=means)
            np.divide(means, block, out=means)
            del values  # before the next column's
    return out


__all__ = ["MAX_SUMMED_BLOCK", "column_block_means"]
