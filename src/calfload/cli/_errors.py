"""Library errors in the command line's words: each named argument becomes the flag that sets it.

The library names the argument to change as in Python, in backticks (``give `activity` ...``,
see :mod:`calfload.errors`); the command line says ``give --activity ...``. Names the table does
not know (a command in backticks, say) are left as they are.

Examples
--------
>>> from calfload.errors import DataError
>>> cli_message(DataError("give `foot_length_cm` (5-35 cm)", parameter="foot_length_cm"))
'give --foot-length-cm (5-35 cm)'
>>> cli_text("run `calfload check`")
'run `calfload check`'
"""

from __future__ import annotations

import re
from types import MappingProxyType

# typing is imported for the type checker only (mypy takes any ``TYPE_CHECKING`` as true): ``--help``'s
# modules use none of its names at run time, and importing it was about a tenth of ``--help``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

#: Library argument name -> the flag that sets it. Names whose flag is the name with dashes.
_SAME_NAME: Final = (
    "activity",
    "added_load_kg",
    "athlete",
    "affected",
    "after",
    "calf_circumference_cm",
    "columns",
    "data_dir",
    "during",
    "distance_km",
    "exercise",
    "fault",
    "foot_length_cm",
    "force",
    "heel_rise_reps",
    "html",
    "knee_to_wall_cm",
    "left",
    "morning",
    "out",
    "placement",
    "report_dir",
    "right",
    "samples",
    "scheduler",
    "sets_reps",
    "sharp",
    "side",
    "since",
    "source",
    "start",
    "stiffness",
    "swelling",
    "tenderness",
    "until",
)
#: Library argument names whose flag differs from the name.
FLAGS: Final = MappingProxyType(
    {
        **{name: "--" + name.replace("_", "-") for name in _SAME_NAME},
        "day": "--date",
        "duration_min": "--duration",
        "session_id": "--session",
        "rate_hz": "--rate",
        "target_eccentric_s": "--target-eccentric",
        "tolerance_s": "--tolerance",
    }
)

#: An argument named in backticks; compiled by ``re`` at the first message (most commands print none).
_NAMED: Final = r"`([a-z][a-z0-9_]*)`"


def cli_text(text: str) -> str:
    """``text`` with every argument named in backticks replaced by its flag."""
    return re.sub(_NAMED, lambda m: FLAGS.get(m.group(1), m.group(0)), text)


def cli_message(exc: BaseException) -> str:
    """The one-line message the command line prints for a library error."""
    return cli_text(str(exc))
