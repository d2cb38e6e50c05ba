"""The activity classifier's stillness thresholds, for the classifier and the bouts' pauses (issue 15).

A window (:class:`calfload.signal._activity_windows.ActivityParams`) or a pause between gait
bouts (:mod:`calfload.signal._bouts_pauses`) is still when neither its angular-rate norm nor its
acceleration norm varies more than these (standard deviation): standing, sitting, the sensor on
a table. They sit apart from the classifier's parameters so a walk whose pauses are all still
(the gaitmap hour's 92) is judged without loading the classifier.
"""

from __future__ import annotations

from typing import Final

#: Angular-rate norm's standard deviation below which a stretch is still (deg/s).
STILL_GYR_DPS: Final = 5.0
#: Acceleration norm's standard deviation below which a stretch is still (m/s²).
STILL_ACC_MPS2: Final = 0.35

__all__ = ["STILL_ACC_MPS2", "STILL_GYR_DPS"]
