"""gaitmap's standard foot pipeline on a calfload Parquet file, for the side-by-side benchmark.

Run as a script by an interpreter that has gaitmap (and gaitmap_mad, which holds BarthDtw and
RamppEventDetection): ``python benchmarks/gaitmap_pipeline.py FILE``. It reads the file with
pandas, treats the sensor axes as gaitmap's foot sensor frame of a left foot, converts to the
foot body frame, segments strides with BarthDtw and finds events with RamppEventDetection, then
prints the number of strides. Only its time is compared; its accuracy is not judged here.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd


def main(path: str) -> int:
    """Run the pipeline on ``path`` and print the stride count."""
    from gaitmap.event_detection import RamppEventDetection
    from gaitmap.stride_segmentation import BarthDtw
    from gaitmap.utils.coordinate_conversion import convert_left_foot_to_fbf

    frame = pd.read_parquet(path)
    t = frame["t_s"].to_numpy(dtype=np.float64)
    fs = 1.0 / float(np.median(np.diff(t)))
    names = {f"{q}_{a}_{u}": f"{q}_{a}" for q, u in (("acc", "mps2"), ("gyr", "dps")) for a in "xyz"}
    data = frame[list(names)].rename(columns=names).astype(np.float64).reset_index(drop=True)
    body = convert_left_foot_to_fbf(data)
    strides = BarthDtw().segment(data=body, sampling_rate_hz=fs).stride_list_
    events = RamppEventDetection().detect(data=body, stride_list=strides, sampling_rate_hz=fs)
    print(len(events.min_vel_event_list_))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
