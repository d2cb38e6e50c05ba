"""The stored form of analysis results: one versioned ``to_record`` / ``from_record`` pair.

A record is the ``calfload analyze --json`` object of the result (DESIGN.md) with four more keys:
``record_version`` (:data:`RECORD_VERSION`), ``result`` (the kind: ``calf_raise``, ``gait``,
``hops``, ``heel_rise_test``), ``calfload_version`` and ``params`` (every parameter that produced
it). Values are rounded as in ``--json``, so ``from_record(to_record(r))`` holds the figures the
journal stores, and ``to_record`` of that is the same record again.

``from_record`` also reads records without ``record_version`` (version 0): the analyses stored by
journals of calfload releases before typed results. Their parameters are those of the placement's
preset with the stored tempo target, which is what those releases used; their version is
:data:`UNKNOWN_VERSION`.

JSON appears only at the edges: ``--json``, the journal's stored form (:func:`record_json`,
:func:`result_from_json`) and the HTML reports' data islands.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Mapping
from typing import Final, TypeAlias, TypeVar

from calfload._rows import Doc, row_from_record
from calfload.errors import RecordError
from calfload.signal._bouts_types import Bout
from calfload.signal._calf_types import CalfRaiseAnalysis, CalfRaiseParams, CalfRep, CalfSet
from calfload.signal._footpod_types import DeviceSummary, FootpodGaitDetails
from calfload.signal._gait_params import GaitParams
from calfload.signal._gait_sides import FeetBalance
from calfload.signal._gait_types import GaitAnalysis, GaitBout, ImuGaitDetails
from calfload.signal._heel_rise_types import HeelRiseParams, HeelRiseResult
from calfload.signal._hops_types import HopAnalysis, HopContact, HopParams, HopSet
from calfload.signal._run_dynamics_types import RunningDynamics
from calfload.signal._trajectory_types import StrideSummary

#: Version of the record layout; :func:`from_record` reads this one and version 0.
RECORD_VERSION: Final = 1
#: ``calfload_version`` of results read from records that did not store one.
UNKNOWN_VERSION: Final = "unknown (before typed results)"

#: Every analysis result, a closed union: one type per analysis kind.
AnalysisResult: TypeAlias = CalfRaiseAnalysis | GaitAnalysis | HopAnalysis | HeelRiseResult
#: The results a journal session holds (the heel-rise test is stored with the baseline tests).
SessionAnalysis: TypeAlias = CalfRaiseAnalysis | GaitAnalysis | HopAnalysis

_T = TypeVar("_T")


def result_kind(result: AnalysisResult) -> str:
    """Return the record's ``result`` key of a result."""
    if isinstance(result, CalfRaiseAnalysis):
        return "calf_raise"
    if isinstance(result, GaitAnalysis):
        return "gait"
    if isinstance(result, HopAnalysis):
        return "hops"
    return "heel_rise_test"


def to_record(result: AnalysisResult) -> dict[str, object]:
    """Return the stored form of a result (JSON-ready, versioned, with its parameters).

    Examples
    --------
    >>> from calfload.signal import CalfRaiseAnalysis, CalfRaiseParams
    >>> empty = CalfRaiseAnalysis((), (), (), CalfRaiseParams(), 10.0, 100.0, (), ())
    >>> rec = to_record(empty)
    >>> rec["result"], rec["record_version"], rec["params"]["target_eccentric_s"]
    ('calf_raise', 1, 3.0)
    >>> from_record(rec) == from_record(to_record(from_record(rec)))
    True
    """
    doc: dict[str, object] = dict(result.to_dict())
    doc.update(
        record_version=RECORD_VERSION,
        result=result_kind(result),
        calfload_version=result.calfload_version,
        params=params_record(result.params),
    )
    if not isinstance(result, GaitAnalysis):
        doc["source"] = result.source
    if isinstance(result, HeelRiseResult):
        # Unrounded, so the mean height and the work derived from them read back unchanged.
        doc["heights_cm"] = [float(h) for h in result.heights_cm]
    return doc


def from_record(doc: Mapping[str, object], *, source: str | None = None) -> AnalysisResult:
    """Return the typed result of a stored record (version 0 or :data:`RECORD_VERSION`).

    Raises
    ------
    RecordError
        If the record is of a newer layout, of an unknown kind, or a value has the wrong type.
    """
    version = doc.get("record_version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version <= RECORD_VERSION:
        raise RecordError(
            f"analysis record version {version!r} is newer than this calfload reads ({RECORD_VERSION}); "
            "upgrade calfload",
            source=source,
            key="record_version",
            expected=f"0 to {RECORD_VERSION}",
        )
    kind = doc.get("result") if version else _legacy_kind(doc)
    reader = _READERS.get(str(kind))
    if reader is None:
        raise RecordError(f"unknown analysis kind {kind!r}", source=source, key="result", expected=", ".join(_READERS))
    return reader(Doc(doc, source, "$"))


def record_json(result: AnalysisResult) -> str:
    """Return the record as JSON text (keys sorted, as the journal stores it)."""
    return json.dumps(to_record(result), sort_keys=True, default=_json_scalar)


def _json_scalar(value: object) -> object:
    """NumPy scalars (an analysis may leave one in a table) as the Python numbers they hold."""
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    raise TypeError(f"cannot store {type(value).__name__} in an analysis record")


def result_from_json(text: str, *, source: str | None = None) -> AnalysisResult:
    """Return the typed result of a record's JSON text (see :func:`from_record`)."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"the stored analysis is not JSON ({exc})", source=source) from None
    if not isinstance(doc, dict):
        raise RecordError("the stored analysis is not a JSON object", source=source, expected="an object")
    return from_record(doc, source=source)


def params_record(params: object) -> dict[str, object]:
    """Return a parameter object's fields as JSON-ready values (tuples become lists)."""
    if not dataclasses.is_dataclass(params) or isinstance(params, type):
        raise TypeError(f"{params!r} is not a parameter dataclass")
    return {
        f.name: list(v) if isinstance(v := getattr(params, f.name), tuple) else v for f in dataclasses.fields(params)
    }


def params_from_record(cls: type[_T], doc: object, *, source: str | None = None) -> _T:
    """Return a parameter object from its record; an unknown key is refused (it would be ignored)."""
    node = Doc.of(doc, source, "$.params")
    unknown = set(node.doc) - {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    if unknown:
        raise RecordError(
            f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(sorted(unknown))} for {cls.__name__}",
            source=source,
            key="params",
            expected="the parameters of this calfload version",
        )
    return node.row(cls)


# ------------------------------------------------------------------------------------------ reading


def _legacy_kind(doc: Mapping[str, object]) -> str:
    activity = doc.get("activity")
    if activity in ("run", "walk"):
        return "gait"
    if activity in ("calf_raise", "hops"):
        return str(activity)
    return "heel_rise_test" if "height_method" in doc else str(activity)


def _version(d: Doc) -> str:
    value = d.get("calfload_version", str, UNKNOWN_VERSION)
    return str(value)


def _pairs(d: Doc, key: str) -> tuple[tuple[float, float], ...]:
    value = d.get(key, tuple[tuple[float, float], ...], ())
    return typing.cast("tuple[tuple[float, float], ...]", value)


def _read_calf(d: Doc) -> CalfRaiseAnalysis:
    placement = str(d.get("placement", str, "foot"))
    if "params" in d.doc:
        params = params_from_record(CalfRaiseParams, d.doc["params"], source=d.source)
    else:  # version 0: the placement's preset with the stored tempo audit
        tempo, default = d.child("tempo"), CalfRaiseParams()
        params = CalfRaiseParams.for_placement(
            placement,
            target_eccentric_s=tempo.get("target_eccentric_s", float, default.target_eccentric_s),
            tolerance_s=tempo.get("tolerance_s", float, default.tolerance_s),
        )
    return CalfRaiseAnalysis(
        reps=d.rows("reps", CalfRep),
        partial_reps=d.rows("partial_reps", CalfRep),
        incomplete_reps=d.rows("incomplete_reps", CalfRep),
        sets=d.rows("sets", CalfSet),
        params=params,
        duration_s=d.get("duration_s", float),
        sample_rate_hz=d.get("sample_rate_hz", float),
        walking_s=_pairs(d, "walking_s"),
        gaps_s=_pairs(d, "gaps_s"),
        placement=placement,
        source=str(d.get("source", str, "")),
        calfload_version=_version(d),
    )


def _read_hops(d: Doc) -> HopAnalysis:
    placement = str(d.get("placement", str, "foot"))
    params = (
        params_from_record(HopParams, d.doc["params"], source=d.source)
        if "params" in d.doc
        else HopParams.for_placement(placement)
    )
    return HopAnalysis(
        contacts=d.rows("contacts", HopContact),
        sets=d.rows("sets", HopSet),
        params=params,
        duration_s=d.get("duration_s", float),
        sample_rate_hz=d.get("sample_rate_hz", float),
        gaps_s=_pairs(d, "gaps_s"),
        placement=placement,
        source=str(d.get("source", str, "")),
        calfload_version=_version(d),
    )


def _read_gait(d: Doc) -> GaitAnalysis:
    placement = str(d.get("placement", str, "unknown"))
    params = (
        params_from_record(GaitParams, d.doc["params"], source=d.source)
        if "params" in d.doc
        else GaitParams.for_placement(placement)
    )
    cadence = d.child("cadence_spm")
    series = tuple((float(r.t_s), float(r.cadence_spm)) for r in d.rows("cadence_series", _SeriesRow))
    return GaitAnalysis(
        activity=str(d.get("activity", str)),
        activity_detected=bool(d.get("activity_detected", bool)),
        duration_s=d.get("duration_s", float),
        steps=d.get("steps", int | None),
        steps_doubled_from_one_foot=bool(d.get("steps_doubled_from_one_foot", bool)),
        strides=d.get("strides", tuple[int, ...] | None, None),
        cadence_mean_spm=cadence.get("mean", float | None, None),
        cadence_median_spm=cadence.get("median", float | None, None),
        series=series,
        ground_contact_median_ms=d.child("ground_contact_ms").get("median", float | None, None),
        bouts=d.rows("bouts", GaitBout),
        source=str(d.get("source", str)),
        placement=placement,
        device=str(d.get("device", str, "")),
        speed_mps=d.get("speed_mps", float | None, None),
        distance_m=d.get("distance_m", float | None, None),
        stride_length_m=d.get("stride_length_m", float | None, None),
        speed_source=d.get("speed_source", str | None, None),
        stride_lengths=_stride_lengths(d.child("stride_lengths")) if "stride_lengths" in d.doc else None,
        warnings=d.get("warnings", tuple[str, ...], ()),
        imu=Doc(d.doc, d.source, d.path).row(_ImuRow).details() if "sides" in d.doc else None,
        footpod=_footpod(d) if "steps_source" in d.doc else None,
        dynamics=d.get("running_dynamics", RunningDynamics | None, None),
        both_feet=d.get("both_feet", FeetBalance | None, None),
        segments=d.rows("segments", Bout),
        params=params,
        calfload_version=_version(d),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _SeriesRow:
    t_s: float
    cadence_spm: float


@dataclasses.dataclass(frozen=True, slots=True)
class _ImuRow:
    """The IMU figures under their ``--json`` names."""

    sides: tuple[str, ...]
    duty_factor: float | None
    ground_contact_ms_iqr: tuple[float, float] | None
    accuracy_note: str | None = None

    def details(self) -> ImuGaitDetails:
        return ImuGaitDetails(
            sides=self.sides,
            duty_factor=self.duty_factor,
            ground_contact_iqr_ms=self.ground_contact_ms_iqr,
            accuracy_note=self.accuracy_note,
        )


def _stride_lengths(d: Doc) -> StrideSummary:
    """The foot-IMU stride figures under their ``--json`` names."""
    return StrideSummary(
        stride_length_median_m=d.get("median_m", float),
        stride_length_iqr_m=d.get("iqr_m", tuple[float, float]),
        speed_mps=d.get("speed_mps", float),
        distance_m=d.get("distance_m", float),
        moving_s=d.get("moving_s", float),
        strides=d.get("strides", int),
        left_out=d.get("left_out", int),
        speed_series=tuple((float(r.t_s), float(r.speed_mps)) for r in d.rows("speed_series", _SpeedRow)),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class _SpeedRow:
    t_s: float
    speed_mps: float


def _footpod(d: Doc) -> FootpodGaitDetails:
    summary = d.get("device_summary", DeviceSummary | None, None)
    fields = {f.name for f in dataclasses.fields(FootpodGaitDetails)} - {"device_summary"}
    row = Doc({k: v for k, v in d.doc.items() if k in fields}, d.source, d.path).row(FootpodGaitDetails)
    return dataclasses.replace(row, device_summary=summary)


def _read_heel_rise(d: Doc) -> HeelRiseResult:
    params = (
        params_from_record(HeelRiseParams, d.doc["params"], source=d.source) if "params" in d.doc else HeelRiseParams()
    )
    return HeelRiseResult(
        side=str(d.get("side", str)),
        placement=str(d.get("placement", str)),
        method=str(d.get("height_method", str)),
        reps=d.get("reps", int),
        heights_cm=d.get("heights_cm", tuple[float, ...]),
        reference_height_cm=d.get("reference_height_cm", float),
        ended_by=str(d.get("ended_by", str)),
        foot_length_cm=d.get("foot_length_cm", float | None, None),
        body_mass_kg=d.get("body_mass_kg", float | None, None),
        source=str(d.get("source", str, "")),
        params=params,
        calfload_version=_version(d),
    )


_READERS: Final[dict[str, typing.Callable[[Doc], AnalysisResult]]] = {
    "calf_raise": _read_calf,
    "gait": _read_gait,
    "hops": _read_hops,
    "heel_rise_test": _read_heel_rise,
}


__all__ = [
    "RECORD_VERSION",
    "UNKNOWN_VERSION",
    "AnalysisResult",
    "SessionAnalysis",
    "from_record",
    "params_from_record",
    "params_record",
    "record_json",
    "result_from_json",
    "result_kind",
    "row_from_record",
    "to_record",
]
