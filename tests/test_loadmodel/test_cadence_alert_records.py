"""The alert records live in their own module, made on first use, and keep their old names and annotations."""

from __future__ import annotations

import typing

import calfload.loadmodel._cadence_alerts as alerts
from calfload.loadmodel import _asymmetry, _cadence, _cadence_types


def test_the_old_names_are_the_alert_module_s_classes() -> None:
    assert _cadence.CadenceAlert is _cadence_types.CadenceAlert is alerts.CadenceAlert
    assert _cadence.SessionCadence is _cadence_types.SessionCadence is alerts.SessionCadence
    assert _asymmetry.AsymmetryAlert is alerts.AsymmetryAlert


def test_the_check_s_annotations_resolve_to_the_alert_classes() -> None:
    hints = typing.get_type_hints(_cadence_types.CadenceCheck)
    assert hints["alerts"] == tuple[alerts.CadenceAlert, ...]
    assert hints["asymmetry"] == tuple[alerts.AsymmetryAlert, ...]
    assert typing.get_type_hints(alerts.SessionCadence)["check"] is _cadence_types.CadenceCheck
