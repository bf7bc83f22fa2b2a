"""Read a subscription query the way Segment's ``parseFql`` 3.37.0 reads it.

Segment's reader is not a grammar. It walks the tokens once per group and:

- starts a clause at every identifier that begins with a field name, taking
  the next two tokens as operator and value;
- reads ``contains(...)`` and ``match(...)``, and ``!`` only right before them;
- reads ``(`` up to the first ``)`` as a group, so groups cannot nest;
- lets every ``and`` or ``or`` overwrite the group's operator, so the last one
  joins every clause of the group (``a or b and c`` is ``a and b and c``);
- skips every other token.

This module reproduces that reading and adds a warning wherever it differs
from what the author most likely meant.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ..errors import MappingError
from .clauses import ClauseBuilder, field_kind, is_function, is_inherited_name
from .lexer import QuerySyntaxError, Token, TokenType, tokenize
from .nodes import Group, Node, render

__all__ = ["ParsedQuery", "parse_query"]

_FIELDS_HELP = (
    "Segment reads conditions on type, event, name, userId, properties.<key>, "
    'traits.<key> and context.<key>, such as type = "track"'
)


@dataclass(frozen=True)
class ParsedQuery:
    """The condition tree Segment builds for a query, with reading warnings."""

    root: Group
    warnings: list[str]


def parse_query(text: str, pointer: str = "") -> ParsedQuery:
    """Parse ``text``; raise MappingError where Segment's parser fails.

    ``pointer`` locates the query inside a definition for the error message.
    """
    try:
        lexed = tokenize(text)
        warnings = list(lexed.notes)
        reader = _GroupReader(text, warnings)
        node = reader.read(deque(_join_paths(lexed.tokens)), opened_by=None)
    except QuerySyntaxError as error:
        raise MappingError(_invalid(text, error.message), pointer) from error
    if node is None:
        detail = _no_condition_detail(text, warnings)
        raise MappingError(_invalid(text, detail), pointer)
    root = node if isinstance(node, Group) else Group("and", (node,))
    return ParsedQuery(root, warnings)


def _invalid(text: str, detail: str) -> str:
    excerpt = text if len(text) <= 120 else text[:117] + "..."
    return f"invalid subscription {excerpt!r}: {detail}"


def _no_condition_detail(text: str, warnings: list[str]) -> str:
    if not text.strip():
        return f"the query is empty; {_FIELDS_HELP}"
    if not warnings:
        return f"the query has no condition Segment reads; {_FIELDS_HELP}"
    sentences = [warning[0].upper() + warning[1:] + "." for warning in warnings]
    return "the query has no condition Segment reads. " + " ".join(sentences)


def _join_paths(tokens: list[Token]) -> list[Token]:
    """Merge ``ident . ident`` runs into one identifier, as Segment does."""
    joined: list[Token] = []
    index = 0
    while index < len(tokens):
        current = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.type is TokenType.IDENT
            and current.type is TokenType.DOT
            and following is not None
            and following.type is TokenType.IDENT
        ):
            joined[-1] = Token(
                TokenType.IDENT,
                f"{last.value}.{following.value}",
                last.start,
                following.end,
            )
            index += 2
            continue
        joined.append(current)
        index += 1
    return joined


@dataclass
class _GroupScan:
    """Record of one pass over a group, kept to explain the reading."""

    nodes: list[Node | None] = field(default_factory=list)
    operator: str = "and"
    # Each conditional with the number of conditions read before it.
    conditionals: list[tuple[Token, int]] = field(default_factory=list)
    skipped_runs: list[list[Token]] = field(default_factory=list)
    in_skipped_run: bool = False

    def skip(self, token: Token) -> None:
        if not self.in_skipped_run:
            self.skipped_runs.append([])
            self.in_skipped_run = True
        self.skipped_runs[-1].append(token)

    def result(self) -> Node | None:
        if len(self.nodes) > 1:
            return Group(self.operator, tuple(self.nodes))
        return self.nodes[0] if self.nodes else None


class _GroupReader:
    """Walk the tokens of a query or of one parenthesised group."""

    def __init__(self, text: str, warnings: list[str]) -> None:
        self.text = text
        self.warnings = warnings
        self.clauses = ClauseBuilder(warnings)

    def read(self, tokens: deque[Token], opened_by: Token | None) -> Node | None:
        scan = _GroupScan()
        while tokens and tokens[0].type is not TokenType.EOS:
            token = tokens.popleft()
            if self._read_token(token, tokens, scan, opened_by):
                scan.in_skipped_run = False
            else:
                scan.skip(token)
        self._explain(scan)
        return scan.result()

    def _read_token(
        self,
        token: Token,
        tokens: deque[Token],
        scan: _GroupScan,
        opened_by: Token | None,
    ) -> bool:
        kind = field_kind(token)
        if kind is not None:
            scan.nodes.append(self.clauses.read_clause(kind, token, tokens))
            return True
        if is_inherited_name(token):
            self.clauses.read_inherited(token, tokens)
            return True
        if is_function(token):
            self._read_function(token, tokens, scan, negate=False)
            return True
        if token.type is TokenType.OPERATOR and token.value == "!":
            if not tokens or not is_function(tokens[0]):
                return False
            self._read_function(tokens.popleft(), tokens, scan, negate=True)
            return True
        if token.type is TokenType.PAREN_LEFT:
            scan.nodes.append(self._read_parentheses(token, tokens, opened_by))
            return True
        if token.type is TokenType.CONDITIONAL:
            scan.operator = token.value
            scan.conditionals.append((token, len(scan.nodes)))
            return True
        return False

    def _read_function(
        self, name: Token, tokens: deque[Token], scan: _GroupScan, *, negate: bool
    ) -> None:
        clause = self.clauses.read_function(name, tokens, negate=negate)
        if clause is not None:
            scan.nodes.append(clause)

    def _read_parentheses(
        self, opening: Token, tokens: deque[Token], opened_by: Token | None
    ) -> Node | None:
        inner: deque[Token] = deque()
        while tokens and tokens[0].type is not TokenType.PAREN_RIGHT:
            inner.append(tokens.popleft())
        if not tokens:
            detail = self._unclosed_detail(opening, opened_by)
            raise QuerySyntaxError(detail, opening.start)
        closing = tokens.popleft()
        inner.append(Token(TokenType.EOS, "eos", closing.start, closing.start))
        node = self.read(inner, opened_by=opening)
        if node is None:
            self.warnings.append(
                f"the parentheses at character {opening.start + 1} hold no "
                "condition Segment reads; Segment fails with an error whenever "
                "it evaluates them, so an event that reaches them does not match"
            )
        return node

    @staticmethod
    def _unclosed_detail(opening: Token, opened_by: Token | None) -> str:
        if opened_by is None:
            return (
                f"'(' at character {opening.start + 1} has no matching ')'; "
                "add the closing parenthesis"
            )
        return (
            f"'(' at character {opening.start + 1} opens a group inside the group "
            f"opened at character {opened_by.start + 1}, and Segment reads only "
            "one level of parentheses; rewrite without nested parentheses"
        )

    def _explain(self, scan: _GroupScan) -> None:
        for run in scan.skipped_runs:
            self.warnings.append(self._skipped_warning(run))
        group = scan.result()
        if not isinstance(group, Group):
            self._explain_lone_conditionals(scan)
            return
        if len({token.value for token, _ in scan.conditionals}) > 1:
            self.warnings.append(
                f"read as: {render(group)} because Segment joins every clause of "
                "a group with the last and/or in it; add parentheses to mix and "
                "with or"
            )
        self._explain_missing_conditionals(scan)
        self._explain_dangling_conditionals(scan, group)

    def _explain_lone_conditionals(self, scan: _GroupScan) -> None:
        for token, _ in scan.conditionals:
            self.warnings.append(
                f"{token.value!r} at character {token.start + 1} joins nothing "
                "because its group has at most one condition; Segment ignores it"
            )

    def _explain_missing_conditionals(self, scan: _GroupScan) -> None:
        joined = {position for _, position in scan.conditionals}
        for position in range(1, len(scan.nodes)):
            if position in joined:
                continue
            before = render(scan.nodes[position - 1])
            after = render(scan.nodes[position])
            self.warnings.append(
                f"no and/or between {before} and {after}; Segment joins them "
                f"with {scan.operator!r} like the rest of the group"
            )

    def _explain_dangling_conditionals(self, scan: _GroupScan, group: Group) -> None:
        last_token = scan.conditionals[-1][0] if scan.conditionals else None
        for token, position in scan.conditionals:
            if 0 < position < len(scan.nodes):
                continue
            side = "before" if position == 0 else "after"
            message = (
                f"{token.value!r} at character {token.start + 1} has no "
                f"condition {side} it"
            )
            if token is last_token:
                message += f"; Segment still joins the group with it: {render(group)}"
            else:
                message += "; Segment ignores it"
            self.warnings.append(message)

    def _skipped_warning(self, run: list[Token]) -> str:
        first = run[0]
        text = self.text[first.start : run[-1].end]
        where = f"at character {first.start + 1}"
        return f"Segment ignores {text!r} {where}: {self._skip_reason(first)}"

    def _skip_reason(self, token: Token) -> str:
        before = self.text[token.start - 1] if token.start > 0 else ""
        exponent = token.value[:1] in ("e", "E")
        if token.type is TokenType.IDENT and before.isdigit() and exponent:
            return (
                "FQL numbers have no exponent, so the number before it ends "
                "at the 'e'; write the number in full"
            )
        return _skip_reason(token)


def _skip_reason(token: Token) -> str:
    value = token.value
    if token.type is TokenType.IDENT and value.lower() in ("and", "or"):
        if value.islower():
            return (
                f"{value!r} directly followed by '(' is read as a word, not as a "
                "conditional; put a space after it"
            )
        return (
            f"and/or must be lowercase, so Segment joins the clauses around "
            f"{value!r} with the group's operator"
        )
    if token.type is TokenType.IDENT and value == "not":
        return "FQL has no 'not'; use != or !contains(...) / !match(...)"
    if token.type is TokenType.IDENT:
        return (
            f"{value!r} is not a field; use type, event, name, userId, "
            "properties.<key>, traits.<key> or context.<key>"
        )
    if token.type is TokenType.OPERATOR and value == "!":
        return (
            "'!' negates only contains( and match(, so Segment reads what "
            "follows it without negation"
        )
    if token.type is TokenType.PAREN_RIGHT:
        return "')' has no matching '('"
    return "these tokens do not start a condition"
