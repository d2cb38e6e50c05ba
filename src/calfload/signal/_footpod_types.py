"""The figures only a foot pod's or FIT file's walk/run result carries (:mod:`calfload.signal._gait`).

Apart from :mod:`calfload.signal._gait_types` so that an IMU's analysis does not create them (each
frozen dataclass generates its methods when its class is created, at every start).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceSummary:
    """What a FIT file's own session summary says (None where it says nothing).

    A part of the FIT reader's :class:`~calfload.schema.FitDeviceSummary`, field for field (same
    names, units and meaning; :func:`calfload.signal._gait._device_summary` copies them by name and
    a test keeps the names a subset). The two differ on purpose: that one is what the recording's
    metadata keeps of the file (record counts, timer and elapsed time, devices, laps left out);
    this one is what the analysis result carries, is stored with each session in the journal and
    printed by ``analyze --json``: the device's own figures that calfload's are compared with.

    Parameters
    ----------
    total_strides
        The device's stride total.
    avg_cadence_spm
        The device's average cadence.
    avg_ground_contact_ms
        The device's average ground-contact (stance) time.
    sport
        The FIT sport.
    avg_speed_mps, avg_heart_rate_bpm, avg_power_w, avg_vertical_oscillation_mm
        The device's session averages of the running dynamics.
    avg_contact_balance_left_pct, avg_step_length_m
        The device's session averages of the running dynamics.
    """

    total_strides: int | None = None
    avg_cadence_spm: float | None = None
    avg_ground_contact_ms: float | None = None
    sport: str | None = None
    avg_speed_mps: float | None = None
    avg_heart_rate_bpm: float | None = None
    avg_power_w: float | None = None
    avg_vertical_oscillation_mm: float | None = None
    avg_contact_balance_left_pct: float | None = None
    avg_step_length_m: float | None = None

    def to_dict(self) -> dict[str, object]:
        """The figures the file gave (keys without a value are left out)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True, kw_only=True)
class FootpodGaitDetails:
    """Figures only the foot-pod and FIT path reports (:mod:`calfload.signal._gait_footpod`).

    Parameters
    ----------
    steps_source
        Where ``steps`` came from (the device's stride total, the integrated cadence, or
        ``unknown`` when the file records no cadence).
    steps_from_cadence
        Steps from integrating the cadence over time (None without cadence).
    cadence_mean_source
        Where ``cadence_mean_spm`` came from.
    cadence_mean_from_records_spm
        Mean cadence of the records over moving time, or None: the *moving* cadence, reported
        beside the device's average (which some devices take over stopped time too).
    moving_s
        Time spent moving.
    implied_stride_m
        Stride length implied by speed and cadence, or None.
    device_summary
        The FIT file's session summary, for FIT files.
    """

    steps_source: str
    steps_from_cadence: int | None
    cadence_mean_source: str
    cadence_mean_from_records_spm: float | None
    moving_s: float
    implied_stride_m: float | None
    device_summary: DeviceSummary | None = None

    def to_dict(self) -> dict[str, object]:
        """The keys these figures add to the ``calfload analyze --json`` object."""
        doc: dict[str, object] = {
            "steps_source": self.steps_source,
            "steps_from_cadence": self.steps_from_cadence,
            "cadence_mean_source": self.cadence_mean_source,
            "cadence_mean_from_records_spm": self.cadence_mean_from_records_spm,
            "moving_s": self.moving_s,
            "implied_stride_m": self.implied_stride_m,
        }
        if self.device_summary is not None:
            doc["device_summary"] = self.device_summary.to_dict()
        return doc


__all__ = ["DeviceSummary", "FootpodGaitDetails"]
