"""Issue 17's judge: phone-app and CSV exports of simulated calf sessions through ``calfload analyze --json``.

Run ``python -m tools.validate_phone FIRST_SEED COUNT``. Each seed draws a random calf session
(:func:`calfload.sim.random_calf_session`: sets, tempo, partial reps, walking between sets,
random mounting) at 52, 104 or 208 Hz in turn, writes it in every layout below the way the apps
write theirs (``docs/recordings.md`` names each layout's source), and gives the file to the
command-line entry point in this process. A layout passes when the JSON's ``rep_count`` equals
the simulator's count of complete reps. Seeds 2001-2006 were used while building the phone
import; report the judge on seeds nobody has looked at (2101-2106: 84 of 84 exact on 2026-12-01;
2201-2206: 81 of 84, seed 2202's three layouts without gravity 11 of 16 reps, then 84 of 84 after
the gravity estimate's fixes, and fresh 2301-2306 84 of 84).
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from calfload.cli import main as calfload_main
from calfload.sim import (
    SimulatedSession,
    random_calf_session,
    simulate_calf_session,
    write_generic_csv,
    write_phyphox,
    write_sensor_logger,
)

#: A layout writes a session into a folder and gives the path and the extra arguments.
Layout = Callable[[SimulatedSession, Path], tuple[Path, tuple[str, ...]]]

_OWN_NAMES = ("stamp", "A1", "A2", "A3", "G1", "G2", "G3")
_COLUMNS = "t_ms=stamp,acc_x_mps2=A1,acc_y_mps2=A2,acc_z_mps2=A3,gyr_x_dps=G1,gyr_y_dps=G2,gyr_z_dps=G3"
_ISO_NAMES = ("timestamp", "accX", "accY", "accZ", "gyroX", "gyroY", "gyroZ")


def _plain(write: Callable[[SimulatedSession, Path], Path]) -> Layout:
    return lambda s, d: (write(s, d), ())


LAYOUTS: dict[str, Layout] = {
    "Sensor Logger, gravity file": _plain(lambda s, d: write_sensor_logger(s.recording, s.gravity_mps2, d / "sl")),
    "Sensor Logger, total acceleration": _plain(
        lambda s, d: write_sensor_logger(
            s.recording, s.gravity_mps2, d / "sl", files=("TotalAcceleration", "Gyroscope")
        )
    ),
    "Sensor Logger, no gravity": _plain(
        lambda s, d: write_sensor_logger(s.recording, s.gravity_mps2, d / "sl", files=("Accelerometer", "Gyroscope"))
    ),
    "phyphox, comma folder": _plain(lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph")),
    "phyphox, semicolon zip": _plain(
        lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph.zip", flavour="semicolon")
    ),
    "phyphox, linear, tabs": _plain(
        lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph", linear=True, flavour="tab")
    ),
    "phyphox, xlsx": _plain(lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph.xlsx")),
    "phyphox, xls, linear": _plain(lambda s, d: write_phyphox(s.recording, s.gravity_mps2, d / "ph.xls", linear=True)),
    "CSV, s, ';' and decimal comma": _plain(
        lambda s, d: write_generic_csv(s.recording, d / "x.csv", sep=";", decimal=",")
    ),
    "CSV, ms": _plain(lambda s, d: write_generic_csv(s.recording, d / "x.csv", time_unit="ms")),
    "CSV, µs": _plain(lambda s, d: write_generic_csv(s.recording, d / "x.csv", time_unit="us")),
    "CSV, ns since 1970": _plain(lambda s, d: write_generic_csv(s.recording, d / "x.csv", time_unit="ns", epoch=True)),
    "CSV, ISO times": _plain(
        lambda s, d: write_generic_csv(s.recording, d / "x.csv", time_unit="iso", names=_ISO_NAMES)
    ),
    "CSV, own names and --columns": lambda s, d: (
        write_generic_csv(s.recording, d / "x.csv", time_unit="ms", names=_OWN_NAMES),
        ("--columns", _COLUMNS),
    ),
}

RATES_HZ = (52.0, 104.0, 208.0)
#: The xls format holds at most 65,536 rows (a header and 65,535 samples).
XLS_MAX_SAMPLES = 65_535


def rep_count(path: Path, extra: Sequence[str]) -> int | str:
    """The reps ``calfload analyze --json`` counts in a file, or the exit code and message."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the import's notes (assumed units, estimated gravity)
        code = calfload_main(["analyze", str(path), "--json", *extra])
    if code != 0:
        return f"exit {code}: {err.getvalue().strip()}"
    count: int = json.loads(out.getvalue())["rep_count"]
    return count


def judge(seeds: Sequence[int]) -> tuple[int, int]:
    """Print every seed and layout's verdict; return how many were exact, of how many."""
    exact = total = 0
    for i, seed in enumerate(seeds):
        rate_hz = RATES_HZ[i % len(RATES_HZ)]
        session = simulate_calf_session(random_calf_session(np.random.default_rng(seed), sample_rate_hz=rate_hz))
        truth = sum(not rep.partial for rep in session.truth.reps)
        for name, write in LAYOUTS.items():
            if "xls," in name and session.recording.n_samples >= XLS_MAX_SAMPLES:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                got = rep_count(*write(session, Path(tmp)))
            total += 1
            exact += got == truth
            verdict = "exact" if got == truth else "MISS"
            print(f"seed {seed} {rate_hz:g} Hz {name}: {got} reps (truth {truth}) {verdict}", flush=True)  # noqa: T201 - a command-line tool
    print(f"{exact} of {total} exact")  # noqa: T201 - a command-line tool
    return exact, total


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tools.validate_phone FIRST_SEED COUNT``: 0 when every layout of every seed is exact."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or not all(a.isdigit() for a in args):
        print("usage: python -m tools.validate_phone FIRST_SEED COUNT", file=sys.stderr)  # noqa: T201 - a command-line tool
        return 2
    first, count = int(args[0]), int(args[1])
    exact, total = judge(range(first, first + count))
    return 0 if exact == total else 1


if __name__ == "__main__":
    sys.exit(main())
