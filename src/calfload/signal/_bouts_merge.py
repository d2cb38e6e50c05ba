"""Short stops inside a walk or run are not bouts of their own (the bouts table a runner reads).

A run through a town stops at every crossing: its records split into a bout per stretch between
stops (58 rows for one public FIT run with 26 stops, 23 of them under 30 s). A stop shorter than
:data:`SHORT_STOP_S` between two gait bouts is taken as a pause inside the gait (as a 3 s pause
is inside a walking bout, :class:`calfload.signal._bouts_types.BoutParams`), and neighbouring gait
bouts of the same activity and part then become one bout:

- steps and distance add up (the distance of the bouts that have one: a bout of a few seconds
  may have none);
- median cadence, mean cadence, contact time and duty factor are the step-weighted means of the
  bouts' figures (the exact median would need the steps themselves);
- speed is the distance over the time in motion (the bouts' durations, not the stops between
  them), else the time-weighted mean of the bouts' speeds.

Stops of :data:`SHORT_STOP_S` or longer, standing at either end, and other activities stay rows.
On the public FIT runs the longest tables go from 58, 42, 24 and 18 rows to 26, 18, 7 and 3.

Applied to foot-pod and FIT records, and to an IMU recording of a run (before each bout's
figures are taken from the steps and strides inside it, so they are exact there, not weighted
means). An IMU walk keeps Mobilise-D's definition (pauses up to 3 s), which the walking bouts are
validated against (mobgap's INDIP bouts, docs/validation.md): a clinician counting a patient's
walking bouts wants each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from calfload.signal._bouts_types import Bout

#: Stops shorter than this between two gait bouts are pauses inside the gait (s).
SHORT_STOP_S: Final = 30.0


def merge_short_stops(bouts: Sequence[Bout], short_stop_s: float = SHORT_STOP_S) -> tuple[Bout, ...]:
    """The bouts with short stops between gait bouts left out and the same gait around them joined."""
    kept = [
        b
        for i, b in enumerate(bouts)
        if not (
            b.activity == "stand"
            and b.duration_s < short_stop_s
            and 0 < i < len(bouts) - 1
            and bouts[i - 1].is_gait
            and bouts[i + 1].is_gait
        )
    ]
    out: list[Bout] = []
    for bout in kept:
        last = out[-1] if out else None
        if (
            last is not None
            and last.is_gait
            and bout.is_gait
            and (last.activity, last.part) == (bout.activity, bout.part)
        ):
            out[-1] = _joined(last, bout)
        else:
            out.append(bout)
    return tuple(out)


def _joined(a: Bout, b: Bout) -> Bout:
    """One bout from two of the same gait with a short stop between them."""
    steps = None if a.steps is None or b.steps is None else a.steps + b.steps
    known = [d for d in (a.distance_m, b.distance_m) if d is not None]
    distance = float(sum(known)) if known else None
    moving_s = a.duration_s + b.duration_s
    if distance is not None and len(known) == 2 and moving_s > 0:
        speed: float | None = distance / moving_s
    else:
        speed = _weighted((a.speed_mps, b.speed_mps), (a.duration_s, b.duration_s))
    weights = (float(a.steps or 0), float(b.steps or 0))
    return Bout(
        activity=a.activity,
        start_s=a.start_s,
        end_s=b.end_s,
        part=a.part,
        steps=steps,
        cadence_median_spm=_weighted((a.cadence_median_spm, b.cadence_median_spm), weights),
        cadence_mean_spm=_weighted((a.cadence_mean_spm, b.cadence_mean_spm), weights),
        ground_contact_median_ms=_weighted((a.ground_contact_median_ms, b.ground_contact_median_ms), weights),
        duty_factor=_weighted((a.duty_factor, b.duty_factor), weights),
        speed_mps=speed,
        distance_m=distance,
    )


def _weighted(values: Sequence[float | None], weights: Sequence[float]) -> float | None:
    """The weighted mean of the values that are known (their plain mean without weights; None when none is)."""
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None and w > 0]
    total = sum(w for _, w in pairs)
    if total > 0:
        return sum(v * w for v, w in pairs) / total
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


__all__ = ["SHORT_STOP_S", "merge_short_stops"]
