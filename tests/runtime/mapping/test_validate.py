"""Mapping validation: which mappings are invalid, and where each problem is."""

from __future__ import annotations

import pytest

from runtime.errors import MappingError
from runtime.mapping import compile_mapping, validate_mapping


def _pointers(mapping: object) -> list[str]:
    return [problem.pointer for problem in validate_mapping(mapping)]


def test_validate_mapping_valid_mapping_has_no_problems() -> None:
    mapping = {
        "id": {"@path": "$.userId"},
        "name": {"@template": "{{traits.first}} {{traits.last}}"},
        "items": {"@arrayPath": ["$.products", {"sku": {"@path": "$.sku"}}]},
    }
    assert validate_mapping(mapping) == []


def test_validate_mapping_returns_every_problem() -> None:
    mapping = {
        "a": {"@path": 1},
        "b": {"@template": {}},
        "c": {"@nope": 1},
    }
    assert _pointers(mapping) == ["/a/@path", "/b/@template", "/c"]


def test_validate_mapping_problems_are_mapping_errors() -> None:
    problem = validate_mapping({"a": {"@path": 1}})[0]
    assert isinstance(problem, MappingError)


def test_validate_mapping_names_the_directive() -> None:
    problem = validate_mapping({"a": {"@path": 1}})[0]
    assert problem.directive == "@path"


def test_validate_mapping_message_names_type_and_fix() -> None:
    message = str(validate_mapping({"a": {"@path": 1}})[0])
    assert "it is a number" in message
    assert '"$.properties.email"' in message


def test_validate_mapping_escapes_pointer_keys() -> None:
    assert _pointers({"a/b": {"c~d": {"@path": False}}}) == ["/a~1b/c~0d/@path"]


INVALID = [
    ({"@path": "$.a", "@template": "x"}, ""),
    ({"@path": "$.a", "other": 1}, ""),
    ({"a": {"@": 1}}, "/a"),
    ({"@if": []}, "/@if"),
    ({"@if": {"exists": 1, "then": {"@oops": 1}}}, "/@if/then"),
    ({"@if": {"exists": 1, "then": {"x": {"@oops": 1}}}}, "/@if/then/x"),
    ({"@case": "lower"}, "/@case"),
    ({"@case": {"operator": 1}}, "/@case/operator"),
    ({"@replace": {"value": "x"}}, "/@replace"),
    ({"@replace": {"pattern": "", "value": "x"}}, "/@replace/pattern"),
    ({"@replace": {"pattern": "\U0001f600" * 6, "value": "x"}}, "/@replace/pattern"),
    ({"@replace": {"pattern": "a", "value": "x", "global": "yes"}}, "/@replace/global"),
    ({"@arrayPath": "nope"}, "/@arrayPath"),
    ({"@arrayPath": []}, "/@arrayPath"),
    ({"@arrayPath": ["$.a", {"x": {"@path": []}}]}, "/@arrayPath/1/x/@path"),
    ({"@json": {"mode": "oops", "value": 1}}, "/@json/mode"),
    ({"@json": {"mode": "encode"}}, "/@json"),
    ({"@flatten": {"separator": "."}}, "/@flatten"),
    ({"@merge": {"direction": "right", "objects": {}}}, "/@merge/objects"),
    ({"@merge": {"direction": "right", "objects": [{}, 1]}}, "/@merge/objects/1"),
    ({"@merge": {"direction": 1, "objects": []}}, "/@merge/direction"),
    ({"@transform": {"apply": [], "mapping": {}}}, "/@transform/apply"),
    ({"@transform": {"@path": "$.a"}}, "/@transform"),
    ({"@liquid": 5}, "/@liquid"),
]


@pytest.mark.parametrize(
    ("mapping", "pointer"), INVALID, ids=[repr(mapping)[:60] for mapping, _ in INVALID]
)
def test_validate_mapping_reports_pointer(mapping: object, pointer: str) -> None:
    assert _pointers(mapping)[0] == pointer


VALID = [
    [{"@oops": 1}],
    5,
    {"@literal": {"a": {"@oops": 1}}},
    {"@if": {}},
    {"@case": {}},
    {"@json": {"mode": "ENCODE", "value": 0}},
    {"@replace": {"pattern": "a", "value": "x", "pattern2": "too long pattern"}},
    {"@flatten": {"value": 1, "omitArrays": "yes"}},
    {"@merge": {"objects": [{"@path": "$.a"}]}},
    {"@excludeWhenNull": "x"},
    {"@path": "$.a", "_metadata": {"label": "A"}},
]


@pytest.mark.parametrize(
    "mapping", VALID, ids=[repr(mapping)[:60] for mapping in VALID]
)
def test_validate_mapping_accepts_what_mapping_kit_accepts(mapping: object) -> None:
    assert validate_mapping(mapping) == []


def test_compile_mapping_raises_first_problem() -> None:
    with pytest.raises(MappingError) as raised:
        compile_mapping({"a": {"@path": 1}, "b": {"@path": 2}})
    assert raised.value.pointer == "/a/@path"


def test_compile_mapping_validates_spread_top_level_array() -> None:
    with pytest.raises(MappingError) as raised:
        compile_mapping([{"@oops": 1}])
    assert raised.value.pointer == "/0"


def test_compile_mapping_points_into_fields_beside_root_directive() -> None:
    mapping = {
        "__segment_internal_directive": {"@transform": {"apply": {}}},
        "out": {"@path": 5},
    }
    with pytest.raises(MappingError) as raised:
        compile_mapping(mapping)
    assert raised.value.pointer == "/out/@path"


@pytest.mark.parametrize(
    "root",
    [
        {"@transform": {"apply": {}}, "@merge": {}},
        {"@path": "$.x"},
        {},
        None,
        "x",
    ],
    ids=["two-directives", "string-options", "empty", "null", "string"],
)
def test_compile_mapping_rejects_bad_root_directive(root: object) -> None:
    with pytest.raises(MappingError) as raised:
        compile_mapping({"__segment_internal_directive": root, "a": 1})
    assert raised.value.pointer == "/__segment_internal_directive"


def test_compile_mapping_rejects_null_mapping() -> None:
    with pytest.raises(MappingError, match="null"):
        compile_mapping(None)
