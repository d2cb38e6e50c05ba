"""A FIT file's outline (ingest.fit_outline): another sport refused before any record is decoded.

The files are written here, message by message, as the FIT protocol lays them out (Garmin FIT SDK,
"FIT Protocol"; sport numbers from Profile.xlsx), with checksums made right; fitdecode reads them.
Decoding is counted by wrapping fitdecode's reader, so the tests count records, not time.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

import fitdecode
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfload.errors import DataError
from calfload.ingest import fit, fit_messages
from calfload.ingest.fit import read_fit
from calfload.ingest.fit_outline import fit_outline
from tools.validate_fit_corrupt import with_checksums

GENERIC, RUNNING, CYCLING, TRANSITION, SWIMMING = 0, 1, 2, 3, 5
_START = 1_000_000_000  # FIT seconds: 2021
_UINT32, _UINT16, _UINT8, _ENUM = 0x86, 0x84, 0x02, 0x00
_HEADER = struct.pack("<BBHI4sH", 14, 0x20, 2100, 0, b".FIT", 0)


def _definition(local: int, global_num: int, fields: Sequence[tuple[int, int, int]]) -> bytes:
    return bytes([0x40 | local, 0, 0]) + struct.pack("<HB", global_num, len(fields)) + bytes(sum(fields, ()))


def _activity(
    sessions: Sequence[tuple[int, int, int]], records: int, *, cadence: int = 85, speed_mps: float = 3.0
) -> bytes:
    """A FIT activity: file_id, ``records`` records a second apart, then sessions (sport, first record, count)."""
    body = _definition(0, 0, [(0, 1, _ENUM)]) + bytes([0, 4])  # file_id: type activity
    body += _definition(1, 12, [(0, 1, _ENUM)]) + bytes([1, sessions[0][0]])  # sport message: the first leg's
    body += _definition(2, 20, [(253, 4, _UINT32), (4, 1, _UINT8), (6, 2, _UINT16)])
    row = struct.Struct("<BIBH")
    body += b"".join(row.pack(2, _START + i, cadence, round(speed_mps * 1000)) for i in range(records))
    body += _definition(3, 18, [(5, 1, _ENUM), (2, 4, _UINT32), (7, 4, _UINT32)])
    for sport, first, count in sessions:
        body += struct.pack("<BBII", 3, sport, _START + first, 1000 * (count - 1))
    return with_checksums(_HEADER, body)


_FitReader = fitdecode.FitReader


class _CountingReader:
    """fitdecode's reader, keeping the name of every data message it decodes."""

    decoded: ClassVar[list[str]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._reader = _FitReader(*args, **kwargs)

    def __enter__(self) -> _CountingReader:
        self._reader.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._reader.__exit__(*exc)

    def __iter__(self) -> Iterator[Any]:
        for frame in self._reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                _CountingReader.decoded.append(frame.name)
            yield frame


def _read(path: Path) -> tuple[list[Any] | str, int]:
    """``read_fit(path)``'s streams or refusal, and how many records fitdecode decoded meanwhile."""
    _CountingReader.decoded = []
    with mock.patch.object(fitdecode, "FitReader", _CountingReader):
        try:
            answer: list[Any] | str = read_fit(path)
        except DataError as exc:
            answer = str(exc)
    return answer, _CountingReader.decoded.count("record")


def _write(tmp_path: Path, data: bytes, name: str = "activity.fit") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_ride_is_refused_before_any_record_is_decoded(tmp_path: Path) -> None:
    ride = _write(tmp_path, _activity([(CYCLING, 0, 300)], 300, cadence=85, speed_mps=8.0))
    answer, decoded = _read(ride)
    assert answer == f"{ride}: this FIT activity is cycling; calfload analyses runs and walks"
    assert decoded == 0
    # The refusal is the one the full decoding gives.
    with (
        mock.patch.object(fit, "fit_outline", return_value=None),
        mock.patch.object(fit, "read_columns", return_value=None),
    ):
        full, decoded_in_full = _read(ride)
    assert (full, decoded_in_full) == (answer, 300)


def test_too_many_records_are_refused_before_any_is_decoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _write(tmp_path, _activity([(RUNNING, 0, 60)], 60))
    monkeypatch.setattr(fit_messages, "MAX_FIT_RECORDS", 50)
    answer, decoded = _read(run)
    assert "more than 50 records" in str(answer)
    assert decoded == 0


@pytest.mark.parametrize("columns", [True, False])
def test_a_generic_session_is_still_judged_from_its_records(tmp_path: Path, columns: bool) -> None:
    """Its records are read: column by column (fitdecode decodes none of them), or by fitdecode."""
    with contextlib.nullcontext() if columns else mock.patch.object(fit, "read_columns", return_value=None):
        run = _write(tmp_path, _activity([(GENERIC, 0, 60)], 60, cadence=85, speed_mps=3.0))
        answer, decoded = _read(run)
        assert not isinstance(answer, str)
        assert answer[0].meta.activity == "run"
        assert decoded == (0 if columns else 60)
        bike = _write(tmp_path, _activity([(GENERIC, 0, 60)], 60, cadence=85, speed_mps=8.0), "bike.fit")
        answer, decoded = _read(bike)
        assert "names no sport" in str(answer)
        assert decoded == (0 if columns else 60)


def test_a_triathlon_keeps_its_run_although_it_starts_with_a_swim(tmp_path: Path) -> None:
    legs = [(SWIMMING, 0, 40), (TRANSITION, 40, 10), (CYCLING, 50, 60), (TRANSITION, 110, 10), (RUNNING, 120, 60)]
    answer, decoded = _read(_write(tmp_path, _activity(legs, 180)))
    assert not isinstance(answer, str)
    assert answer[0].meta.activity == "run"
    assert len(answer[0].data) == 60  # the run leg's records
    assert decoded == 0  # read column by column


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(14, 400), st.integers(1, 255)), min_size=1, max_size=3))
def test_the_outline_agrees_with_the_decoder_on_damaged_files(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    """Bytes flipped with the checksums made right: the outline is unknown, or what fitdecode decodes."""
    sound = _activity([(SWIMMING, 0, 10), (RUNNING, 10, 20)], 30)
    body = bytearray(sound[14:-2])
    for at, mask in flips:
        body[at % len(body)] ^= mask
    path = _write(tmp_path, with_checksums(_HEADER, bytes(body)))
    outline = fit_outline(path)
    try:
        decoded = fit_messages.decode_fit(path, source=str(path))
    except DataError:
        return  # a refusal either way
    if outline is not None:
        sessions = tuple(str(s.get("sport", "")) for s in decoded.sessions)
        assert (outline.session_sports, outline.last_sport, outline.records) == (
            sessions,
            str(decoded.sport.get("sport", "")),
            len(decoded.records),
        )


VALIDATION = Path(__file__).resolve().parents[2] / ".." / "shared" / "validation"


@pytest.mark.parametrize(
    "name",
    [
        "fit_running_files_fitdecode/compressed-speed-distance.fit",
        "fit_running_files_fitdecode/garmin-fenix-5-run.fit",
        "fit_public_repos/activitylog2/310xt-run.fit",
    ],
)
def test_the_outline_of_real_files_is_what_fitdecode_decodes(name: str) -> None:
    path = VALIDATION / name
    if not path.is_file():
        pytest.skip(f"../shared/validation/{name} is not present")
    outline = fit_outline(path)
    decoded = fit_messages.decode_fit(path, source=name)
    assert outline is not None
    assert outline.session_sports == tuple(str(s.get("sport", "")) for s in decoded.sessions)
    assert (outline.last_sport, outline.records) == (str(decoded.sport.get("sport", "")), len(decoded.records))


def test_what_is_not_laid_out_as_fit_has_no_outline(tmp_path: Path) -> None:
    sound = _activity([(CYCLING, 0, 5)], 5)
    assert fit_outline(_write(tmp_path, sound)) is not None
    assert fit_outline(tmp_path / "absent.fit") is None
    for bad in (b"", sound[:-3], sound + b"\x00", b"not a FIT file at all, just text"):
        assert fit_outline(_write(tmp_path, bad, "bad.fit")) is None
