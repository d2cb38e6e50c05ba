"""``config.toml`` in the data folder: the athlete's defaults for options they would repeat.

Example (every key optional)::

    athlete = "Sam"             # --athlete of every journal command
    side = "left"               # --side of import and record
    foot_length_cm = 17.5       # --foot-length-cm of test heel-rise
    target_eccentric_s = 4.0    # --target-eccentric of analyze
    units = "imperial"          # --units: miles, min/mi and lb instead of km, min/km and kg

A flag given on the command line wins over the file. A key the file should not have, a value of
the wrong kind, or a file that is not TOML is one line and the data-error exit code. The file is
read from the folder ``--data-dir`` (or ``$CALFLOAD_HOME``, or the platform's user data folder)
names, the same rule the journal follows; reading it never creates anything.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Final

from calfload.vocabulary import FOOT_LENGTH_RANGE_CM, PROGRAMMES, TARGET_ECCENTRIC_RANGE_S, UNITS

CONFIG_NAME: Final = "config.toml"
#: Keys whose value is a number within a range (the range its option takes), and keys with choices.
_RANGES: Final = {"foot_length_cm": FOOT_LENGTH_RANGE_CM, "target_eccentric_s": TARGET_ECCENTRIC_RANGE_S}
_CHOICES: Final = {"side": ("left", "right"), "programme": PROGRAMMES, "units": UNITS}
#: Key -> (namespace attribute it fills, what a valid value is).
KEYS: Final[dict[str, tuple[str | None, str]]] = {
    "athlete": (None, "a name"),
    "side": ("side", "left or right"),
    "foot_length_cm": ("foot_length_cm", "a number of cm from {:g} to {:g}".format(*FOOT_LENGTH_RANGE_CM)),
    "target_eccentric_s": (
        "target_eccentric",
        "a number of seconds from {:g} to {:g}".format(*TARGET_ECCENTRIC_RANGE_S),
    ),
    "programme": ("programme", '"default", "alfredson" or "hsr"'),
    "units": ("units", '"metric" or "imperial"'),
}


def read_config(folder: Path) -> dict[str, object]:
    """The checked keys of ``folder/config.toml`` (empty when there is no such file).

    Raises
    ------
    DataError
        If the file is not TOML, has an unknown key, or a value of the wrong kind.
    """
    path = folder / CONFIG_NAME
    if not path.is_file():
        return {}
    import tomllib  # only when there is a file: it compiles its regular expressions on import

    from calfload.errors import DataError

    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not a TOML file ({exc}); fix it or delete it", source=str(path)) from None
    for key, value in doc.items():
        if key not in KEYS:
            raise DataError(f"unknown key {key!r}; the keys are {', '.join(KEYS)}", source=str(path))
        if not _valid(key, value):
            raise DataError(f"{key} is {value!r}; it must be {KEYS[key][1]}", source=str(path))
    return dict(doc)


def _valid(key: str, value: object) -> bool:
    if key in _RANGES:
        low, high = _RANGES[key]
        return isinstance(value, int | float) and not isinstance(value, bool) and low <= float(value) <= high
    if key in _CHOICES:
        return value in _CHOICES[key]
    return isinstance(value, str) and bool(value.strip())


def apply_config(args: argparse.Namespace) -> None:
    """Fill options the command takes but the command line left unset from ``config.toml``.

    Every command reads the file (so a mistake in it is reported whichever command runs first);
    ``args.units`` is always set afterwards: the flag, else the file's, else ``"metric"``.
    """
    from calfload.journal import resolve_data_dir

    wanted = {key: dest for key, (dest, _) in KEYS.items() if dest is not None and hasattr(args, dest)}
    # The data folder's file, also when --athlete pointed data_dir at an athlete's journal folder.
    config = read_config(resolve_data_dir(getattr(args, "data_root", None) or getattr(args, "data_dir", None)))
    for key, dest in wanted.items():
        if key in config and getattr(args, dest) is None:
            setattr(args, dest, config[key])
    if getattr(args, "units", None) is None:
        args.units = "metric"


__all__ = ["CONFIG_NAME", "KEYS", "apply_config", "read_config"]
