"""JavaScript value rules: String(), Number(), truthiness and path reads."""

from __future__ import annotations

import math

import pytest

from runtime.subscriptions.jsvalues import (
    UNDEFINED,
    get_path,
    is_number,
    is_truthy,
    to_js_string,
    to_number,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10.0, "10"),
        (99.5, "99.5"),
        (-5.0, "-5"),
        (-0.0, "0"),
        (0.1, "0.1"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (1.5e-10, "1.5e-10"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.2345e25, "1.2345e+25"),
        (123456789.125, "123456789.125"),
        (math.nan, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (True, "true"),
        (False, "false"),
        ("text", "text"),
    ],
    ids=[
        "integral-float",
        "decimal",
        "negative",
        "negative-zero",
        "tenth",
        "micro",
        "below-micro",
        "small-exponent",
        "1e20",
        "1e21",
        "large",
        "many-digits",
        "nan",
        "infinity",
        "negative-infinity",
        "true",
        "false",
        "string",
    ],
)
def test_to_js_string(value: object, expected: str) -> None:
    assert to_js_string(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", 10.0),
        (" 5\n", 5.0),
        ("", 0.0),
        ("+010", 10.0),
        ("1.", 1.0),
        ("-.5", -0.5),
        ("1e3", 1000.0),
        ("0x10", 16.0),
        ("0b11", 3.0),
        ("-Infinity", -math.inf),
        (True, 1.0),
        (False, 0.0),
        (None, 0.0),
        (7, 7.0),
    ],
    ids=[
        "integer",
        "padded",
        "empty",
        "plus-leading-zero",
        "trailing-point",
        "negative-fraction",
        "exponent",
        "hex",
        "binary",
        "negative-infinity",
        "true",
        "false",
        "null",
        "int",
    ],
)
def test_to_number(value: object, expected: float) -> None:
    assert to_number(value) == expected


@pytest.mark.parametrize(
    "value",
    ["-", "+", "abc", "1_000", "inf", "nan", "0x", "-0x10", "1e", UNDEFINED],
    ids=[
        "minus",
        "plus",
        "word",
        "underscore",
        "inf",
        "nan",
        "bare-hex-prefix",
        "signed-hex",
        "bare-exponent",
        "undefined",
    ],
)
def test_to_number_nan(value: object) -> None:
    assert math.isnan(to_number(value))


def test_to_number_huge_integer() -> None:
    assert to_number(10**400) == math.inf


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, False),
        (0.0, False),
        (math.nan, False),
        ("", False),
        (None, False),
        (UNDEFINED, False),
        (False, False),
        ({}, True),
        ([], True),
        ("0", True),
        (-1, True),
    ],
    ids=[
        "zero",
        "float-zero",
        "nan",
        "empty-string",
        "null",
        "undefined",
        "false",
        "empty-object",
        "empty-list",
        "zero-text",
        "negative",
    ],
)
def test_is_truthy(value: object, expected: bool) -> None:
    assert is_truthy(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, True), (1.5, True), (True, False), ("1", False), (None, False)],
    ids=["int", "float", "bool", "string", "null"],
)
def test_is_number(value: object, expected: bool) -> None:
    assert is_number(value) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a.b", 1),
        ("list.1", "y"),
        ("list[0]", "x"),
        ("list.01", UNDEFINED),
        ("list.5", UNDEFINED),
        ("list.length", 2),
        ("text.0", "a"),
        ("text.length", 3),
        ("empty.x", ""),
        ("zero.x", 0),
        ("null.x", None),
        ("number.x", UNDEFINED),
        ("missing.x", UNDEFINED),
        ("", UNDEFINED),
    ],
    ids=[
        "nested",
        "list-index",
        "bracket-index",
        "non-canonical-index",
        "index-out-of-range",
        "list-length",
        "string-index",
        "string-length",
        "empty-string-stops",
        "zero-stops",
        "null-stops",
        "number-has-no-keys",
        "missing",
        "empty-path",
    ],
)
def test_get_path(path: str, expected: object) -> None:
    root = {
        "a": {"b": 1},
        "list": ["x", "y"],
        "text": "abc",
        "empty": "",
        "zero": 0,
        "null": None,
        "number": 5,
    }
    assert get_path(root, path) == expected


def test_get_path_without_key_raises() -> None:
    with pytest.raises(TypeError):
        get_path({}, "..")
