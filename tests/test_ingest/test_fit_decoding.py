"""The FIT decoding shortcut against fitdecode's default reader (issue 15, FIT decoding speed).

:func:`calfload.ingest.fit_messages.decode_fit` runs fitdecode without its data processor and
applies the processor's conversions (dates, booleans) to the kept fields only. These tests decode
real files both ways and compare every kept value, so a field the shortcut leaves unconverted, or a
kept field dropped, fails them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from fitdecode import profile

from calfload.ingest import fit_messages
from calfload.ingest.fit_columns import RECORD_FIELDS, records_from_messages
from calfload.ingest.fit_dynamics import developer_value

VALIDATION = Path(__file__).resolve().parents[2] / ".." / "shared" / "validation"
#: Small real files: relative timestamps and compressed speed, a watch run with laps and devices, an
#: older watch's run. (Developer fields are checked by value in test_fit.py and test_run_dynamics.py.)
FILES = (
    "fit_running_files_fitdecode/compressed-speed-distance.fit",
    "fit_running_files_fitdecode/garmin-fenix-5-run.fit",
    "fit_public_repos/activitylog2/310xt-run.fit",
)
#: The field types fitdecode's default data processor converts.
CONVERTED_TYPES = {"bool", "date_time", "local_date_time", "localtime_into_day"}


def _reference(path: Path) -> fit_messages.FitMessages:
    """The kept messages as fitdecode's default reader (its processor on every field) gives them."""
    out = fit_messages.FitMessages()
    records: list[fit_messages.FitMessage] = []
    with fitdecode.FitReader(str(path), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if not isinstance(frame, fitdecode.FitDataMessage):
                continue
            if frame.name == "record":
                values: dict[str, Any] = {
                    f.name: f.value
                    for f in frame.fields
                    if f.value is not None and f.name in {*RECORD_FIELDS, "timestamp"}
                }
                values.update(kept for f in frame.fields if (kept := developer_value(f.name, f.value, f.units)))
            else:
                values = {f.name: f.value for f in frame.fields if f.value is not None}
            fit_messages._collect_values(out, records, frame.name, values)
    out.records = records_from_messages(records)
    return out


@pytest.mark.parametrize("name", FILES)
def test_decoding_keeps_what_fitdecodes_default_reader_gives(name: str) -> None:
    path = VALIDATION / name
    if not path.is_file():
        pytest.skip(f"../shared/validation/{name} is not present")
    got = fit_messages.decode_fit(path, source=name)
    want = _reference(path)
    assert got.records.same_as(want.records)
    assert (got.sessions, got.laps, got.devices, got.timer_events) == (
        want.sessions,
        want.laps,
        want.devices,
        want.timer_events,
    )
    assert (got.file_id, got.sport, got.absolute_time) == (want.file_id, want.sport, want.absolute_time)
    # The conversions happened: dates are datetimes where the reference has them.
    assert any(isinstance(v, dt.datetime) for s in got.sessions for v in s.values()) == any(
        isinstance(v, dt.datetime) for s in want.sessions for v in s.values()
    )


def test_only_the_timestamp_of_a_record_needs_the_processor() -> None:
    (record,) = (m for m in profile.MESSAGE_TYPES.values() if m.name == "record")
    kept = {*RECORD_FIELDS, "timestamp"}
    converted = set()
    for f in record.fields.values():
        for field in (f, *(f.subfields or ())):
            if field.name in kept and field.type.name in CONVERTED_TYPES:
                converted.add(field.name)
    assert converted == {fit_messages._RECORD_TIME_FIELD}
