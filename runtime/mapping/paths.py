"""Path lookup as mapping-kit's ``@path`` does it (a small ``lodash.get``).

A path such as ``$.properties.products[0].name`` splits at dots, at ``[`` before a
quote or digit and at ``]`` after one. Quotes are then removed from every segment,
so ``['Actions Amplitude']`` names the key ``Actions Amplitude``, and ``it's`` names
``its``. Brackets around anything else stay part of the key: ``a[b]`` is one key.
A backslash escapes nothing. Only the first ``$.`` is removed.

Lookup follows JavaScript's ``value && value[key]``. The walk stops at the first
falsy value (0, '', false, null) and returns it. Strings and arrays return their
``length`` and their items by index, and other keys give ``MISSING``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from runtime.mapping.jsvalues import array_index, is_truthy, utf16_length, utf16_units
from runtime.mapping.missing import MISSING

Segment = tuple[str, int | None]
"""One path segment: the key, and the array index it names (or None)."""

ROOT_PATH: tuple[Segment, ...] = ()

_SPLIT = re.compile(r"""\[(?=["'0-9])|\.|(?<=["'0-9])\]+""")
_QUOTES = re.compile(r"""['"]""")


def parse_path(path: str) -> tuple[Segment, ...] | None:
    """Parse a ``@path`` string into segments; None means the payload itself.

    The first ``$.`` is removed before parsing, so ``""``, ``"."`` and ``"$."`` all
    name the whole payload.
    """
    return parse_template_key(path.replace("$.", "", 1))


def parse_template_key(key: str) -> tuple[Segment, ...] | None:
    """Parse a ``{{ key }}`` placeholder key, which keeps any ``$.`` prefix."""
    if key in ("", "."):
        return None
    return _parse_segments(key)


@functools.lru_cache(maxsize=1024)
def _parse_segments(text: str) -> tuple[Segment, ...]:
    pieces = [piece for piece in _SPLIT.split(text) if piece]
    keys = [_QUOTES.sub("", piece) for piece in pieces]
    return tuple((key, array_index(key)) for key in keys)


def compile_path_getter(
    segments: tuple[Segment, ...] | None,
) -> Callable[[object], object]:
    """Return a function that does ``get_path`` for fixed ``segments``, faster.

    The common case, objects all the way down, runs without the general rules; any
    other value sends the lookup through ``get_path`` from the start.
    """
    if segments is None:
        return _identity
    keys = tuple(key for key, _ in segments)
    if len(keys) == 1:
        key = keys[0]

        def get_one(payload: object) -> object:
            if isinstance(payload, dict):
                return payload.get(key, MISSING)
            return get_path(payload, segments)

        return get_one

    def get_many(payload: object) -> object:
        value = payload
        for key in keys:
            if not isinstance(value, dict):
                return get_path(payload, segments)
            value = value.get(key, MISSING)
        return value

    return get_many


def _identity(payload: object) -> object:
    return payload


def get_path(payload: object, segments: tuple[Segment, ...] | None) -> object:
    """Return the value at ``segments`` inside ``payload``, or MISSING."""
    if segments is None:
        return payload
    value = payload
    for key, index in segments:
        if isinstance(value, dict):
            value = value.get(key, MISSING)
            continue
        if not is_truthy(value):
            return value
        value = _get_property(value, key, index)
    return value


def _get_property(value: object, key: str, index: int | None) -> object:
    if isinstance(value, list):
        if index is not None:
            return value[index] if index < len(value) else MISSING
        return len(value) if key == "length" else MISSING
    if isinstance(value, str):
        if index is not None:
            return _string_unit(value, index)
        return utf16_length(value) if key == "length" else MISSING
    # NOTE: JavaScript would also return methods (such as "toFixed" on numbers or
    # "map" on arrays); JSON output drops those, so they are MISSING here.
    return MISSING


def _string_unit(text: str, index: int) -> object:
    if text.isascii():
        return text[index] if index < len(text) else MISSING
    units = utf16_units(text)
    return units[index] if index < len(units) else MISSING
