"""Left/right alerts after a run: one foot's share of contact time or of step time too large.

Where both feet are recorded (a sensor on each foot: :class:`calfload.signal.FeetBalance`), or
a watch's running-dynamics pod reported the ground-contact-time balance (FIT files:
``RunningDynamics.contact_balance_left_pct``), a run is judged on two shares, each 50 % when
the runner is symmetric:

1. **Contact time.** The left foot's share of the two feet's median contact times (the
   "GCT balance").
2. **Step time.** The left foot's share of the two median step times (a step ending on that
   foot, :mod:`calfload.signal._gait_sides`); only with a sensor on each foot.
3. **Alert.** A share beyond ``50 ± (limit_pct − 50)`` towards either side is an alert; each
   side must have at least ``min_strides`` strides. The limit, 52.2 %, is the edge of the
   "poor" (red) zone of Garmin's GCT balance gauge: the 5 % of runners furthest to each side in
   Garmin's running-dynamics population [1]. 50.8-52.2 % is its "fair" zone, which a quarter of
   runners reach on each side, too common for an alert. Uninjured well-trained runners are at
   least as symmetric in step time as in contact time (symmetry angles of 0.5-0.9 % for step
   frequency and 0.4-0.7 % for contact time, Girard et al. 2019 [2]), so the same limit is a
   conservative one for step time (an assumption, stated here: no published step-time limit
   for runners was found).

Asymmetry that grows after an Achilles injury is a reason to look at the runner, not a
diagnosis; the alert is shown beside the cadence alerts, never as a load flag.

References
----------
.. [1] Garmin, Running Dynamics (owner's manuals, e.g. Enduro 3 / Forerunner): "Ground Contact
   Time Balance" colour zones, red > 52.2 % left or right (5 % of runners each), orange
   50.8-52.2 % (25 % each), green up to 50.7 % (40 %).
.. [2] Girard O., Morin J.-B., Ryu J., Read P., Townsend N. (2019). Running velocity does not
   influence lower limb mechanical asymmetry. Front. Sports Act. Living 1:36.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calfload._lazy import lazy_exports

if TYPE_CHECKING:  # the result types come with NumPy
    from calfload.loadmodel._cadence_alerts import AsymmetryAlert
    from calfload.signal import GaitAnalysis

# The alert record is made on first use: a run within the limit never makes its class.
__getattr__, __dir__ = lazy_exports(__name__, {"calfload.loadmodel._cadence_alerts": ("AsymmetryAlert",)})


@dataclass(frozen=True, slots=True, kw_only=True)
class AsymmetryParams:
    """Parameters of the left/right alert (module docstring, step 3).

    Parameters
    ----------
    limit_pct
        A side's share of contact or step time beyond which a run alerts (%, 50 is symmetric).
    min_strides
        Strides each foot needs before its shares are judged (a count; dimensionless).
    """

    limit_pct: float = 52.2
    min_strides: int = 10


def check_asymmetry(run: GaitAnalysis, params: AsymmetryParams | None = None) -> tuple[AsymmetryAlert, ...]:
    """The left/right alerts of a run (steps 1-3); empty when nothing is beyond the limit or not measured."""
    params = params or AsymmetryParams()
    shares: list[tuple[str, str, float]] = []
    feet = run.both_feet
    if feet is not None and min(feet.strides_left, feet.strides_right) >= params.min_strides:
        # 1. Contact time.
        if feet.contact_balance_left_pct is not None:
            shares.append(("contact time", "both feet", feet.contact_balance_left_pct))
        # 2. Step time.
        left, right = feet.step_time_left_ms, feet.step_time_right_ms
        if left is not None and right is not None and left + right > 0:
            shares.append(("step time", "both feet", 100.0 * left / (left + right)))
    elif run.dynamics is not None and run.dynamics.contact_balance_left_pct is not None:
        shares.append(("contact time", "device", run.dynamics.contact_balance_left_pct))
    # 3. Alerts.
    margin = params.limit_pct - 50.0
    beyond = [(m, s, share) for m, s, share in shares if math.isfinite(share) and abs(share - 50.0) > margin]
    if not beyond:
        return ()
    from calfload.loadmodel._cadence_alerts import AsymmetryAlert

    return tuple(
        AsymmetryAlert(
            measure=measure,
            source=source,
            left_share_pct=round(share, 2),
            longer_side="left" if share > 50.0 else "right",
            limit_pct=params.limit_pct,
        )
        for measure, source, share in beyond
    )


__all__ = ["AsymmetryAlert", "AsymmetryParams", "check_asymmetry"]
