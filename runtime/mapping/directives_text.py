"""The text directives @replace and @json.

Both follow the runtime checks of ``@segment/actions-core`` 3.170.0: a falsy raw
"value" option makes @replace produce MISSING and @json fail, and numbers turn
into text with JavaScript's formatting.
"""

from __future__ import annotations

from runtime.mapping.jsjson import parse_json, stringify_json
from runtime.mapping.jsvalues import is_number, is_truthy, to_js_string, utf16_length
from runtime.mapping.missing import MISSING
from runtime.mapping.nodes import (
    Resolver,
    Site,
    compile_value,
    constant,
    register_directive,
)
from runtime.mapping.problems import MappingProblem
from runtime.mapping.replace import replace_literal
from runtime.mapping.validate import MAX_PATTERN_LENGTH, MAX_REPLACEMENT_LENGTH

ReplaceStep = tuple[str, str, MappingProblem | None]
"""A pattern, its replacement, and the length problem that stops it (if any)."""


def _or_default(value: object, default: object) -> object:
    return default if value is None or value is MISSING else value


@register_directive("@replace")
def compile_replace(options: object, site: Site) -> Resolver:
    """Compile ``@replace``: literal search and replace in a text value.

    Booleans and numbers are turned into text first; other values that are not
    text give ``""``. "pattern2"/"replacement2" run on the result of the first
    replacement, with the same flags.
    """
    if not isinstance(options, dict):
        return site.failing_options('an object with a "pattern" key', options)
    pattern = options.get("pattern", MISSING)
    if not is_truthy(pattern):
        return site.failing('@replace needs a non-empty "pattern" key')
    value_option = options.get("value", MISSING)
    if not is_truthy(value_option):
        return constant(MISSING)
    resolve_value = compile_value(value_option, site.option("value"))
    steps = _replace_steps(options, pattern, site)
    ignore_case = _or_default(options.get("ignorecase"), False)
    replace_all = _or_default(options.get("global"), True)
    if steps is None or not isinstance(ignore_case, bool):
        return _compile_empty_replace(resolve_value)
    if not isinstance(replace_all, bool):
        return _compile_empty_replace(resolve_value)

    def resolve(payload: object) -> object:
        value = resolve_value(payload)
        if isinstance(value, bool) or is_number(value):
            value = to_js_string(value)
        if not isinstance(value, str):
            return ""
        for step_pattern, step_replacement, problem in steps:
            if problem is not None:
                raise problem.to_error()
            value = replace_literal(
                value,
                step_pattern,
                step_replacement,
                replace_all=replace_all,
                ignore_case=ignore_case,
            )
        return value

    return resolve


def _replace_steps(
    options: dict[str, object], pattern: object, site: Site
) -> list[ReplaceStep] | None:
    """Return the replacement steps, or None when the options are not all text."""
    replacement = _or_default(options.get("replacement"), "")
    if not isinstance(pattern, str) or not isinstance(replacement, str):
        return None
    steps = [(pattern, replacement, _length_problem(pattern, replacement, site))]
    second_pattern = options.get("pattern2", MISSING)
    if not is_truthy(second_pattern):
        return steps
    second_replacement = _or_default(options.get("replacement2"), "")
    if isinstance(second_pattern, str) and isinstance(second_replacement, str):
        problem = _length_problem(second_pattern, second_replacement, site)
        steps.append((second_pattern, second_replacement, problem))
    return steps


def _length_problem(
    pattern: str, replacement: str, site: Site
) -> MappingProblem | None:
    if utf16_length(pattern) > MAX_PATTERN_LENGTH:
        message = (
            f"pattern {pattern!r} is longer than {MAX_PATTERN_LENGTH} UTF-16 code "
            "units; shorten it"
        )
        return MappingProblem(site.pointer, site.directive, message)
    if utf16_length(replacement) > MAX_REPLACEMENT_LENGTH:
        message = (
            f"replacement {replacement!r} is longer than {MAX_REPLACEMENT_LENGTH} "
            "UTF-16 code units; shorten it"
        )
        return MappingProblem(site.pointer, site.directive, message)
    return None


def _compile_empty_replace(resolve_value: Resolver) -> Resolver:
    def resolve(payload: object) -> object:
        resolve_value(payload)
        return ""

    return resolve


@register_directive("@json")
def compile_json(options: object, site: Site) -> Resolver:
    """Compile ``@json``: encode a value as JSON text, or decode JSON text.

    Decoding returns text that is not valid JSON unchanged, and passes values that
    are not text through. A "mode" other than "encode" or "decode" gives MISSING.
    """
    if not isinstance(options, dict):
        return site.failing_options('an object with "mode" and "value" keys', options)
    mode = options.get("mode", MISSING)
    if not is_truthy(mode):
        return site.failing('@json needs a "mode" key: "encode" or "decode"')
    value_option = options.get("value", MISSING)
    if not is_truthy(value_option):
        return site.failing(
            '@json needs a "value" key with a truthy value; to encode a constant such '
            'as 0 or "", wrap it as {"@literal": 0}'
        )
    if mode == "encode":
        return _compile_encode(compile_value(value_option, site.option("value")))
    resolve_value = compile_value(value_option, site.option("value"), site.keep_missing)
    if mode == "decode":
        return _compile_decode(resolve_value)

    def resolve_nothing(payload: object) -> object:
        resolve_value(payload)
        return MISSING

    return resolve_nothing


def _compile_encode(resolve_value: Resolver) -> Resolver:
    def resolve(payload: object) -> object:
        text = stringify_json(resolve_value(payload))
        return MISSING if text is None else text

    return resolve


def _compile_decode(resolve_value: Resolver) -> Resolver:
    def resolve(payload: object) -> object:
        value = resolve_value(payload)
        if not isinstance(value, str):
            return value
        try:
            return parse_json(value)
        except ValueError:
            return value

    return resolve
