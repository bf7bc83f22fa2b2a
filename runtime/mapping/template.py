"""``{{ placeholder }}`` templates as mapping-kit's ``@template`` renders them.

Rendering takes two passes, as mapping-kit does: first every ``{{{key}}}`` is
replaced, then every ``{{key}}`` in the result, so a value inserted by the first
pass can itself contain placeholders. Keys are trimmed and looked up like
``@path`` keys (without removing ``$.``). Missing and null values render as empty
text, and other values as JavaScript's ``String(value)`` renders them.

NOTE: values are inserted without HTML escaping. Some mapping-kit releases escaped
``{{key}}`` values (``&`` to ``&amp;``); the recorded 3.170.0 cases never insert
such characters, so which behaviour that release has is not verified.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from runtime.mapping.jsvalues import js_trim, to_js_string
from runtime.mapping.missing import MISSING
from runtime.mapping.paths import Segment, get_path, parse_template_key

TemplateRenderer = Callable[[object], str]
"""Renders a compiled template against a payload."""

_TRIPLE = re.compile(r"\{\{\{([^}]+)\}\}\}")
_DOUBLE = re.compile(r"\{\{([^}]+)\}\}")

Placeholder = tuple[Segment, ...] | None


@functools.lru_cache(maxsize=256)
def compile_template(template: str) -> TemplateRenderer:
    """Compile ``template`` once into a renderer."""
    if _TRIPLE.search(template) is None:
        return _compile_pass(template, _DOUBLE)
    first_pass = _compile_pass(template, _TRIPLE)

    def render(payload: object) -> str:
        return _DOUBLE.sub(
            lambda match: _placeholder_text(match, payload), first_pass(payload)
        )

    return render


def _compile_pass(template: str, pattern: re.Pattern[str]) -> TemplateRenderer:
    literals: list[str] = []
    placeholders: list[Placeholder] = []
    start = 0
    for match in pattern.finditer(template):
        literals.append(template[start : match.start()])
        placeholders.append(parse_template_key(js_trim(match.group(1))))
        start = match.end()
    literals.append(template[start:])
    if not placeholders:
        return lambda _payload: template
    return functools.partial(_render_parts, literals, placeholders)


def _render_parts(
    literals: list[str], placeholders: list[Placeholder], payload: object
) -> str:
    if payload is MISSING:
        payload = {}
    pieces = [literals[0]]
    for placeholder, literal in zip(placeholders, literals[1:]):
        pieces.append(_value_text(get_path(payload, placeholder)))
        pieces.append(literal)
    return "".join(pieces)


def _placeholder_text(match: re.Match[str], payload: object) -> str:
    if payload is MISSING:
        payload = {}
    segments = parse_template_key(js_trim(match.group(1)))
    return _value_text(get_path(payload, segments))


def _value_text(value: object) -> str:
    if value is None or value is MISSING:
        return ""
    return to_js_string(value)
