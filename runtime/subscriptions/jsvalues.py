"""JavaScript value rules that Segment's subscription matcher depends on.

Segment evaluates subscriptions in JavaScript, so equality, number parsing,
truthiness and number-to-text conversion follow JavaScript here. A JSON event
decodes to ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` and
``None``; a key that is absent reads as ``UNDEFINED``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Final

from runtime.jsnumber import format_js_number

__all__ = [
    "UNDEFINED",
    "Undefined",
    "get_path",
    "has_key",
    "is_number",
    "is_truthy",
    "to_js_string",
    "to_number",
]


class Undefined:
    """JavaScript's ``undefined``: the value of a key that is absent.

    Compare with ``is UNDEFINED``; the module creates the only instance.
    """

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Final = Undefined()

# JavaScript's StrWhiteSpaceChar set, which Number() trims from strings.
_JS_WHITESPACE = (
    " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_RADIX = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")
_PATH_SEGMENT = re.compile(r"[^\[.\]]+")
_CANONICAL_INDEX = re.compile(r"0|[1-9]\d*")


def is_number(value: object) -> bool:
    """Tell whether ``value`` is a JavaScript number (``typeof value == "number"``)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def to_number(value: object) -> float:
    """Convert ``value`` as JavaScript's ``Number(value)`` does."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        return _int_to_float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return _string_to_number(value)
    if value is None:
        return 0.0
    return math.nan


def _int_to_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _string_to_number(text: str) -> float:
    stripped = text.strip(_JS_WHITESPACE)
    if not stripped:
        return 0.0
    if _RADIX.fullmatch(stripped):
        return float(int(stripped, 0))
    if not _DECIMAL.fullmatch(stripped):
        return math.nan
    return float(stripped.replace("Infinity", "inf"))


def to_js_string(value: object) -> str:
    """Convert a query value (text, number or boolean) as ``String(value)`` does."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_js_number(value)
    return str(value)


def is_truthy(value: object) -> bool:
    """Tell whether JavaScript treats ``value`` as true in a condition."""
    if value is None or value is UNDEFINED or value is False:
        return False
    if is_number(value):
        number = float(value)  # type: ignore[arg-type]
        return number != 0 and not math.isnan(number)
    return value != ""


def has_key(path: str) -> bool:
    """Tell whether ``path`` names at least one key for ``get_path``."""
    return bool(_PATH_SEGMENT.search(path))


def get_path(root: object, path: str) -> object:
    """Read ``path`` (dots and brackets) from ``root`` as Segment's ``get`` helper.

    Like ``a && a[key]`` in JavaScript, a falsy value met along the way is the
    result: reading ``x.y`` where ``x`` is ``""`` gives ``""``, not ``undefined``.
    Raise ``TypeError`` for a path with no key at all, as Segment's helper fails.
    NOTE: properties inherited from JavaScript prototypes (``constructor``,
    ``toString``) are not emulated; such keys read as ``undefined``.
    """
    if not path:
        return UNDEFINED
    keys = _PATH_SEGMENT.findall(path)
    if not keys:
        raise TypeError(f"path {path!r} contains no key")
    value = root
    for key in keys:
        if not is_truthy(value):
            return value
        value = _read_key(value, key)
    return value


def _read_key(container: object, key: str) -> object:
    if isinstance(container, Mapping):
        return container.get(key, UNDEFINED)
    if isinstance(container, (str, Sequence)):
        return _read_sequence_key(container, key)
    return UNDEFINED


def _read_sequence_key(container: Sequence[object] | str, key: str) -> object:
    if key == "length":
        return len(container)
    if not _CANONICAL_INDEX.fullmatch(key):
        return UNDEFINED
    index = int(key)
    return container[index] if index < len(container) else UNDEFINED
