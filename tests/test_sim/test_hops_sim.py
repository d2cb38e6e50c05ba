"""The hop simulator obeys its documented physics: free fall in flight, impulse balance in contact."""

from __future__ import annotations

import numpy as np
import pytest

from calfload.sim import HopSeries, HopSessionSpec, HopSpec, Rest, SensorModel, simulate_hop_session
from calfload.sim._hops import landing_acc, push_off_acc, rebound_force
from calfload.units import STANDARD_GRAVITY_MPS2 as G

IDEAL = SensorModel(sample_rate_hz=1000.0, acc_noise_mps2=0.0, gyr_noise_dps=0.0, bits=32)


def spec(**changes: object) -> HopSessionSpec:
    hops = (HopSpec(flight_s=0.30, contact_s=0.18), HopSpec(flight_s=0.36, contact_s=0.20), HopSpec(flight_s=0.30))
    base = {
        "blocks": (Rest(2.0), HopSeries(hops=hops, contact_pitch_deg=0.0, flight_pitch_deg=0.0), Rest(2.0)),
        "sensor": IDEAL,
        "lever_arm_m": (0.0, 0.0, 0.0),
    }
    return HopSessionSpec(**{**base, **changes})  # type: ignore[arg-type]


def test_truth_is_the_spec() -> None:
    truth = simulate_hop_session(spec()).truth
    assert [round(c.flight_ms) for c in truth.contacts] == [300, 360, 300]
    assert [None if c.contact_ms is None else round(c.contact_ms) for c in truth.contacts] == [180, 200, None]
    assert truth.contacts[1].takeoff_s == pytest.approx(truth.contacts[0].start_s + 0.18)


def test_flight_is_free_fall_and_contact_pushes() -> None:
    sim = simulate_hop_session(spec(blocks=spec().blocks))
    t, acc = sim.recording.t_s, sim.recording.acc_mps2()
    norm = np.linalg.norm(acc, axis=1)
    for c in sim.truth.contacts:
        in_flight = (t > c.takeoff_s + 0.01) & (t < c.start_s - 0.01)
        assert norm[in_flight].max() < 0.05  # no rotation at the rotation centre: exactly weightless
    first = sim.truth.contacts[0]
    in_contact = (t > first.start_s + 0.06) & (t < first.start_s + 0.12)
    assert norm[in_contact].min() > 2 * G


def test_standing_reads_one_g() -> None:
    sim = simulate_hop_session(spec())
    norm = np.linalg.norm(sim.recording.acc_mps2(), axis=1)
    assert norm[:1000] == pytest.approx(G, abs=1e-3)
    assert norm[-500:] == pytest.approx(G, abs=1e-3)


@pytest.mark.parametrize(("v_in", "v_out"), [(1.5, 1.5), (1.4, 1.8)])
def test_rebound_force_balances_momentum_and_height(v_in: float, v_out: float) -> None:
    contact_s = 0.2
    s = np.linspace(0.0, 1.0, 20001)
    acc = rebound_force(s, contact_s, v_in, v_out) - G
    dt = contact_s / (s.size - 1)
    vel = -v_in + np.concatenate(([0.0], np.cumsum((acc[1:] + acc[:-1]) / 2) * dt))
    assert vel[-1] == pytest.approx(v_out, abs=1e-3)
    assert np.trapezoid(vel, dx=dt) == pytest.approx(0.0, abs=1e-4)
    assert rebound_force(s, contact_s, v_in, v_out).min() >= -1e-9


def test_push_off_and_landing_meet_their_end_conditions() -> None:
    s = np.linspace(0.0, 1.0, 20001)
    push = push_off_acc(s, 0.5, 1.5)
    assert push[0] == pytest.approx(0.0)
    assert push[-1] == pytest.approx(-G)
    assert np.trapezoid(push, dx=0.5 / 20000) == pytest.approx(1.5, abs=1e-3)
    land = landing_acc(s, 0.8, 1.5)
    assert land[0] == pytest.approx(-G)
    assert land[-1] == pytest.approx(0.0, abs=1e-9)
    assert np.trapezoid(land, dx=0.8 / 20000) == pytest.approx(1.5, abs=1e-3)
    assert (land + G).min() >= -1e-6  # the ground only pushes
