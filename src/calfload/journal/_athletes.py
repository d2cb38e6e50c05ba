"""The athletes of a data folder: who they are, where each one's journal lives, their profile.

A data folder holds one journal per athlete. The first athlete's journal is the folder's own
``journal.sqlite3`` (what every calfload before athletes wrote); each athlete added later gets a
folder under ``athletes/`` with a journal of its own, so one athlete's writes never wait for
another's and an athlete's data can be backed up, checked or removed as a whole.

The list of athletes is the ``athlete`` table of the folder's own journal (schema version 5); each
athlete's profile (side affected, foot length, programme, units) is in the settings of their own
journal (keys :data:`PROFILE_KEYS`), so it travels with the journal; body mass is the journal's
body-mass entries. A
folder that never used ``athlete add`` holds exactly one athlete, unnamed in the table: it goes by
the name the caller gives as ``unnamed`` (the CLI passes ``config.toml``'s ``athlete``, else
:data:`DEFAULT_ATHLETE`). The first ``athlete add`` in a folder whose own journal holds nothing
names that first athlete instead of adding a second one.

Reading the list never creates, migrates or changes anything.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import shutil
import sqlite3
import unicodedata
from pathlib import Path
from typing import Final, TypedDict

from calfload.errors import JournalError
from calfload.journal._integrity import damaged_message, refuse_emptied, storage_error
from calfload.journal._paths import DB_NAME, now_iso
from calfload.vocabulary import FOOT_LENGTH_RANGE_CM, PROGRAMMES, SIDES_AFFECTED, UNITS

#: Where the journals of the athletes added after the first live, inside the data folder.
ATHLETES_DIR: Final = "athletes"
#: The name of a folder's first athlete when nobody named them.
DEFAULT_ATHLETE: Final = "default"
#: Longest athlete name (characters).
MAX_NAME_CHARS: Final = 80
#: The profile's keys in the athlete's journal settings.
PROFILE_KEYS: Final = ("side_affected", "foot_length_cm", "programme", "units")


class ProfileValues(TypedDict):
    """A profile's values as keywords of :func:`add_athlete` and :func:`update_athlete` (None: not given)."""

    side_affected: str | None
    foot_length_cm: float | None
    programme: str | None
    units: str | None


@dataclasses.dataclass(frozen=True)
class AthleteProfile:
    """One athlete of a data folder.

    Attributes
    ----------
    name
        The athlete's name (unique in the folder, compared without case).
    journal_dir
        The folder of the athlete's journal (the data folder itself for the first athlete).
    side_affected
        ``"left"``, ``"right"``, ``"both"``, or None when not said.
    foot_length_cm
        Foot length in cm (heel to longest toe), for heel-rise heights; None when not said.
    programme
        The calf programme the athlete follows (one of :data:`PROGRAMMES`), or None for the default.
    units
        ``"metric"`` or ``"imperial"``, or None for the folder's setting.
    """

    name: str
    journal_dir: Path
    side_affected: str | None = None
    foot_length_cm: float | None = None
    programme: str | None = None
    units: str | None = None


def check_name(name: str) -> str:
    """Return ``name`` stripped; refuse an empty, overlong or control-character name in one line."""
    text = name.strip()
    if not text:
        raise JournalError("an athlete needs a name, e.g. calfload athlete add 'Sam Runner'")
    if len(text) > MAX_NAME_CHARS:
        raise JournalError(f"an athlete's name may have at most {MAX_NAME_CHARS} characters, this one has {len(text)}")
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise JournalError("an athlete's name may not hold control characters; type it again")
    return text


def check_profile(
    *, side_affected: str | None, foot_length_cm: float | None, programme: str | None, units: str | None
) -> None:
    """Refuse a profile value out of its range in one line (nothing is written)."""
    if side_affected is not None and side_affected not in SIDES_AFFECTED:
        raise JournalError(f"side affected must be one of {', '.join(SIDES_AFFECTED)}, not {side_affected!r}")
    low, high = FOOT_LENGTH_RANGE_CM
    if foot_length_cm is not None and not low <= foot_length_cm <= high:
        raise JournalError(f"foot length must be {low:g} to {high:g} cm, not {foot_length_cm:g}")
    if programme is not None and programme not in PROGRAMMES:
        raise JournalError(f"programme must be one of {', '.join(PROGRAMMES)}, not {programme!r}")
    if units is not None and units not in UNITS:
        raise JournalError(f"units must be one of {', '.join(UNITS)}, not {units!r}")


def list_athletes(data_dir: Path, *, unnamed: str = DEFAULT_ATHLETE) -> list[AthleteProfile]:
    """The athletes of ``data_dir``, the first athlete first, then in the order they were added.

    Parameters
    ----------
    data_dir
        The data folder.
    unnamed
        The name of the first athlete when the folder's journal does not name them.

    Raises
    ------
    JournalError
        If the folder's journal cannot be read.
    """
    rows = _registry_rows(data_dir / DB_NAME)
    athletes = [_profile(data_dir, row) for row in rows]
    if not any(a.journal_dir == data_dir for a in athletes):
        athletes.insert(0, AthleteProfile(name=unnamed, journal_dir=data_dir))
    return athletes


def find_athlete(data_dir: Path, name: str | None, *, unnamed: str = DEFAULT_ATHLETE) -> AthleteProfile:
    """The athlete called ``name`` (without regard to case); with ``name`` None, the folder's only athlete.

    Raises
    ------
    JournalError
        If there is no such athlete, or ``name`` is None and the folder holds more than one.
    """
    athletes = list_athletes(data_dir, unnamed=unnamed)
    if name is None:
        if len(athletes) == 1:
            return athletes[0]
        names = ", ".join(a.name for a in athletes[:6]) + (", ..." if len(athletes) > 6 else "")
        raise JournalError(f"{data_dir} holds {len(athletes)} athletes ({names}); say which with `athlete`")
    wanted = name.strip().casefold()
    for athlete in athletes:
        if athlete.name.casefold() == wanted:
            return athlete
    raise JournalError(
        f"there is no athlete {name!r} in {data_dir}; `calfload athlete list` shows them, "
        "`calfload athlete add NAME` adds one"
    )


def add_athlete(
    data_dir: Path,
    name: str,
    *,
    unnamed: str = DEFAULT_ATHLETE,
    side_affected: str | None = None,
    foot_length_cm: float | None = None,
    programme: str | None = None,
    units: str | None = None,
) -> AthleteProfile:
    """Add an athlete to ``data_dir`` and create their journal.

    In a folder whose own journal holds nothing yet, the first athlete is named ``name``; otherwise the
    athlete gets a journal of their own under ``athletes/``.

    Raises
    ------
    JournalError
        If the name is empty or taken, or a profile value is out of range (nothing is written).
    """
    from calfload.journal._journal import Journal

    name = check_name(name)
    check_profile(side_affected=side_affected, foot_length_cm=foot_length_cm, programme=programme, units=units)
    _refuse_taken(list_athletes(data_dir, unnamed=unnamed), name, data_dir)  # before anything is created
    with Journal(data_dir) as root, root.transaction() as conn:
        rows = _registry_rows_of(conn)
        first_named = any(row[1] == "" for row in rows)
        _refuse_taken([_profile(data_dir, r) for r in rows], name, data_dir)
        if not first_named and (root_is_empty(conn) or unnamed.casefold() == name.casefold()):
            folder = ""
        else:
            if not first_named:  # the first athlete keeps their name when the second arrives
                _insert(conn, unnamed, "")
            folder = _new_folder(data_dir, name)
        _insert(conn, name, folder)
        given = _profile_values(side_affected, foot_length_cm, programme, units)
        try:
            if folder:
                with Journal(data_dir / folder) as journal, journal.transaction() as own:
                    _set_values(own, given)
            else:
                _set_values(conn, given)
        except BaseException:
            if folder:
                shutil.rmtree(data_dir / folder, ignore_errors=True)
            raise
    return find_athlete(data_dir, name, unnamed=unnamed)


def update_athlete(
    data_dir: Path,
    name: str,
    *,
    unnamed: str = DEFAULT_ATHLETE,
    side_affected: str | None = None,
    foot_length_cm: float | None = None,
    programme: str | None = None,
    units: str | None = None,
) -> AthleteProfile:
    """Change the profile values given (others are kept) of the athlete called ``name``."""
    check_profile(side_affected=side_affected, foot_length_cm=foot_length_cm, programme=programme, units=units)
    athlete = find_athlete(data_dir, name, unnamed=unnamed)
    _write_profile(athlete.journal_dir, side_affected, foot_length_cm, programme, units)
    return find_athlete(data_dir, athlete.name, unnamed=unnamed)


def root_is_empty(conn: sqlite3.Connection) -> bool:
    """True when a journal holds no session and no entry (a folder nobody has used yet)."""
    tables = ("session", "body_mass", "pain", "baseline_test", "visa_a", "setting", "deleted_row")
    return all(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() is None for t in tables)


# ------------------------------------------------------------------------------------ helpers

_Row = tuple[str, str]


def _registry_rows(db: Path) -> list[_Row]:
    if not db.is_file():
        return []
    try:
        with contextlib.closing(_read_only(db)) as conn:
            return _registry_rows_of(conn)
    except sqlite3.OperationalError as exc:
        raise storage_error(db, exc) from None
    except sqlite3.DatabaseError as exc:
        raise JournalError(damaged_message(db, str(exc))) from None


def _read_only(db: Path) -> sqlite3.Connection:
    refuse_emptied(db)
    try:
        return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30.0)
    except sqlite3.Error as exc:
        raise JournalError(f"cannot read the journal {db} ({exc}); check `data_dir`") from None


def _registry_rows_of(conn: sqlite3.Connection) -> list[_Row]:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'athlete'").fetchone() is None:
        return []  # a journal from before athletes: its one athlete is unnamed
    return [(str(r[0]), str(r[1])) for r in conn.execute("SELECT name, folder FROM athlete ORDER BY id")]


def _profile(data_dir: Path, row: _Row) -> AthleteProfile:
    name, folder = row
    return AthleteProfile(name, data_dir / folder if folder else data_dir)


def read_profile(athlete: AthleteProfile) -> AthleteProfile:
    """``athlete`` with the profile read from their journal's settings (read only; none without a journal)."""
    db = athlete.journal_dir / DB_NAME
    if not db.is_file():
        return athlete
    try:
        with contextlib.closing(_read_only(db)) as conn:
            marks = ",".join("?" * len(PROFILE_KEYS))
            values = dict(conn.execute(f"SELECT key, value FROM setting WHERE key IN ({marks})", PROFILE_KEYS))
    except sqlite3.OperationalError as exc:
        raise storage_error(db, exc) from None
    except sqlite3.DatabaseError as exc:
        raise JournalError(damaged_message(db, str(exc))) from None
    foot = values.get("foot_length_cm")
    return dataclasses.replace(
        athlete,
        side_affected=values.get("side_affected"),
        foot_length_cm=None if foot is None else float(foot),
        programme=values.get("programme"),
        units=values.get("units"),
    )


def _profile_values(
    side_affected: str | None, foot_length_cm: float | None, programme: str | None, units: str | None
) -> dict[str, str]:
    values = {"side_affected": side_affected, "foot_length_cm": foot_length_cm, "programme": programme}
    values["units"] = units
    return {k: str(v) for k, v in values.items() if v is not None}


def _set_values(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def _write_profile(
    journal_dir: Path,
    side_affected: str | None,
    foot_length_cm: float | None,
    programme: str | None,
    units: str | None,
) -> None:
    from calfload.journal._journal import Journal

    given = _profile_values(side_affected, foot_length_cm, programme, units)
    if given:
        with Journal(journal_dir) as journal, journal.transaction() as conn:
            _set_values(conn, given)


def _refuse_taken(athletes: list[AthleteProfile], name: str, data_dir: Path) -> None:
    for athlete in athletes:
        if athlete.name.casefold() == name.casefold() and (athlete.journal_dir != data_dir or len(athletes) > 1):
            raise JournalError(
                f"{data_dir} already has an athlete called {athlete.name!r}; choose another name "
                "(`calfload athlete list` shows them)"
            )


def _insert(conn: sqlite3.Connection, name: str, folder: str) -> None:
    conn.execute("INSERT INTO athlete (name, folder, created_utc) VALUES (?, ?, ?)", (name, folder, now_iso()))


def _new_folder(data_dir: Path, name: str) -> str:
    """A new folder name under ``athletes/`` from the name (ASCII letters, digits and dashes)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "athlete"
    candidate, n = slug, 1
    while (data_dir / ATHLETES_DIR / candidate).exists():
        n += 1
        candidate = f"{slug}-{n}"
    return f"{ATHLETES_DIR}/{candidate}"


__all__ = [
    "ATHLETES_DIR",
    "DEFAULT_ATHLETE",
    "PROFILE_KEYS",
    "PROGRAMMES",
    "SIDES_AFFECTED",
    "UNITS",
    "AthleteProfile",
    "ProfileValues",
    "add_athlete",
    "check_name",
    "check_profile",
    "find_athlete",
    "list_athletes",
    "read_profile",
    "update_athlete",
]
