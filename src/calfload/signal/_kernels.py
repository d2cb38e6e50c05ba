"""Butterworth zero-phase filters in NumPy, equal to SciPy's to rounding; peak finding from :mod:`._peaks`.

Why not ``scipy.signal``: importing it costs about 1.1 s of CPU on this project's machines (its
package initialisation imports ``scipy.stats``, ``scipy.interpolate`` and ``scipy.optimize``), more
than analysing an hour of running. Any ``scipy.signal`` submodule runs that initialisation, so the
three functions the analysis uses are written here and tested against SciPy in the suite
(``tests/test_signal/test_kernels.py``, agreement to 1e-9).

- :func:`butter` designs the digital Butterworth filter exactly as SciPy does (analog prototype,
  pre-warped bilinear transform) and keeps it as zeros, poles and gain.
- :func:`filtfilt` runs it forwards and backwards with SciPy's defaults of ``sosfiltfilt`` (odd
  extension, steady-state initial conditions). The recursion is evaluated in blocks of 16
  samples: inside a block the response is a matrix product with the impulse response (the
  partial fractions give it), and the poles' states are carried from block to block by the
  same recursion on a 16 times shorter sequence, so each pass over the signal is a few matrix
  products and rounding stays near 1e-16 of the signal. The signal is zero-padded to whole
  blocks (no partial last one), and each channel is filtered alone: a channel's values are the
  same bits whatever other channels come with it.
- :func:`find_peaks` and :func:`peak_prominences` (SciPy's rules, :mod:`calfload.signal._peaks`)
  are kept importable from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np

from calfload.signal._peaks import find_peaks, peak_prominences


@dataclass(frozen=True, slots=True, eq=False)
class Butter:
    """A digital Butterworth filter as zeros, poles and gain (z-domain); its arrays are read-only.

    Designs are made once per set of arguments (:func:`butter` keeps them), so a design is
    compared and hashed by identity.

    Attributes
    ----------
    zeros, poles
        Complex roots of the numerator and denominator in ``z``.
    gain
        Overall gain.
    """

    zeros: np.ndarray
    poles: np.ndarray
    gain: float


@lru_cache(maxsize=32)
def butter(order: int, cutoff_hz: float | tuple[float, float], fs_hz: float, btype: Literal["low", "band"]) -> Butter:
    """Design a Butterworth low-pass or band-pass filter (``scipy.signal.butter`` with ``fs``).

    The same arguments give the same (shared, read-only) design: a long recording is filtered
    window by window, and designing again for every window cost as much as a window's filtering.
    """
    m = np.arange(-order + 1, order, 2)
    proto = -np.exp(1j * np.pi * m / (2 * order))
    edges = np.atleast_1d(np.asarray(cutoff_hz, dtype=np.float64)) * 2.0 / fs_hz
    warped = 4.0 * np.tan(np.pi * edges / 2.0)
    if btype == "low":
        poles = proto * warped[0]
        zeros = np.zeros(0, dtype=complex)
        gain = float(warped[0]) ** order
    else:
        bw, wo = float(warped[1] - warped[0]), float(np.sqrt(warped[0] * warped[1]))
        half = proto * bw / 2.0
        root = np.sqrt(half**2 - wo**2)
        poles = np.concatenate([half + root, half - root])
        zeros = np.zeros(order, dtype=complex)
        gain = bw**order
    fs2 = 4.0
    z_zeros = (fs2 + zeros) / (fs2 - zeros)
    z_poles = (fs2 + poles) / (fs2 - poles)
    z_zeros = np.concatenate([z_zeros, -np.ones(poles.size - zeros.size)])
    z_gain = gain * float(np.real(np.prod(fs2 - zeros) / np.prod(fs2 - poles)))
    z_zeros.setflags(write=False)
    z_poles.setflags(write=False)
    return Butter(z_zeros, z_poles, z_gain)


def filtfilt(design: Butter, x: np.ndarray, *, padlen: int | None = None) -> np.ndarray:
    """Zero-phase filtering along axis 0, as ``scipy.signal.sosfiltfilt`` (odd padding, steady start).

    Parameters
    ----------
    design
        The filter (:func:`butter`).
    x
        Signal, 1-D or ``(n, channels)``.
    padlen
        Samples of odd extension at each end; SciPy's default (``3 * (2 * sections + 1)``)
        when None.
    """
    data = np.asarray(x, dtype=np.float64)
    flat = data.reshape(data.shape[0], -1)
    if padlen is None:  # SciPy's: 3 * (2 * sections + 1), less one for a first-order section
        padlen = 3 * (2 * math.ceil(design.poles.size / 2) + 1 - design.poles.size % 2)
    n = flat.shape[0]
    if n <= padlen:
        raise ValueError(f"the signal must be longer than padlen ({padlen} samples)")
    plan = _block_plan(design)
    dc_gain = plan[4]
    out = np.empty_like(flat)
    size = n + 2 * padlen
    # The odd extension, then zeros to whole blocks: a causal filter's later inputs change nothing before them.
    ext = np.empty(-(-size // _BLOCK) * _BLOCK)
    ext[size:] = 0.0
    passed = np.empty(ext.size)  # each pass' response; the forward one is read before the backward one is made
    for c in range(flat.shape[1]):
        col = flat[:, c]
        # Each pass starts in the steady state of its first value x0: the response from rest to
        # x - x0, plus dc_gain * x0. The backward pass reads the forward output reversed.
        first = float(2 * col[0] - col[padlen])
        np.subtract(2 * col[0], col[padlen:0:-1], out=ext[:padlen])
        np.subtract(col, first, out=ext[padlen : padlen + n])
        np.subtract(2 * col[-1], col[-2 : -padlen - 2 : -1], out=ext[padlen + n : size])
        ext[:padlen] -= first
        ext[padlen + n : size] -= first
        forward = _block_filter(ext, plan, out=passed)
        last = float(forward[size - 1])
        np.subtract(forward[size - 1 :: -1], last, out=ext[:size])
        backward = _block_filter(ext, plan, out=passed)
        np.add(backward[size - 1 - padlen : padlen - 1 : -1], dc_gain * (last + dc_gain * first), out=out[:, c])
    return out.reshape(data.shape)


#: Samples per block of :func:`_block_filter`: the response inside a block is a ``B x B`` matrix product.
_BLOCK = 16

#: Blocks per piece of :func:`_block_filter` (its temporaries stay under a MB however long the signal).
_PIECE_ROWS = 4096

#: What :func:`_block_plan` makes: the response, ends and entering matrices, poles**B, DC gain.
_Plan = tuple[np.ndarray, np.ndarray, np.ndarray, tuple[complex, ...], float]


@lru_cache(maxsize=32)
def _block_plan(design: Butter) -> _Plan:
    """The matrices of :func:`_block_filter` for ``design`` (``B`` = :data:`_BLOCK`, ``m`` kept poles).

    ``response`` ``(B, B)``: ``[j, k]`` is the impulse response ``h[k - j]`` (zero for ``k < j``)
    from the partial fractions; ``ends`` ``(B, 2m)``: a block's samples to each pole's state at the
    block's last sample (real and imaginary parts); ``entering`` ``(2m, B)``: the state entering
    a block to the block's output, ``Re(r p**(k + 1) s)``; each pole to the power ``B``; the DC gain.
    """
    direct, residues, poles, dc_gain = _partial_fractions(design)
    k = np.arange(_BLOCK)
    h = np.zeros(_BLOCK)
    h[0] = direct
    for r, p in zip(residues, poles, strict=True):
        h += np.real(r * p**k)
    response = np.zeros((_BLOCK, _BLOCK))
    for j in range(_BLOCK):
        response[j, j:] = h[: _BLOCK - j]
    ends = np.empty((_BLOCK, 2 * poles.size))
    entering = np.empty((2 * poles.size, _BLOCK))
    for i, (r, p) in enumerate(zip(residues, poles, strict=True)):
        to_end = p ** (_BLOCK - 1 - k)
        ends[:, 2 * i], ends[:, 2 * i + 1] = to_end.real, to_end.imag
        to_out = r * p ** (k + 1)
        entering[2 * i], entering[2 * i + 1] = to_out.real, -to_out.imag
    for a in (response, ends, entering):
        a.setflags(write=False)
    return response, ends, entering, tuple(complex(p) ** _BLOCK for p in poles), dc_gain


def _block_filter(v: np.ndarray, plan: _Plan, out: np.ndarray | None = None) -> np.ndarray:
    """The filter's response from rest to ``v`` (1-D, contiguous), with ``plan`` from :func:`_block_plan`.

    For ``v`` of a whole number of blocks the response may go into ``out`` (of ``v``'s size).
    In blocks of :data:`_BLOCK` samples: the response from rest inside a block is one matrix
    product; each pole's state at the blocks' ends (another) is carried from block to block by
    the recursion with the pole to the power ``B`` (:func:`_states`, a ``B`` times shorter
    sequence), and added to the next block's output by a third. Rounding: near 1e-16 of the signal.
    """
    response, to_end, entering, block_poles, _ = plan
    n = v.size
    rows = -(-n // _BLOCK)
    if n < rows * _BLOCK:  # zeros to a whole block (they change nothing before them)
        v, out = np.concatenate((v, np.zeros(rows * _BLOCK - n))), None
    body = v.reshape(rows, _BLOCK)
    ends = body @ to_end
    state = np.zeros(ends.shape)
    # Each pole's (real, imaginary) columns seen as one complex column.
    for i, q in enumerate(block_poles):
        state.view(np.complex128)[1:, i] = _states(q, ends.view(np.complex128)[:-1, i])
    y = np.empty(rows * _BLOCK) if out is None else out
    blocks = y.reshape(rows, _BLOCK)
    for a in range(0, rows, _PIECE_ROWS):
        b = min(rows, a + _PIECE_ROWS)
        np.matmul(body[a:b], response, out=blocks[a:b])
        blocks[a:b] += state[a:b] @ entering
    return y[:n]


def _states(q: complex, e: np.ndarray) -> np.ndarray:
    """``w[n] = q * w[n - 1] + e[n]`` from rest, for complex ``e`` (``|q| < 1``).

    When ``|q|**12`` is under 1e-18 the terms are summed directly (:func:`_joined_ends`).
    Otherwise the same way as :func:`_block_filter`: in blocks of :data:`_BLOCK` from rest (one
    complex matrix product, :func:`_state_matrices`), the states entering the blocks by this
    recursion with ``q**B``.
    """
    radius = abs(q)
    if radius == 0.0 or e.size == 0:
        return e
    reach = math.ceil(math.log(1e-18) / math.log(radius)) + 1
    if reach <= 12 or e.size <= _BLOCK:
        return _joined_ends(e, q, reach)
    rows = -(-e.size // _BLOCK)
    z = np.zeros((rows, _BLOCK), dtype=complex)
    z.reshape(-1)[: e.size] = e
    inside, decay = _state_matrices(q)
    w: np.ndarray = z @ inside
    w[1:] += _states(q**_BLOCK, w[:-1, -1])[:, None] * decay
    return w.reshape(-1)[: e.size]


@lru_cache(maxsize=64)
def _state_matrices(q: complex) -> tuple[np.ndarray, np.ndarray]:
    """For :func:`_states`: ``[j, k] = q**(k - j)`` (0 for ``k < j``), a block's recursion from rest; ``q**(k + 1)``."""
    k = np.arange(_BLOCK)
    lag = k[None, :] - k[:, None]
    inside = np.where(lag >= 0, q ** np.maximum(lag, 0), 0)
    decay = q ** (k + 1)
    inside.setflags(write=False)
    decay.setflags(write=False)
    return inside, decay


@lru_cache(maxsize=32)
def _partial_fractions(design: Butter) -> tuple[float, np.ndarray, np.ndarray, float]:
    """``H(z) = direct + sum(r / (1 - p z^-1))`` over one pole of each conjugate pair (and real poles).

    Returns the direct term, the residues and poles kept (conjugates are added back as twice the
    real part) and the gain at DC. Kept per design (read-only arrays).
    """
    z, p, k = design.zeros, design.poles, design.gain
    direct = float(np.real(k * np.prod(z) / np.prod(p)))
    keep = p.imag >= -1e-12 * np.abs(p)
    residues = []
    for i in np.flatnonzero(keep):
        others = np.delete(p, i)
        residues.append(k * np.prod(1.0 - z / p[i]) / np.prod(1.0 - others / p[i]))
    r = np.asarray(residues, dtype=complex)
    kept = p[keep]
    weight = np.where(np.abs(kept.imag) > 1e-12 * np.abs(kept), 2.0, 1.0)
    dc_gain = direct + float(np.sum(weight * np.real(r / (1.0 - kept))))
    residues_kept = r * weight
    residues_kept.setflags(write=False)
    kept.setflags(write=False)
    return direct, residues_kept, kept, dc_gain


def _joined_ends(ends: np.ndarray, q: complex, reach: int) -> np.ndarray:
    """``carry[j] = ends[j] + q * carry[j - 1]``, summed over ``reach`` or more terms back (all beyond are under 1e-18).

    By doubling: when ``carry`` holds the sums over ``span`` terms, adding it ``span`` places back,
    times ``q**span``, makes the sums over ``2 * span``.
    """
    carry = ends.copy()
    span, power = 1, q
    while span < min(reach, ends.size):
        carry[span:] += power * carry[:-span]
        span, power = 2 * span, power * power
    return carry


__all__ = ["Butter", "butter", "filtfilt", "find_peaks", "peak_prominences"]
