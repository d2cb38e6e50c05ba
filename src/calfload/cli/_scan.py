"""``calfload scan``: list nearby Bluetooth devices and recognise the supported ones."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calfload.cli._commands import CommandAdder
    from calfload.ingest.link import ScanResult


def register(subparsers: CommandAdder) -> None:
    """Add the ``scan`` command."""
    p = subparsers.add_parser(
        "scan",
        description="Scan for Bluetooth LE devices; supported ones are listed first with their kind.",
    )
    p.add_argument("--timeout", type=float, default=5.0, metavar="S", help="scan this long (default 5 s)")
    p.add_argument("--all", action="store_true", help="also list devices calfload cannot record")
    p.add_argument("--json", action="store_true", help="print the devices as one JSON object")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Scan and print a table."""
    import asyncio

    from calfload.ingest.link import BluetoothUnavailableError, scan

    try:
        found = asyncio.run(scan(args.timeout))
    except BluetoothUnavailableError as exc:
        raise BluetoothUnavailableError(
            f"{exc}; without hardware, record from a virtual device: calfload record --device sim:polar "
            "(or sim:witmotion, sim:footpod)"
        ) from None
    shown = [r for r in found if r.kind is not None or args.all]
    if args.json:
        from calfload.cli._common import print_json

        print_json({"devices": shown, "shared_names": shared_names(shown)})
        return 0
    if not shown:
        hint = "" if args.all else " (use --all to list every device)"
        print(f"no supported device found{hint}; wake the sensor (move it) and scan again")
        print("without hardware, try a virtual one: calfload record --device sim:polar")
        return 0
    from calfload.report import Col, render_table

    columns = [
        Col("kind", align="<"),
        Col("name", align="<"),
        Col("address", align="<"),
        Col("signal", "{} dBm", drop=1),
    ]
    print(render_table(columns, [[r.kind, r.name, r.address, r.rssi_dbm] for r in shown], indent=""))
    for name, addresses in shared_names(shown).items():
        from calfload.report._table import wrap_line

        note = (
            f"note: {len(addresses)} devices share the name {name!r} ({', '.join(addresses)}); "
            "record with --device ADDRESS to choose one"
        )
        print("\n".join(wrap_line(note, indent="", hang="  ")))
    return 0


def shared_names(found: list[ScanResult]) -> dict[str, list[str]]:
    """Names advertised by more than one device, with their addresses."""
    by_name: dict[str, list[str]] = {}
    for r in found:
        if r.name:
            by_name.setdefault(r.name, []).append(r.address)
    return {name: addresses for name, addresses in by_name.items() if len(addresses) > 1}


__all__ = ["register", "run", "shared_names"]
