"""The recording contract, declared once.

A recording is one Parquet file per sensor stream. Each stream kind is a :class:`Table`: its
columns with name, Arrow type, unit and nullability. Column constants, the Arrow schema and the
validators in :mod:`calfload.recording` are all derived from these declarations; no column name
is spelled anywhere else in the package. The analyses' result tables (reps, sets, hop contacts,
gait bouts, cadence and steps) are declared the same way in :mod:`calfload._result_tables` and
re-exported here as :data:`RESULT_TABLES`.

The metadata every file carries (under the Parquet key-value key ``calfload``) is
:class:`RecordingMeta`. Its ``schema_version`` is ``"MAJOR.MINOR"``; readers accept any minor
version of a major they know and refuse the rest. What the metadata says of a recording's origin
(the recorder's counts, a FIT file's totals and laps, the simulator) are typed records,
:class:`RecordingFacts` and its parts, public here (declared without pyarrow in :mod:`calfload._recording_facts`
and, made on first use, :mod:`calfload._device_facts`); schema 1.3 gave each its own key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Unpack

import pyarrow as pa

from calfload import _recording_facts
from calfload._facts_json import FACTS_MINOR, facts_doc, minor_version, read_facts
from calfload._lazy import DeferredModule, lazy_exports
from calfload._metadata_limits import clip, load_metadata_json
from calfload._tables import Column, Table
from calfload.errors import SchemaError
from calfload.vocabulary import ACTIVITIES, KINDS, PLACEMENTS, SIDES

SCHEMA_VERSION: Final = "1.3"
SUPPORTED_MAJOR_VERSIONS: Final = frozenset({1})
METADATA_KEY: Final = b"calfload"
#: ``start_utc`` of a recording whose real start time is not known (a CSV without metadata).
UNKNOWN_START_UTC: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

T_S: Final = "t_s"
ACC_MPS2: Final = ("acc_x_mps2", "acc_y_mps2", "acc_z_mps2")
GYR_DPS: Final = ("gyr_x_dps", "gyr_y_dps", "gyr_z_dps")

_TIME = Column(T_S, pa.float64(), False, "time since the recording's start; strictly increasing")

IMU: Final = Table(
    "imu",
    (
        _TIME,
        *(Column(n, pa.float32(), False, f"specific force along sensor {n[4]}, gravity included") for n in ACC_MPS2),
        *(Column(n, pa.float32(), False, f"angular rate about sensor {n[4]}, right-hand rule") for n in GYR_DPS),
    ),
)

SPEED_MPS: Final = "speed_mps"
CADENCE_SPM: Final = "cadence_spm"
STRIDE_LENGTH_M: Final = "stride_length_m"
DISTANCE_M: Final = "distance_m"
RUNNING: Final = "running"
GROUND_CONTACT_MS: Final = "ground_contact_ms"
STEP_LENGTH_M: Final = "step_length_m"
POWER_W: Final = "power_w"
HEART_RATE_BPM: Final = "heart_rate_bpm"
VERTICAL_OSCILLATION_MM: Final = "vertical_oscillation_mm"
VERTICAL_RATIO_PCT: Final = "vertical_ratio_pct"
CONTACT_BALANCE_LEFT_PCT: Final = "contact_balance_left_pct"
FORM_POWER_W: Final = "form_power_w"
AIR_POWER_W: Final = "air_power_w"
LEG_STIFFNESS_KNPM: Final = "leg_stiffness_knpm"

FOOTPOD: Final = Table(
    "footpod",
    (
        _TIME,
        Column(SPEED_MPS, pa.float32(), False, "instantaneous speed"),
        Column(CADENCE_SPM, pa.float32(), False, "cadence, steps (foot falls) per minute"),
        Column(STRIDE_LENGTH_M, pa.float32(), True, "stride length, same-foot contact to contact"),
        Column(DISTANCE_M, pa.float64(), True, "total distance reported by the pod"),
        Column(RUNNING, pa.bool_(), True, "the pod's walking (false) / running (true) status"),
        # Added in schema 1.1 (nullable, so 1.0 files stay valid): running dynamics from FIT files.
        Column(GROUND_CONTACT_MS, pa.float32(), True, "ground-contact (stance) time of the latest step"),
        Column(STEP_LENGTH_M, pa.float32(), True, "step length, one foot's contact to the other's"),
        Column(POWER_W, pa.float32(), True, "running power reported by the device"),
        # Added in schema 1.2 (nullable): the rest of a FIT record's running dynamics.
        Column(HEART_RATE_BPM, pa.float32(), True, "heart rate the device stored with the record"),
        Column(VERTICAL_OSCILLATION_MM, pa.float32(), True, "vertical oscillation of the trunk per step"),
        Column(VERTICAL_RATIO_PCT, pa.float32(), True, "vertical oscillation over step length"),
        Column(CONTACT_BALANCE_LEFT_PCT, pa.float32(), True, "left foot's share of ground-contact time"),
        Column(FORM_POWER_W, pa.float32(), True, "Stryd form power (developer field)"),
        Column(AIR_POWER_W, pa.float32(), True, "Stryd air power (developer field)"),
        Column(LEG_STIFFNESS_KNPM, pa.float32(), True, "Stryd leg spring stiffness (developer field)"),
    ),
)

RR_INTERVAL_MS: Final = "rr_interval_ms"

HEART_RATE: Final = Table(
    "heart_rate",
    (
        _TIME,
        Column(HEART_RATE_BPM, pa.float32(), False, "heart rate from the Heart Rate Measurement"),
        Column(RR_INTERVAL_MS, pa.float32(), True, "one RR interval from the same notification, if any"),
    ),
)

TABLES: Final[dict[str, Table]] = {t.kind: t for t in (IMU, FOOTPOD, HEART_RATE)}

#: The analyses' result tables, declared in calfload._result_tables (see its docstring) and public here.
#: Imported on first use: only a result's frames (pandas) need them, and reading or analysing a file
#: would build their 75 columns at every start (about 0.3 ms).
RESULT_TABLE_NAMES: Final = (
    *("CALF_REPS", "CALF_SETS", "HOP_CONTACTS", "HOP_SETS"),
    *("GAIT_BOUTS", "GAIT_CADENCE", "GAIT_STEPS", "GAIT_STRIDES", "RESULT_TABLES"),
)

RecordingFacts = _recording_facts.RecordingFacts
if TYPE_CHECKING:
    from calfload import _device_facts, _meta_changes, _result_tables, _simulation_facts

    CALF_REPS = _result_tables.CALF_REPS
    CALF_SETS = _result_tables.CALF_SETS
    HOP_CONTACTS = _result_tables.HOP_CONTACTS
    HOP_SETS = _result_tables.HOP_SETS
    GAIT_BOUTS = _result_tables.GAIT_BOUTS
    GAIT_CADENCE = _result_tables.GAIT_CADENCE
    GAIT_STEPS = _result_tables.GAIT_STEPS
    GAIT_STRIDES = _result_tables.GAIT_STRIDES
    RESULT_TABLES = _result_tables.RESULT_TABLES

    FitDeviceSummary = _device_facts.FitDeviceSummary
    FitLap = _device_facts.FitLap
    HostTiming = _device_facts.HostTiming
    RecorderFacts = _device_facts.RecorderFacts
    SimulationFacts = _simulation_facts.SimulationFacts
    MetaChanges = _meta_changes.MetaChanges
else:
    _device_facts = DeferredModule("calfload._device_facts")
    _simulation_facts = DeferredModule("calfload._simulation_facts")
    # RecordingMeta.replace's keywords (a TypedDict of 18 string annotations, about 0.4 ms to create):
    # made when typing.get_type_hints or an import of the name asks for them.
    _meta_changes = DeferredModule("calfload._meta_changes")
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        **_recording_facts.DEVICE_FACTS,
        "calfload._meta_changes": ("MetaChanges",),
        "calfload._result_tables": RESULT_TABLE_NAMES,
    },
)


@dataclass(frozen=True, slots=True)
class SensorInfo:
    """What is known about the sensor that made a recording."""

    model: str = "unknown"
    address: str | None = None
    firmware: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordingMeta(RecordingFacts):
    """The ``calfload`` metadata of a recording file.

    Parameters
    ----------
    kind
        Stream kind, one of :data:`KINDS`.
    sample_rate_hz
        Nominal sample rate of the stream.
    start_utc
        Wall-clock time of ``t_s = 0`` (timezone-aware UTC).
    sensor
        Sensor model, address and firmware where known.
    placement
        Where the sensor sat, one of :data:`PLACEMENTS`.
    side
        Which leg, one of :data:`SIDES`.
    activity
        Optional hint of what was done (``calf_raise``, ``hops``, ``run``, ``walk``).
    exercise
        Optional exercise name, e.g. ``single_leg_standing``.
    added_load_kg
        Optional extra load carried.
    gaps
        ``[start_s, end_s]`` pairs where the recorder lost data.
    schema_version
        ``"MAJOR.MINOR"`` of the contract the file follows (a file is written as at least
        :data:`SCHEMA_VERSION`).
    origin, recorder, simulated, device_summary, laps, column_sources, unrecognised
        Where the recording came from: declared once, in :class:`RecordingFacts`.
    """

    kind: str = "imu"
    sample_rate_hz: float
    start_utc: dt.datetime
    sensor: SensorInfo = field(default_factory=SensorInfo)
    placement: str = "unknown"
    side: str = "unknown"
    activity: str | None = None
    exercise: str | None = None
    added_load_kg: float | None = None
    gaps: tuple[tuple[float, float], ...] = ()
    schema_version: str = SCHEMA_VERSION

    def __post_init__(self) -> None:
        """Check enumerations and ranges so a bad value never reaches a file."""
        checks: list[tuple[str, object, tuple[str, ...]]] = [
            ("kind", self.kind, KINDS),
            ("placement", self.placement, PLACEMENTS),
            ("side", self.side, SIDES),
        ]
        if self.activity is not None:
            checks.append(("activity", self.activity, ACTIVITIES))
        for name, value, allowed in checks:
            if not isinstance(value, str) or value not in allowed:
                raise SchemaError(
                    f"metadata {name} is {clip(repr(value), 80)}; use one of {', '.join(allowed)}", column=name
                )
        if self.exercise is not None and not isinstance(self.exercise, str):
            raise SchemaError(
                f"metadata exercise is {clip(repr(self.exercise), 80)}; it must be a name such as single_leg_standing",
                column="exercise",
            )
        if not (math.isfinite(self.sample_rate_hz) and self.sample_rate_hz > 0):
            raise SchemaError(f"metadata sample_rate_hz is {self.sample_rate_hz}; it must be a positive number")
        if self.start_utc.tzinfo is None:
            raise SchemaError("metadata start_utc has no timezone; give it in UTC (ISO 8601 with +00:00)")
        if self.added_load_kg is not None and not 0 <= self.added_load_kg <= 200:
            raise SchemaError(f"metadata added_load_kg is {self.added_load_kg}; expected 0-200 kg")

    @property
    def table(self) -> Table:
        """The stream table this metadata describes."""
        return TABLES[self.kind]

    def replace(self, **changes: Unpack[_meta_changes.MetaChanges]) -> RecordingMeta:
        """Return a copy with ``changes`` applied (and validated)."""
        return dataclasses.replace(self, **changes)

    @property
    def facts(self) -> RecordingFacts:
        """The metadata's facts of where the recording came from, as one record."""
        return RecordingFacts(**{f.name: getattr(self, f.name) for f in _FACT_FIELDS})

    def to_json(self) -> str:
        """Serialise as the JSON stored under the ``calfload`` key."""
        from calfload import __version__

        doc = facts_doc(self.facts)
        # Written in the layout of this calfload, so as at least its version.
        older = minor_version(self.schema_version) < FACTS_MINOR
        doc.update(
            schema_version=SCHEMA_VERSION if older else self.schema_version,
            kind=self.kind,
            sensor=dataclasses.asdict(self.sensor),
            placement=self.placement,
            side=self.side,
            sample_rate_hz=self.sample_rate_hz,
            start_utc=self.start_utc.astimezone(dt.UTC).isoformat(),
            gaps=[list(g) for g in self.gaps],
            units={c.name: c.unit for c in self.table.columns if c.unit},
            software=f"calfload {__version__}",
        )
        for key in ("activity", "exercise", "added_load_kg"):
            value = getattr(self, key)
            if value is not None:
                doc[key] = value
        return json.dumps(doc, sort_keys=True)

    @classmethod
    def from_json(
        cls,
        text: str | bytes,
        *,
        source: str | None = None,
        defaults: RecordingMeta | Callable[[], RecordingMeta] | None = None,
    ) -> RecordingMeta:
        """Parse the ``calfload`` metadata, refusing unknown major schema versions.

        Parameters
        ----------
        text
            The JSON stored under the ``calfload`` key.
        source
            The file, for messages.
        defaults
            Where ``kind``, ``sample_rate_hz`` or ``start_utc`` are missing, take them from here
            (a reader guesses them from the samples; the analysis needs none of them), or from
            what this function returns, called only then (guessing reads every sample time).
            Without defaults a missing key is an error.

        Raises
        ------
        SchemaError
            If the JSON is malformed, a required key is missing, or the major version is unknown.
        """
        doc = load_metadata_json(text, source=source)
        version = str(doc.get("schema_version", ""))
        check_schema_version(version, source=source)
        if defaults is not None and not doc.keys() >= _GUESSED_KEYS:
            if not isinstance(defaults, RecordingMeta):
                defaults = defaults()
            doc.setdefault("kind", defaults.kind)
            doc.setdefault("sample_rate_hz", defaults.sample_rate_hz)
            if "start_utc" not in doc:
                doc["start_utc"] = defaults.start_utc.isoformat()
                doc.setdefault("origin", "start time not in the file")
        sensor = doc.get("sensor") or {}
        if not isinstance(sensor, dict):
            raise SchemaError(
                f"the calfload metadata's sensor is {sensor!r}; it must be an object with model, address, firmware",
                source=source,
            )
        facts = read_facts(
            {k: v for k, v in doc.items() if k not in _KNOWN_KEYS}, minor=minor_version(version), source=source
        )
        try:
            meta = cls(
                schema_version=version,
                kind=doc["kind"],
                sample_rate_hz=float(doc["sample_rate_hz"]),
                start_utc=dt.datetime.fromisoformat(doc["start_utc"]),
                sensor=SensorInfo(
                    model=str(sensor.get("model", "unknown")),
                    address=sensor.get("address"),
                    firmware=sensor.get("firmware"),
                ),
                placement=doc.get("placement", "unknown"),
                side=doc.get("side", "unknown"),
                activity=doc.get("activity"),
                exercise=doc.get("exercise"),
                added_load_kg=None if doc.get("added_load_kg") is None else float(doc["added_load_kg"]),
                gaps=tuple((float(a), float(b)) for a, b in doc.get("gaps", [])),
                **{f.name: getattr(facts, f.name) for f in _FACT_FIELDS},
            )
        except KeyError as exc:
            raise SchemaError(f"the calfload metadata has no {exc.args[0]!r}", source=source) from None
        except (TypeError, ValueError, OverflowError) as exc:
            if isinstance(exc, SchemaError):
                raise SchemaError(str(exc), source=source, column=exc.column) from None
            raise SchemaError(
                f"the calfload metadata has a malformed value ({clip(str(exc), 200)})", source=source
            ) from None
        return meta


_FACT_FIELDS: Final = dataclasses.fields(RecordingFacts)
#: The keys :meth:`RecordingMeta.from_json` takes from its ``defaults`` where the metadata lacks them.
_GUESSED_KEYS: Final = frozenset({"kind", "sample_rate_hz", "start_utc"})
_KNOWN_KEYS: Final = frozenset(
    {
        "schema_version",
        "kind",
        "sensor",
        "placement",
        "side",
        "sample_rate_hz",
        "start_utc",
        "activity",
        "exercise",
        "added_load_kg",
        "gaps",
        "units",
        "software",
    }
)


def check_schema_version(version: str, *, source: str | None = None) -> None:
    """Refuse a ``schema_version`` whose major number this calfload does not know.

    Raises
    ------
    SchemaError
        If ``version`` is not ``MAJOR.MINOR`` or its major is unsupported.
    """
    try:
        major = int(version.split(".", 1)[0])
    except ValueError:
        raise SchemaError(
            f"schema_version {version!r} is not MAJOR.MINOR; the file was not written by calfload", source=source
        ) from None
    if major not in SUPPORTED_MAJOR_VERSIONS:
        raise SchemaError(
            f"schema version {version} is newer than this calfload understands (major "
            f"{', '.join(map(str, sorted(SUPPORTED_MAJOR_VERSIONS)))}); upgrade calfload to read it",
            source=source,
        )
