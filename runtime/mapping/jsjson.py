"""JSON text written by the rules of ``JSON.stringify`` and read by ``JSON.parse``."""

from __future__ import annotations

import json
import math
import re
from json.encoder import encode_basestring

from runtime.jsnumber import format_js_number
from runtime.mapping.jsvalues import js_key_order
from runtime.mapping.missing import MISSING

_MAX_SAFE_INTEGER = 2**53
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_NON_FINITE_TEXT = frozenset({"Infinity", "-Infinity", "NaN"})


def stringify_json(value: object) -> str | None:
    """Encode ``value`` as compact JSON text, exactly as ``JSON.stringify`` would.

    Returns None for ``MISSING`` (``JSON.stringify(undefined)`` gives undefined).
    Object keys whose value is MISSING are left out, MISSING array items become
    ``null``, as do NaN and infinities. Numbers use JavaScript's formatting and
    array-index keys come first, in ascending order, as in JavaScript objects.
    Raises TypeError for a value that is not JSON (such as a set or a date).
    """
    if value is MISSING:
        return None
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: object, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_quote(value))
    elif value is None:
        parts.append("null")
    elif isinstance(value, bool):
        parts.append("true" if value else "false")
    elif isinstance(value, (int, float)):
        parts.append(_number_text(value))
    elif isinstance(value, dict):
        _write_object(value, parts)
    elif isinstance(value, (list, tuple)):
        _write_array(value, parts)
    else:
        raise TypeError(
            f"cannot encode {type(value).__name__} {value!r} as JSON; "
            "pass only dict, list, str, int, float, bool or None"
        )


def _write_object(value: dict[str, object], parts: list[str]) -> None:
    parts.append("{")
    first = True
    for key in js_key_order(value):
        item = value[key]
        if item is MISSING:
            continue
        if not first:
            parts.append(",")
        first = False
        parts.append(_quote(key))
        parts.append(":")
        _write(item, parts)
    parts.append("}")


def _write_array(value: list[object] | tuple[object, ...], parts: list[str]) -> None:
    parts.append("[")
    for position, item in enumerate(value):
        if position:
            parts.append(",")
        if item is MISSING:
            parts.append("null")
        else:
            _write(item, parts)
    parts.append("]")


def _number_text(value: float) -> str:
    text = format_js_number(value)
    return "null" if text in _NON_FINITE_TEXT else text


def _quote(text: str) -> str:
    quoted: str = encode_basestring(text)
    if _LONE_SURROGATE.search(quoted) is None:
        return quoted
    # JSON.stringify escapes unpaired surrogates instead of writing them raw.
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def parse_json(text: str) -> object:
    """Decode JSON text as ``JSON.parse`` would, or raise ValueError.

    Rejects ``NaN`` and ``Infinity``, which Python's json module accepts but
    JavaScript does not. Integers beyond 2**53 become floats, as JavaScript
    numbers are doubles, and ``1e400`` becomes infinity.
    """
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except RecursionError as error:
        raise ValueError("JSON text is nested too deeply") from error


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not valid JSON")


def _parse_int(text: str) -> int | float:
    number = int(text)
    if abs(number) <= _MAX_SAFE_INTEGER:
        return number
    return float(text)


def to_jsonable(value: object) -> object:
    """Copy a mapping result into the JSON values that ``JSON.stringify`` writes.

    Object keys whose value is MISSING are left out, MISSING array items and
    non-finite floats become None, and object keys follow JavaScript order. A
    top-level MISSING is returned unchanged, because it has no JSON form.
    """
    if isinstance(value, dict):
        return {
            key: to_jsonable(value[key])
            for key in js_key_order(value)
            if value[key] is not MISSING
        }
    if isinstance(value, (list, tuple)):
        return [None if item is MISSING else to_jsonable(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
