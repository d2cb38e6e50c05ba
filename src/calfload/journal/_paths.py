"""Where the journal lives, the athlete's calendar, and content hashes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Final

ENV_HOME: Final = "CALFLOAD_HOME"
DB_NAME: Final = "journal.sqlite3"
RECORDINGS_DIR: Final = "recordings"
APP_NAME: Final = "calfload"

#: A recording may start this far in the future (clock drift between sensor and computer).
FUTURE_TOLERANCE: Final = dt.timedelta(hours=1)
#: Recordings dated before this have no real start time (a CSV without metadata is dated 1970).
EARLIEST_START_UTC: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def resolve_data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: ``data_dir``, else ``$CALFLOAD_HOME``, else the platform's user data folder."""
    if data_dir:
        return Path(data_dir).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def today_local() -> dt.date:
    """Return the athlete's calendar date now (the computer's time zone)."""
    return dt.datetime.now(dt.UTC).astimezone().date()


def local_date_of(instant_utc: dt.datetime) -> tuple[dt.date, int]:
    """Calendar date and UTC offset (minutes) of an instant in the computer's time zone."""
    local = instant_utc.astimezone()
    offset = local.utcoffset() or dt.timedelta(0)
    return local.date(), round(offset.total_seconds() / 60)


def sha256_of_file(path: str | os.PathLike[str], *, chunk_bytes: int = 1 << 20) -> str:
    """Hex SHA-256 of a file's content (what makes ``import`` idempotent)."""
    import hashlib  # here: loading OpenSSL's libcrypto costs every command that only resolves a path

    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
