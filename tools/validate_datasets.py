"""The labelled data sets of ``../shared/validation`` as validation cases (see each folder's ``SOURCE.md``).

Part of ``python -m tools.validate``: IPOL (feet and lower back), gaitmap, FIT files (own and
public), mobgap, the Oxford step counter, and simulated runs and activities. Each reader yields
:class:`tools.validate_cases.Case` records with the data set's references.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.io

from calfload.recording import Recording
from calfload.sim import random_rotation
from calfload.units import DEG_PER_RAD, STANDARD_GRAVITY_MPS2
from tools.validate_cases import (
    HELD_OUT_FIT_PUBLIC,
    HELD_OUT_IPOL,
    HELD_OUT_LABEL,
    QUICK_MAX_FIT_BYTES,
    Case,
    imu_recording,
    median_cadence,
    read_fit_once,
    resampled,
    rotated,
    stride_cadence,
)

# ----------------------------------------------------------------------------------------------- IPOL


def ipol_imu(path: Path, placement: str, side: str) -> Recording:
    """An IPOL sensor file (tab-separated Xsens export, 100 Hz) as an IMU recording."""
    frame = pd.read_csv(path, sep="\t", skiprows=1)
    counter = frame["PacketCounter"].to_numpy(dtype=np.float64)
    keep = np.concatenate(([True], np.diff(counter) > 0))  # a few counters repeat
    frame = frame[keep]
    t = (counter[keep] - counter[0]) / 100.0
    acc = frame[["Acc_X", "Acc_Y", "Acc_Z"]].to_numpy(dtype=np.float64)
    gyr = frame[["Gyr_X", "Gyr_Y", "Gyr_Z"]].to_numpy(dtype=np.float64) * DEG_PER_RAD
    return imu_recording(t, acc, gyr, source=path.name, placement=placement, side=side, model="Xsens MTw")


def ipol_trials(root: Path, subjects: Sequence[str] | None = None) -> Iterator[tuple[Path, str, dict[str, Any]]]:
    """The IPOL trials (folder, code such as ``5-1``, reference JSON), all or those in ``subjects``."""
    folder = root / "ipol_gait_voisard2023" / "GaitData"
    for meta_path in sorted(folder.glob("*.json")):
        if subjects is None or meta_path.stem in subjects:
            yield folder, meta_path.stem, json.loads(meta_path.read_text())


def ipol_cases(
    root: Path, *, subjects: Sequence[str] | None = None, variants: Sequence[str] = ("original",), seed: int = 7
) -> Iterator[Case]:
    """Foot cases of the IPOL data set: left, right, both; each in the requested variants.

    Variants: ``original`` (100 Hz), ``rotated`` (random mounting per foot, 100 Hz), and ``50hz``,
    ``200hz``, ``400hz``: each in another random mounting and resampled to that rate.
    """
    rng = np.random.default_rng(seed)
    for folder, code, info in ipol_trials(root, subjects):
        left, right = np.asarray(info["LeftFootEvents"]) / 100.0, np.asarray(info["RightFootEvents"]) / 100.0
        ref_steps = len(left) + len(right)
        cadence = stride_cadence((left[:, 1], right[:, 1]))
        stance = {"left": _ipol_stance_ms(left), "right": _ipol_stance_ms(right)}
        originals = {
            "left": ipol_imu(folder / f"{code}_lf.txt", "foot", "left"),
            "right": ipol_imu(folder / f"{code}_rf.txt", "foot", "right"),
        }
        events = {"left": (left[:, 1], left[:, 0]), "right": (right[:, 1], right[:, 0])}
        span = (float(min(left[0, 0], right[0, 0])), float(max(left[-1, 1], right[-1, 1])))
        dataset = "IPOL feet" + (HELD_OUT_LABEL if code in HELD_OUT_IPOL else "")
        for variant in variants:
            recs = {k: variant_copy(r, variant, rng) for k, r in originals.items()}
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
                    span_s=span,
                )


def ipol_lower_back_cases(root: Path, *, subjects: Sequence[str] | None = None) -> Iterator[Case]:
    """Lower-back (L5) cases of the IPOL data set."""
    for folder, code, info in ipol_trials(root, subjects):
        left, right = np.asarray(info["LeftFootEvents"]) / 100.0, np.asarray(info["RightFootEvents"]) / 100.0
        rec = ipol_imu(folder / f"{code}_lb.txt", "lower_back", "unknown")
        yield Case(
            "IPOL lower back",
            code,
            (rec,),
            "lower_back",
            ref_steps=len(left) + len(right),
            ref_cadence_spm=stride_cadence((left[:, 1], right[:, 1])),
        )


def _ipol_stance_ms(swings: np.ndarray) -> np.ndarray:
    """Heel strike to the next toe-off, per foot (ms), for stances shorter than 2 s."""
    stance = swings[1:, 0] - swings[:-1, 1]
    return np.asarray(1000.0 * stance[(stance > 0) & (stance < 2.0)])


def variant_copy(rec: Recording, variant: str, rng: np.random.Generator) -> Recording:
    """The original, a copy in a random mounting, or (``"<rate>hz"``) one also resampled to that rate."""
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
    cadence = median_cadence(ic)
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


def fit_cases(root: Path, *, from_records: bool = False, quick: bool = False) -> Iterator[Case]:
    """Real FIT files: the device's stride total, session average cadence and sport.

    With ``from_records``, the figures compared are calfload's own reproduction from the records
    alone (integrated cadence, time-weighted mean cadence), not what it reports. ``quick`` (the
    test suite's run) reads only the files up to ``QUICK_MAX_FIT_BYTES``.
    """
    from calfload.ingest.fit import SPORTS  # validate is a tool; signal never imports ingest

    for path in sorted((root / "fit_running_files_fitdecode").glob("*.fit")):
        if quick and path.stat().st_size > QUICK_MAX_FIT_BYTES:
            continue
        pod = read_fit_once(path)[0]
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
                    ref_cadence_spm=windowed_cadence(np.sort(ics), _bout_windows(bouts)),
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


def windowed_cadence(times: np.ndarray, windows: Sequence[tuple[float, float]]) -> float | None:
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

    folder = root / "fit_public_repos"
    refs = json.loads((folder / "refs.json").read_text(encoding="utf-8"))["files"]
    for ref in refs:
        if quick and ref["bytes"] > QUICK_MAX_FIT_BYTES:
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
            recs = (read_fit_once(folder / ref["file"])[0],)
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


__all__ = [
    "fit_cases",
    "fit_public_cases",
    "gaitmap_cases",
    "ipol_cases",
    "ipol_imu",
    "ipol_lower_back_cases",
    "mobgap_cases",
    "oxford_cases",
    "simulated_activity_cases",
    "simulated_run_cases",
    "variant_copy",
    "windowed_cadence",
]
