"""``calfload record --device L --device R --side left --side right``: both feet in one session."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from calfload.cli._record import UsageError

if TYPE_CHECKING:
    import datetime as dt

    from calfload.ingest.clock import Clock
    from calfload.ingest.rawlog import SessionHeader
    from calfload.ingest.recorder import RecorderStatus


def device_sides(args: argparse.Namespace) -> list[tuple[str, str]]:
    """Each ``--device`` with its ``--side`` (``unknown`` for one device without a side).

    Raises
    ------
    UsageError
        For more than two devices, or two without one ``--side left`` and one ``--side right``.
    """
    devices = [str(d) for d in args.device]
    sides = [args.side] if isinstance(args.side, str) else list(args.side or [])  # config.toml gives one
    if len(devices) == 1:
        if len(sides) > 1:
            raise UsageError("one --device takes one --side; give --device twice to record both feet")
        return [(devices[0], sides[0] if sides else "unknown")]
    if len(devices) > 2:
        raise UsageError("record at most two sensors at once: --device LEFT --device RIGHT")
    if sorted(sides) != ["left", "right"] or len(args.side or []) != 2:
        raise UsageError("with two --device give --side left and --side right, one for each, in the same order")
    if devices[0] == devices[1] and not devices[0].startswith("sim:"):
        raise UsageError(f"--device {devices[0]} is given twice; give the left and the right sensor")
    return list(zip(devices, sides, strict=True))


def check_device_options(args: argparse.Namespace) -> None:
    """Check one device's options before connecting.

    Raises
    ------
    UsageError
        For ``--fault`` or ``--time-scale`` with a real device, or a ``--rate`` the device lacks.
    """
    from calfload.ingest.devices import rate_problem
    from calfload.ingest.gatt import DeviceKind

    is_sim = str(args.device).startswith("sim:")
    if not is_sim and (args.fault or args.time_scale != 1.0):
        raise UsageError("--fault and --time-scale only apply to virtual devices (--device sim:KIND)")
    sim_kind = str(args.device).removeprefix("sim:") if is_sim else None
    kind = DeviceKind(sim_kind) if sim_kind in tuple(DeviceKind) else None
    problem = rate_problem(args.rate, kind)
    if problem is not None:
        raise UsageError(problem)


def run_pair(args: argparse.Namespace, devices: list[tuple[str, str]]) -> int:
    """Record two sensors into ``--out/left`` and ``--out/right`` and align their clocks."""
    import asyncio
    import datetime as dt

    from calfload.cli._record import _connector, _install_stop_handlers
    from calfload.ingest.clock import make_clock
    from calfload.ingest.pair import SIDES, capture_pair
    from calfload.pipeline import live_hook

    if any(not d.startswith("sim:") for d, _ in devices) and (args.fault or args.time_scale != 1.0):
        raise UsageError("--fault and --time-scale only apply to virtual devices (--device sim:KIND)")
    by_side = {side: device for device, side in devices}
    clock = make_clock(args.time_scale)
    now = dt.datetime.now(dt.UTC)
    out: Path = args.out or Path(f"calfload-{now.astimezone():%Y%m%d-%H%M%S}")
    connectors = tuple(_connector(argparse.Namespace(**{**vars(args), "device": by_side[s]}), clock) for s in SIDES)
    headers = tuple(session_header(args, clock, now, device=by_side[side], side=side) for side in SIDES)
    if not args.quiet:
        both = f"{by_side['left']} (left) and {by_side['right']} (right)"
        print(f"calfload: recording {both} into {out} (Ctrl-C to stop)", file=sys.stderr)

    async def record() -> None:
        stop = asyncio.Event()
        restore = _install_stop_handlers(asyncio.get_running_loop(), stop)
        try:
            summaries = await capture_pair(
                connectors,  # type: ignore[arg-type]
                out,
                headers,  # type: ignore[arg-type]
                clock=clock,
                duration_s=args.duration,
                stop=stop,
                on_status=(_status("left", args.quiet), _status("right", args.quiet)),
                live_hooks=(live_hook(args.activity or "calf_raise"), live_hook(args.activity or "calf_raise")),
            )
        finally:
            restore()
            for connector in connectors:
                aclose = getattr(connector, "aclose", None)
                if aclose is not None:
                    await aclose()
        for summary in summaries:
            if summary.error is not None:
                raise summary.error
            if summary.stopped_by is not None:
                raise summary.stopped_by

    asyncio.run(record())
    return _finish_pair(args, out)


def session_header(
    args: argparse.Namespace, clock: Clock, now: dt.datetime, *, device: str, side: str
) -> SessionHeader:
    """The raw log's header for one sensor of a recording, from the command's options."""
    from calfload import __version__
    from calfload.ingest.rawlog import SessionHeader

    return SessionHeader(
        device=device,
        activity=args.activity or ("calf_raise" if args.guide else None),  # None: found from the data
        placement=args.placement,
        side=side,
        exercise=args.exercise,
        added_load_kg=args.added_load_kg,
        rate_hz=args.rate,
        start_utc=now,
        start_monotonic_ns=clock.monotonic_ns(),
        time_scale=args.time_scale,
        clock_origin_ns=getattr(clock, "origin_ns", None),
        faults=tuple(args.fault),
        software=f"calfload {__version__}",
    )


def _status(side: str, quiet: bool) -> Callable[[RecorderStatus], None]:
    import shutil

    from calfload.cli._record_output import status_line

    def show(status: RecorderStatus) -> None:
        if not quiet:
            width = shutil.get_terminal_size((80, 24)).columns - 7  # after "right: "
            print(f"{side:>5}: {status_line(status, width)}", file=sys.stderr, flush=True)

    return show


def _finish_pair(args: argparse.Namespace, out: Path) -> int:
    from calfload.cli._record import journal_line
    from calfload.cli._record_output import print_result
    from calfload.ingest.pair import finalize_pair

    results, alignment = finalize_pair(out)
    journal = journal_line(out, data_dir=args.data_dir)  # the folder is one session with both feet
    if args.json:
        from calfload.cli._common import print_json
        from calfload.cli._record_output import result_json

        print_json(
            {
                "folder": str(out),
                "session": str(out / "session.json"),
                "sides": {
                    sensor.side: result_json(result, result.stats.reconnects, None)
                    for sensor, result in zip(alignment.sensors, results, strict=True)
                },
                "alignment": alignment,
                "journal": journal,
            }
        )
        return 0
    if args.quiet:
        return 0
    for result in results:
        print_result(result, result.stats.reconnects)
    drift = ", ".join(f"{s.side} {s.drift_ppm:+.0f} ppm" for s in alignment.sensors if s.device_timed)
    residual = alignment.residual_offset_ms
    print(
        f"clocks aligned on one t_s = 0{f' (drift {drift})' if drift else ''}"
        + (f"; residual offset {residual:.1f} ms" if residual is not None else "")
        + f"; written to {out / 'session.json'}",
        file=sys.stderr,
    )
    if journal is not None:
        from calfload.cli._terminal import fit_message

        print(fit_message(journal, sys.stderr), file=sys.stderr)
    return 0


__all__ = ["device_sides", "run_pair", "session_header"]
