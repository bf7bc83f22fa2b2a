"""Path parsing and lookup, as mapping-kit's @path reads a payload."""

from __future__ import annotations

import pytest

from runtime.mapping import MISSING
from runtime.mapping.paths import get_path, parse_path

SPLITS = [
    ("$.a.b", ["a", "b"]),
    ("a.b", ["a", "b"]),
    ("$.a[0].b", ["a", "0", "b"]),
    ("$.m[1][0]", ["m", "1", "0"]),
    ("$.i['Actions Amplitude'].id", ["i", "Actions Amplitude", "id"]),
    ('$.i["x y"]', ["i", "x y"]),
    ("$.a[b]", ["a[b]"]),
    ("$.arr[-1]", ["arr[-1"]),
    ("$.it's", ["its"]),
    ("$.a..b", ["a", "b"]),
    ("$.a$.b", ["a$", "b"]),
    ("a.$.b", ["a", "b"]),
    ("$.a\\.b", ["a\\", "b"]),
    ('$.p["dot.key"]', ["p", "dot", "key"]),
]


@pytest.mark.parametrize(("path", "keys"), SPLITS, ids=[path for path, _ in SPLITS])
def test_parse_path_splits_like_mapping_kit(path: str, keys: list[str]) -> None:
    segments = parse_path(path)
    assert segments is not None
    assert [key for key, _ in segments] == keys


@pytest.mark.parametrize("path", ["", ".", "$."], ids=["empty", "dot", "dollar-dot"])
def test_parse_path_root_forms(path: str) -> None:
    assert parse_path(path) is None


PAYLOAD = {
    "s": "h\u00e9llo",
    "e": "a\U0001f600",
    "arr": [10, 20],
    "zero": 0,
    "empty": "",
    "null": None,
    "no": False,
    "yes": True,
    "obj": {"k": "v", "01": "leading"},
}

LOOKUPS = [
    ("$.obj.k", "v"),
    ("$.obj.01", "leading"),
    ("$.arr.1", 20),
    ("$.arr[1]", 20),
    ("$.arr.2", MISSING),
    ("$.arr.01", MISSING),
    ("$.arr.length", 2),
    ("$.s.length", 5),
    ("$.s.1", "\u00e9"),
    ("$.e.length", 3),
    ("$.e.1", "\ud83d"),
    ("$.zero.x.y", 0),
    ("$.empty.x", ""),
    ("$.null.x", None),
    ("$.no.x", False),
    ("$.yes.x", MISSING),
    ("$.obj.k.x", MISSING),
    ("$.nope.x", MISSING),
    ("$.arr.map", MISSING),
]


@pytest.mark.parametrize(("path", "value"), LOOKUPS, ids=[path for path, _ in LOOKUPS])
def test_get_path_follows_javascript_lookup(path: str, value: object) -> None:
    assert get_path(PAYLOAD, parse_path(path)) == value


def test_get_path_root_returns_payload() -> None:
    assert get_path(PAYLOAD, parse_path("$.")) is PAYLOAD


def test_get_path_on_missing_payload_is_missing() -> None:
    assert get_path(MISSING, parse_path("$.a")) is MISSING
