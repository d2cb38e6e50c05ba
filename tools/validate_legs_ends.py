"""Where a walk starts and stops: each sensor's first and last contacts against the Marpino pressure sensors.

``python -m tools.validate_legs_ends [--data PATH] [--held-out] [--out FILE]`` (issue 18 item 1)
takes every one-sensor original of :mod:`tools.validate_legs` (foot, shank, thigh; left, right;
the placement given, ``--activity walk``, in process: the passes are those of the command line)
whose detected strides match its foot's pressure contacts one to one (each within 0.35 s of the
walk's median offset), and gives each contact's timing relative to the walk's middle contacts
(the median offset of all but the first and last, so a sensor's constant lead or lag is taken
out), split into the walk's first contact, its middle ones and its last:

- **against the reference's contact**, where the pressure load (toe and heel, each scaled to its
  5th-95th percentile range, summed) crosses 0.35 after a swing (:func:`tools.validate_legs.pressure_events`);
- **against the first touch**, where that load last rose above 0.1 before the contact: the foot
  meets the ground there; the 0.35 crossing is weight acceptance, which lags it when the load
  builds slowly;
- for the feet, whether the stride's swing lobe ends in a **plantarflexion rebound** (the foot
  slapping flat after a heel strike: the largest rate in the 0.15 s after the contact, at least
  30 % of the walk's median) and whether the **toe loads first** (over the 0.1 s after the first
  touch).

It reads the data set as :mod:`tools.validate_legs` does and copies nothing of it.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from calfload.errors import CalfloadWarning
from calfload.signal._gait import analyze_gait
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_steps import _foot_events
from calfload.signal._preprocess import grid_plan, grid_rows, imu_columns
from tools.validate_cases import is_held_out, write_or_print
from tools.validate_legs import FS_HZ, SENSORS, _reference, _sensor, data_source, pressure_load, recordings

#: Load (of 2, the scaled toe and heel summed) above which the foot touches the ground.
TOUCH: Final = 0.1
#: A detected contact more than this from its pressure contact (after the walk's offset) is not matched.
MATCH_S: Final = 0.35
PLACEMENTS: Final = ("foot", "shank", "thigh")
#: A rebound below this share of the walk's median is none (the foot did not slap flat).
REBOUND_SHARE: Final = 0.3


@dataclass(frozen=True, slots=True)
class ContactTiming:
    """One detected contact against its pressure contact (ms, relative to the walk's middle contacts)."""

    placement: str
    position: str  # first, middle or last
    vs_crossing_ms: float
    vs_touch_ms: float
    #: Time from the first touch to the 0.35 crossing.
    rise_ms: float
    #: Feet only: the stride's swing lobe ends in a plantarflexion rebound / the toe loads first.
    rebound: bool | None
    toe_first: bool | None


def first_touch(load: np.ndarray, contact: int, level: float = TOUCH) -> int:
    """The sample at which ``load`` last rose above ``level`` at or before the sample ``contact``."""
    j = contact
    while j > 0 and load[j - 1] > level:
        j -= 1
    return j


def _positions(n: int) -> list[str]:
    return ["first" if i == 0 else "last" if i == n - 1 else "middle" for i in range(n)]


def _rebounds(rec_frame: pd.DataFrame, k: int, name: str, contacts: int) -> np.ndarray | None:
    """Per stride of a foot: does the lobe end in a rebound (None when the events do not match the strides)."""
    rec = _sensor(rec_frame, k, "foot", "left", name)
    params = GaitParams.for_placement("foot")
    t, acc, gyr = imu_columns(rec)
    plan = grid_plan(t, max_rate_hz=params.max_rate_hz, max_bridged_gap_s=params.max_bridged_gap_s)
    n = int(plan.segment_ends[0] - plan.segment_starts[0])
    events = _foot_events(lambda lo, hi: grid_rows(t, acc, gyr, plan, lo, hi), n, plan.fs_hz, params)
    ic = events.initial_contact
    if ic.size != contacts or (ic < 0).any():
        return None
    after = round(0.15 * plan.fs_hz)
    peak = np.array([events.omega_dps[i : i + after].max() for i in ic])
    return np.asarray(peak >= REBOUND_SHARE * float(np.median(peak)))


def walk_timings(name: str, frame: pd.DataFrame) -> Iterator[ContactTiming]:
    """Every matched contact of every one-sensor original of one recording."""
    events = _reference(frame)
    if events is None:
        return
    label = name.removeprefix("Dataset/").removesuffix(".xlsx")
    for (placement, side), k in SENSORS.items():
        foot_k = 1 if side == "right" else 6
        rows = frame[[f"Ext_time_{foot_k}", f"Ext1_{foot_k}", f"Ext2_{foot_k}"]].dropna()
        toe, heel = pressure_load(rows[f"Ext1_{foot_k}"].to_numpy(), rows[f"Ext2_{foot_k}"].to_numpy())
        shift = (float(rows[f"Ext_time_{foot_k}"].iloc[0]) - float(frame["Time_1"].iloc[0])) / 1000.0
        pressure = events[side][0]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CalfloadWarning)
            result = analyze_gait(_sensor(frame, k, placement, side, label), placement=placement, activity="walk")
        found = result.events.instants_s[0] if result.events.instants_s else np.zeros(0)
        if found.size != pressure.size or found.size < 3:
            continue
        offset = found - pressure
        if np.max(np.abs(offset - np.median(offset))) > MATCH_S:
            continue
        touch_i = [first_touch(toe + heel, round((c - shift) * FS_HZ)) for c in pressure.tolist()]
        touch = np.asarray(touch_i) / FS_HZ + shift
        vs_touch = found - touch
        rebound = _rebounds(frame, k, label, found.size) if placement == "foot" else None
        for i, position in enumerate(_positions(found.size)):
            window = slice(touch_i[i], touch_i[i] + round(0.1 * FS_HZ))
            yield ContactTiming(
                placement,
                position,
                1000.0 * float(offset[i] - np.median(offset[1:-1])),
                1000.0 * float(vs_touch[i] - np.median(vs_touch[1:-1])),
                1000.0 * float(pressure[i] - touch[i]),
                None if rebound is None else bool(rebound[i]),
                None if placement != "foot" else bool(toe[window].mean() > heel[window].mean()),
            )


def _spread(values: Sequence[float]) -> str:
    v = np.asarray(values)
    if not v.size:
        return "– | – |"
    p10, med, p90 = np.percentile(v, [10, 50, 90])
    return f"{med:+.0f} ({p10:+.0f} to {p90:+.0f}) | {int(np.sum(np.abs(v) > 50))} |"


def summary_lines(timings: Sequence[ContactTiming]) -> list[str]:
    """Per placement and position (and, for the feet's last contacts, with and without a rebound)."""
    lines = [
        (
            "| placement | contacts | n | against the 0.35 crossing: median (p10 to p90) ms | over 50 ms "
            "| against the first touch: median (p10 to p90) ms | over 50 ms | touch to crossing, median ms "
            "| toe first |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    groups: dict[tuple[str, str], list[ContactTiming]] = {}
    for t in timings:
        groups.setdefault((t.placement, t.position), []).append(t)
        if t.placement == "foot" and t.position == "last" and t.rebound is not None:
            groups.setdefault((t.placement, f"last, {'with' if t.rebound else 'no'} rebound"), []).append(t)
    order = ("first", "middle", "last", "last, with rebound", "last, no rebound")
    for placement, position in sorted(groups, key=lambda k: (PLACEMENTS.index(k[0]), order.index(k[1]))):
        group = groups[(placement, position)]
        toe = [t.toe_first for t in group if t.toe_first is not None]
        lines.append(
            f"| {placement} | {position} | {len(group)} | {_spread([t.vs_crossing_ms for t in group])} "
            f"{_spread([t.vs_touch_ms for t in group])} {np.median([t.rise_ms for t in group]):.0f} | "
            + (f"{sum(toe)} |" if toe else "– |")
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print (or write) the table for the files not held out, or with ``--held-out`` for the held-out ones."""
    parser = argparse.ArgumentParser(prog="python -m tools.validate_legs_ends", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="checkout or bare git mirror of Marpino/Walking-dataset")
    parser.add_argument("--held-out", action="store_true", help="the held-out recordings instead of the others")
    parser.add_argument("--out", type=Path, help="write the Markdown lines here (default: print)")
    args = parser.parse_args(argv)
    source = data_source(args.data)
    if source is None:
        parser.error("no copy of Marpino/Walking-dataset: give --data or set CALFLOAD_LEGS_DATA")
    timings = [
        t for name, frame in recordings(source) if is_held_out(name) == args.held_out for t in walk_timings(name, frame)
    ]
    write_or_print(summary_lines(timings), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
