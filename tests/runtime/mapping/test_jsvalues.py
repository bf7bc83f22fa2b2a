"""JavaScript value rules: number formatting, String(), truthiness and lengths."""

from __future__ import annotations

import math

import pytest

from runtime.mapping import MISSING, format_js_number
from runtime.mapping.jsvalues import (
    array_index,
    is_truthy,
    js_key_order,
    js_trim,
    loosely_equals_empty_string,
    real_type_of,
    to_js_string,
    utf16_length,
    utf16_units,
)

NUMBER_TEXT = [
    (10.0, "10"),
    (10, "10"),
    (-1.5, "-1.5"),
    (0.1 + 0.2, "0.30000000000000004"),
    (1e21, "1e+21"),
    (1e20, "100000000000000000000"),
    (123456789012345680000.0, "123456789012345680000"),
    (1.5e-7, "1.5e-7"),
    (1e-7, "1e-7"),
    (0.000001, "0.000001"),
    (0.0000123, "0.0000123"),
    (1.23e-18, "1.23e-18"),
    (-0.0, "0"),
    (0, "0"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (2.5e25, "2.5e+25"),
    (-1e21, "-1e+21"),
    (99.5, "99.5"),
    (12345678901234567890, "12345678901234567000"),
    (2**53, "9007199254740992"),
    (2**53 + 1, "9007199254740992"),
    (10**21, "1e+21"),
    (10**400, "Infinity"),
    (-(10**400), "-Infinity"),
    (math.inf, "Infinity"),
    (-math.inf, "-Infinity"),
    (math.nan, "NaN"),
]


@pytest.mark.parametrize(
    ("number", "text"), NUMBER_TEXT, ids=[text for _, text in NUMBER_TEXT]
)
def test_format_js_number_matches_javascript(number: float, text: str) -> None:
    assert format_js_number(number) == text


STRING_FORMS = [
    ("text", "text", "text"),
    (True, "true", "true"),
    (False, "false", "false"),
    (None, "null", "null"),
    (MISSING, "undefined", "undefined"),
    (2.0, "number", "2"),
    ([1, "a", None, MISSING], "flat array", "1,a,,"),
    ([[1, 2], [3, [4, None]]], "nested array", "1,2,3,4,"),
    ([], "empty array", ""),
    ({"a": 1}, "object", "[object Object]"),
    ([{"a": 1}, True], "array of object", "[object Object],true"),
]


@pytest.mark.parametrize(
    ("value", "text"),
    [(value, text) for value, _, text in STRING_FORMS],
    ids=[name for _, name, _ in STRING_FORMS],
)
def test_to_js_string_matches_string_function(value: object, text: str) -> None:
    assert to_js_string(value) == text


TRUTHINESS = [
    (MISSING, False),
    (None, False),
    (False, False),
    (0, False),
    (-0.0, False),
    (math.nan, False),
    ("", False),
    (True, True),
    (1, True),
    ("0", True),
    (" ", True),
    ([], True),
    ({}, True),
]


@pytest.mark.parametrize(
    ("value", "truthy"), TRUTHINESS, ids=[repr(value) for value, _ in TRUTHINESS]
)
def test_is_truthy_follows_javascript(value: object, truthy: bool) -> None:
    assert is_truthy(value) is truthy


BLANK_EQUALITY = [
    ("", True),
    (" ", False),
    ("0", False),
    (0, True),
    (0.0, True),
    (1, False),
    (False, True),
    (True, False),
    ([], True),
    ([""], True),
    ([None], True),
    ([0], False),
    ([[]], True),
    ({}, False),
    (None, False),
    (MISSING, False),
]


@pytest.mark.parametrize(
    ("value", "equal"), BLANK_EQUALITY, ids=[repr(value) for value, _ in BLANK_EQUALITY]
)
def test_loosely_equals_empty_string_coerces(value: object, equal: bool) -> None:
    assert loosely_equals_empty_string(value) is equal


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (MISSING, "undefined"),
        (None, "null"),
        (True, "boolean"),
        (1, "number"),
        (1.5, "number"),
        ("", "string"),
        ([], "array"),
        ({}, "object"),
    ],
    ids=["undefined", "null", "boolean", "int", "float", "string", "array", "object"],
)
def test_real_type_of_names_javascript_types(value: object, type_name: str) -> None:
    assert real_type_of(value) == type_name


def test_utf16_length_counts_surrogate_pairs() -> None:
    assert utf16_length("a😀é") == 4


def test_utf16_units_splits_astral_characters() -> None:
    assert utf16_units("a😀") == ["a", "\ud83d", "\ude00"]


@pytest.mark.parametrize(
    ("key", "index"),
    [("0", 0), ("12", 12), ("01", None), ("-1", None), ("1.0", None), ("", None)],
    ids=["zero", "twelve", "leading-zero", "negative", "decimal", "empty"],
)
def test_array_index_accepts_canonical_indexes(key: str, index: int | None) -> None:
    assert array_index(key) == index


def test_js_key_order_puts_indexes_first() -> None:
    assert js_key_order(["b", "10", "a", "9", "01"]) == ["9", "10", "b", "a", "01"]


def test_js_trim_removes_javascript_whitespace_only() -> None:
    assert js_trim("\ufeff\u00a0 x \n\x1c") == "x \n\x1c"
