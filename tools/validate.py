"""Validate the walk/run analysis on every labelled dataset in ``../shared/validation``.

``python -m tools.validate [--root DIR] [--out docs/validation.md] [--quick]`` runs
:func:`calfload.signal._gait.analyze_gait` on each dataset that has step, cadence or contact
references, and writes a Markdown table per dataset (files, step error, cadence error, contact
time bias) plus one line per file.

Datasets and what is compared (see each folder's ``SOURCE.md``):

- **IPOL** (Voisard et al. 2023): both feet at 100 Hz, sensor-local axes, 10 m walk - U-turn -
  10 m walk. Reference steps = labelled swings of both feet; cadence = 120 / median stride time
  (heel strike to heel strike of the same foot, both feet pooled); stance = heel strike to the
  next toe-off. Each trial is analysed per
  foot (strides doubled), with both feet merged, and as copies that are **rotated** (a random
  mounting per foot) and **rotated and resampled** (to 50, 200 and 400 Hz, with timestamp jitter) from the
  originals. The lower-back sensor gives the trunk placement.
- **gaitmap** example data: both feet at 204.8 Hz in gaitmap's foot frame and as raw sensor axes;
  motion-capture initial contacts and toe-offs give cadence and stance. Its hand-labelled strides
  leave out the turn and the first and last steps, so step counts are not compared.
- **FIT files**: the device's stride totals, session average cadence and sport. Two rows: what
  calfload reports (the session's figures where the file has them, converted from strides) and,
  as a cross-check, what it reproduces from the records alone (integrated cadence, time-weighted
  mean cadence over moving time).
- **mobgap** lower back (INDIP reference walking bouts) and **Oxford step counter** (arm band and
  hand-held phone, ground-truth step device) for the other placements.

The "pass" column applies the issue's criteria: steps within max(2, 3 %) of the reference,
median cadence within 2 spm; FIT: activity right, steps within 3 % of twice the stride total, mean
cadence within 2 spm of the session average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import scipy.io
import scipy.signal as sps

from calfload.errors import CalfloadWarning
from calfload.recording import Recording, make_recording
from calfload.schema import RecordingMeta, SensorInfo
from calfload.signal._activity import detect_activity
from calfload.signal._gait import analyze_gait
from calfload.sim import random_rotation
from calfload.sim._kinematics import imu_frame
from calfload.units import DEG_PER_RAD, STANDARD_GRAVITY_MPS2
from tools.validate_cli import CliCase, cli_lines, cli_rows
from tools.validate_dynamics import dynamics_lines
from tools.validate_events import MATCH_S, EventCase, timing_table

DEFAULT_ROOT = Path(__file__).resolve().parents[1] / ".." / "shared" / "validation"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def is_held_out(name: str) -> bool:
    """The held-out rule: the first byte of the SHA-256 of the name is divisible by 3 (about a third)."""
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % 3 == 0


#: IPOL trials kept out of tuning from 2026-12-01 on (declared before that day's tuning; earlier
#: sessions had seen every trial): the trial codes that :func:`is_held_out` selects.
HELD_OUT_IPOL: Final = ("5-1", "9-1", "12-1", "15-1", "16-1", "18-1")
#: Public FIT files held out: the running-dynamics tolerances and the cadence-alert checks were
#: chosen after seeing all 24 files, so these were declared afterwards (2026-12-01) by
#: :func:`is_held_out` on the path in ``refs.json`` and are reported separately.
HELD_OUT_FIT_PUBLIC: Final = (
    "goldencheetah/HRV-Data.fit",
    "goldencheetah/IpBike-HRV-Data.fit",
    "goldencheetah/Fr955v19.28andStryd.fit",
    "goldencheetah/Fr955v19.28andStryd-saved.fit",
    "goldencheetah/Move_2020_01_15_19_27_16_Running.fit",
    "activitylog2/920xt-triathlon.fit",
    "workoutizer/with_nones.fit",
    "workoutizer/2020-08-31-17-41-11.fit",
    "goldencheetah/RowingCIQspeed.FIT",
)
HELD_OUT_LABEL: Final = " (held out)"


@dataclass(frozen=True, slots=True)
class Case:
    """One analysis run with its reference values (None where the dataset has none)."""

    dataset: str
    name: str
    recordings: tuple[Recording, ...]
    placement: str
    ref_steps: int | None = None
    ref_cadence_spm: float | None = None
    ref_contact_ms: float | None = None
    ref_mean_cadence_spm: float | None = None
    fit: bool = False
    windows_s: tuple[tuple[float, float], ...] = ()
    use_mean: bool = False
    from_records: bool = False
    ref_activity: str | None = None
    expect_refusal: bool = False
    error: str | None = None
    expect_unknown_steps: bool = False
    detect_only: bool = False
    #: Reference (initial contacts, toe-offs) in s of each recording, where labelled.
    events: tuple[tuple[np.ndarray, np.ndarray], ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    """The outcome of one case."""

    case: Case
    steps: int | None
    cadence_spm: float | None
    contact_ms: float | None
    activity: str
    seconds: float
    result: dict[str, Any] = field(default_factory=dict)
    detected: str | None = None

    @property
    def step_error(self) -> int | None:
        """Signed step error."""
        if self.case.ref_steps is None or self.steps is None:
            return None
        return self.steps - self.case.ref_steps

    @property
    def cadence_error(self) -> float | None:
        """Signed cadence error (median, or mean for FIT files)."""
        ref = self.case.ref_mean_cadence_spm if self.case.use_mean else self.case.ref_cadence_spm
        if ref is None or self.cadence_spm is None:
            return None
        return self.cadence_spm - ref

    @property
    def contact_bias_ms(self) -> float | None:
        """Median contact time minus the reference's."""
        if self.case.ref_contact_ms is None or self.contact_ms is None:
            return None
        return self.contact_ms - self.case.ref_contact_ms

    @property
    def passed(self) -> bool | None:
        """The issue's acceptance criteria for this case (None when nothing is compared)."""
        if self.case.expect_refusal or self.case.error is not None:
            return self.case.expect_refusal and self.case.error is not None and "\n" not in self.case.error
        if self.case.expect_unknown_steps:
            return self.steps is None and self.activity == self.case.ref_activity
        checks = []
        if self.step_error is not None and self.case.ref_steps is not None:
            limit = 0.03 * self.case.ref_steps if self.case.fit else max(2.0, 0.03 * self.case.ref_steps)
            checks.append(abs(self.step_error) <= limit)
        if self.cadence_error is not None:
            checks.append(abs(self.cadence_error) <= 2.0)
        if self.case.ref_activity is not None:
            checks.append(self.activity == self.case.ref_activity)
        return all(checks) if checks else None


# -------------------------------------------------------------------------------------------- helpers


def imu_recording(
    t_s: np.ndarray,
    acc_mps2: np.ndarray,
    gyr_dps: np.ndarray,
    *,
    source: str,
    placement: str = "foot",
    side: str = "unknown",
    model: str = "unknown",
) -> Recording:
    """Wrap arrays (m/s², deg/s) as an IMU recording without unit guessing."""
    frame = imu_frame(t_s, acc_mps2, gyr_dps)
    steps = np.diff(t_s)
    meta = RecordingMeta(
        kind="imu",
        sample_rate_hz=1.0 / float(np.median(steps)),
        start_utc=_EPOCH,
        sensor=SensorInfo(model=model),
        placement=placement,
        side=side,
    )
    with warnings.catch_warnings():
        # The arrays are already in the contract's units; skip the unit guess's warnings.
        warnings.simplefilter("ignore", CalfloadWarning)
        return make_recording(frame, meta, source=source)


def rotated(rec: Recording, rotation: np.ndarray, suffix: str) -> Recording:
    """A copy of an IMU recording as if the sensor had been mounted rotated by ``rotation``."""
    acc = rec.acc_mps2() @ rotation.T
    gyr = rec.gyr_dps() @ rotation.T
    return imu_recording(
        rec.t_s, acc, gyr, source=rec.source + suffix, placement=rec.meta.placement, side=rec.meta.side
    )


def resampled(rec: Recording, rate_hz: float, rng: np.random.Generator, suffix: str) -> Recording:
    """A copy at another sample rate (polyphase, anti-aliased) with 5 % timestamp jitter."""
    t = rec.t_s
    fs = rec.meta.sample_rate_hz
    grid = t[0] + np.arange(round((t[-1] - t[0]) * fs) + 1) / fs
    x = np.column_stack([np.interp(grid, t, c) for c in np.column_stack((rec.acc_mps2(), rec.gyr_dps())).T])
    up, down = _ratio(rate_hz / fs)
    y = sps.resample_poly(x, up, down, axis=0)
    t_new = grid[0] + np.arange(y.shape[0]) / rate_hz
    t_new = t_new + rng.normal(0, 0.05 / rate_hz, t_new.size)
    t_new = np.maximum.accumulate(t_new) + np.arange(t_new.size) * 1e-9
    return imu_recording(
        t_new, y[:, :3], y[:, 3:], source=rec.source + suffix, placement=rec.meta.placement, side=rec.meta.side
    )


def _ratio(x: float) -> tuple[int, int]:
    from fractions import Fraction

    f = Fraction(x).limit_denominator(64)
    return f.numerator, f.denominator


def _median_cadence(contacts_s: np.ndarray) -> float:
    return 60.0 / float(np.median(np.diff(np.sort(contacts_s))))


def _stride_cadence(contacts_per_foot: Sequence[np.ndarray]) -> float:
    """120 / median stride time (same foot, contact to contact), both feet pooled.

    Cadence is twice the stride frequency. Unlike the median of the merged step times, this
    does not jump between the left-right and right-left step times of an asymmetric walker.
    """
    strides = np.concatenate([np.diff(np.sort(c)) for c in contacts_per_foot])
    return 120.0 / float(np.median(strides[strides < 2.5]))


# ----------------------------------------------------------------------------------------------- IPOL


def _ipol_imu(path: Path, placement: str, side: str) -> Recording:
    frame = pd.read_csv(path, sep="\t", skiprows=1)
    counter = frame["PacketCounter"].to_numpy(dtype=np.float64)
    keep = np.concatenate(([True], np.diff(counter) > 0))  # a few counters repeat
    frame = frame[keep]
    t = (counter[keep] - counter[0]) / 100.0
    acc = frame[["Acc_X", "Acc_Y", "Acc_Z"]].to_numpy(dtype=np.float64)
    gyr = frame[["Gyr_X", "Gyr_Y", "Gyr_Z"]].to_numpy(dtype=np.float64) * DEG_PER_RAD
    return imu_recording(t, acc, gyr, source=path.name, placement=placement, side=side, model="Xsens MTw")


def ipol_cases(
    root: Path, *, subjects: Sequence[str] | None = None, variants: Sequence[str] = ("original",), seed: int = 7
) -> Iterator[Case]:
    """Foot cases of the IPOL data set: left, right, both; each in the requested variants.

    Variants: ``original`` (100 Hz), ``rotated`` (random mounting per foot, 100 Hz), and ``50hz``,
    ``200hz``, ``400hz``: each in another random mounting and resampled to that rate.
    """
    folder = root / "ipol_gait_voisard2023" / "GaitData"
    rng = np.random.default_rng(seed)
    for meta_path in sorted(folder.glob("*.json")):
        code = meta_path.stem
        if subjects is not None and code not in subjects:
            continue
        info = json.loads(meta_path.read_text())
        left, right = np.asarray(info["LeftFootEvents"]) / 100.0, np.asarray(info["RightFootEvents"]) / 100.0
        ref_steps = len(left) + len(right)
        cadence = _stride_cadence((left[:, 1], right[:, 1]))
        stance = {"left": _ipol_stance_ms(left), "right": _ipol_stance_ms(right)}
        originals = {
            "left": _ipol_imu(folder / f"{code}_lf.txt", "foot", "left"),
            "right": _ipol_imu(folder / f"{code}_rf.txt", "foot", "right"),
        }
        events = {"left": (left[:, 1], left[:, 0]), "right": (right[:, 1], right[:, 0])}
        dataset = "IPOL feet" + (HELD_OUT_LABEL if code in HELD_OUT_IPOL else "")
        for variant in variants:
            recs = {k: _variant(r, variant, rng) for k, r in originals.items()}
            for feet in (("left",), ("right",), ("left", "right")):
                name = f"{code} {'+'.join(feet)} {variant}"
                contact = float(np.median(np.concatenate([stance[f] for f in feet])))
                yield Case(
                    dataset,
                    name,
                    tuple(recs[f] for f in feet),
                    "foot",
                    ref_steps=ref_steps,
                    ref_cadence_spm=cadence,
                    ref_contact_ms=contact,
                    events=tuple(events[f] for f in feet),
                )


def ipol_lower_back_cases(root: Path, *, subjects: Sequence[str] | None = None) -> Iterator[Case]:
    """Lower-back (L5) cases of the IPOL data set."""
    folder = root / "ipol_gait_voisard2023" / "GaitData"
    for meta_path in sorted(folder.glob("*.json")):
        code = meta_path.stem
        if subjects is not None and code not in subjects:
            continue
        info = json.loads(meta_path.read_text())
        left, right = np.asarray(info["LeftFootEvents"]) / 100.0, np.asarray(info["RightFootEvents"]) / 100.0
        rec = _ipol_imu(folder / f"{code}_lb.txt", "lower_back", "unknown")
        yield Case(
            "IPOL lower back",
            code,
            (rec,),
            "lower_back",
            ref_steps=len(left) + len(right),
            ref_cadence_spm=_stride_cadence((left[:, 1], right[:, 1])),
        )


def _ipol_stance_ms(swings: np.ndarray) -> np.ndarray:
    """Heel strike to the next toe-off, per foot (ms), for stances shorter than 2 s."""
    stance = swings[1:, 0] - swings[:-1, 1]
    return np.asarray(1000.0 * stance[(stance > 0) & (stance < 2.0)])


def _variant(rec: Recording, variant: str, rng: np.random.Generator) -> Recording:
    if variant == "original":
        return rec
    if variant == "rotated":
        return rotated(rec, random_rotation(rng), " (rotated)")
    if variant.endswith("hz"):
        # A random mounting as well: the judged copies are rotated and resampled.
        turned = rotated(rec, random_rotation(rng), "")
        return resampled(turned, float(variant[:-2]), rng, f" ({variant}, rotated)")
    raise ValueError(variant)


# -------------------------------------------------------------------------------------------- gaitmap


def gaitmap_cases(root: Path) -> Iterator[Case]:
    """The gaitmap example 2 x 20 m walk, foot frame and raw sensor axes: cadence and stance from mocap."""
    folder = root / "gaitmap_example_data"
    fs = 204.8
    events = pd.read_csv(folder / "stride_events_sample.csv")
    ic = np.unique(events["ic"].to_numpy(dtype=np.float64)) / fs
    cadence = _median_cadence(ic)
    stance = {
        foot: 1000.0 * (events.loc[events["foot"] == foot, "tc"] - events.loc[events["foot"] == foot, "pre_ic"]) / fs
        for foot in ("left", "right")
    }
    for file, label in (("imu_sample.csv", "foot frame"), ("imu_sample_not_rotated.csv", "raw axes")):
        data = pd.read_csv(folder / file, header=[0, 1], index_col=0)
        t = np.arange(len(data)) / fs
        recs = {}
        for foot in ("left", "right"):
            sensor = data[f"{foot}_sensor"]
            recs[foot] = imu_recording(
                t,
                sensor[["acc_x", "acc_y", "acc_z"]].to_numpy(dtype=np.float64),
                sensor[["gyr_x", "gyr_y", "gyr_z"]].to_numpy(dtype=np.float64),
                source=f"{file} {foot}",
                side=foot,
                model="NilsPod",
            )
        for feet in (("left",), ("right",), ("left", "right")):
            contact = float(np.median(np.concatenate([stance[f].to_numpy() for f in feet])))
            yield Case(
                "gaitmap feet",
                f"{label} {'+'.join(feet)}",
                tuple(recs[f] for f in feet),
                "foot",
                ref_cadence_spm=cadence,
                ref_contact_ms=contact,
                events=tuple(_gaitmap_events(events, f, fs) for f in feet),
            )


def _gaitmap_events(events: pd.DataFrame, foot: str, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """One foot's motion-capture initial contacts and toe-offs (s)."""
    mine = events[events["foot"] == foot]
    ic = np.unique(np.concatenate([mine["ic"].to_numpy(), mine["pre_ic"].to_numpy()]).astype(np.float64)) / fs
    return ic[np.isfinite(ic)], np.unique(mine["tc"].to_numpy(dtype=np.float64)) / fs


# ------------------------------------------------------------------------------------------------ FIT


def fit_cases(root: Path, *, from_records: bool = False) -> Iterator[Case]:
    """Real FIT files: the device's stride total, session average cadence and sport.

    With ``from_records``, the figures compared are calfload's own reproduction from the records
    alone (integrated cadence, time-weighted mean cadence), not what it reports.
    """
    from calfload.ingest.fit import SPORTS, read_fit  # validate is a tool; signal never imports ingest

    for path in sorted((root / "fit_running_files_fitdecode").glob("*.fit")):
        pod = read_fit(path)[0]
        fit = pod.meta.device_summary
        assert fit is not None, "a FIT file's footpod stream carries the device's summary"
        strides = fit.total_strides
        yield Case(
            "FIT files, from records" if from_records else "FIT files",
            path.name,
            (pod,),
            pod.meta.placement,
            ref_steps=None if strides is None else 2 * strides,
            ref_mean_cadence_spm=fit.avg_cadence_spm,
            ref_contact_ms=fit.avg_ground_contact_ms,
            fit=True,
            use_mean=True,
            from_records=from_records,
            ref_activity=SPORTS.get(fit.sport),
        )


# ------------------------------------------------------------------------------ mobgap and Oxford (other)


def mobgap_cases(root: Path) -> Iterator[Case]:
    """Lower-back walks with INDIP walking bouts: steps and cadence inside the reference bouts."""
    base = root / "mobgap_example_data" / "data" / "lab"
    for mat in sorted(base.glob("*/*/data.mat")):
        who = f"{mat.parent.parent.name}/{mat.parent.name}"
        data = scipy.io.loadmat(mat, simplify_cells=True)["data"]["TimeMeasure1"]
        for test in ("Test5", "Test11"):
            for trial, content in (data.get(test) or {}).items():
                indip = content.get("Standards", {}).get("INDIP", {})
                found = indip.get("MicroWB") if isinstance(indip, dict) else None
                bouts = (
                    [found]
                    if isinstance(found, dict)
                    else [b for b in list(found if found is not None else []) if isinstance(b, dict)]
                )
                if not bouts:
                    continue
                lb = content["SU"]["LowerBack"]
                acc = np.asarray(lb["Acc"], dtype=np.float64) * STANDARD_GRAVITY_MPS2
                gyr = np.asarray(lb["Gyr"], dtype=np.float64)
                fs = float(lb["Fs"]["Acc"] if isinstance(lb["Fs"], dict) else lb["Fs"])
                t = np.arange(acc.shape[0]) / fs
                rec = imu_recording(t, acc, gyr, source=f"{who} {test} {trial}", placement="lower_back")
                ics = np.concatenate([np.atleast_1d(b["InitialContact_Event"]) for b in bouts])
                ics = ics[np.isfinite(ics)]
                yield Case(
                    "mobgap lower back",
                    f"{who} {test} {trial}",
                    (rec,),
                    "lower_back",
                    ref_steps=int(ics.size),
                    ref_cadence_spm=_windowed_cadence(np.sort(ics), _bout_windows(bouts)),
                    windows_s=_bout_windows(bouts),
                )


def _bout_windows(bouts: list[dict[str, Any]]) -> tuple[tuple[float, float], ...]:
    """Reference walking bouts, from their first to their last initial contact."""
    out = []
    for b in bouts:
        ics = np.atleast_1d(np.asarray(b["InitialContact_Event"], dtype=np.float64))
        ics = ics[np.isfinite(ics)]
        if ics.size:
            out.append((float(ics.min()), float(ics.max())))
    return tuple(out)


def _windowed_cadence(times: np.ndarray, windows: Sequence[tuple[float, float]]) -> float | None:
    """Median of 60 / step interval over intervals inside the windows."""
    intervals = [np.diff(times[(times >= a - 1e-6) & (times <= b + 1e-6)]) for a, b in windows]
    flat = np.concatenate(intervals) if intervals else np.zeros(0)
    return 60.0 / float(np.median(flat)) if flat.size else None


def oxford_cases(root: Path) -> Iterator[Case]:
    """Phone accelerometer on the arm or in the hand (no gyroscope): ground-truth steps."""
    for path in sorted((root / "oxford_step_counter").glob("*.csv")):
        frame = pd.read_csv(path, header=None)
        t_ns = frame[0].to_numpy(dtype=np.float64)
        t = (t_ns - t_ns[0]) / 1e9
        keep = np.concatenate(([True], np.diff(t) > 0))
        acc = frame[[1, 2, 3]].to_numpy(dtype=np.float64)[keep]
        gt = frame[5].to_numpy(dtype=np.float64)[keep]
        t = t[keep]
        rec = imu_recording(t, acc, np.zeros_like(acc), source=path.name, placement="wrist")
        increments = t[np.flatnonzero(np.diff(gt) > 0) + 1]
        walked_s = float(increments[-1] - increments[0]) if increments.size > 2 else 0.0
        yield Case(
            "Oxford arm/hand",
            path.stem,
            (rec,),
            "wrist",
            ref_steps=int(gt[-1] - gt[0]),
            # The ground-truth device reports steps in bursts, so its intervals are not step times:
            # compare mean cadences (steps over walking time).
            ref_mean_cadence_spm=60.0 * (gt[-1] - gt[0] - 1) / walked_s if walked_s > 0 else None,
            use_mean=True,
        )


def fit_public_cases(root: Path, *, quick: bool = False) -> Iterator[Case]:
    """The 24 FIT files from public repositories (``fit_public_repos/refs.json``): activity, steps, refusals."""
    from calfload.errors import DataError
    from calfload.ingest.fit import read_fit

    folder = root / "fit_public_repos"
    refs = json.loads((folder / "refs.json").read_text(encoding="utf-8"))["files"]
    for ref in refs:
        if quick and ref["bytes"] > 60_000:
            continue
        device = ref["device"]
        common: dict[str, Any] = {
            "fit": True,
            "use_mean": True,
            "ref_activity": ref["expected_activity"],
            "expect_refusal": ref["expect"] == "refuse",
            "ref_steps": device.get("steps"),
            "ref_mean_cadence_spm": device.get("cadence_mean_spm"),
            "ref_contact_ms": device.get("ground_contact_ms"),
            "expect_unknown_steps": device.get("records_with_cadence", 0) == 0 and "steps" not in device,
        }
        dataset = "FIT files, public repositories" + (HELD_OUT_LABEL if ref["file"] in HELD_OUT_FIT_PUBLIC else "")
        try:
            recs = (read_fit(folder / ref["file"])[0],)
        except DataError as exc:
            yield Case(dataset, ref["file"], (), "unknown", error=str(exc), **common)
            continue
        yield Case(dataset, ref["file"], recs, recs[0].meta.placement, **common)


# ------------------------------------------------------------------------------------------- simulator


def simulated_activity_cases(seeds: Sequence[int]) -> Iterator[Case]:
    """Activity detection on simulated calf-raise sessions, hop sessions and runs (seeds never tuned on)."""
    from calfload.sim import (
        random_calf_session,
        random_hop_session,
        random_run_spec,
        simulate_calf_session,
        simulate_hop_session,
        simulate_run,
    )

    name = "activity, simulated (held out)"
    for seed in seeds:
        calf = simulate_calf_session(random_calf_session(np.random.default_rng(seed))).recording
        hops = simulate_hop_session(random_hop_session(np.random.default_rng(seed))).recording
        run = simulate_run(random_run_spec(seed)).recordings[0]
        for label, rec, truth in (("calf raises", calf, "calf_raise"), ("hops", hops, "hops"), ("run", run, "gait")):
            unknown = rec.with_meta(placement="unknown", activity=None)
            yield Case(name, f"seed {seed} {label}", (unknown,), "unknown", ref_activity=truth, detect_only=True)


def simulated_run_cases(seeds: Sequence[int]) -> Iterator[Case]:
    """Simulated runs (no labelled real running IMU exists): one foot, any mounting, 50-1000 Hz."""
    from calfload.sim import random_run_spec, simulate_run

    for seed in seeds:
        spec = random_run_spec(seed)
        sim = simulate_run(spec)
        yield Case(
            "simulated runs",
            f"seed {seed}: {spec.cadence_spm:.0f} spm, {spec.speed_mps:.1f} m/s, {spec.strike}, "
            f"{spec.sensor.sample_rate_hz:.0f} Hz",
            sim.recordings,
            "foot",
            ref_steps=sim.truth.steps,
            ref_cadence_spm=sim.truth.cadence_spm,
            ref_contact_ms=sim.truth.contact_ms,
            events=tuple((f.initial_contact_s, f.toe_off_s) for f in sim.truth.feet),
        )


# ------------------------------------------------------------------------------------------ evaluation


def evaluate(case: Case) -> Row:
    """Run the analysis on one case (and, for IMU cases, the activity detection without a placement)."""
    if case.error is not None or not case.recordings:
        return Row(case, None, None, None, "refused", 0.0)
    if case.detect_only:
        return Row(case, None, None, None, detect_activity(case.recordings[0]).activity or "cannot tell", 0.0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalfloadWarning)
        analysis = analyze_gait(list(case.recordings), placement=case.placement)
    seconds = time.perf_counter() - start
    result = analysis.to_dict()
    steps = result["steps"]
    cadence = result["cadence_spm"]["mean" if case.use_mean else "median"]
    if case.fit and case.from_records:
        steps = result.get("steps_from_cadence", steps)
        cadence = result.get("cadence_mean_from_records_spm", cadence)
    if case.windows_s:
        # Only the steps inside the reference walking bouts (daily-living recordings also hold
        # movements the reference does not label).
        times = analysis.step_times_s
        inside = np.zeros(times.size, dtype=bool)
        for a, b in case.windows_s:
            inside |= (times >= a - 0.3) & (times <= b + 0.3)
        steps = int(inside.sum())
        cadence = _windowed_cadence(times, case.windows_s)
    detected = None
    if not case.fit:
        first = case.recordings[0]
        guess = detect_activity(first.with_meta(placement="unknown"))
        detected = guess.activity or "cannot tell"
    contact = result["ground_contact_ms"]["median"]
    return Row(case, steps, cadence, contact, result["activity"], seconds, result, detected)


Source = Callable[[Path], Iterator[Case]]


def all_sources(quick: bool) -> list[tuple[str, Source]]:
    """The datasets, in report order; ``quick`` uses a subset (for the test suite)."""
    subjects = ("1-1", "4-1", "10-1", "16-1") if quick else None
    variants = ("original", "rotated", "50hz") if quick else ("original", "rotated", "50hz", "200hz", "400hz")
    seeds = range(1000, 1004) if quick else range(1000, 1030)
    return [
        ("IPOL feet", lambda r: ipol_cases(r, subjects=subjects, variants=variants)),
        ("gaitmap feet", gaitmap_cases),
        ("FIT files", fit_cases),
        ("FIT files, from records", lambda r: fit_cases(r, from_records=True)),
        ("FIT files, public repositories", lambda r: fit_public_cases(r, quick=quick)),
        ("IPOL lower back", lambda r: ipol_lower_back_cases(r, subjects=subjects)),
        ("mobgap lower back", mobgap_cases),
        ("Oxford arm/hand", oxford_cases),
        ("simulated runs", lambda _root: simulated_run_cases(seeds)),
        ("activity, simulated (held out)", lambda _root: simulated_activity_cases(range(100, 103 if quick else 130))),
    ]


def run_validation(root: Path = DEFAULT_ROOT, *, quick: bool = False) -> list[Row]:
    """Evaluate every dataset present under ``root``."""
    rows: list[Row] = []
    for folder_key, source in all_sources(quick):
        del folder_key
        try:
            rows.extend(evaluate(case) for case in source(root))
        except FileNotFoundError:
            continue
    return rows


# --------------------------------------------------------------------------------------------- report


def summary_table(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per dataset: files, step error, cadence error, contact bias, pass rate."""
    out = []
    for name in dict.fromkeys(r.case.dataset for r in rows):
        group = [r for r in rows if r.case.dataset == name]
        step_err = [abs(r.step_error) for r in group if r.step_error is not None]
        step_rel = [
            100.0 * abs(r.step_error) / r.case.ref_steps for r in group if r.step_error is not None and r.case.ref_steps
        ]
        cad_err = [abs(r.cadence_error) for r in group if r.cadence_error is not None]
        bias = [r.contact_bias_ms for r in group if r.contact_bias_ms is not None]
        passed = [r.passed for r in group if r.passed is not None]
        detected = [r.detected for r in group if r.detected is not None]
        out.append(
            {
                "dataset": name,
                "files": len(group),
                "median_abs_step_error": _stat(step_err, np.median),
                "mean_abs_step_error_pct": _stat(step_rel, np.mean),
                "median_abs_cadence_error_spm": _stat(cad_err, np.median),
                "max_abs_cadence_error_spm": _stat(cad_err, np.max),
                "median_contact_bias_ms": _stat(bias, np.median),
                "pass_rate": None if not passed else sum(passed) / len(passed),
                "detected_as_gait": None if not detected else sum(d == "gait" for d in detected) / len(detected),
                "seconds": sum(r.seconds for r in group),
            }
        )
    return out


def _stat(values: Sequence[float], fn: Callable[[Any], Any]) -> float | None:
    return float(fn(values)) if values else None


NOTES = """## Reading the table

- **Held out.** Rows marked "(held out)" were kept out of tuning: the IPOL trials 5-1, 9-1, 12-1,
  15-1, 16-1 and 18-1 (`HELD_OUT_IPOL`) from 2026-12-01 on, declared before that day's tuning
  (earlier sessions had seen every trial, so they are held out of later changes only), and 9 of
  the 24 public FIT files (`HELD_OUT_FIT_PUBLIC`), declared after the running-dynamics tolerances
  had been chosen on all of them. Both splits are the names whose SHA-256 has a first byte
  divisible by 3, fixed in `tests/test_validate.py`.
- **Feet (IPOL, gaitmap)**: each trial is analysed with the left foot alone, the right foot alone
  (strides doubled into steps) and both feet merged, in the original files and in copies rotated
  to a random mounting (100 Hz) and in copies in another random mounting resampled to 50, 200
  and 400 Hz. Single-foot step counts are off by one
  step at each end of a walk by construction (the other foot's first or last step is unseen).
  The reference cadence is 120 / median same-foot stride time (heel strike to heel strike,
  both feet pooled, every labelled stride including the U-turn and the first and last); ours
  is 120 / median of the same kind of intervals between our initial contacts (unfiltered,
  sub-sample timing), one foot's or both feet's. **Turning steps** (2026-12-01): a U-turn step
  whose foot turns about a non-sagittal axis leaves no swing lobe, so the still moments around
  it are more than a stride apart. Such a gap (0.3 s to 2.5 strides) is now integrated as one
  stride with zero-velocity updates at both ends (`calfload.signal._gait_turns`): a foot that
  moved at least 0.15 m and turned faster than 100 deg/s took a step. In the tuned IPOL trials
  the gaps holding a labelled step moved 0.20, 0.23, 0.27 and 0.68 m (all now counted) and one
  0.14 m (not); the gaps without one 0.08 and 0.11 m (neither counted). This fixed 3-1 left
  (36 -> 38 of 39). **Why the remaining files fail** (every failure in every variant, through
  `analyze` and through the command line alike): 17-1 right (and both feet): 34 (28) steps:
  two foot movements after the labelled trial ends (20.5 s and 21.4 s; IPOL's
  `TrialBoundaries` end at 19.72 s) and a pivot in the U-turn, none labelled; 15-1 left (held
  out): right steps, cadence 104.3 (102.1): the last labelled step (27.4-27.7 s) is a turn
  about another axis with no stride after it, so no gap to integrate, and losing that one
  1.65 s stride moves the median of a 17-stride walk by 2 spm. **The displacement does not
  decide the short strides that are found**: strides integrated to under 0.3 m hold a labelled
  step in 3-1 right (0.05 m, the closing step), 17-1 left (0.02 m, a U-turn pivot), 7-1 left
  (0.09 m) and 2-1, 10-1, 13-1 (0.18-0.29 m), and none in 17-1 right (0.02 and 0.03 m, a pivot
  and a post-trial shuffle, and 0.22 m after the trial), 17-1 left (0.07 m, after the trial),
  7-1 right (0.06 m) and 8-1 right (0.06 m, after the trial): the labellers counted some pivots
  and closing shuffles as steps and not others, so dropping strides by length would trade one
  error for another. No parameter was changed for these files.
- **Contact time** is initial contact to the next toe-off of the same foot. The IPOL reference
  events are algorithmic and hand-checked, gaitmap's come from motion capture. The timing table
  below splits the contact bias: against gaitmap's motion capture our initial contacts are on
  time (median +0 ms) and our toe-offs 21 ms early (the fastest plantarflexion comes before the
  toe leaves the ground); against IPOL's algorithmic labels both come about 30 ms early, which
  says as much about where those labels put the events as about ours. On the simulated runs the
  toe-off is exact and the initial contact 17-25 ms early (the end of the swing lobe is found
  before the simulated strike, most with forefoot strikes). No offset was fitted: one mocap
  walk is too little to correct on.
- **FIT files**: calfload reports the device's own figures where the session has them: steps =
  2 x `total_strides`, mean cadence = 2 x (`avg_running_cadence` or `avg_cadence` +
  `avg_fractional_cadence`), which the FIT profile defines as `total_cycles / total_timer_time`
  (time with non-zero cadence), i.e. steps over moving time from every internal sample; the
  JSON says so (`steps_source`, `cadence_mean_source`). This row therefore checks the import
  (sport, strides to steps, fractional part), not an estimate. **FIT files, from records** is
  the independent cross-check from the records alone: steps by integrating the recorded cadence,
  mean cadence time-weighted over moving time (`cadence_mean_from_records_spm`). The two Fenix 5
  files "smart record" (17-21 records, up to 14 s apart), and the device's figures disagree with
  each other: the walk's 41 strides in 45.4 s of timer time would be 108 spm, yet every record
  says 106-136 spm and the session average is 122.5 spm (so is ours from the records, 121.8;
  the integral gives 93 steps, 13 % over the total); the run's 78 strides over 56.9 s are
  164.5 spm, its average 167.3 spm implies 55.9 s of moving time, while its records show zero
  cadence for the first 2-4 s and about 180 spm for the rest (ours 173.0). Neither can be
  reproduced from the records within the issue's tolerance.
- **Lower back** (IPOL L5, mobgap with INDIP bouts) and **arm/hand** (Oxford, phone accelerometer
  only) are best effort: steps from the periodic bounce, no contact time. mobgap steps are those
  inside the reference walking bouts; short bouts (4-10 steps) lose their first and last steps.
  **Shank** and **thigh** are measured on the Marpino walking data set (its own section below:
  real IMUs on feet, shanks and thighs with foot-pressure contacts, read from a mirror outside
  this project). Both use the foot's swing detection, with the swing's sign taken from the
  largest lobe of the slow angular rate (a shank or thigh never dwells flat, and its swing is its
  largest rotation: Aminian et al. 2002, Salarian et al. 2004), the thigh on its rate low-passed
  at 2 Hz; also checked on a kinematic stand-in (`tests/test_signal/test_gait_leg_segments.py`,
  its angle curves stated there).
- **Simulated runs** (`calfload.sim.simulate_run`, physics in its docstring) stand in for labelled
  running IMU data, which no public dataset provides: cadence 150-200 spm, 2.2-5.5 m/s, rearfoot
  and forefoot strikes, random mounting, noise, bias, timestamp jitter, dropped packets,
  50-1000 Hz. Forefoot strikes make contact up to ~70 ms long: the foot's rotation slows to
  zero before the forefoot lands, so the end of the swing lobe is found at foot-flat or at
  contact depending on noise.
- **Gait without --activity** (last column): every IMU case's first recording with its placement
  set to `unknown` goes through the activity detection (`calfload.signal._activity`) that
  `calfload analyze` uses when neither `--activity` nor the metadata names the activity; the
  column is the share detected as gait (walking or running). mobgap's Test11 trials are
  simulated daily living (walking bouts among sitting, standing and reaching): "cannot tell" is
  the intended answer there, and `analyze` then asks for `--activity` in one line.
- **Activity, simulated (held out)**: calf-raise sessions (with walking between sets at random),
  hop sessions (foot or shank) and runs from the simulators, any mounting, 25-1000 Hz, seeds
  100-129. The thresholds were set while looking at seeds 0-40 (calf raises), 0-11 (hops), 0-7
  (runs) and at the real recordings of every data set here (IPOL, gaitmap, mobgap, Oxford), so
  only these seeds are held out; no real calf-raise or hop IMU recording exists to hold out.
  Shank and thigh walking without `--activity` is not in this column (the Marpino section below
  runs its originals through the command line without `--activity`).
- **FIT files, public repositories**: 24 files that nobody here recorded (GoldenCheetah,
  workoutizer, ActivityLog2 test folders; `refs.json` gives the devices' own values read with
  fitdecode). Pass: the expected activity, steps within 3 % of twice the stride total and the
  session average within 2 spm where the file has them; a file that records no cadence must give
  unknown steps (never 0) with a warning; the rowing file must be refused in one line. The steps
  and average are the device's own figures (an import check); the JSON adds `cadence_spm.moving`
  (time-weighted over moving records) beside `cadence_spm.device_average`, because the FR645M
  walks' averages count stopped time (51.9, 63.9, 65.9, 75.6 spm while moving at 100-103).
  The Suunto run has no session cadence and reports 110 steps/min in 77 % of its records at
  1.6 m/s: its 2663 steps are what the records say, with nothing to check them against.
- **Tiled walk**: gaitmap's example walk (left foot, 33 strides) tiled 2, 5 and 20 times gives
  66, 165 and 660 strides and the same median cadence (110.7 spm): no extra stride at the tile
  joins (a scratch measurement, not run by this tool).
- **Speed**: one hour of 200 Hz foot IMU (720 000 samples) takes 0.2-0.5 s on this shared 2-core
  machine (a scratch measurement; the benchmark script is separate).
"""


def _detected(row: Row) -> str:
    if row.case.error is not None:
        return f": {row.case.error.split(': ', 1)[-1]}"
    if row.case.ref_activity is not None and row.case.detect_only:
        return f" (truth {row.case.ref_activity})"
    return "" if row.detected is None else f" (without --activity: {row.detected})"


def timing_lines(rows: Sequence[Row]) -> list[str]:
    """Initial-contact and toe-off timing of every one-foot case with labelled events."""
    cases = [
        EventCase(r.case.dataset, _variant_label(r.case), r.case.recordings[0], *r.case.events[0])
        for r in rows
        if len(r.case.recordings) == 1 and len(r.case.events) == 1
    ]
    if not cases:
        return []
    return [
        "## Initial contact and toe-off timing",
        "",
        "Each one-foot case's initial contacts (IC) and toe-offs (TO), found as `calfload analyze` finds them,",
        f"paired with the nearest reference event within {1000 * MATCH_S:.0f} ms (`tools/validate_events.py`);",
        "error = ours minus the reference (positive: late). Both feet pooled per row.",
        "",
        *timing_table(cases),
        "",
    ]


def cli_cases(rows: Sequence[Row]) -> list[CliCase]:
    """The real foot walks (IPOL and gaitmap, every variant) for the command-line check."""
    return [
        CliCase(c.dataset, c.name, c.recordings, c.placement, c.ref_steps, c.ref_cadence_spm)
        for c in (r.case for r in rows)
        if c.dataset.startswith(("IPOL feet", "gaitmap feet"))
    ]


def _variant_label(case: Case) -> str:
    if case.dataset.startswith("IPOL"):
        return case.name.rsplit(" ", 1)[-1]
    if case.dataset == "simulated runs":
        return case.name.split(", ")[2]  # rearfoot / forefoot
    return case.name.rsplit(" ", 1)[0]


def render_markdown(
    rows: Sequence[Row], dynamics: Sequence[str] | None = None, timing: Sequence[str] | None = None
) -> str:
    """Render the docs/validation.md page (with the running-dynamics section's lines, if given)."""

    def f(x: float | None, fmt: str) -> str:
        return "–" if x is None or math.isnan(x) else format(x, fmt)

    lines = [
        "# Validation of steps, cadence and ground contact",
        "",
        "Written by `python -m tools.validate` from the labelled recordings in `../shared/validation`",
        "(see each folder's `SOURCE.md`; none of them is copied into this project). Criteria from issue 3: steps",
        "within max(2, 3 %) of the reference and median cadence within 2 spm (FIT: steps from the cadence",
        "within 3 % of twice the device's stride total, mean cadence within 2 spm of its session average).",
        "",
        (
            "| dataset | files | median abs step error | mean abs step error | median abs cadence error | "
            "max abs cadence error | median contact bias | pass | gait without --activity |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summary_table(rows):
        lines.append(
            f"| {s['dataset']} | {s['files']} | {f(s['median_abs_step_error'], '.0f')} | "
            f"{f(s['mean_abs_step_error_pct'], '.1f')} % | {f(s['median_abs_cadence_error_spm'], '.1f')} spm | "
            f"{f(s['max_abs_cadence_error_spm'], '.1f')} spm | {f(s['median_contact_bias_ms'], '+.0f')} ms | "
            f"{f(None if s['pass_rate'] is None else 100 * s['pass_rate'], '.0f')} % | "
            f"{f(None if s['detected_as_gait'] is None else 100 * s['detected_as_gait'], '.0f')} % |"
        )
    lines += ["", NOTES, *(timing or []), *(dynamics or []), "## Per file", ""]
    lines += [
        "| dataset | case | steps (ref) | median/mean cadence spm (ref) | contact ms (ref) | activity | pass |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ref_cad = r.case.ref_mean_cadence_spm if r.case.use_mean else r.case.ref_cadence_spm
        ok = {True: "yes", False: "**no**", None: "–"}[r.passed]
        lines.append(
            f"| {r.case.dataset} | {r.case.name} | {f(r.steps, 'd')} ({f(r.case.ref_steps, 'd')}) | "
            f"{f(r.cadence_spm, '.1f')} ({f(ref_cad, '.1f')}) | {f(r.contact_ms, '.0f')} "
            f"({f(r.case.ref_contact_ms, '.0f')}) | {r.activity}{_detected(r)} | {ok} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the validation and write the Markdown page."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="the shared validation folder")
    parser.add_argument("--out", type=Path, default=Path("docs") / "validation.md", help="Markdown file to write")
    parser.add_argument("--quick", action="store_true", help="a subset (as in the test suite)")
    parser.add_argument("--legs", type=Path, help="Marpino/Walking-dataset checkout or mirror (tools/validate_legs.py)")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        parser.error(f"no validation data at {args.root}")
    from tools.validate_stride import kept_section  # it imports this module

    rows = run_validation(args.root, quick=args.quick)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    dynamics = dynamics_lines(args.root, HELD_OUT_FIT_PUBLIC)
    from tools.validate_bouts import section_lines  # imports this module

    dynamics = [*dynamics, *section_lines(args.root)]
    if not args.quick:
        from tools.validate_legs import section_lines as legs_lines  # imports this module

        dynamics = [*dynamics, *legs_lines(args.legs)]
    foot_walks = cli_cases(rows)
    through_cli = cli_lines(cli_rows(foot_walks[:4] if args.quick else foot_walks))
    # The stride-length section is written by tools.validate_stride; keep it.
    kept = kept_section(args.out.read_text(encoding="utf-8")) if args.out.exists() else ""
    page = render_markdown(rows, dynamics, [*through_cli, *timing_lines(rows)])
    args.out.write_text(page + (f"\n{kept}\n" if kept else ""), encoding="utf-8")
    for s in summary_table(rows):
        print(json.dumps(s))  # noqa: T201 - a command-line tool
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
