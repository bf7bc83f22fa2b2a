"""The lookup and branching directives: @path, @template, @literal, @if, @case,
@arrayPath and @excludeWhenNull.

Each compiler reproduces the runtime checks of ``@segment/actions-core`` 3.170.0.
Those checks run when the directive runs, even where validation already ruled the
options out, because validation skips array items and raw objects.
"""

from __future__ import annotations

from collections.abc import Callable

from runtime.mapping.jsvalues import is_truthy, loosely_equals_empty_string
from runtime.mapping.missing import MISSING
from runtime.mapping.nodes import (
    Resolver,
    Site,
    compile_value,
    constant,
    register_directive,
)
from runtime.mapping.paths import compile_path_getter, get_path, parse_path
from runtime.mapping.problems import describe_type
from runtime.mapping.template import compile_template


def compile_string_option(options: object, site: Site) -> Callable[[object], str]:
    """Compile the option of @path or @template, which must resolve to a string."""
    resolve_option = compile_value(options, site.option())

    def resolve(payload: object) -> str:
        value = resolve_option(payload)
        if isinstance(value, str):
            return value
        raise site.error(
            f"expected a string, but the option resolved to {describe_type(value)}; "
            "make the inner directive produce text"
        )

    return resolve


@register_directive("@path")
def compile_path(options: object, site: Site) -> Resolver:
    """Compile ``{"@path": "$.a.b"}``: the value at a path in the payload."""
    if isinstance(options, str):
        return compile_path_getter(parse_path(options))
    resolve_path = compile_string_option(options, site)
    return lambda payload: get_path(payload, parse_path(resolve_path(payload)))


@register_directive("@template")
def compile_template_directive(options: object, site: Site) -> Resolver:
    """Compile ``{"@template": "Hi {{name}}"}``: text with placeholders filled in."""
    if isinstance(options, str):
        return compile_template(options)
    resolve_template = compile_string_option(options, site)
    return lambda payload: compile_template(resolve_template(payload))(payload)


@register_directive("@literal")
def compile_literal(options: object, site: Site) -> Resolver:
    """Compile ``{"@literal": value}``: the value, with nested directives resolved."""
    return compile_value(options, site.option(), site.keep_missing)


@register_directive("@if")
def compile_if(options: object, site: Site) -> Resolver:
    """Compile ``@if``: "then" when the condition is true, else "else".

    "exists" is true for any value but undefined and null. "blank" is also false
    for values loosely equal to ``''`` (such as 0, false, [] and ""). A condition or
    an "else" given as a falsy raw value counts as absent, as in mapping-kit.
    """
    if not isinstance(options, dict):
        return site.failing_options('an object with an "exists" key', options)
    exists = options.get("exists", MISSING)
    blank = options.get("blank", MISSING)
    if not is_truthy(exists) and not is_truthy(blank):
        return site.failing(
            '@if needs an "exists" or a "blank" condition with a truthy value; '
            'add one such as "exists": {"@path": "$.userId"}'
        )
    if exists is not MISSING:
        condition = compile_value(exists, site.option("exists"))
        holds = _value_exists
    else:
        condition = compile_value(blank, site.option("blank"))
        holds = _value_is_not_blank
    then_branch = _compile_branch(options, "then", site, "then" in options)
    else_branch = _compile_branch(options, "else", site, is_truthy(options.get("else")))

    def resolve(payload: object) -> object:
        if holds(condition(payload)):
            return then_branch(payload)
        return else_branch(payload)

    return resolve


def _value_exists(value: object) -> bool:
    return value is not MISSING and value is not None


def _value_is_not_blank(value: object) -> bool:
    return _value_exists(value) and not loosely_equals_empty_string(value)


def _compile_branch(
    options: dict[str, object], key: str, site: Site, present: bool
) -> Resolver:
    if not present:
        return constant(MISSING)
    return compile_value(options[key], site.option(key), site.keep_missing)


@register_directive("@case")
def compile_case(options: object, site: Site) -> Resolver:
    """Compile ``@case``: a string value in lower or upper case.

    Values that are not strings pass through unchanged; a falsy raw "value"
    gives MISSING.
    """
    if not isinstance(options, dict):
        return site.failing_options('an object with an "operator" key', options)
    operator = options.get("operator", MISSING)
    if not is_truthy(operator):
        return site.failing('@case needs an "operator" key: "lower" or "upper"')
    value_option = options.get("value", MISSING)
    if not is_truthy(value_option):
        return constant(MISSING)
    resolve_value = compile_value(value_option, site.option("value"), site.keep_missing)
    convert = _CASE_OPERATORS.get(operator) if isinstance(operator, str) else None

    def resolve(payload: object) -> object:
        value = resolve_value(payload)
        if not isinstance(value, str):
            return value
        if convert is None:
            raise site.error(
                f'operator must be "lower" or "upper", but it is {operator!r}; '
                "use one of those (in lowercase)"
            )
        return convert(value)

    return resolve


_CASE_OPERATORS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
}


@register_directive("@arrayPath")
def compile_array_path(options: object, site: Site) -> Resolver:
    """Compile ``["$.path", itemShape]``: the array at a path, each item reshaped.

    Item mappings resolve against the item, not the event. An object at the path
    is treated as a one-item array, and other values are returned as they are.
    """
    if not isinstance(options, list):
        return site.failing_options("an array [path, item mapping]", options)
    path = options[0] if options else MISSING
    shape = options[1] if len(options) > 1 else MISSING
    resolve_root = _compile_array_root(path, site)
    if not isinstance(shape, dict) or not shape:
        return resolve_root
    resolve_item = compile_value(shape, site.option(1))

    def resolve(payload: object) -> object:
        root = resolve_root(payload)
        if isinstance(root, list):
            return [resolve_item(item) for item in root]
        if isinstance(root, dict):
            return [resolve_item(root)]
        return root

    return resolve


def _compile_array_root(path: object, site: Site) -> Resolver:
    if isinstance(path, str):
        return compile_path_getter(parse_path(path))
    return compile_value(path, site.option(0), site.keep_missing)


@register_directive("@excludeWhenNull")
def compile_exclude_when_null(options: object, site: Site) -> Resolver:
    """Compile ``@excludeWhenNull``: MISSING for null, and objects without null keys.

    Null values are removed from objects at every depth, but not from arrays.
    """
    resolve_value = compile_value(options, site.option(), site.keep_missing)
    keep_missing = site.keep_missing

    def resolve(payload: object) -> object:
        value = resolve_value(payload)
        if value is None:
            return MISSING
        if isinstance(value, dict):
            return _without_nulls(value, keep_missing)
        return value

    return resolve


def _without_nulls(value: dict[str, object], keep_missing: bool) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, item in value.items():
        if item is None:
            if keep_missing:
                result[key] = MISSING
            continue
        result[key] = _without_nulls(item, False) if isinstance(item, dict) else item
    return result
