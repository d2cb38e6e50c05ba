"""The plain, row-major quaternion functions the stride kernel used before its speed work (test helper module).

:mod:`calfload._quaternion` keeps only what the analysis runs: the component-major
:func:`~calfload._quaternion.from_rotvec_rows` and
:func:`~calfload._quaternion.rotate_rows`. These two are their references: checked against
SciPy's ``Rotation`` in ``test_quaternion.py``, and the building blocks of the previous
integration kernel in ``test_trajectory_kernel.py``. Quaternions are scalar first ``(w, x, y, z)``.
"""

from __future__ import annotations

import numpy as np


def from_rotvec(rotvec_rad: np.ndarray) -> np.ndarray:
    """Quaternion of a rotation vector (axis times angle, rad); exact for small angles too."""
    angle = np.linalg.norm(rotvec_rad, axis=-1, keepdims=True)
    half = 0.5 * angle
    # sin(θ/2)/θ, with its Taylor series near 0 (no division by zero).
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(angle > 1e-6, np.sin(half) / angle, 0.5 - angle**2 / 48.0)
    return np.concatenate((np.cos(half), rotvec_rad * scale), axis=-1)


def rotate(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotate vectors ``v`` (``(..., 3)``) by unit quaternions ``q`` (``q ⊗ v ⊗ q*``)."""
    w = q[..., :1]
    u = q[..., 1:]
    t = 2.0 * np.cross(u, v)
    return np.asarray(v + w * t + np.cross(u, t))
