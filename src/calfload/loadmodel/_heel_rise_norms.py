"""The single-leg heel-rise test read as clinicians read it: norms, measurement error, symmetry criteria.

Figures (``reference/loadmodel.md``, addendum "clinical anchors"):

- Norms: Hébert-Losier et al. 2017 (n = 566, 10° incline, metronome): median 24 reps for men, 21
  for women; by decade, men/women, 20s 37/30, 30s 32/27, 40s 28/24, 50s 23/21, 60s 19/19, 70s
  14/16 (decade values from a secondary source). Lunsford & Perry 1995 (n = 203, 20-59 years):
  mean 27.9 heel rises.
- Measurement error: Byrne et al. 2017, SEM 6.7 reps, 0.8 cm, 419 J; Hébert-Losier 2017, between-day
  limits of agreement about ±6.3 reps. A change smaller than the SEM between two tests is not a
  real change.
- Symmetry: an LSI of 90 % or more is the usual return-to-sport criterion; after Achilles injury
  the work LSI falls far below the reps LSI (Silbernagel 2010: 84 % reps, 61 % work at 6 months),
  so all three are shown side by side. An LSI over 100 % (the affected side did better) or a
  physically implausible figure is warned about: check the affected side (``affected``) and the recordings.

References
----------
.. [1] Hébert-Losier K. et al. (2017) Physiotherapy 103(4):446-452.
.. [2] Lunsford B.R., Perry J. (1995) Phys Ther 75:694-698.
.. [3] Byrne C. et al. (2017) J Electromyogr Kinesiol 36:34-39.
.. [4] Silbernagel K.G. et al. (2010) Knee Surg Sports Traumatol Arthrosc (Achilles rupture, n = 78).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:  # the heel-rise result types come with the signal package
    from calfload.signal import SymmetryIndex
from calfload.units import Length, Phrase

Sex = Literal["male", "female"]

#: Hébert-Losier 2017 by decade of age (20s ... 70s): (men, women) reps.
NORMS_BY_DECADE: Final = {20: (37, 30), 30: (32, 27), 40: (28, 24), 50: (23, 21), 60: (19, 19), 70: (14, 16)}
#: Hébert-Losier 2017 medians, men and women.
NORM_MEDIAN: Final = {"male": 24, "female": 21}
LUNSFORD_PERRY_MEAN_REPS: Final = 27.9
#: Byrne 2017 standard error of measurement.
SEM_REPS: Final = 6.7
SEM_HEIGHT_CM: Final = 0.8
SEM_WORK_J: Final = 419.0
RETURN_TO_RUNNING_LSI_PCT: Final = 90.0
#: Above this the LSI is not a plausible result of one athlete's two legs.
IMPLAUSIBLE_LSI_PCT: Final = 150.0
#: Mean heel-rise heights above this (cm) are not physically plausible for a single-leg raise.
IMPLAUSIBLE_HEIGHT_CM: Final = 20.0


@dataclass(frozen=True, slots=True, kw_only=True)
class HeelRiseReading:
    """What the test means: norms, symmetry criterion, warnings, and the smallest real change.

    Parameters
    ----------
    norm_reps, norm_source
        The reference number of reps for the athlete and where it comes from.
    criterion_met
        Whether reps, height and work LSI are all >= 90 % (``None`` without a symmetry index, or when
        a reps LSI over 100 % makes the affected side doubtful).
    lines
        The reading in sentences, for the terminal.
    warnings
        LSI over 100 % or implausible figures.
    """

    norm_reps: float
    norm_source: str
    criterion_met: bool | None
    lines: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "norm_reps": self.norm_reps,
            "norm_source": self.norm_source,
            "return_to_running_lsi_pct": RETURN_TO_RUNNING_LSI_PCT,
            "criterion_met": self.criterion_met,
            "smallest_real_change": {"reps": SEM_REPS, "height_cm": SEM_HEIGHT_CM, "work_j": SEM_WORK_J},
            "lines": list(self.lines),
            "warnings": list(self.warnings),
        }


def heel_rise_norm(age: int | None, sex: Sex | None) -> tuple[float, str]:
    """The reference reps for an athlete (by decade and sex when both are known).

    Examples
    --------
    >>> heel_rise_norm(34, "male")
    (32, 'Hébert-Losier 2017, men in their 30s')
    >>> heel_rise_norm(None, None)
    (27.9, 'Lunsford & Perry 1995, adults 20-59')
    """
    if sex is not None and age is not None:
        decade = min(max(age // 10 * 10, 20), 70)
        reps = NORMS_BY_DECADE[decade][0 if sex == "male" else 1]
        return reps, f"Hébert-Losier 2017, {'men' if sex == 'male' else 'women'} in their {decade}s"
    if sex is not None:
        return NORM_MEDIAN[sex], f"Hébert-Losier 2017, median of {'men' if sex == 'male' else 'women'}"
    return LUNSFORD_PERRY_MEAN_REPS, "Lunsford & Perry 1995, adults 20-59"


def read_heel_rise(
    reps: dict[str, int],
    heights_cm: dict[str, float],
    symmetry: SymmetryIndex | None,
    *,
    age: int | None = None,
    sex: Sex | None = None,
) -> HeelRiseReading:
    """Read a heel-rise test: each side against the norm, the LSI against 90 %, warnings."""
    norm, source = heel_rise_norm(age, sex)
    lines = [
        f"{side}: {n} reps, {100 * n / norm:.0f} % of the norm ({norm:g} reps, {source})" for side, n in reps.items()
    ]
    warnings = [
        f"{side}: a mean rise of {h:.1f} cm is not plausible for a heel raise; check the recording and `foot_length_cm`"
        for side, h in heights_cm.items()
        if h > IMPLAUSIBLE_HEIGHT_CM
    ]
    met: bool | None = None
    if symmetry is not None:
        # Judged as shown: to one decimal.
        reps_pct = round(symmetry.reps_pct, 1)
        values = {
            "reps": reps_pct,
            "height": None if symmetry.height_pct is None else round(symmetry.height_pct, 1),
            "work": None if symmetry.work_pct is None else round(symmetry.work_pct, 1),
        }
        for name, pct in values.items():
            if pct is not None and pct > IMPLAUSIBLE_LSI_PCT:
                warnings.append(f"LSI {name} {pct:.0f} % is not plausible; check `affected` and the two recordings")
            elif pct is not None and pct > 100.0:
                warnings.append(f"LSI {name} {pct:.0f} %: the affected side did more than the other; check `affected`")
        known = [p for p in values.values() if p is not None]
        shown = ", ".join(f"{k} {v:.0f} %" for k, v in values.items() if v is not None)
        criterion = f"return-to-running criterion (LSI >= {RETURN_TO_RUNNING_LSI_PCT:.0f} % for reps, height and work)"
        if reps_pct > 100.0:
            lines.append(f"{criterion}: not judged, the affected side made more reps ({shown})")
        else:
            met = bool(known) and all(p >= RETURN_TO_RUNNING_LSI_PCT for p in known)
            lines.append(f"{criterion}: {'met' if met else 'not met'} ({shown})")
    lines.append(
        Phrase(
            f"smallest real change between two tests: about {SEM_REPS:g} reps, ",
            Length(SEM_HEIGHT_CM),
            f", {SEM_WORK_J:.0f} J (Byrne 2017 SEM); smaller changes are within measurement error",
        )
    )
    return HeelRiseReading(
        norm_reps=norm, norm_source=source, criterion_met=met, lines=tuple(lines), warnings=tuple(warnings)
    )


__all__ = ["HeelRiseReading", "heel_rise_norm", "read_heel_rise"]
