"""The motion a virtual IMU plays: calf raises or hops from the simulators, or the stand-in run."""

from __future__ import annotations

from calfload.ingest.virtual.motion import MotionSource, standin_calf_raises, standin_run


def virtual_motion(activity: str, *, seed: int = 0) -> MotionSource:
    """Motion for a virtual IMU: the calf-raise or hop simulator, or the stand-in run.

    The calf-raise session is 5 s standing, 10 raises with a 3 s lowering, and 20 s rest; the hop
    session two sets of 10 ankle hops; the virtual device loops it.
    """
    if activity == "hops":
        return _virtual_hops(seed)
    if activity != "calf_raise":
        return standin_run()
    try:
        from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, SensorModel, simulate_calf_session
    except ImportError:  # pragma: no cover - the simulator ships with calfload
        return standin_calf_raises()
    spec = CalfSessionSpec(
        blocks=(Rest(5.0), RaiseSet(reps=(RaiseSpec(),) * 10), Rest(20.0)),
        sensor=SensorModel(sample_rate_hz=208.0),
        seed=seed,
    )
    return MotionSource.from_recording(simulate_calf_session(spec).recording)


def _virtual_hops(seed: int) -> MotionSource:
    """Two sets of 10 ankle hops (0.3 s flights, 0.18 s contacts) with 12 s rest, from the hop simulator."""
    from calfload.sim import HopSeries, HopSessionSpec, HopSpec, Rest, SensorModel, simulate_hop_session

    series = HopSeries(hops=(HopSpec(),) * 10)
    spec = HopSessionSpec(
        blocks=(Rest(5.0), series, Rest(12.0), series, Rest(5.0)),
        sensor=SensorModel(sample_rate_hz=832.0),
        seed=seed,
    )
    return MotionSource.from_recording(simulate_hop_session(spec).recording)


__all__ = ["virtual_motion"]
