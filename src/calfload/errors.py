"""Error and warning hierarchy.

Every error a user can cause (a corrupt file, a wrong unit, a malformed notification, an
out-of-range journal entry) is a :class:`CalfloadError`. The CLI turns it into one line on
stderr and a non-zero exit code; the message must say what is wrong *and* what to do.

Messages are worded for library users: the argument to change is named as in Python, in
backticks (``give `activity` (calf_raise, hops, walk or run)``), never as a command-line flag,
and the error's :attr:`~CalfloadError.parameter` holds its name. The CLI maps it to its flag
(``calfload.cli._errors``).

Examples
--------
>>> exc = DataError("give `activity` (calf_raise, hops, walk or run)", parameter="activity")
>>> exc.parameter, str(exc)
('activity', 'give `activity` (calf_raise, hops, walk or run)')
"""

from __future__ import annotations


class CalfloadError(Exception):
    """Root of all errors calfload raises on purpose.

    Parameters
    ----------
    message
        What is wrong and what to do, one line, naming arguments as ``name`` in backticks.
    file
        The file (or stream, or folder) concerned, when there is one.
    column
        The table column concerned, when there is one.
    value
        The offending value, when there is one.
    expected
        What was expected instead, in words.
    parameter
        The name of the argument the caller should change (``"activity"``, ``"data_dir"``).

    Attributes
    ----------
    exit_code
        The process exit code the CLI uses for this error class.
    """

    exit_code: int = 1

    def __init__(
        self,
        message: str = "",
        *,
        file: str | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
        parameter: str | None = None,
    ) -> None:
        self.file = file
        self.column = column
        self.value = value
        self.expected = expected
        self.parameter = parameter
        super().__init__(message)


class DataError(CalfloadError, ValueError):
    """A recording or input file cannot be used as it is (exit code 3).

    ``source`` (also :attr:`file`) prefixes the message.
    """

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
        parameter: str | None = None,
    ) -> None:
        self.source = source
        super().__init__(
            f"{source}: {message}" if source else message,
            file=source,
            column=column,
            value=value,
            expected=expected,
            parameter=parameter,
        )


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
        super().__init__(message, source=source, column=column)


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
        super().__init__(message, source=source, expected=expected)
