"""The long-FIT benchmark case: the longest real FIT walk, read where it is (never copied into the repository).

workoutizer's 5.4 h walk (Garmin FR645M, 19,518 records; ../shared/validation/fit_public_repos/SOURCE.md)
is the longest real run or walk in FIT among the validation files. Its whole command is held to issue 15's
memory rule against the import floor (the process that imports what the command imports; the lead's
decision, 2026-12-02). Beside it the benchmark prints the same command on the shortest real FIT run
(garmin-fenix-5-run.fit, 156 records): the same code, so that figure holds what the code itself faults
in on a first run (about 1.8 MB over the import floor), which the rule counts.
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.cases import analyze_command

_VALIDATION = Path(__file__).resolve().parents[2] / "shared" / "validation"
FIT_WALK = _VALIDATION / "fit_public_repos" / "workoutizer" / "2020-09-12-11-15-46.fit"
FIT_FLOOR = _VALIDATION / "fit_running_files_fitdecode" / "garmin-fenix-5-run.fit"


def fit_walk_analyze(workdir: Path, hours: float) -> float:
    """Seconds to read and analyse the 5.4 h FIT walk (the file's own length: ``hours`` is not used)."""
    from calfload.ingest import load_recordings
    from calfload.signal import analyze

    if not FIT_WALK.is_file():
        raise FileNotFoundError(f"no {FIT_WALK.name} in ../shared/validation")
    start = time.process_time()
    analyze(load_recordings(FIT_WALK)).to_dict()
    return time.process_time() - start


def fit_walk_command(workdir: Path, hours: float) -> list[str] | None:
    return analyze_command(workdir, FIT_WALK) if FIT_WALK.is_file() else None


def fit_floor_command(workdir: Path) -> list[str] | None:
    """The memory rule's figure beside the import floor for a FIT file: ``analyze`` of a 1-minute real FIT run."""
    return analyze_command(workdir, FIT_FLOOR) if FIT_FLOOR.is_file() else None


def fit_input_mb(workdir: Path) -> float | None:
    """The 5.4 h walk's streams as float32 samples (rows x columns x 4 bytes, every stream the file gives), in MB."""
    from calfload.ingest import load_recordings

    if not FIT_WALK.is_file():
        return None
    return sum(r.n_samples * len(r.columns) for r in load_recordings(FIT_WALK)) * 4 / 2**20


__all__ = ["FIT_FLOOR", "FIT_WALK", "fit_floor_command", "fit_input_mb", "fit_walk_analyze", "fit_walk_command"]
