"""JSON text written as JSON.stringify writes it and read as JSON.parse reads it."""

from __future__ import annotations

import math

import pytest

from runtime.mapping import MISSING, stringify_json, to_jsonable
from runtime.mapping.jsjson import parse_json

STRINGIFIED = [
    ({"a": 1.0, "b": [True, None]}, "compact", '{"a":1,"b":[true,null]}'),
    ({"a": MISSING, "b": 2}, "missing-field", '{"b":2}'),
    ([MISSING, 1], "missing-item", "[null,1]"),
    ([math.nan, math.inf, -math.inf], "non-finite", "[null,null,null]"),
    ({"b": 1, "2": 2, "1": 3}, "index-keys-first", '{"1":3,"2":2,"b":1}'),
    ([1e21, 1.5e-7, 10**400], "number-format", "[1e+21,1.5e-7,null]"),
    ("caf\u00e9 \u2028 </>", "non-ascii-raw", '"caf\u00e9 \u2028 </>"'),
    ('a\u0001\t\n"\\', "control-escapes", '"a\\u0001\\t\\n\\"\\\\"'),
    ("x\ud800", "lone-surrogate", '"x\\ud800"'),
]


@pytest.mark.parametrize(
    ("value", "text"),
    [(value, text) for value, _, text in STRINGIFIED],
    ids=[name for _, name, _ in STRINGIFIED],
)
def test_stringify_json_matches_javascript(value: object, text: str) -> None:
    assert stringify_json(value) == text


def test_stringify_json_missing_gives_none() -> None:
    assert stringify_json(MISSING) is None


def test_stringify_json_rejects_non_json_values() -> None:
    with pytest.raises(TypeError, match="set"):
        stringify_json({"a": {1, 2}})


def test_parse_json_reads_objects() -> None:
    assert parse_json(' {"a": [1, "x"]} \n') == {"a": [1, "x"]}


@pytest.mark.parametrize(
    "text",
    ["NaN", "Infinity", "-Infinity", "", "Hello", "{'a': 1}", "\ufeff1", "[1,]"],
    ids=[
        "nan",
        "infinity",
        "minus-infinity",
        "empty",
        "word",
        "quotes",
        "bom",
        "comma",
    ],
)
def test_parse_json_rejects_what_javascript_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_json(text)


def test_parse_json_rounds_big_integers_to_doubles() -> None:
    assert parse_json("12345678901234567890") == 12345678901234567168.0


def test_parse_json_keeps_safe_integers_exact() -> None:
    assert parse_json("9007199254740991") == 9007199254740991


def test_parse_json_overflows_to_infinity() -> None:
    assert parse_json("1e400") == math.inf


def test_to_jsonable_drops_missing_fields() -> None:
    assert to_jsonable({"a": MISSING, "b": {"c": MISSING}}) == {"b": {}}


def test_to_jsonable_turns_missing_items_into_none() -> None:
    assert to_jsonable([MISSING, math.nan]) == [None, None]


def test_to_jsonable_keeps_top_level_missing() -> None:
    assert to_jsonable(MISSING) is MISSING
