"""Error and warning hierarchy.

Every error a user can cause (a corrupt file, a wrong unit, a malformed notification, an
out-of-range journal entry) is a :class:`CalfloadError`. The CLI turns it into one line on
stderr and a non-zero exit code; the message must say what is wrong *and* what to do.
"""

from __future__ import annotations


class CalfloadError(Exception):
    """Root of all errors calfload raises on purpose.

    Attributes
    ----------
    exit_code
        The process exit code the CLI uses for this error class.
    """

    exit_code: int = 1


class DataError(CalfloadError, ValueError):
    """A recording or input file cannot be used as it is (exit code 3)."""

    exit_code = 3

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class SchemaError(DataError):
    """A table does not match the recording contract.

    Parameters
    ----------
    message
        What was expected and what was found.
    source
        The file (or stream) the table came from.
    table
        The table kind (``"imu"``, ``"footpod"``, ...).
    column
        The offending column, when there is one.
    """

    def __init__(
        self, message: str, *, source: str | None = None, table: str | None = None, column: str | None = None
    ) -> None:
        self.table = table
        self.column = column
        super().__init__(message, source=source)


class AnalysisError(DataError):
    """A valid recording in which the requested analysis finds nothing it can measure."""


class DeviceError(CalfloadError):
    """A Bluetooth device could not be found, connected to or configured (exit code 4)."""

    exit_code = 4


class DecodeError(CalfloadError, ValueError):
    """A BLE notification or file record does not follow its byte layout (exit code 3)."""

    exit_code = 3


class JournalError(CalfloadError, ValueError):
    """A journal entry is out of range or refers to something that does not exist (exit code 5)."""

    exit_code = 5


class StorageError(CalfloadError):
    """A file cannot be written or would replace stored data (exit code 6).

    Disk full, a file larger than the system allows, no permission, a read-only disk, or an
    output path that names a recording, a journal or another file calfload must not replace. The
    message names the file and what to do; nothing already stored has changed.
    """

    exit_code = 6


class CalfloadWarning(UserWarning):
    """Root of calfload's warning categories."""


class UnitConversionWarning(CalfloadWarning):
    """Input arrived in another unit than the contract's and was converted automatically."""


class SignalQualityWarning(CalfloadWarning):
    """The signal has a problem (gaps, interpolated samples) that may affect the results."""


class RecordError(DataError):
    """A stored analysis record (the journal's or a file's JSON) does not have the expected shape.

    Parameters
    ----------
    message
        What is wrong and what to do.
    source
        Where the record came from (a journal session, a file).
    key
        The offending key path (``reps[3].eccentric_s``), when there is one.
    expected
        What the key should hold.
    """

    def __init__(
        self, message: str, *, source: str | None = None, key: str | None = None, expected: str | None = None
    ) -> None:
        self.key = key
        self.expected = expected
        super().__init__(message, source=source)
