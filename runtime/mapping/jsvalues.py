"""JavaScript value semantics for JSON values held as Python objects.

Segment's mapping-kit runs on JavaScript, so its results depend on JavaScript rules:
truthiness, ``String(value)``, loose equality with ``''``, number formatting and
string lengths in UTF-16 code units. These helpers apply those rules to the Python
values that ``json.loads`` produces (dict, list, str, int, float, bool, None) and to
``MISSING`` (JavaScript ``undefined``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from runtime.jsnumber import format_js_number
from runtime.mapping.missing import MISSING

_ARRAY_INDEX = re.compile(r"0|[1-9][0-9]*")
_MAX_ARRAY_INDEX = 2**32 - 2
_PLAIN_INTEGER_LIMIT = 10**21

# JavaScript's String.prototype.trim removes WhiteSpace and LineTerminator code
# points (ECMA-262 sections 12.2 and 12.3), which differ from Python's str.isspace.
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)


def is_number(value: object) -> bool:
    """Return whether ``value`` is a JavaScript number (bool is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def real_type_of(value: object) -> str:
    """Name the JavaScript type of ``value`` as mapping-kit's messages do.

    Returns one of ``undefined``, ``null``, ``boolean``, ``number``, ``string``,
    ``array`` or ``object``.
    """
    if value is MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    return "object"


def is_truthy(value: object) -> bool:
    """Apply JavaScript truthiness: undefined, null, false, 0, NaN and '' are false."""
    if value is MISSING or value is None or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    return True


def loosely_equals_empty_string(value: object) -> bool:
    """Evaluate JavaScript ``value == ''`` (loose equality, with type coercion)."""
    if isinstance(value, str):
        return value == ""
    if isinstance(value, bool):
        return value is False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, list):
        return to_js_string(value) == ""
    return False


def to_js_string(value: object) -> str:
    """Convert ``value`` to text as JavaScript's ``String(value)`` does.

    Arrays join their items with commas (null and undefined items give empty text)
    and objects give ``[object Object]``.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_js_number(value)
    if value is None:
        return "null"
    if value is MISSING:
        return "undefined"
    if isinstance(value, (list, tuple)):
        return ",".join(_array_item_text(item) for item in value)
    return "[object Object]"


def _array_item_text(item: object) -> str:
    if item is None or item is MISSING:
        return ""
    return to_js_string(item)


def js_trim(text: str) -> str:
    """Remove leading and trailing whitespace as JavaScript's ``trim`` does."""
    return text.strip(_JS_WHITESPACE)


def utf16_length(text: str) -> int:
    """Return the JavaScript ``length`` of ``text``, counted in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def utf16_units(text: str) -> list[str]:
    """Split ``text`` into UTF-16 code units, as JavaScript indexes a string.

    A character outside the Basic Multilingual Plane becomes two surrogate
    characters.
    """
    units: list[str] = []
    for char in text:
        code = ord(char)
        if code <= 0xFFFF:
            units.append(char)
            continue
        offset = code - 0x10000
        units.append(chr(0xD800 + (offset >> 10)))
        units.append(chr(0xDC00 + (offset & 0x3FF)))
    return units


def array_index(key: str) -> int | None:
    """Return the array index that ``key`` names, or None if it names none.

    JavaScript reads ``"1"`` as an index but ``"01"`` or ``"-1"`` as plain keys.
    """
    if not key or not key[0].isdigit() or _ARRAY_INDEX.fullmatch(key) is None:
        return None
    index = int(key)
    return index if index <= _MAX_ARRAY_INDEX else None


def js_key_order(keys: Iterable[str]) -> list[str]:
    """Order object keys as JavaScript does: array indexes ascending, then the rest.

    The rest keep their insertion order.
    """
    ordered = list(keys)
    indexes = [(array_index(key), key) for key in ordered]
    if all(index is None for index, _ in indexes):
        return ordered
    numeric = sorted((index, key) for index, key in indexes if index is not None)
    return [key for _, key in numeric] + [
        key for index, key in indexes if index is None
    ]
