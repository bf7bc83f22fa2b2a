"""The object directives @flatten, @merge and @transform.

They follow the runtime checks of ``@segment/actions-core`` 3.170.0; see
``nodes`` for why resolvers built with ``keep_missing`` keep MISSING values.
"""

from __future__ import annotations

from runtime.mapping.jsvalues import is_truthy, js_key_order, utf16_units
from runtime.mapping.missing import MISSING
from runtime.mapping.nodes import (
    Resolver,
    Site,
    compile_value,
    drop_missing,
    register_directive,
)
from runtime.mapping.problems import describe_type
from runtime.mapping.transform import compile_transform


@register_directive("@flatten")
def compile_flatten(options: object, site: Site) -> Resolver:
    """Compile ``@flatten``: nested objects and arrays as one level of joined keys.

    ``{"a": {"b": 1}, "c": [2]}`` with separator "." gives ``{"a.b": 1, "c.0": 2}``.
    Empty objects and arrays disappear; with a truthy "omitArrays" arrays stay
    whole. A value that is neither object nor array gives ``{"": value}``.
    """
    if not isinstance(options, dict):
        return site.failing_options('an object with a "separator" key', options)
    separator_option = options.get("separator", MISSING)
    if not is_truthy(separator_option):
        return site.failing('@flatten needs a non-empty "separator" key, such as "."')
    resolve_separator = compile_value(separator_option, site.option("separator"))
    resolve_value = compile_value(
        options.get("value", MISSING), site.option("value"), site.keep_missing
    )
    omit_arrays = is_truthy(options.get("omitArrays", MISSING))
    keep_missing = site.keep_missing

    def resolve(payload: object) -> object:
        separator = resolve_separator(payload)
        if not isinstance(separator, str):
            found = describe_type(separator)
            raise site.error(f"separator must resolve to a string, but it is {found}")
        flat: dict[str, object] = {}
        _flatten_into(flat, resolve_value(payload), "", separator, omit_arrays)
        return flat if keep_missing else drop_missing(flat)

    return resolve


def _flatten_into(
    flat: dict[str, object],
    value: object,
    prefix: str,
    separator: str,
    omit_arrays: bool,
) -> None:
    if isinstance(value, dict):
        for key in js_key_order(value):
            name = f"{prefix}{separator}{key}" if prefix else key
            _flatten_into(flat, value[key], name, separator, omit_arrays)
        return
    if isinstance(value, list) and not omit_arrays:
        for index, item in enumerate(value):
            name = f"{prefix}{separator}{index}" if prefix else str(index)
            _flatten_into(flat, item, name, separator, omit_arrays)
        return
    flat[prefix] = value


@register_directive("@merge")
def compile_merge(options: object, site: Site) -> Resolver:
    """Compile ``@merge``: a shallow merge of objects, as ``Object.assign`` does.

    With direction "right" later objects win, with "left" earlier ones do. A key
    whose value is missing still overrides. Strings and arrays spread their
    indexes; null, missing values and numbers add nothing.
    """
    if not isinstance(options, dict):
        return site.failing_options('an object with an "objects" key', options)
    direction_option = options.get("direction", MISSING)
    if not is_truthy(direction_option):
        return site.failing('@merge needs a "direction" key: "left" or "right"')
    objects = options.get("objects", MISSING)
    if not is_truthy(objects):
        return site.failing('@merge needs an "objects" key with an array of objects')
    if not isinstance(objects, list):
        return site.failing_options('"objects" to be an array', objects)
    resolve_direction = compile_value(direction_option, site.option("direction"))
    sources = [
        compile_value(item, site.option("objects", index), keep_missing=True)
        for index, item in enumerate(objects)
    ]
    keep_missing = site.keep_missing

    def resolve(payload: object) -> object:
        direction = resolve_direction(payload)
        values = [source(payload) for source in sources]
        if direction == "left":
            values.reverse()
        merged: dict[str, object] = {}
        for value in values:
            _assign(merged, value)
        return merged if keep_missing else drop_missing(merged)

    return resolve


def _assign(target: dict[str, object], source: object) -> None:
    if isinstance(source, dict):
        target.update(source)
    elif isinstance(source, list):
        target.update((str(index), item) for index, item in enumerate(source))
    elif isinstance(source, str):
        target.update(
            (str(index), unit) for index, unit in enumerate(utf16_units(source))
        )


@register_directive("@transform")
def compile_transform_directive(options: object, site: Site) -> Resolver:
    """Compile ``@transform``: run "mapping" over the result of "apply".

    "apply" runs as a whole mapping over the payload, so its result has no missing
    keys. "mapping" resolves against that result only, not the original payload.
    """
    if not isinstance(options, dict):
        return site.failing_options('an object with an "apply" key', options)
    mapping = options.get("mapping", MISSING)
    if not is_truthy(mapping):
        return site.failing('@transform needs a "mapping" key')
    apply = options.get("apply", MISSING)
    if not is_truthy(apply):
        return site.failing('@transform needs an "apply" key')
    if not isinstance(apply, dict):
        return site.failing_options('"apply" to be an object', apply)
    resolve_apply = compile_transform(
        apply, site.option("apply"), site.directive
    ).resolve
    resolve_mapping = compile_value(mapping, site.option("mapping"), site.keep_missing)

    def resolve(payload: object) -> object:
        return resolve_mapping(resolve_apply(payload))

    return resolve
