"""Directive behaviour beyond the recorded cases: merges, nulls and Liquid."""

from __future__ import annotations

import pytest

from runtime.errors import MappingError
from runtime.mapping import apply_mapping


def _merge(*objects: object) -> dict[str, object]:
    return {"@merge": {"direction": "right", "objects": list(objects)}}


MISSING_OVERRIDES = [
    ({"@literal": {"a": {"@path": "$.nope"}}}, "literal"),
    (_merge({"a": {"@path": "$.nope"}}), "nested-merge"),
    ({"@if": {"exists": 1, "then": {"a": {"@path": "$.nope"}}}}, "if-then"),
    ({"@excludeWhenNull": {"@path": "$.nulls"}}, "exclude-when-null"),
    ({"@flatten": {"separator": ".", "value": {"a": {"@path": "$.nope"}}}}, "flatten"),
]


@pytest.mark.parametrize(
    "source",
    [source for source, _ in MISSING_OVERRIDES],
    ids=[name for _, name in MISSING_OVERRIDES],
)
def test_merge_missing_field_overrides_earlier_value(source: object) -> None:
    result = apply_mapping(
        {"v": _merge({"a": 1, "b": 2}, source)}, {"nulls": {"a": None}}
    )
    assert result == {"v": {"b": 2}}


def test_merge_left_keeps_first_value() -> None:
    mapping = {"@merge": {"direction": "left", "objects": [{"a": 1}, {"a": 2, "b": 3}]}}
    assert apply_mapping(mapping, {}) == {"a": 1, "b": 3}


def test_merge_string_spreads_utf16_units() -> None:
    result = apply_mapping(_merge({"@path": "$.s"}), {"s": "\U0001f600"})
    assert result == {"0": "\ud83d", "1": "\ude00"}


def test_exclude_when_null_cleans_nested_objects_not_arrays() -> None:
    data = {"o": {"a": None, "b": {"c": None, "d": [None]}}}
    result = apply_mapping({"@excludeWhenNull": {"@path": "$.o"}}, data)
    assert result == {"b": {"d": [None]}}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [(" ", "yes"), ("0", "yes"), ([0], "yes"), ([], "no"), (False, "no")],
    ids=["space", "zero-text", "array-of-zero", "empty-array", "false"],
)
def test_if_blank_uses_loose_equality(condition: object, expected: str) -> None:
    mapping = {"@if": {"blank": {"@path": "$.c"}, "then": "yes", "else": "no"}}
    assert apply_mapping(mapping, {"c": condition}) == expected


def test_if_falsy_exists_with_truthy_blank_checks_exists() -> None:
    mapping = {"@if": {"exists": 0, "blank": 1, "then": "yes", "else": "no"}}
    assert apply_mapping(mapping, {}) == "yes"


def test_array_path_directive_root_is_the_value() -> None:
    mapping = {"@arrayPath": [{"@path": "$.items"}, {"id": {"@path": "$.id"}}]}
    assert apply_mapping(mapping, {"items": [{"id": 1}]}) == [{"id": 1}]


def test_transform_apply_with_root_directive() -> None:
    apply = {
        "__segment_internal_directive": {
            "@transform": {"apply": {"x": {"@path": "$.a"}}, "mapping": {}}
        },
        "y": {"@path": "$.x"},
    }
    mapping = {"@transform": {"apply": apply, "mapping": {"z": {"@path": "$.y"}}}}
    assert apply_mapping(mapping, {"a": 1}) == {"z": 1}


def test_json_decode_rejects_nan_literal() -> None:
    mapping = {"@json": {"mode": "decode", "value": {"@path": "$.s"}}}
    assert apply_mapping(mapping, {"s": "NaN"}) == "NaN"


LIQUID = [
    ("{{ n | plus: 0.5 }}", "100"),
    ("{{ flag }}", "true"),
    ("{{ obj }}", "[object Object]"),
    ("{{ list }}", "ab"),
    ("{{ n | no_such_filter }}", "99.5"),
    ("{% if n > 50 %}big{% endif %}", "big"),
]


@pytest.mark.parametrize(("template", "text"), LIQUID, ids=[t for t, _ in LIQUID])
def test_liquid_prints_values_like_liquidjs(template: str, text: str) -> None:
    data = {"n": 99.5, "flag": True, "obj": {"a": 1}, "list": ["a", "b"]}
    assert apply_mapping({"@liquid": template}, data) == text


def test_liquid_long_template_fails() -> None:
    with pytest.raises(MappingError, match="1000"):
        apply_mapping({"@liquid": "x" * 1001}, {})
