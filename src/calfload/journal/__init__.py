"""Storage: the data folder, SQLite and its migrations, content hashes and the stored recordings.

:class:`Journal` holds one athlete's sessions (each with its typed analysis, stored as its
versioned record), pain entries, body mass, baseline tests and settings; a data folder holds one
journal per athlete (:func:`list_athletes`, :func:`find_athlete`, :func:`add_athlete`). Writes are
transactional; an interrupted command leaves the journal as it was. The load model
(:mod:`calfload.loadmodel`) never touches these files: :meth:`Journal.history` hands it a typed
:class:`calfload.loadmodel.History`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calfload._lazy import lazy_exports

if TYPE_CHECKING:
    from calfload.journal._athletes import (
        AthleteProfile,
        add_athlete,
        find_athlete,
        list_athletes,
        read_profile,
        update_athlete,
    )
    from calfload.journal._integrity import damaged_message
    from calfload.journal._journal import AddOutcome, Journal, PreparedSession, SessionRecord, check_exercise
    from calfload.journal._migrations import MIGRATIONS, SCHEMA_VERSION
    from calfload.journal._paths import (
        DB_NAME,
        RECORDINGS_DIR,
        local_date_of,
        resolve_data_dir,
        sha256_of_file,
        today_local,
    )
    from calfload.loadmodel import BaselineTest

# Each public name is imported from its module on first use, so importing one submodule stays cheap.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "calfload.journal._athletes": (
            "AthleteProfile",
            "add_athlete",
            "find_athlete",
            "list_athletes",
            "read_profile",
            "update_athlete",
        ),
        "calfload.journal._integrity": ("damaged_message",),
        "calfload.journal._journal": ("AddOutcome", "Journal", "PreparedSession", "SessionRecord", "check_exercise"),
        "calfload.journal._migrations": ("MIGRATIONS", "SCHEMA_VERSION"),
        "calfload.journal._paths": (
            "DB_NAME",
            "RECORDINGS_DIR",
            "local_date_of",
            "resolve_data_dir",
            "sha256_of_file",
            "today_local",
        ),
        "calfload.loadmodel": ("BaselineTest",),
    },
)

__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "RECORDINGS_DIR",
    "SCHEMA_VERSION",
    "AddOutcome",
    "AthleteProfile",
    "BaselineTest",
    "Journal",
    "PreparedSession",
    "SessionRecord",
    "add_athlete",
    "check_exercise",
    "damaged_message",
    "find_athlete",
    "list_athletes",
    "local_date_of",
    "read_profile",
    "resolve_data_dir",
    "sha256_of_file",
    "today_local",
    "update_athlete",
]
