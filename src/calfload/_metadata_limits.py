"""Limits on a recording's ``calfload`` metadata, so that a hostile or broken file is refused early."""

from __future__ import annotations

import json
from typing import Any, Final

from calfload.errors import SchemaError

#: Largest ``calfload`` metadata (bytes of JSON); a recording's is well under 4 KB.
MAX_METADATA_BYTES: Final = 65_536
#: Deepest nesting of objects and lists in the metadata (the recorder writes three levels).
MAX_METADATA_DEPTH: Final = 8
#: Longest string in the metadata (characters).
MAX_METADATA_STRING: Final = 1_000


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut (for messages)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_json_shape(doc: object, *, source: str | None) -> None:
    """Refuse metadata nested over :data:`MAX_METADATA_DEPTH` deep or with a text over :data:`MAX_METADATA_STRING`."""
    stack: list[tuple[object, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str) and len(value) > MAX_METADATA_STRING:
            raise SchemaError(
                f"the calfload metadata holds a {len(value)}-character text (at most {MAX_METADATA_STRING}); "
                "check that this is the right file",
                source=source,
            )
        children = list(value.items()) if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > MAX_METADATA_DEPTH:
            raise SchemaError(
                f"the calfload metadata is nested more than {MAX_METADATA_DEPTH} levels deep; check that this is the "
                "right file",
                source=source,
            )
        for child in children:
            if isinstance(child, tuple):  # a key and its value
                stack.extend((part, depth + 1) for part in child)
            else:
                stack.append((child, depth + 1))


def load_metadata_json(text: str | bytes, *, source: str | None) -> dict[str, Any]:
    """The ``calfload`` metadata's JSON object, refused when too long, malformed, not an object or too deep."""
    if len(text) > MAX_METADATA_BYTES:
        raise SchemaError(
            f"the calfload metadata is {len(text) // 1024} KB long, over the {MAX_METADATA_BYTES // 1024} KB "
            "a recording's metadata needs; check that this is the right file",
            source=source,
        )
    try:
        doc = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        why = "nested too deeply" if isinstance(exc, RecursionError) else clip(str(exc), 200)
        raise SchemaError(f"the calfload metadata is not valid JSON ({why})", source=source) from None
    if not isinstance(doc, dict):
        raise SchemaError("the calfload metadata is not a JSON object", source=source)
    check_json_shape(doc, source=source)
    return doc
