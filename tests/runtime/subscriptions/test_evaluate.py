"""Matching: Segment's comparison rules on events."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.subscriptions import matches, parse_subscription

EVENT: dict[str, object] = {
    "type": "track",
    "event": "Order Completed",
    "userId": "user-1",
    "properties": {
        "count": 10,
        "ratio": 0.5,
        "str_num": "10",
        "flag": True,
        "off": False,
        "coupon": None,
        "empty": "",
        "zero": 0,
        "tags": ["x", "y"],
        "first name": "Ada",
        "nested": {"level": {"deep": "yes"}},
        "big": 10**400,
    },
    "traits": {"plan": "pro"},
    "context": {"page": {"path": "/checkout"}, "traits": {"plan": "free"}},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('properties.str_num = "10"', True),
        ('properties.count = "10"', False),
        ("properties.count = 10", True),
        ("properties.str_num = 10", False),
        ("properties.flag = 1", False),
        ("properties.count != 11", True),
        ("properties.str_num != 11", False),
        ("properties.missing != 11", False),
        ('properties.missing != "x"', True),
        ('properties.count != "10"', True),
        ("properties.count > 9.5", True),
        ('properties.count > "5"', True),
        ('properties.count > " 5 "', True),
        ("properties.str_num > 5", False),
        ("properties.flag > 0", False),
        ("properties.big > 1", True),
        ("properties.ratio <= 0.5", True),
        ("properties.ratio < -1", False),
    ],
    ids=[
        "string-equals-string",
        "string-equals-number",
        "number-equals-number",
        "number-equals-string",
        "number-equals-boolean",
        "number-not-equals",
        "number-not-equals-string",
        "number-not-equals-missing",
        "string-not-equals-missing",
        "string-not-equals-number",
        "greater-than-decimal",
        "greater-than-quoted",
        "greater-than-padded",
        "greater-than-on-string",
        "greater-than-on-boolean",
        "greater-than-huge-integer",
        "less-equal",
        "negative-literal",
    ],
)
def test_matches_compares_like_segment(text: str, expected: bool) -> None:
    assert parse_subscription(text).matches(EVENT) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("properties.coupon = null", True),
        ("properties.missing = null", True),
        ("properties.off = null", False),
        ("properties.zero != null", True),
        ("properties.flag = true", True),
        ("properties.off = false", True),
        ("properties.zero = false", False),
        ('properties.flag = "true"', False),
    ],
    ids=[
        "null-is-missing",
        "absent-is-missing",
        "false-exists",
        "zero-exists",
        "is-true",
        "is-false",
        "zero-is-not-false",
        "quoted-true-is-text",
    ],
)
def test_matches_presence_and_booleans(text: str, expected: bool) -> None:
    assert parse_subscription(text).matches(EVENT) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('contains(event, "Order")', True),
        ('contains(event, "order")', False),
        ('contains(properties.count, "1")', False),
        ('!contains(properties.missing, "x")', False),
        ('!contains(event, "Refund")', True),
        ('match(event, "Order*")', True),
        ('match(event, "*Completed")', True),
        ('!match(event, "Order*")', False),
        ('match(properties.tags, "x*")', False),
    ],
    ids=[
        "contains",
        "contains-case-sensitive",
        "contains-on-number",
        "not-contains-on-missing",
        "not-contains",
        "match-prefix",
        "match-suffix",
        "not-match-prefix",
        "match-on-list",
    ],
)
def test_matches_text_functions(text: str, expected: bool) -> None:
    assert parse_subscription(text).matches(EVENT) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('properties.nested.level.deep = "yes"', True),
        ('properties.nested.missing.deep = "yes"', False),
        ('properties.first\\ name = "Ada"', True),
        ('properties.tags.\\1 = "y"', True),
        ("properties.tags.length = 2", True),
        ('properties.empty.anything = ""', True),
        ("properties.off.anything = false", True),
        ('traits.plan = "pro"', True),
        ('context.traits.plan = "free"', True),
        ('context.page.path = "/checkout"', True),
    ],
    ids=[
        "nested",
        "nested-through-missing",
        "escaped-space",
        "list-index",
        "list-length",
        "falsy-value-stops-path",
        "false-stops-path",
        "top-level-traits",
        "context-traits",
        "context-path",
    ],
)
def test_matches_reads_paths(text: str, expected: bool) -> None:
    assert parse_subscription(text).matches(EVENT) is expected


def test_matches_identify_properties_not_traits() -> None:
    identify = {"type": "identify", "traits": {"plan": "pro"}}
    assert parse_subscription('properties.plan = "pro"').matches(identify) is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('type = "track" or ()', True),
        ('() or type = "track"', False),
        ('type = "page" and ()', False),
        ('type = "track" and ()', False),
        ('properties.\\. = "x" or type = "track"', False),
    ],
    ids=[
        "empty-group-never-reached",
        "empty-group-first",
        "and-stops-before",
        "and-reaches-empty-group",
        "path-without-key",
    ],
)
def test_matches_stops_where_segment_fails(text: str, expected: bool) -> None:
    assert parse_subscription(text).matches(EVENT) is expected


@pytest.mark.parametrize(
    "event",
    [None, [], "track", {}],
    ids=["none", "list", "string", "empty-object"],
)
def test_matches_odd_event_payloads(event: Any) -> None:
    assert parse_subscription('type = "track"').matches(event) is False


def test_matches_not_equals_on_non_object_event() -> None:
    payload: Any = []
    assert parse_subscription('type != "track"').matches(payload) is True


def test_matches_function_returns_false_for_invalid_query() -> None:
    assert matches("type", EVENT) is False


def test_matches_function_applies_valid_query() -> None:
    assert matches('event = "Order Completed"', EVENT) is True
