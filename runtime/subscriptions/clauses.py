"""Build clauses from tokens the way Segment's ``parseFql`` 3.37.0 does.

A clause is a field followed by an operator token and a value token, taken by
position whatever they are, so ``type == "track"`` reads as ``type = "="``.
``contains(field, "x")`` and ``match(field, "x*")`` likewise take their five
tokens by position. Each reading Segment accepts but an author would not expect
adds a warning to the list the builder is given.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from .jsvalues import has_key, to_js_string, to_number
from .lexer import QuerySyntaxError, Token, TokenType
from .nodes import (
    FIELD_KEYWORDS,
    PATH_FIELDS,
    Clause,
    FieldKind,
    QueryValue,
    field_text,
    quote,
    render_clause,
)

__all__ = ["ClauseBuilder", "field_kind", "is_function", "is_inherited_name"]

_KIND_BY_KEYWORD = {keyword: kind for kind, keyword in FIELD_KEYWORDS.items()}
_TEXT_FIELDS = frozenset({FieldKind.TYPE, FieldKind.EVENT})
_FUNCTION_TARGETS = {
    "event": FieldKind.EVENT,
    "name": FieldKind.NAME,
    "userId": FieldKind.USER_ID,
}
_BOOLEAN_FIELDS = PATH_FIELDS | {FieldKind.USER_ID}
_COMPARISONS = frozenset({"<", "<=", ">", ">="})
_VALUELESS = frozenset({"exists", "not_exists", "is_true", "is_false"})

# Operator names that Segment's matcher accepts. They also work written infix,
# as in properties.name contains "Nike".
_NAMED_OPERATORS = frozenset(
    {
        "contains",
        "not_contains",
        "starts_with",
        "not_starts_with",
        "ends_with",
        "not_ends_with",
        "exists",
        "not_exists",
        "is_true",
        "is_false",
        "number_equals",
        "number_not_equals",
    }
)
# Keys every JavaScript object inherits. Segment looks field names up in a plain
# object, so these names also start a clause there, one that tests nothing.
_INHERITED_NAMES = frozenset(
    {
        "constructor",
        "hasOwnProperty",
        "isPrototypeOf",
        "propertyIsEnumerable",
        "toLocaleString",
        "toString",
        "valueOf",
        "__proto__",
        "__defineGetter__",
        "__defineSetter__",
        "__lookupGetter__",
        "__lookupSetter__",
    }
)
_STRAY_VALUE_TYPES = frozenset(
    {
        TokenType.OPERATOR,
        TokenType.CONDITIONAL,
        TokenType.DOT,
        TokenType.PAREN_LEFT,
        TokenType.PAREN_RIGHT,
        TokenType.COMMA,
        TokenType.BRACKET_LEFT,
        TokenType.BRACKET_RIGHT,
    }
)


def field_kind(token: Token) -> FieldKind | None:
    """Return the field an identifier starts a clause on, or None."""
    if token.type is not TokenType.IDENT:
        return None
    return _KIND_BY_KEYWORD.get(token.value.split(".")[0])


def is_inherited_name(token: Token) -> bool:
    """Tell whether an identifier starts with a key every JavaScript object has."""
    if token.type is not TokenType.IDENT:
        return False
    return token.value.split(".")[0] in _INHERITED_NAMES


def is_function(token: Token | None) -> bool:
    """Tell whether ``token`` names contains() or match()."""
    return (
        token is not None
        and token.type is TokenType.IDENT
        and token.value in ("contains", "match")
    )


def token_value(token: Token) -> QueryValue:
    """Return the value a token stands for, as Segment's ``getTokenValue``.

    Only double quotes are stripped from strings, numbers go through
    JavaScript's ``Number()``, the words true and false become booleans, and any
    other token stands for its own text.
    """
    if token.type is TokenType.STRING:
        text = token.value
        text = text.removeprefix('"')
        return text.removesuffix('"')
    if token.type is TokenType.NUMBER:
        return to_number(token.value)
    if token.type is TokenType.IDENT and token.value in ("true", "false"):
        return token.value == "true"
    return token.value


def _where(token: Token) -> str:
    return f"at character {token.start + 1}"


@dataclass
class _Operands:
    field: Token
    operator: Token
    value: Token


class ClauseBuilder:
    """Turn field and function tokens into clauses, collecting warnings."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings

    def read_clause(
        self, kind: FieldKind, field: Token, tokens: deque[Token]
    ) -> Clause:
        """Build the clause that starts at ``field``, taking two more tokens."""
        operands = _take_operands(field, tokens)
        clause = self._build(kind, operands)
        self._check_field(kind, field)
        self._check_path(clause, field)
        self._check_operator(operands)
        self._check_value(clause, operands)
        return clause

    def read_inherited(self, field: Token, tokens: deque[Token]) -> None:
        """Consume the two tokens Segment takes after an inherited name."""
        _take_operands(field, tokens)
        self.warnings.append(
            f"{field.value!r} {_where(field)} is a name every JavaScript object "
            "has, so Segment takes it and the next two tokens as a clause that "
            "tests nothing, and drops it"
        )

    def _build(self, kind: FieldKind, operands: _Operands) -> Clause:
        operator = operands.operator.value
        raw = operands.value.value
        if kind in _TEXT_FIELDS:
            return Clause(kind, operator, to_js_string(token_value(operands.value)))
        special = _special_operator(kind, operator, raw)
        path = _strip_keyword(kind, operands.field.value)
        if special is not None:
            return Clause(kind, special, path=path)
        if kind not in PATH_FIELDS:
            return Clause(kind, operator, to_js_string(token_value(operands.value)))
        value = token_value(operands.value)
        # NOTE: recorded Segment output shows number_equals for properties only.
        # Giving it to traits and context, and not to name and userId, is
        # inferred from the description of the change that added it.
        if operands.value.type is TokenType.NUMBER and operator in ("=", "!="):
            number_operator = (
                "number_equals" if operator == "=" else "number_not_equals"
            )
            return Clause(kind, number_operator, value, path)
        return Clause(kind, operator, value, path)

    def read_function(
        self, name: Token, tokens: deque[Token], *, negate: bool
    ) -> Clause | None:
        """Build the clause of contains() or match(); None where Segment drops it."""
        opening = tokens.popleft() if tokens else None
        target = tokens.popleft() if tokens else None
        if target is None:
            raise QuerySyntaxError(
                f"{name.value}() {_where(name)} is missing its first argument",
                name.start,
            )
        comma = tokens.popleft() if tokens else None
        pattern = tokens.popleft() if tokens else None
        if pattern is None:
            raise QuerySyntaxError(
                f"{name.value}() {_where(name)} is missing its second argument",
                name.start,
            )
        closing = tokens.popleft() if tokens else None
        self._check_call_shape(name, [opening, comma, closing], pattern)
        operator, value = _function_reading(name.value, pattern, negate=negate)
        clause = self._function_clause(target, operator, value)
        if clause is None:
            self.warnings.append(
                f"{name.value}() {_where(name)} cannot test {target.value!r}; "
                "Segment drops this condition. It supports event, name, userId, "
                "properties.<key>, traits.<key> and context.<key>"
            )
            return None
        self._check_path(clause, target)
        self._check_function_value(name, pattern, clause)
        return clause

    def _function_clause(
        self, target: Token, operator: str, value: str
    ) -> Clause | None:
        if target.value in _FUNCTION_TARGETS:
            return Clause(_FUNCTION_TARGETS[target.value], operator, value)
        for kind in PATH_FIELDS:
            if target.value.startswith(FIELD_KEYWORDS[kind]):
                return Clause(kind, operator, value, _strip_keyword(kind, target.value))
        return None

    def _check_field(self, kind: FieldKind, field: Token) -> None:
        keyword = FIELD_KEYWORDS[kind]
        if kind not in PATH_FIELDS and field.value != keyword:
            self.warnings.append(
                f"{field.value!r} {_where(field)} reads the field {keyword!r}: "
                f"Segment ignores the path after {keyword}"
            )
        if kind in PATH_FIELDS and field.value == keyword:
            self.warnings.append(
                f"{keyword!r} {_where(field)} names no key, so Segment reads "
                f"{keyword}.{keyword}; write {keyword}.<key>"
            )

    def _check_path(self, clause: Clause, field: Token) -> None:
        if clause.path is None or not clause.path or has_key(clause.path):
            return
        self.warnings.append(
            f"{field.value!r} {_where(field)} has a path with no key, so Segment "
            "fails with an error whenever it evaluates this clause and the event "
            "does not match"
        )

    def _check_operator(self, operands: _Operands) -> None:
        operator = operands.operator
        if operator.type is TokenType.OPERATOR and operator.value != "!":
            return
        if operator.type is TokenType.IDENT and operator.value in _NAMED_OPERATORS:
            return
        self.warnings.append(
            f"{operands.field.value!r} {_where(operands.field)} is followed by "
            f"{_describe_token(operator)} where an operator (=, !=, <, <=, >, >=) "
            "belongs; Segment uses it as the operator, so this clause never matches"
        )

    def _check_value(self, clause: Clause, operands: _Operands) -> None:
        value = operands.value
        field = operands.field.value
        if value.type is TokenType.EOS and operands.operator.value in _VALUELESS:
            # These operators ignore their value, so the end of the query is fine.
            pass
        elif value.type is TokenType.EOS:
            self.warnings.append(
                f"the query ends before the value of {field!r} "
                f'{_where(operands.field)}; Segment compares with the text "eos"'
            )
        elif value.type in _STRAY_VALUE_TYPES:
            self.warnings.append(
                f"{field!r} {_where(operands.field)} takes "
                f"{_describe_token(value)} as its value, so Segment reads "
                f"{render_clause(clause)}"
            )
        elif value.type is TokenType.STRING and value.value.startswith("'"):
            self.warnings.append(
                f"single quotes do not delimit strings for Segment: the value "
                f"{_where(value)} is {value.value} with its quotes; use double "
                "quotes"
            )
        self._check_value_meaning(clause, operands)

    def _check_value_meaning(self, clause: Clause, operands: _Operands) -> None:
        raw = operands.value.value
        operator = operands.operator.value
        if clause.kind in _TEXT_FIELDS and raw == "null" and operator in ("=", "!="):
            self.warnings.append(
                f'{render_clause(clause)} compares with the text "null": '
                f"Segment has no null test for {FIELD_KEYWORDS[clause.kind]}"
            )
        boolean_field = clause.kind in _BOOLEAN_FIELDS
        if boolean_field and operator == "!=" and raw in ("true", "false"):
            self.warnings.append(
                f'{render_clause(clause)} compares the text "{raw}" with the '
                f"value, so it also matches the boolean {raw}; Segment has no "
                f"test for 'is not {raw}'"
            )
        self._check_number_text(clause, operands.value)
        self._check_comparison(clause)

    def _check_number_text(self, clause: Clause, value: Token) -> None:
        if value.type is not TokenType.NUMBER or not isinstance(clause.value, str):
            return
        text = to_js_string(to_number(value.value))
        if text != value.value:
            self.warnings.append(
                f"the number {value.value} {_where(value)} is compared as the "
                f"text {quote(text)}"
            )

    def _check_comparison(self, clause: Clause) -> None:
        if clause.operator not in _COMPARISONS:
            return
        if clause.kind not in PATH_FIELDS:
            self.warnings.append(
                f"{render_clause(clause)} matches only when the event's "
                f"{FIELD_KEYWORDS[clause.kind]} is a number, because Segment "
                f"compares with {clause.operator} only numbers"
            )
        elif math.isnan(to_number(clause.value)):
            self.warnings.append(
                f"{render_clause(clause)} never matches: the value is not a "
                "number, so Segment compares with NaN"
            )

    def _check_call_shape(
        self, name: Token, punctuation: list[Token | None], pattern: Token
    ) -> None:
        expected = [TokenType.PAREN_LEFT, TokenType.COMMA, TokenType.PAREN_RIGHT]
        found = [token.type if token else None for token in punctuation]
        if found == expected:
            return
        self.warnings.append(
            f"{name.value}() {_where(name)} is not written as "
            f'{name.value}(field, "value"); Segment takes its arguments by '
            f"position, so it reads the value as {quote(str(token_value(pattern)))}"
        )

    def _check_function_value(
        self, name: Token, pattern: Token, clause: Clause
    ) -> None:
        self._check_number_text(clause, pattern)
        if name.value != "match":
            return
        text = str(clause.value)
        raw = pattern.value
        misread = "*" in text or not raw.startswith('"')
        if clause.operator.endswith("ends_with") and not raw.startswith('"*'):
            misread = True
        if misread:
            self.warnings.append(
                f"match() {_where(name)} supports one '*' only, at the start or "
                f"the end of a double-quoted pattern; Segment reads it as: "
                f"{_match_meaning(clause)}"
            )


def _take_operands(field: Token, tokens: deque[Token]) -> _Operands:
    operator = tokens.popleft() if tokens else None
    value = tokens.popleft() if tokens else None
    if operator is None or value is None:
        raise QuerySyntaxError(
            f"{field.value!r} {_where(field)} is missing an operator and a "
            f'value; write for example {field.value} = "value"',
            field.start,
        )
    return _Operands(field, operator, value)


def _special_operator(kind: FieldKind, operator: str, raw: str) -> str | None:
    """Return exists / not_exists / is_true / is_false where Segment uses them."""
    if kind in _TEXT_FIELDS:
        return None
    if operator == "!=" and raw == "null":
        return "exists"
    if operator == "=" and raw == "null":
        return "not_exists"
    if kind is FieldKind.NAME or operator != "=":
        return None
    if raw == "true":
        return "is_true"
    if raw == "false":
        return "is_false"
    return None


def _strip_keyword(kind: FieldKind, text: str) -> str | None:
    if kind not in PATH_FIELDS:
        return None
    prefix = FIELD_KEYWORDS[kind] + "."
    return text.removeprefix(prefix)


def _function_reading(name: str, pattern: Token, *, negate: bool) -> tuple[str, str]:
    text = to_js_string(token_value(pattern))
    prefix = "not_" if negate else ""
    if name == "contains":
        return prefix + "contains", text
    if pattern.value.endswith('*"'):
        return prefix + "starts_with", text[:-1]
    return prefix + "ends_with", text[1:]


def _match_meaning(clause: Clause) -> str:
    negated = clause.operator.startswith("not_")
    verb = "starts" if clause.operator.endswith("starts_with") else "ends"
    if negated:
        verb = "does not " + verb.removesuffix("s")
    value = quote(str(clause.value))
    return f"{field_text(clause)} {verb} with the literal text {value}"


def _describe_token(token: Token) -> str:
    if token.type is TokenType.EOS:
        return "the end of the query"
    return f"{token.type.value} {token.value!r}"
