"""Literal search and replace as ``@replace`` performs it in JavaScript.

mapping-kit escapes the pattern and calls ``value.replace(new RegExp(pattern,
flags), replacement)``, so the pattern always matches literally. Two JavaScript
rules still apply and are reproduced here. First, the replacement text expands
``$&``, ``$```, ``$'`` and ``$$`` (ECMA-262 GetSubstitution), while ``$1`` stays
literal because the pattern has no groups. Second, the ``i`` flag compares
characters after JavaScript's non-Unicode case mapping (ECMA-262 Canonicalize).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

Expansion = Callable[[str, int, int], str]
"""Builds the replacement text from (whole string, match start, match end)."""


def replace_literal(
    text: str, pattern: str, replacement: str, *, replace_all: bool, ignore_case: bool
) -> str:
    """Replace occurrences of ``pattern`` in ``text`` as ``String.replace`` would."""
    haystack = canonicalize(text) if ignore_case else text
    needle = canonicalize(pattern) if ignore_case else pattern
    starts = _find_matches(haystack, needle, replace_all)
    if not starts:
        return text
    expand = compile_replacement(replacement)
    pieces: list[str] = []
    previous = 0
    for start in starts:
        end = start + len(needle)
        pieces.append(text[previous:start])
        pieces.append(expand(text, start, end))
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


def _find_matches(haystack: str, needle: str, replace_all: bool) -> list[int]:
    starts: list[int] = []
    position = haystack.find(needle)
    while position != -1:
        starts.append(position)
        if not replace_all:
            break
        position = haystack.find(needle, position + len(needle))
    return starts


@functools.lru_cache(maxsize=256)
def compile_replacement(replacement: str) -> Expansion:
    """Compile replacement text with ``$`` patterns into an expansion function."""
    if "$" not in replacement:
        return lambda _text, _start, _end: replacement
    parts: list[str | Callable[[str, int, int], str]] = []
    literal: list[str] = []
    index = 0
    while index < len(replacement):
        char = replacement[index]
        following = replacement[index + 1 : index + 2]
        special = _SPECIAL_PATTERNS.get(following) if char == "$" else None
        if special is None:
            literal.append(char)
            index += 1
            continue
        parts.append("".join(literal))
        literal = []
        parts.append(special)
        index += 2
    parts.append("".join(literal))
    return functools.partial(_expand, parts)


def _expand(
    parts: list[str | Callable[[str, int, int], str]], text: str, start: int, end: int
) -> str:
    return "".join(
        part if isinstance(part, str) else part(text, start, end) for part in parts
    )


_SPECIAL_PATTERNS: dict[str, Callable[[str, int, int], str]] = {
    "$": lambda _text, _start, _end: "$",
    "&": lambda text, start, end: text[start:end],
    "`": lambda text, start, _end: text[:start],
    "'": lambda text, _start, end: text[end:],
}


def canonicalize(text: str) -> str:
    """Map every character as JavaScript's case-insensitive, non-Unicode regex does.

    Each character becomes its uppercase form, unless that form is several
    characters, lies outside the Basic Multilingual Plane, or maps a non-ASCII
    character to ASCII. The result has the same length as ``text``.
    """
    if text.isascii():
        return text.upper()
    return "".join(_canonical_char(char) for char in text)


@functools.lru_cache(maxsize=4096)
def _canonical_char(char: str) -> str:
    if ord(char) > 0xFFFF:
        return char
    upper = char.upper()
    if len(upper) != 1 or ord(upper) > 0xFFFF:
        return char
    if ord(char) >= 128 and ord(upper) < 128:
        return char
    return upper
