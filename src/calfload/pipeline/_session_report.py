"""What a report page shows, gathered: a recording's or a stored session's analysis, a period's span.

``calfload report`` calls these and renders what they return (:mod:`calfload.report`); a notebook
calls them the same way::

    from calfload.pipeline import recording_session
    from calfload.report import render_session_html

    page = recording_session(["run.fit"], data_dir="~/calfload")
    html = render_session_html(page.analysis, recordings=page.recordings, heart_rate=page.heart_rate,
                               cadence=page.cadence, source=page.source, recorded=page.recorded)

- :func:`recording_session`: read recording files (every stream of each, heart rate joined as in
  ``analyze``), pair two feet, analyse, summarise heart rate and check a run's cadence.
- :func:`stored_session`: the same for a session of the journal, from its stored analysis.
- :func:`period_days`: the length in days of a period given by a start date or a number of days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from calfload.ingest.csv_formats import ColumnMap
    from calfload.loadmodel._cadence import CadenceCheck
    from calfload.recording import Recording
    from calfload.signal import SessionAnalysis
    from calfload.signal._heart_rate import HeartRateSummary

#: A period covers at most this many days (a whole history: the journal holds nothing before 2000).
MAX_PERIOD_DAYS = 366 * 100


class Steps(Protocol):
    """What the gathering reports as it goes (:class:`calfload.report.Progress` is one)."""

    def set_detail(self, detail: str) -> None:
        """Say what is being done now."""

    def advance(self, steps: int = 1, *, detail: str = "") -> None:
        """Count ``steps`` done; ``detail`` says what comes next."""


class _NoSteps:
    def set_detail(self, detail: str) -> None:
        pass

    def advance(self, steps: int = 1, *, detail: str = "") -> None:
        pass


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SessionPage:
    """Everything a session's report page draws, and what it is named by.

    Parameters
    ----------
    analysis
        The session's analysis.
    recordings
        Its streams: the analysed ones first, heart rate last.
    heart_rate
        Heart rate over the session, when a heart-rate stream covers it.
    cadence
        A run's cadence alerts (against the journal's earlier runs when there is a journal).
    source
        Where it came from, in words: the file names, or ``session 12 (run.fit)``.
    recorded
        Local start, ``YYYY-MM-DD HH:MM`` (a stored session: its local date); empty when unknown.
    day
        The session's local calendar date, None when its start is unknown.
    name
        What the report's file name starts with when ``day`` is None: the first file's stem, or
        ``session-12``.
    """

    analysis: SessionAnalysis
    recordings: tuple[Recording, ...]
    heart_rate: HeartRateSummary | None
    cadence: CadenceCheck | None
    source: str
    recorded: str
    day: dt.date | None
    name: str


def recording_session(
    files: Sequence[str | Path],
    *,
    activity: str | None = None,
    placement: str | None = None,
    columns: ColumnMap | None = None,
    target_eccentric_s: float | None = None,
    tolerance_s: float | None = None,
    data_dir: str | Path | None = None,
    target_increase_pct: float | None = None,
    steps: Steps | None = None,
) -> SessionPage:
    """Read, pair and analyse the recording ``files`` of one session (what ``calfload analyze`` shows).

    Parameters
    ----------
    files
        Recording files or recording folders of one session; a sensor on each foot (two files, or
        two streams of one folder) is analysed as one session.
    activity, placement
        Overrides of the recordings' activity and sensor placement (None: from the recordings).
    columns
        Which columns of a CSV hold what (:func:`calfload.ingest.load_recordings`).
    target_eccentric_s, tolerance_s
        A calf session's tempo target and its tolerance (None: the defaults).
    data_dir
        A journal whose earlier runs a run's cadence is checked against (none: the run alone).
    target_increase_pct
        A cadence retraining target above the habitual cadence (None: the journal's setting).
    steps
        Told of each file read (one step each) and of the analysis (one step).

    Raises
    ------
    AnalysisError
        Only heart rate was given, or the recordings cannot be analysed.
    DataError
        A file cannot be read, or two files are not one session's two feet.
    """
    from calfload.errors import AnalysisError
    from calfload.ingest import load_recordings
    from calfload.pipeline._streams import check_pair, feet_pair, session_streams
    from calfload.signal import analyze

    bar = steps or _NoSteps()
    paths = [Path(f) for f in files]
    recordings, heart_rates = [], []
    for p, text in zip(paths, files, strict=True):
        bar.set_detail(f"reading {text}")
        streams = load_recordings(p, columns=columns)
        main, heart = session_streams(streams)
        recordings += feet_pair(streams) or ([main] if main is not None else [])
        heart_rates += heart
        bar.advance()
    if not recordings:
        raise AnalysisError("only heart-rate data given; add the session's IMU or foot-pod recording")
    check_pair(recordings)
    bar.set_detail("finding reps and steps")
    result = analyze(
        recordings,
        activity=activity,
        placement=placement,
        target_eccentric_s=target_eccentric_s,
        tolerance_s=tolerance_s,
    )
    bar.advance()
    summaries = _heart_rate_summaries(heart_rates, recordings[0])
    cadence = None
    if result.activity == "run":  # the cadence check and its stored-relation reader load for runs only
        from calfload.pipeline._cadence import cadence_check

        cadence = cadence_check(result, recordings[0], data_dir=data_dir, target_increase_pct=target_increase_pct)
    start = recordings[0].meta.start_utc
    return SessionPage(
        analysis=result,
        recordings=(*recordings, *heart_rates),
        heart_rate=summaries[0] if summaries else None,
        cadence=cadence,
        source=", ".join(p.name for p in paths),
        recorded=local_time_text(start),
        day=local_date(start),
        name=paths[0].stem if paths[0].suffix else paths[0].name,
    )


def _heart_rate_summaries(heart_rates: Sequence[Recording], main: Recording) -> list[HeartRateSummary]:
    """The summaries of the heart-rate streams over ``main``'s time (their module loads only when there are some)."""
    if not heart_rates:
        return []
    from calfload.signal._heart_rate import summarise_heart_rate

    return [s for s in (summarise_heart_rate(h, main) for h in heart_rates) if s is not None]


def stored_session(data_dir: str | Path | None, session_id: int, *, steps: Steps | None = None) -> SessionPage:
    """A journal session's stored analysis and the recordings it keeps (those still on disk).

    A run's cadence is checked against the runs before it, so its alerts are the ones it had when
    it was imported.

    Parameters
    ----------
    data_dir
        The journal's folder (None: the default one).
    session_id
        The session (``calfload review`` lists them).
    steps
        Told of the recordings read (one step).

    Raises
    ------
    JournalError
        There is no journal, or no such session in it.
    """
    from calfload.errors import JournalError
    from calfload.ingest import load_recording
    from calfload.journal import Journal
    from calfload.pipeline._cadence import check_run
    from calfload.pipeline._streams import stored_stream_paths
    from calfload.signal import GaitAnalysis
    from calfload.signal._heart_rate import summarise_heart_rate

    bar = steps or _NoSteps()
    with Journal(data_dir, create=False) as journal:
        record = journal.session(session_id)
        cadence = None
        if record is not None and isinstance(record.analysis, GaitAnalysis) and record.analysis.activity == "run":
            cadence = check_run(journal, record.analysis, before=record.start_utc)  # against the runs before it
    if record is None:
        raise JournalError(
            f"no session {session_id} in the journal; `calfload review` lists the sessions",
            value=session_id,
            parameter="session_id",
        )
    recordings = []
    for path in stored_stream_paths(record):  # both feet of a two-sensor session, heart rate last
        bar.set_detail(f"reading {path.name}")
        recordings.append(load_recording(path))
    heart = [r for r in recordings if r.meta.kind == "heart_rate"]
    summaries = [summarise_heart_rate(h, recordings[0]) for h in heart if recordings[0] is not h]
    bar.advance(detail="drawing")
    return SessionPage(
        analysis=record.analysis,
        recordings=tuple(recordings),
        heart_rate=next((s for s in summaries if s is not None), None),
        cadence=cadence,
        source=f"session {record.session_id} ({record.source_name})",
        recorded=record.local_date.isoformat(),
        day=record.local_date,
        name=f"session-{record.session_id}",
    )


def period_days(day: dt.date, since: int | dt.date, *, today: dt.date) -> int:
    """The length in days (``day`` included) of the period ending on ``day`` that ``since`` gives.

    Parameters
    ----------
    day
        The period's last day; not after ``today``.
    since
        A number of days, or the period's first day (not after ``day``).
    today
        The journal's today.

    Raises
    ------
    JournalError
        ``day`` is in the future, ``since`` is after ``day``, or the period is longer than
        :data:`MAX_PERIOD_DAYS`.

    Examples
    --------
    >>> period_days(dt.date(2026, 3, 31), dt.date(2026, 3, 1), today=dt.date(2026, 4, 2))
    31
    >>> period_days(dt.date(2026, 3, 31), 28, today=dt.date(2026, 3, 31))
    28
    """
    from calfload.errors import JournalError
    from calfload.pipeline._days import past_day

    past_day(day, today)
    if not isinstance(since, dt.date):
        return since
    if since > day:
        raise JournalError(
            f"`since` {since.isoformat()} is after the period's last day {day.isoformat()}",
            value=since,
            parameter="since",
        )
    days = (day - since).days + 1
    if days > MAX_PERIOD_DAYS:
        raise JournalError(
            f"`since` {since.isoformat()} gives {days} days; a report covers at most "
            f"{MAX_PERIOD_DAYS} days ({MAX_PERIOD_DAYS // 7}w): give a later start date",
            value=since,
            parameter="since",
        )
    return days


def local_time_text(start: dt.datetime | None) -> str:
    """``YYYY-MM-DD HH:MM`` in local time, or empty when the start is unknown (or the 1970 epoch)."""
    if start is None or start.year <= 1970:
        return ""
    return start.astimezone().strftime("%Y-%m-%d %H:%M")


def local_date(start: dt.datetime | None) -> dt.date | None:
    """The local calendar date of ``start``, or None when it is unknown (or the 1970 epoch)."""
    if start is None or start.year <= 1970:
        return None
    return start.astimezone().date()


__all__ = [
    "MAX_PERIOD_DAYS",
    "SessionPage",
    "Steps",
    "local_date",
    "local_time_text",
    "period_days",
    "recording_session",
    "stored_session",
]
