"""Parser: how Segment reads a query, the warnings, describe() and errors."""

from __future__ import annotations

import pytest

from runtime.errors import MappingError
from runtime.subscriptions import parse_subscription


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('type = "track"', '(type = "track")'),
        (
            'type = "track" and (event = "A" or event = "B")',
            '(type = "track" and (event = "A" or event = "B"))',
        ),
        ("a = 1 or properties.count = 10", "(properties.count = 10)"),
        ("properties.count != 10", "(properties.count != 10)"),
        ('properties.count = "10"', '(properties.count = "10")'),
        ("properties.total > 50", "(properties.total > 50)"),
        ("properties.coupon != null", "(properties.coupon != null)"),
        ("traits.phone = null", "(traits.phone = null)"),
        ("context.vip = true", "(context.vip = true)"),
        ("userId = false", "(userId = false)"),
        ("name != null", "(name != null)"),
        ('!contains(event, "Refund")', '(!contains(event, "Refund"))'),
        ('match(properties.name, "Nike*")', '(match(properties.name, "Nike*"))'),
        ('!match(event, "*Completed")', '(!match(event, "*Completed"))'),
        ('properties.name contains "Nike"', '(contains(properties.name, "Nike"))'),
        ("event = 123", '(event = "123")'),
        ('properties.first\\ name = "Ada"', '(properties.first\\ name = "Ada")'),
    ],
    ids=[
        "single-clause",
        "parenthesised-or",
        "unknown-field-dropped",
        "number-not-equals",
        "quoted-number",
        "greater-than",
        "exists",
        "not-exists",
        "is-true",
        "is-false",
        "name-exists",
        "not-contains",
        "match-prefix",
        "not-match-suffix",
        "infix-contains",
        "event-number",
        "escaped-space",
    ],
)
def test_describe_shows_reading(text: str, expected: str) -> None:
    assert parse_subscription(text).describe() == expected


@pytest.mark.parametrize(
    "text",
    [
        'type = "track" and event = "Order Completed"',
        '(event = "A" and properties.total >= 100) or (event = "B")',
        'contains(context.page.url, "checkout") and userId != null',
        'match(traits.email, "*@example.com")',
        "properties.count = 10",
    ],
    ids=["and", "two-groups", "contains-and-exists", "match-suffix", "number"],
)
def test_parse_clean_query_has_no_warnings(text: str) -> None:
    assert parse_subscription(text).warnings == []


def test_parse_mixed_conditionals_warns_reading() -> None:
    subscription = parse_subscription('event = "A" or type = "track" and name = "B"')
    expected = (
        'read as: (event = "A" and type = "track" and name = "B") because Segment '
        "joins every clause of a group with the last and/or in it; add "
        "parentheses to mix and with or"
    )
    assert subscription.warnings == [expected]


def test_parse_last_conditional_wins() -> None:
    subscription = parse_subscription('event = "A" and type = "x" or event = "B"')
    assert subscription.describe() == '(event = "A" or type = "x" or event = "B")'


def test_parse_mixed_conditionals_inside_group() -> None:
    subscription = parse_subscription(
        'type = "t" and (event = "A" or event = "B" and name = "C")'
    )
    assert subscription.warnings[0].startswith(
        'read as: (event = "A" and event = "B" and name = "C")'
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('type = "track" event = "A"', "no and/or between"),
        ('foo = "bar" and type = "track"', "Segment ignores 'foo = \"bar\"'"),
        ('event = "A" OR type = "track"', "and/or must be lowercase"),
        ('!(type = "track")', "'!' negates only contains( and match("),
        ('not type = "track"', "FQL has no 'not'"),
        ('type = "track")', "')' has no matching '('"),
        ('type = "a" or(event = "b")', "read as a word, not as a conditional"),
        ("type = 'track'", "single quotes do not delimit strings"),
        ("type = null", 'compares with the text "null"'),
        ("properties.premium != true", "also matches the boolean true"),
        ('type == "track"', "takes operator '=' as its value"),
        ("type = ", 'compares with the text "eos"'),
        ('type "track" "x"', "where an operator (=, !=, <, <=, >, >=) belongs"),
        ('match(event, "Nope")', 'event ends with the literal text "ope"'),
        ('match(event, "*Comp*")', 'event starts with the literal text "*Comp"'),
        ('contains(event "Order")', 'reads the value as ")"'),
        ('type = "a" and contains(type, "x")', "cannot test 'type'"),
        ("properties.total > .5", "never matches: the value is not a number"),
        ("properties.count > 1e3", "FQL numbers have no exponent"),
        ("event = 010", 'compared as the text "10"'),
        ('event.name = "x"', "ignores the path after event"),
        ('properties = "x"', "names no key"),
        ('properties.\\. = "x"', "path with no key"),
        ('type = "track"and event = "A"', "closing quote at character 14"),
        ('event = "a\\"b"', "does not escape it"),
        ("event = an", "drops the last 1 character(s)"),
        ('type = "track" or', "'or' at character 16 joins nothing"),
        ('type = "a" event = "b" or', "Segment still joins the group with it"),
        ('() or type = "track"', "parentheses at character 1 hold no condition"),
        ("userId > 5", "matches only when the event's userId is a number"),
        ('toString = "x" and type = "track"', "a name every JavaScript object has"),
    ],
    ids=[
        "missing-conditional",
        "unknown-field",
        "uppercase-or",
        "negated-group",
        "word-not",
        "stray-closing-paren",
        "or-before-paren",
        "single-quotes",
        "type-null",
        "not-equals-true",
        "double-equals",
        "missing-value",
        "string-as-operator",
        "match-no-wildcard",
        "match-two-wildcards",
        "contains-missing-comma",
        "contains-on-type",
        "leading-dot-number",
        "exponent",
        "event-leading-zero",
        "event-with-path",
        "properties-no-key",
        "path-only-dots",
        "quote-then-letter",
        "backslash-quote",
        "word-cut-at-end",
        "trailing-or",
        "trailing-or-sets-operator",
        "empty-parentheses",
        "user-id-comparison",
        "inherited-name",
    ],
)
def test_parse_warns_surprising_reading(text: str, fragment: str) -> None:
    warnings = parse_subscription(text).warnings
    assert any(fragment in warning for warning in warnings), warnings


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ('foo = "bar"', "'foo' is not a field"),
        ("()", "the query has no condition Segment reads"),
        ("type", "'type' at character 1 is missing an operator and a value"),
        ('(type = "track"', "'(' at character 1 has no matching ')'"),
        ('((type = "track"))', "opens a group inside the group opened at character 1"),
        ("contains", "contains() at character 1 is missing its first argument"),
        ("valueOf", "'valueOf' at character 1 is missing an operator and a value"),
        ("match(event", "match() at character 1 is missing its second argument"),
        ("properties.total<100", "add a space before '<'"),
        ('event = "Order', "unterminated string starting at character 9"),
    ],
    ids=[
        "empty",
        "blank",
        "only-unknown-field",
        "only-empty-parentheses",
        "field-alone",
        "unclosed-parenthesis",
        "nested-parentheses",
        "contains-without-arguments",
        "inherited-name-alone",
        "match-without-pattern",
        "lex-error",
        "unterminated-string",
    ],
)
def test_parse_rejects_with_position(text: str, fragment: str) -> None:
    with pytest.raises(MappingError) as caught:
        parse_subscription(text)
    assert fragment in str(caught.value)


def test_parse_error_names_query() -> None:
    with pytest.raises(MappingError) as caught:
        parse_subscription("type")
    assert "invalid subscription 'type'" in str(caught.value)


def test_parse_error_carries_pointer() -> None:
    with pytest.raises(MappingError) as caught:
        parse_subscription("type", pointer="/presets/0/subscribe")
    assert caught.value.pointer == "/presets/0/subscribe"


def test_parse_keeps_text() -> None:
    assert parse_subscription('type = "track"').text == 'type = "track"'
