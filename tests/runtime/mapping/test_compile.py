"""Compiled mappings: the public API, missing values and run-time errors."""

from __future__ import annotations

import copy

import pytest

from runtime.errors import MappingError
from runtime.mapping import MISSING, CompiledMapping, apply_mapping, compile_mapping

EVENT = {
    "type": "track",
    "userId": "u-1",
    "properties": {"total": 10.0, "coupon": None, "tags": ["a", "b"]},
}


def test_compile_mapping_returns_compiled_mapping() -> None:
    assert isinstance(compile_mapping({"a": 1}), CompiledMapping)


def test_compiled_mapping_applies_to_many_events() -> None:
    compiled = compile_mapping({"id": {"@path": "$.userId"}})
    results = [compiled.apply({"userId": user}) for user in ("a", "b")]
    assert results == [{"id": "a"}, {"id": "b"}]


def test_compiled_mapping_ignores_later_changes_to_mapping() -> None:
    mapping = {"id": {"@path": "$.userId"}}
    compiled = compile_mapping(mapping)
    mapping["id"] = {"@path": "$.type"}
    assert compiled.apply(EVENT) == {"id": "u-1"}


def test_compiled_mapping_leaves_event_unchanged() -> None:
    event = copy.deepcopy(EVENT)
    compile_mapping({"p": {"@excludeWhenNull": {"@path": "$.properties"}}}).apply(event)
    assert event == EVENT


def test_apply_drops_missing_fields() -> None:
    result = apply_mapping({"a": {"@path": "$.nope"}, "b": {"c": {"@path": "$.x"}}}, {})
    assert result == {"b": {}}


def test_apply_keeps_missing_array_items() -> None:
    assert apply_mapping({"a": [{"@path": "$.nope"}, 1]}, {}) == {"a": [MISSING, 1]}


def test_apply_returns_missing_for_undefined_result() -> None:
    assert apply_mapping({"@path": "$.nope"}, {}) is MISSING


def test_apply_keeps_null() -> None:
    assert apply_mapping({"c": {"@path": "$.properties.coupon"}}, EVENT) == {"c": None}


def test_apply_without_data_uses_empty_object() -> None:
    assert apply_mapping({"a": {"@path": "$.x"}, "b": 1}) == {"b": 1}


@pytest.mark.parametrize(
    "data", [None, [], "event", 5], ids=["null", "array", "string", "number"]
)
def test_apply_rejects_data_that_is_not_an_object(data: object) -> None:
    with pytest.raises(MappingError, match="data must be an object"):
        apply_mapping({"a": 1}, data)


def test_apply_formats_numbers_in_templates_like_javascript() -> None:
    result = apply_mapping({"t": {"@template": "{{properties.total}}"}}, EVENT)
    assert result == {"t": "10"}


@pytest.mark.parametrize(
    "mapping",
    [
        {"v": {"@path": {"@path": "$.properties.total"}}},
        {"v": [{"@oops": 1}]},
        {"v": {"@case": {"operator": "title", "value": {"@path": "$.type"}}}},
        {"v": {"@if": {"then": 1}}},
        {"v": {"@json": {"mode": "encode", "value": 0}}},
        {"v": {"@flatten": {"value": {"@path": "$.properties"}}}},
        {"v": {"@merge": {"objects": []}}},
        {"v": {"@liquid": "{% for t in properties.tags %}{{t}}{% endfor %}"}},
    ],
    ids=[
        "path-not-string",
        "unknown-directive-in-array",
        "case-operator",
        "if-condition",
        "json-value",
        "flatten-separator",
        "merge-direction",
        "liquid-disabled-tag",
    ],
)
def test_apply_raises_run_time_errors(mapping: object) -> None:
    compiled = compile_mapping(mapping)
    with pytest.raises(MappingError):
        compiled.apply(EVENT)


def test_apply_run_time_error_points_at_directive() -> None:
    compiled = compile_mapping({"v": [{"@path": 5}]})
    with pytest.raises(MappingError) as raised:
        compiled.apply(EVENT)
    assert raised.value.pointer == "/v/0"
    assert raised.value.directive == "@path"


def test_apply_untaken_branch_does_not_fail() -> None:
    mapping = {"v": {"@if": {"exists": 1, "then": 2, "else": [{"@oops": 1}]}}}
    assert apply_mapping(mapping, {}) == {"v": 2}


def test_apply_root_directive_runs_over_fields() -> None:
    mapping = {
        "__segment_internal_directive": {
            "@transform": {"apply": {"id": {"@path": "$.userId"}}}
        },
        "user": {"@path": "$.id"},
        "event": {"@path": "$.type"},
    }
    assert apply_mapping(mapping, EVENT) == {"user": "u-1"}


def test_apply_top_level_string_spreads_characters() -> None:
    assert apply_mapping("ab", {}) == {"0": "a", "1": "b"}


def test_apply_top_level_number_gives_empty_object() -> None:
    assert apply_mapping(7, {}) == {}
