"""``calfload record``: record a session from a wearable (or a virtual one) into a folder."""

from __future__ import annotations

import argparse
import functools
import math
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from calfload.cli._errors import cli_message
from calfload.cli._measure import MeasureRange, add_measure
from calfload.errors import CalfloadError, DeviceError
from calfload.vocabulary import ACTIVITIES, ADDED_LOAD_RANGE_KG, PLACEMENTS, SIDES

if TYPE_CHECKING:
    import asyncio

    from calfload.cli._commands import CommandAdder
    from calfload.cli._record_output import StatusPrinter
    from calfload.ingest.clock import Clock
    from calfload.ingest.finalize import FinalizeResult
    from calfload.ingest.folderlock import FolderLock
    from calfload.ingest.link import Connector
    from calfload.ingest.rawlog import SessionHeader
    from calfload.ingest.recorder import CaptureSummary, LiveHook

EXIT_USAGE: Final = 2
#: Fastest a virtual device and the recorder's clock may run (beyond it, clock times overflow).
MAX_TIME_SCALE: Final = 1000.0
_DURATION: Final = re.compile(r"^(\d+(?:\.\d+)?)(s|m|min|h)?$")


class UsageError(CalfloadError):
    """A combination of options that cannot work (exit code 2)."""

    exit_code = 2


def parse_duration(text: str) -> float:
    """Parse ``90``, ``90s``, ``5m`` or ``1h`` into seconds (argparse type)."""
    m = _DURATION.match(text.strip().lower())
    if m is None or float(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration; write e.g. 90s, 5m or 1h")
    return float(m.group(1)) * {"s": 1, None: 1, "m": 60, "min": 60, "h": 3600}[m.group(2)]


def _finite(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number; give {what}")
    return value


def parse_rate(text: str) -> float:
    """Parse ``--rate``: a positive finite number of Hz (argparse type)."""
    value = _finite(text, "a sample rate in Hz")
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} Hz is not a sample rate; give a positive number of Hz")
    return value


def parse_time_scale(text: str) -> float:
    """Parse ``--time-scale``: a finite number above 0, at most :data:`MAX_TIME_SCALE` (argparse type)."""
    value = _finite(text, f"a speed-up between 0 and {MAX_TIME_SCALE:g}")
    if not 0 < value <= MAX_TIME_SCALE:
        raise argparse.ArgumentTypeError(f"{text} is outside 0-{MAX_TIME_SCALE:g}; give a speed-up such as 4")
    return value


def parse_seed(text: str) -> int:
    """Parse ``--seed``: a whole number from 0 to 2^32 - 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r:.40} is not a whole number; give a seed from 0 to 4294967295"
        ) from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"{text:.40} is outside 0-4294967295; give a seed in that range")
    return value


def register(subparsers: CommandAdder) -> None:
    """Add the ``record`` command."""
    p = subparsers.add_parser(
        "record",
        description=(
            "Connect to a wearable over Bluetooth, stream until Ctrl-C (or --duration), and write the "
            "recording into --out as Parquet files. Data is synced to disk every 0.25 s; if the program "
            "is killed, `calfload recover DIR` finishes the recording. Link drops are reconnected."
        ),
    )
    p.add_argument(
        "--device",
        required=True,
        action="append",
        metavar="ADDRESS|NAME|sim:KIND",
        help="the sensor's address or name (see `calfload scan`), or a virtual device: "
        "sim:polar, sim:witmotion, sim:footpod; twice for both feet (with --side left --side right)",
    )
    p.add_argument("--activity", choices=ACTIVITIES, help="what you do (default: found from the data; a foot pod runs)")
    p.add_argument("--placement", choices=PLACEMENTS, default="foot", help="where the sensor sits (default foot)")
    p.add_argument(
        "--side", choices=SIDES, action="append", help="which leg; with two --device, one --side each, in order"
    )
    p.add_argument("--exercise", help="exercise name, e.g. single_leg_standing")
    # refused as a usage error (exit 2): nothing was recorded or stored yet
    load_range = MeasureRange(*ADDED_LOAD_RANGE_KG, refuse=UsageError)
    add_measure(p, "--added-load-kg", limits=load_range, help="extra load carried (0-200 kg)")
    p.add_argument("--duration", type=parse_duration, metavar="TIME", help="stop after TIME (90s, 5m, 1h)")
    p.add_argument("--out", type=Path, metavar="DIR", help="recording folder (default ./calfload-<date>-<time>)")
    p.add_argument(
        "--rate",
        type=parse_rate,
        metavar="HZ",
        help="sample rate (Polar Verity 26-416, default 52; H10 25-200, default 200; WitMotion 10-200, default 50)",
    )
    p.add_argument("--json", action="store_true", help="print what was written as one JSON object on stdout")
    p.add_argument("--pair", action="store_true", help="pair before connecting (Windows needs it for Polar)")
    _guide_options(p)
    p.add_argument(
        "--scan-timeout",
        type=parse_duration,
        default=10.0,
        metavar="TIME",
        help="how long each search for the device lasts (default 10s; three searches before giving up)",
    )
    _virtual_device_options(p)
    p.set_defaults(handler=run)


def _guide_options(p: argparse.ArgumentParser) -> None:
    """``--guide`` and its set options."""
    guide = p.add_argument_group("guided calf-raise sets (--activity calf_raise)")
    guide.add_argument(
        "--guide",
        action="store_true",
        help="cue the tempo (a beep a second: up 1 s, hold 1 s, down 3 s), count reps, say 'too fast', rest",
    )
    guide.add_argument("--target-reps", type=int, default=12, metavar="N", help="reps per guided set (default 12)")
    guide.add_argument(
        "--rest", type=parse_duration, default=90.0, metavar="TIME", help="rest between guided sets (default 90s)"
    )


def _virtual_device_options(p: argparse.ArgumentParser) -> None:
    """Options of the virtual devices: faults, time scale, seed."""
    sim = p.add_argument_group("virtual devices (sim:KIND only)")
    sim.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="inject a fault: disconnect@5s:3s, stall@10s:2s, garbage:0.05, duplicate:0.01 (repeatable)",
    )
    sim.add_argument(
        "--time-scale",
        type=parse_time_scale,
        default=1.0,
        metavar="X",
        help=f"run the virtual device and the recorder's clock X times faster than real time "
        f"(default 1, at most {MAX_TIME_SCALE:g})",
    )
    sim.add_argument("--seed", type=parse_seed, default=0, help="seed of the simulated motion and faults (0 to 2^32-1)")


def run(args: argparse.Namespace) -> int:
    """Record, finalise, and add the session to the journal."""
    import asyncio
    import datetime as dt

    from calfload.cli._record_pair import check_device_options, device_sides, run_pair, session_header
    from calfload.errors import SchemaError
    from calfload.ingest.clock import make_clock
    from calfload.ingest.folderlock import FolderLock
    from calfload.ingest.timeline import validate_header
    from calfload.pipeline import live_hook

    devices = device_sides(args)
    if args.guide and (
        args.activity not in (None, "calf_raise") or len(devices) == 2 or not 1 <= args.target_reps <= 100
    ):
        raise UsageError("--guide is for calf raises with one sensor and --target-reps from 1 to 100")
    if len(devices) == 2:
        return run_pair(args, devices)
    ((args.device, args.side),) = devices
    check_device_options(args)
    clock = make_clock(args.time_scale)
    connector = _connector(args, clock)
    now = dt.datetime.now(dt.UTC)
    out: Path = args.out or Path(f"calfload-{now.astimezone():%Y%m%d-%H%M%S}")
    header = session_header(args, clock, now, device=args.device, side=args.side)
    try:
        validate_header(header)  # before connecting: a header the metadata refuses would strand the data
    except SchemaError as exc:
        raise UsageError(f"{exc}; correct the option and start again") from None
    from calfload.cli._record_output import StatusPrinter

    printer = StatusPrinter(quiet=args.quiet)
    if not args.quiet:
        print(f"calfload: recording {args.device} into {out} (Ctrl-C to stop)", file=sys.stderr)
    lock = FolderLock(out)  # held from the folder's creation until the journal has the session
    try:
        summary = asyncio.run(
            _capture(
                connector,
                out,
                header,
                clock=clock,
                duration_s=args.duration,
                printer=printer,
                live_hook=_guided_hook(args) if args.guide else live_hook(args.activity or "calf_raise"),
                lock=lock,
            )
        )
        printer.finish()
        return _finish(args, out, summary)
    finally:
        lock.release()


def _guided_hook(args: argparse.Namespace) -> LiveHook:
    """The live hook of ``--guide``: cues ring the terminal bell (no audio device is assumed)."""
    from calfload.cli._terminal import unfiltered
    from calfload.pipeline._guide import Cue, GuidedCounter, GuideParams

    def bell(cue: Cue) -> None:  # noqa: ARG001 - every cue rings; the status line says which
        stream = unfiltered(sys.stderr)
        stream.write("\a")
        stream.flush()

    return GuidedCounter(GuideParams(target_reps=args.target_reps, rest_s=args.rest), bell)


def _finish(args: argparse.Namespace, out: Path, summary: CaptureSummary) -> int:
    """Finalise the captured folder, report, and add the session to the journal."""
    from calfload.ingest.finalize import finalize_session

    stopped = summary.stopped_by
    try:
        result = finalize_session(out)
    except CalfloadError as exc:
        if summary.error is not None:
            raise summary.error from None  # the output error that stopped the recording says what to do
        if stopped is not None:
            raise DeviceError(
                f"{stopped}; the recording stopped early and could not be finished ({exc}); "
                f"try `calfload recover {out}`"
            ) from None
        raise
    from calfload.cli._common import print_json
    from calfload.cli._record_output import print_result, result_json

    if not args.quiet and not args.json:
        print_result(result, summary.reconnects)
    if summary.error is not None:
        raise summary.error
    message = add_session_to_journal(result, data_dir=args.data_dir)
    if args.json:
        print_json(result_json(result, summary.reconnects, message))
    elif message and not args.quiet:
        from calfload.cli._terminal import fit_message

        print(fit_message(message, sys.stderr), file=sys.stderr)
    if stopped is not None:
        raise DeviceError(f"{stopped}; the recording stopped early, what was recorded until then is saved in {out}")
    return 0


async def _capture(
    connector: Connector,
    out: Path,
    header: SessionHeader,
    *,
    clock: Clock,
    duration_s: float | None,
    printer: StatusPrinter,
    live_hook: LiveHook | None,
    lock: FolderLock,
) -> CaptureSummary:
    import asyncio

    from calfload.ingest.recorder import capture

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    restore = _install_stop_handlers(loop, stop)
    try:
        return await capture(
            connector,
            out,
            header,
            clock=clock,
            duration_s=duration_s,
            stop=stop,
            on_status=printer.show,
            live_hook=live_hook,
            lock=lock,
        )
    finally:
        restore()
        aclose = getattr(connector, "aclose", None)
        if aclose is not None:
            await aclose()


def _install_stop_handlers(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> Callable[[], None]:
    """Make SIGINT and SIGTERM set ``stop``; return a function that undoes it.

    The event loop's signal handlers do not exist on Windows (``NotImplementedError``); there a
    plain ``signal.signal`` handler hands the request to the loop thread-safely.
    """
    import signal

    undo: list[Callable[[], object]] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
            undo.append(functools.partial(loop.remove_signal_handler, sig))
        except NotImplementedError:
            previous = signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
            undo.append(functools.partial(signal.signal, sig, previous))

    def restore() -> None:
        for step in undo:
            step()

    return restore


def _connector(args: argparse.Namespace, clock: Clock) -> Connector:
    from calfload.ingest.link import BleakConnector

    device = str(args.device)
    if not device.startswith("sim:"):
        return BleakConnector(device, pair=args.pair, scan_timeout_s=args.scan_timeout)
    from calfload.ingest.virtual import parse_faults, virtual_connector, virtual_motion

    kind = device.removeprefix("sim:")
    faults = parse_faults(args.fault, seed=args.seed)
    motion = None if kind == "footpod" else virtual_motion(args.activity or "calf_raise", seed=args.seed)
    return virtual_connector(kind, clock=clock, motion=motion, faults=faults, running=args.activity in (None, "run"))


def add_session_to_journal(result: FinalizeResult, *, data_dir: str | None) -> str | None:
    """The journal line to print after a recording (:func:`calfload.pipeline.add_recording_to_journal`)."""
    from calfload.pipeline import main_stream_file

    main = main_stream_file(result.files)
    return None if main is None else journal_line(main, data_dir=data_dir)


def journal_line(main: Path, *, data_dir: str | None) -> str | None:
    """Add a recorded file or two-sensor session folder to the journal; the line to print about it."""
    from calfload.journal import DB_NAME, resolve_data_dir
    from calfload.pipeline import add_recording_to_journal

    folder = resolve_data_dir(data_dir)
    if not (folder / DB_NAME).is_file():
        return (
            f"calfload: note: not added to a journal: there is none in {folder} (recording never starts one); "
            f"`calfload import {main}` starts it with this session"
        )
    try:
        imported = add_recording_to_journal([main], data_dir=data_dir)
    except CalfloadError as exc:
        return (
            f"calfload: note: recorded, but not added to the journal ({cli_message(exc)}); "
            f"add it later with `calfload import {main}`"
        )
    if imported is None:
        return None
    if not imported.created:
        return f"calfload: journal: {main} is already session {imported.session_id}"
    return f"calfload: journal: {imported.summary}"


__all__ = ["add_session_to_journal", "journal_line", "parse_duration", "register", "run"]
