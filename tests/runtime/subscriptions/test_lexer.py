"""Tokenizer: Segment's FQL lexer rules, its misreadings and its failures."""

from __future__ import annotations

import pytest

from runtime.subscriptions.lexer import QuerySyntaxError, TokenType, tokenize


def _pairs(text: str) -> list[tuple[str, str]]:
    return [(token.type.value, token.value) for token in tokenize(text).tokens]


def test_tokenize_clause_and_conditional() -> None:
    assert _pairs('type = "track" and properties.total >= 10') == [
        ("ident", "type"),
        ("operator", "="),
        ("string", '"track"'),
        ("conditional", "and"),
        ("ident", "properties"),
        ("dot", "."),
        ("ident", "total"),
        ("operator", ">="),
        ("number", "10"),
        ("eos", "eos"),
    ]


def test_tokenize_records_offsets() -> None:
    tokens = tokenize('event != "A"').tokens
    assert [(token.start, token.end) for token in tokens] == [
        (0, 5),
        (6, 8),
        (9, 12),
        (12, 12),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("andy", ("ident", "andy")),
        ("orange", ("ident", "orange")),
        ("nullify", ("ident", "nullify")),
        ("and(", ("ident", "and")),
        ("null", ("null", "null")),
        ("or)", ("conditional", "or")),
        ("OR", ("ident", "OR")),
    ],
    ids=[
        "and-prefix",
        "or-prefix",
        "null-prefix",
        "and-before-paren",
        "null",
        "or-before-paren",
        "uppercase-or",
    ],
)
def test_tokenize_keyword_needs_terminator(
    text: str, expected: tuple[str, str]
) -> None:
    assert _pairs(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\\.b", "a.b"),
        ("\\123", "123"),
        ("first\\ name", "first name"),
        ("_private", "_private"),
        ("first-name", "first-name"),
    ],
    ids=["escaped-dot", "escaped-digit-start", "escaped-space", "underscore", "hyphen"],
)
def test_tokenize_identifier_text(text: str, expected: str) -> None:
    assert _pairs(text)[0] == ("ident", expected)


def test_tokenize_single_quotes_stay_in_value() -> None:
    assert _pairs("'track'")[0] == ("string", "'track'")


def test_tokenize_less_equal_needs_space_after() -> None:
    assert _pairs("<=100")[:3] == [
        ("operator", "<"),
        ("operator", "="),
        ("number", "100"),
    ]


def test_tokenize_bang_before_function_is_operator() -> None:
    assert _pairs("!contains")[0] == ("operator", "!")


def test_tokenize_number_stops_at_letter() -> None:
    assert _pairs("1e3")[:2] == [("number", "1"), ("ident", "e3")]


def test_tokenize_quote_followed_by_letter_reopens_string() -> None:
    result = tokenize('"track"and x "y"')
    values = [token.value for token in result.tokens]
    assert values == ['"track"', '"and x "', '"y"', "eos"]


def test_tokenize_quote_followed_by_letter_notes_once() -> None:
    result = tokenize('type = "track"and event = "Nope"')
    assert len(result.notes) == 1
    assert "character 14" in result.notes[0]


def test_tokenize_backslash_quote_note() -> None:
    result = tokenize('"a\\"b"')
    assert [token.value for token in result.tokens] == ['"a\\"', '"b"', "eos"]
    assert "does not escape" in result.notes[0]


def test_tokenize_word_cut_short_at_end() -> None:
    result = tokenize("event = an")
    assert result.tokens[-2].value == "a"
    assert "'an'" in result.notes[0]


@pytest.mark.parametrize(
    ("text", "offset", "fragment"),
    [
        ('type * "x"', 5, "invalid character '*'"),
        ("type = \r", 7, "invalid character '\\r'"),
        ('event = "Order', 8, "unterminated string"),
        ("properties.total<100", 11, "followed by '<'"),
        ('properties.x!="EUR"', 12, "space, tab or newline after '!='"),
        ('type ! "x"', 5, "'!' must be part of '!='"),
        ("5. ", 0, "ends with a decimal point"),
        ("5.0.1", 0, "more than one decimal point"),
        ("abc\\", 3, "escapes nothing"),
        ("tags[0]", 0, "followed by '['"),
    ],
    ids=[
        "invalid-character",
        "carriage-return",
        "unterminated-string",
        "operator-after-identifier",
        "bang-equals-without-space",
        "lone-bang",
        "trailing-decimal-point",
        "two-decimal-points",
        "escape-at-end",
        "bracket-after-identifier",
    ],
)
def test_tokenize_rejects(text: str, offset: int, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        tokenize(text)
    assert caught.value.offset == offset
    assert fragment in caught.value.message


def test_tokenize_empty_is_end_only() -> None:
    assert [token.type for token in tokenize("").tokens] == [TokenType.EOS]
