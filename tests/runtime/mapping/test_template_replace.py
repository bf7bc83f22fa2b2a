"""Placeholder templates (@template) and literal replacement (@replace)."""

from __future__ import annotations

import pytest

from runtime.mapping import MISSING
from runtime.mapping.replace import canonicalize, compile_replacement, replace_literal
from runtime.mapping.template import compile_template

DATA = {"a": "{{b}}", "b": "B", "n": 10.0, "list": [1, [2, None]], "o": {"x": 1}}

RENDERED = [
    ("plain", "plain"),
    ("{{b}}-{{ b }}", "B-B"),
    ("{{n}}", "10"),
    ("{{list}}", "1,2,"),
    ("{{o}}", "[object Object]"),
    ("{{nope}}|{{o.nope}}", "|"),
    ("{{a}}", "{{b}}"),
    ("{{{a}}}", "B"),
    ("{{{b}}", ""),
    ("{{b}}}", "B}"),
    ("a{{}}b", "a{{}}b"),
    ("{{  }}", "[object Object]"),
    ("{{$.b}}", ""),
]


@pytest.mark.parametrize(
    ("template", "text"), RENDERED, ids=[template for template, _ in RENDERED]
)
def test_template_renders_like_mapping_kit(template: str, text: str) -> None:
    assert compile_template(template)(DATA) == text


def test_template_missing_payload_renders_as_empty_object() -> None:
    assert compile_template("[{{x}}]")(MISSING) == "[]"


REPLACED = [
    ("a.b.c", ".", "_", True, False, "a_b_c"),
    ("a.b.c", ".", "_", False, False, "a_b.c"),
    ("aAa", "a", "x", True, True, "xxx"),
    ("abcb", "b", "[$&]", True, False, "a[b]c[b]"),
    ("abc", "b", "<$`|$'>", True, False, "a<a|c>c"),
    ("abc", "b", "$$", True, False, "a$c"),
    ("abc", "b", "$1$0$<", True, False, "a$1$0$<c"),
    ("aaaa", "aa", "b", True, False, "bb"),
    ("Stra\u00dfe STRASSE", "\u00df", "ss", True, True, "Strasse STRASSE"),
    ("s\u017f", "s", "_", True, True, "_\u017f"),
    ("\U0001f600x\U0001f600", "\U0001f600", "-", True, False, "-x-"),
]


@pytest.mark.parametrize(
    ("text", "pattern", "replacement", "replace_all", "ignore_case", "result"),
    REPLACED,
    ids=[f"{row[0]}/{row[1]}/{row[2]}" for row in REPLACED],
)
def test_replace_literal_matches_string_replace(
    text: str,
    pattern: str,
    replacement: str,
    replace_all: bool,
    ignore_case: bool,
    result: str,
) -> None:
    replaced = replace_literal(
        text, pattern, replacement, replace_all=replace_all, ignore_case=ignore_case
    )
    assert replaced == result


def test_canonicalize_keeps_length() -> None:
    assert len(canonicalize("stra\u00dfe \u0130 \u01c5")) == 10


def test_canonicalize_keeps_non_ascii_that_uppercases_to_ascii() -> None:
    assert canonicalize("\u017f") == "\u017f"


def test_compile_replacement_without_dollar_is_constant() -> None:
    assert compile_replacement("plain")("abc", 1, 2) == "plain"
