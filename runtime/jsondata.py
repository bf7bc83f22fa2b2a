"""Checks on JSON from outside that Python's json module lets through.

``json.loads`` accepts ``1e400`` (as infinity), a lone surrogate escape such as
``"\\ud83d"``, and nesting deep enough to exhaust the interpreter's recursion
limit later. Each would break a later step (encoding, copying, sending), so
events are checked once, when they arrive.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["MAX_DEPTH", "UnsafeJson", "clean_json", "depth_of", "json_type"]

# Nesting levels allowed in one event, counting the event object itself. Real
# events nest a few levels; this leaves room while staying far below Python's
# default recursion limit of 1000, which copying and encoding rely on.
MAX_DEPTH = 64

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"


class UnsafeJson(ValueError):
    """Raised for JSON data nested too deep or holding a non-finite number."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def json_type(value: object) -> str:
    """Name a parsed value's JSON type for messages: "an object", "null", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def depth_of(value: object, limit: int = MAX_DEPTH) -> int:
    """Return how deep ``value`` nests, counting at most ``limit + 1`` levels.

    Iterative, so even data nested far past the recursion limit is measured.
    """
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if not isinstance(item, Mapping | list):
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, Mapping) else item
        stack.extend((child, level + 1) for child in children)
    return deepest


def clean_json(value: Any, max_depth: int | None = MAX_DEPTH) -> Any:
    """Return a copy with lone surrogates replaced by U+FFFD.

    Raises ``UnsafeJson`` when the data nests deeper than ``max_depth`` or contains
    an infinite or NaN number, naming the path of the first such value. Pass
    ``max_depth=None`` when the depth was already checked.
    """
    if max_depth is not None and depth_of(value, max_depth) > max_depth:
        raise UnsafeJson(
            "", f"nested more than {max_depth} levels deep; flatten the properties"
        )
    return _copy(value, "")


def _copy(value: Any, path: str) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, value)
    if isinstance(value, float) and not math.isfinite(value):
        raise UnsafeJson(
            path, f"{value} is not a finite number; send a number JSON can carry"
        )
    if isinstance(value, Mapping):
        return {
            _copy(str(key), path): _copy(item, _join(path, str(key)))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_copy(item, f"{path}[{index}]") for index, item in enumerate(value)]
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
