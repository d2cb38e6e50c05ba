"""Guided sets: the cue track, rendered to WAV, against the reps ``analyze`` finds.

A simulated athlete follows the guide's tempo (up 1 s, hold 1 s, down 3 s, bottom 1 s) for a set
of four, lowering the third rep in 1.2 s. The guide runs as ``record --guide`` runs it: once a
second on the recent 30 s, through the live rep counter. The WAV's tones are found again by their
onsets and pitch and compared with the reps of the analysis of the whole recording.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from calfload.ingest.live import LiveWindow
from calfload.pipeline._guide import TONES, Cue, GuidedCounter, GuideParams, render_wav
from calfload.schema import ACC_MPS2, GYR_DPS, T_S
from calfload.signal import analyze_calf_raises
from calfload.sim import CalfSessionSpec, RaiseSet, RaiseSpec, Rest, SensorModel, simulate_calf_session

RATE_HZ = 8000


def _tones(path: Path) -> list[tuple[float, float]]:
    """(onset s, pitch Hz) of every tone in a WAV track, from its samples."""
    with wave.open(str(path), "rb") as f:
        x = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2") / 32767.0
    loud = np.abs(x) > 0.05
    idx = np.flatnonzero(loud)
    onsets = idx[np.insert(np.diff(idx) > RATE_HZ * 0.005, 0, True)]
    out: list[tuple[float, float]] = []
    for i in onsets:
        piece = x[i : i + round(0.025 * RATE_HZ)]
        crossings = np.count_nonzero(np.diff(np.signbit(piece)))
        out.append((i / RATE_HZ, crossings / 2 / (piece.size / RATE_HZ)))
    return out


def _kind(pitch_hz: float) -> str:
    return min(TONES, key=lambda k: abs(TONES[k][0] - pitch_hz))


def test_the_cue_track_follows_the_tempo_and_the_detected_reps(tmp_path: Path) -> None:
    start_s, params = 5.0, GuideParams(target_reps=4, rest_s=8.0)
    lowering = (3.0, 3.0, 1.2, 3.0)
    reps = tuple(RaiseSpec(concentric_s=1.0, top_hold_s=1.0, eccentric_s=e, bottom_s=1.0) for e in lowering)
    spec = CalfSessionSpec(
        blocks=(Rest(start_s), RaiseSet(reps=reps), Rest(12.0)), sensor=SensorModel(sample_rate_hz=52.0), seed=3
    )
    rec = simulate_calf_session(spec).recording
    final = analyze_calf_raises(rec)
    assert final.rep_count == 4
    t = rec.data[T_S].to_numpy()
    acc, gyr = rec.data[list(ACC_MPS2)].to_numpy(float), rec.data[list(GYR_DPS)].to_numpy(float)
    sounded: list[Cue] = []
    hook = GuidedCounter(params, sounded.append)  # what `record --guide` runs once a second
    for end in np.arange(start_s, t[-1], 1.0):
        keep = (t > end - 30.0) & (t <= end)
        hook(LiveWindow(t[keep], acc[keep], gyr[keep], 52.0))
    cues = hook.cues
    assert sounded == cues
    track = tmp_path / "cues.wav"
    placed = render_wav(cues, track, duration_s=float(t[-1]))
    tones = [(onset, _kind(pitch)) for onset, pitch in _tones(track)]
    # Every cue is in the track with its pitch, at its time or just after the cue before it.
    assert [k for _, k in tones] == [c.kind for c in cues]
    np.testing.assert_allclose([o for o, _ in tones], placed, atol=0.002)
    assert all(0 <= p - c.t_s < 0.6 for p, c in zip(placed, cues, strict=True))
    # A tone a second from the start until the set ends, "up" every 6 s.
    beats = [o for o, k in tones if k in ("up", "hold", "down", "tick")]
    (rest,) = [o for o, k in tones if k == "rest"]
    assert np.diff([o for o in beats if o < rest]) == pytest.approx(1.0, abs=0.002)
    ups = [o for o, k in tones if k == "up"]
    assert ups[:4] == pytest.approx([start_s + 6 * i for i in range(4)], abs=0.002)
    # One rep tone per rep, within 1.5 s after its lowering ends (the live count settles 0.5 s).
    rep_tones = [o for o, k in tones if k == "rep"]
    assert len(rep_tones) == 4
    for onset, rep in zip(rep_tones, final.reps, strict=True):
        assert rep.end_s < onset <= rep.end_s + 1.5
    # "Too fast" right after the third rep only, the one lowered in 1.2 s.
    (fast,) = [o for o, k in tones if k == "too_fast"]
    assert [r.eccentric_pass for r in final.reps] == [True, True, False, True]
    assert final.reps[2].end_s < fast <= final.reps[2].end_s + 1.5
    # The set ends at the fourth rep: a rest tone, no beat until the rest is over, then "go".
    assert rep_tones[-1] < rest < rep_tones[-1] + 0.2
    assert not [o for o in beats if rest < o < rest + params.rest_s - 1.0]
    (go,) = [o for o, k in tones if k == "go"]
    assert go == pytest.approx(rest + params.rest_s, abs=1.2)


def test_record_guide_rings_and_is_for_calf_raises_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from calfload.cli import main

    args = ["record", "--device", "sim:polar", "--guide", "--time-scale", "10", "--out"]
    assert main([*args, str(tmp_path / "run"), "--activity", "run"]) == 2
    assert "--guide is for calf raises" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
    assert main([*args, str(tmp_path / "calf"), "--duration", "12s"]) == 0
    err = capsys.readouterr().err
    assert err.count("\a") >= 5  # a beat a second once the live analysis has 6 s of data
    assert (tmp_path / "calf" / "imu.parquet").is_file()
