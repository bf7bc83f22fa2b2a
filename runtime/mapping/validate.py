"""Validation of mappings, with the rules of mapping-kit's validator.

The rules decide which mappings are valid exactly as ``@segment/actions-core``
3.170.0 does, including its gaps: array items are not inspected, raw objects in
``@literal``, ``@if`` and ``@excludeWhenNull`` are not inspected, and the options
``pattern2``, ``replacement2`` and ``omitArrays`` are not checked. Such parts fail,
if at all, when the mapping is applied. The messages and pointers are this
module's own: every problem names its JSON pointer inside the mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from runtime.errors import MappingError
from runtime.mapping.jsvalues import real_type_of, utf16_length
from runtime.mapping.problems import MappingProblem, child_pointer, describe_type
from runtime.mapping.root import RootFields

MAX_PATTERN_LENGTH = 10
MAX_REPLACEMENT_LENGTH = 10
JSON_MODES = ("encode", "decode")

Check = Callable[["_Validator", object, str, str], None]
"""A rule for one value: (validator, value, pointer, directive)."""


def validate_mapping(mapping: object) -> list[MappingError]:
    """Return every problem in ``mapping``, as mapping-kit's ``validate`` finds them.

    An empty list means the mapping is valid. Like mapping-kit's validator, this
    checks the mapping as given: ``compile_mapping`` first spreads a top-level array
    or string into an object and moves fields under a root directive.
    """
    return [problem.to_error() for problem in find_problems(mapping, "")]


def find_problems(mapping: object, pointer: str) -> list[MappingProblem]:
    """Return every problem in ``mapping``, located from ``pointer``."""
    validator = _Validator()
    validator.validate(mapping, pointer)
    return validator.problems


def real_type_or_directive(value: object) -> str:
    """Name the type of ``value``, calling an object with an @-key a directive."""
    if isinstance(value, dict) and any(key.startswith("@") for key in value):
        return "directive"
    return real_type_of(value)


class _Validator:
    def __init__(self) -> None:
        self.problems: list[MappingProblem] = []

    def fail(self, pointer: str, directive: str, message: str) -> None:
        self.problems.append(MappingProblem(pointer, directive, message))

    def validate(self, node: object, pointer: str) -> None:
        kind = real_type_or_directive(node)
        if kind == "directive":
            assert isinstance(node, dict)
            self.validate_directive(node, pointer)
        elif kind == "object":
            assert isinstance(node, dict)
            self.validate_object(node, pointer)

    def validate_object(self, node: Mapping[str, object], pointer: str) -> None:
        if isinstance(node, RootFields):
            pointer = node.pointer
        for key, value in node.items():
            self.validate(value, child_pointer(pointer, key))

    def validate_directive(self, node: dict[str, object], pointer: str) -> None:
        directive_keys = [key for key in node if key.startswith("@")]
        if len(directive_keys) > 1:
            names = ", ".join(directive_keys)
            self.fail(
                pointer,
                "",
                f"has {len(directive_keys)} directive keys ({names}), but a directive "
                "object contains exactly one; put each directive in its own field",
            )
            return
        other_keys = [
            key for key in node if not key.startswith("@") and key != "_metadata"
        ]
        name = directive_keys[0]
        if other_keys:
            names = ", ".join(repr(key) for key in other_keys)
            self.fail(
                pointer,
                name,
                f"mixes the directive with other keys ({names}); a directive object "
                'may contain only its @-key and "_metadata"; move the other keys out',
            )
            return
        check = _DIRECTIVE_CHECKS.get(name)
        if check is None:
            known = ", ".join(sorted(_DIRECTIVE_CHECKS))
            self.fail(
                pointer, name, f"{name} is not a mapping directive; use one of {known}"
            )
            return
        check(self, node[name], child_pointer(pointer, name), name)

    def check_fields(
        self,
        value: object,
        pointer: str,
        directive: str,
        fields: Mapping[str, tuple[bool, Check]],
    ) -> bool:
        """Check an options object field by field; return whether it passed.

        As in mapping-kit, every option is first validated as a mapping, and the
        field rules run only when that found nothing.
        """
        if real_type_or_directive(value) != "object":
            self.fail(
                pointer,
                directive,
                f"options must be an object, but they are "
                f"{describe_type_or_directive(value)}; write them as an object such as "
                f"{_OPTION_EXAMPLES[directive]}",
            )
            return False
        assert isinstance(value, dict)
        count = len(self.problems)
        self.validate_object(value, pointer)
        if len(self.problems) > count:
            return False
        for field, (required, check) in fields.items():
            if field in value:
                check(self, value[field], child_pointer(pointer, field), directive)
            elif required:
                self.fail(
                    pointer,
                    directive,
                    f'is missing the required option "{field}"; add it, as in '
                    f"{_OPTION_EXAMPLES[directive]}",
                )
        return len(self.problems) == count


def describe_type_or_directive(value: object) -> str:
    """Name the type of ``value`` with its article, calling @-objects directives."""
    if real_type_or_directive(value) == "directive":
        return "a directive"
    return describe_type(value)


def _check_directive_or_raw(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    if real_type_or_directive(value) == "directive":
        assert isinstance(value, dict)
        validator.validate_directive(value, pointer)


def _check_directive_or_string(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    kind = real_type_or_directive(value)
    if kind == "directive":
        assert isinstance(value, dict)
        validator.validate_directive(value, pointer)
    elif kind != "string":
        validator.fail(
            pointer,
            directive,
            f"must be a string or a mapping directive, but it is "
            f'{describe_type(value)}; write a string such as "$.properties.email" '
            'or a directive such as {"@path": "$.properties.email"}',
        )


def _check_object_or_directive(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    kind = real_type_or_directive(value)
    if kind == "directive":
        assert isinstance(value, dict)
        validator.validate_directive(value, pointer)
    elif kind == "object":
        assert isinstance(value, dict)
        validator.validate_object(value, pointer)
    else:
        validator.fail(
            pointer,
            directive,
            f"must be an object or a mapping directive, but it is "
            f'{describe_type(value)}; write an object of fields or {{"@path": "$."}}',
        )


def _check_string(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    if real_type_or_directive(value) != "string":
        validator.fail(
            pointer,
            directive,
            f"must be a string, but it is {describe_type_or_directive(value)}; "
            "write it in quotes",
        )


def _check_boolean(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    if not isinstance(value, bool):
        validator.fail(
            pointer,
            directive,
            f"must be true or false, but it is {describe_type_or_directive(value)}",
        )


def _check_array(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    if not isinstance(value, list):
        validator.fail(
            pointer,
            directive,
            f"must be an array, but it is {describe_type_or_directive(value)}; "
            f"write it as in {_OPTION_EXAMPLES[directive]}",
        )


def _string_of_length(minimum: int, maximum: int) -> Check:
    def check(
        validator: _Validator, value: object, pointer: str, directive: str
    ) -> None:
        if not isinstance(value, str):
            _check_string(validator, value, pointer, directive)
            return
        length = utf16_length(value)
        if length < minimum:
            validator.fail(
                pointer,
                directive,
                f"must not be empty; give at least {minimum} character",
            )
        elif length > maximum:
            validator.fail(
                pointer,
                directive,
                f"{value!r} is {length} UTF-16 code units long, but the limit is "
                f"{maximum}; shorten it",
            )

    return check


def _check_json_mode(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    if not isinstance(value, str):
        _check_string(validator, value, pointer, directive)
        return
    # mapping-kit compares the mode case-insensitively here, but applies only the
    # lowercase modes; "ENCODE" passes validation and then produces nothing.
    if value.lower() not in JSON_MODES:
        validator.fail(
            pointer, directive, f'must be "encode" or "decode", but it is {value!r}'
        )


def _validate_if(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    optional = (False, _check_directive_or_raw)
    fields = {"exists": optional, "blank": optional, "then": optional, "else": optional}
    validator.check_fields(value, pointer, directive, fields)


def _validate_case(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    fields = {
        "operator": (False, _check_string),
        "value": (False, _check_directive_or_string),
    }
    validator.check_fields(value, pointer, directive, fields)


def _validate_replace(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    fields = {
        "pattern": (True, _string_of_length(1, MAX_PATTERN_LENGTH)),
        "replacement": (False, _string_of_length(0, MAX_REPLACEMENT_LENGTH)),
        "value": (True, _check_directive_or_string),
        "ignorecase": (False, _check_boolean),
        "global": (False, _check_boolean),
    }
    validator.check_fields(value, pointer, directive, fields)


def _validate_array_path(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    if not isinstance(value, list):
        _check_array(validator, value, pointer, directive)
        return
    path = value[0] if value else None
    if not value:
        validator.fail(
            pointer,
            directive,
            "is empty, but it needs a path first; write it as "
            + _OPTION_EXAMPLES[directive],
        )
    else:
        _check_directive_or_string(
            validator, path, child_pointer(pointer, 0), directive
        )
    if len(value) > 1:
        validator.validate(value[1], child_pointer(pointer, 1))


def _validate_json(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    fields = {
        "value": (True, _check_directive_or_raw),
        "mode": (True, _check_json_mode),
    }
    validator.check_fields(value, pointer, directive, fields)


def _validate_flatten(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    # NOTE: the rule for "separator" is inferred from mapping-kit's runtime, which
    # resolves it as a mapping and requires a string result.
    fields = {
        "value": (True, _check_directive_or_raw),
        "separator": (False, _check_directive_or_string),
    }
    validator.check_fields(value, pointer, directive, fields)


def _validate_merge(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    fields = {
        "objects": (True, _check_array),
        "direction": (False, _check_string),
    }
    if not validator.check_fields(value, pointer, directive, fields):
        return
    assert isinstance(value, dict)
    objects = value["objects"]
    assert isinstance(objects, list)
    objects_pointer = child_pointer(pointer, "objects")
    for index, item in enumerate(objects):
        item_pointer = child_pointer(objects_pointer, index)
        _check_object_or_directive(validator, item, item_pointer, directive)


def _validate_transform(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    fields = {
        "apply": (True, _check_object_or_directive),
        "mapping": (True, _check_object_or_directive),
    }
    validator.check_fields(value, pointer, directive, fields)


def _validate_string_directive(
    validator: _Validator, value: object, pointer: str, directive: str
) -> None:
    _check_directive_or_string(validator, value, pointer, directive)


_DIRECTIVE_CHECKS: dict[str, Check] = {
    "@arrayPath": _validate_array_path,
    "@case": _validate_case,
    "@excludeWhenNull": _check_directive_or_raw,
    "@flatten": _validate_flatten,
    "@if": _validate_if,
    "@json": _validate_json,
    "@liquid": _check_string,
    "@literal": _check_directive_or_raw,
    "@merge": _validate_merge,
    "@path": _validate_string_directive,
    "@replace": _validate_replace,
    "@template": _validate_string_directive,
    "@transform": _validate_transform,
}

_OPTION_EXAMPLES = {
    "@arrayPath": '["$.properties.products", {"id": {"@path": "$.product_id"}}]',
    "@case": '{"operator": "lower", "value": {"@path": "$.email"}}',
    "@flatten": '{"value": {"@path": "$.properties"}, "separator": "."}',
    "@if": '{"exists": {"@path": "$.userId"}, "then": "yes", "else": "no"}',
    "@json": '{"mode": "encode", "value": {"@path": "$.properties"}}',
    "@merge": '{"direction": "right", "objects": [{"@path": "$.traits"}]}',
    "@replace": '{"pattern": "-", "replacement": "_", "value": {"@path": "$.a"}}',
    "@transform": '{"apply": {"x": {"@path": "$.a"}}, "mapping": {"@path": "$.x"}}',
}
