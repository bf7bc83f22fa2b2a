"""Tokenizer for Segment's subscription language (FQL), quirks included.

The rules follow the FQL lexer (``@segment/fql-ts``) that version 3.37.0 of
``@segment/destination-subscriptions`` uses, because a query must split into
the same tokens for Segment and for the emulator to match the same events.
Where those rules misread a query without failing (a closing quote followed by
a letter, a word cut short at the end of the query), the lexer records a note
that the parser turns into a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

__all__ = ["QuerySyntaxError", "Token", "TokenType", "tokenize"]

# Segment's lexer rejects longer strings, numbers and identifiers.
MAX_LITERAL_LENGTH = 100_000

_WHITESPACE = frozenset(" \t\n")
_TERMINATORS = frozenset(" \t\n,])")
_AFTER_IDENT = frozenset(".(=!")
_OPERATOR_STARTS = frozenset("!=<>\\_")
_SINGLE_CHAR_TOKENS = {
    ".": "dot",
    "[": "brackleft",
    "]": "brackright",
    ",": "comma",
    "(": "parenleft",
    ")": "parenright",
}


class TokenType(Enum):
    """Token kinds, named as Segment's lexer names them."""

    IDENT = "ident"
    DOT = "dot"
    OPERATOR = "operator"
    CONDITIONAL = "conditional"
    STRING = "string"
    NUMBER = "number"
    NULL = "null"
    BRACKET_LEFT = "brackleft"
    BRACKET_RIGHT = "brackright"
    PAREN_LEFT = "parenleft"
    PAREN_RIGHT = "parenright"
    COMMA = "comma"
    EOS = "eos"


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text as Segment stores it, and where it sits.

    ``value`` keeps the quotes of a string and reads ``eos`` for the end of the
    query. ``start`` and ``end`` are offsets into the query text.
    """

    type: TokenType
    value: str
    start: int
    end: int


class QuerySyntaxError(Exception):
    """Raised where Segment cannot read the query; ``offset`` is where it fails."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class LexResult:
    """Tokens of a query, ending with an EOS token, and notes on misreadings."""

    tokens: list[Token]
    notes: list[str] = field(default_factory=list)


def tokenize(text: str) -> LexResult:
    """Split ``text`` into tokens as Segment does, or raise QuerySyntaxError."""
    return _Lexer(text).run()


def is_terminator(char: str | None) -> bool:
    """Tell whether ``char`` may follow a keyword or an operator (None is the end)."""
    return char is None or char in _TERMINATORS


def _is_alpha(char: str | None) -> bool:
    return char is not None and char.isascii() and char.isalpha()


def _is_digit(char: str | None) -> bool:
    return char is not None and "0" <= char <= "9"


def _is_ident_char(char: str | None) -> bool:
    return _is_alpha(char) or _is_digit(char) or char in ("_", "-", "\\")


def _describe_char(char: str | None) -> str:
    return "the end of the query" if char is None else repr(char)


class _Lexer:
    """A cursor over the query that mirrors the reference lexer step by step."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[Token] = []
        self.notes: list[str] = []
        # Offset of the last closing quote left unconsumed; a string that opens
        # there is a consequence of that misreading, not a new one.
        self.reopened_quote_at = -1

    def run(self) -> LexResult:
        while True:
            start = self.pos
            char = self._next()
            if char is None:
                self._emit(TokenType.EOS, "eos", start)
                return LexResult(self.tokens, self.notes)
            if char in _WHITESPACE:
                continue
            self._lex_from(char, start)

    def _lex_from(self, char: str, start: int) -> None:
        if char == "!" and (_is_alpha(self._peek()) or self._peek() == "("):
            self._emit(TokenType.OPERATOR, "!", start)
            return
        if _is_alpha(char) or char in _OPERATOR_STARTS:
            self._lex_word_or_operator(char, start)
            return
        if _is_digit(char) or char in ("-", "+"):
            self._lex_number(char, start)
            return
        if char in ('"', "'"):
            self._lex_string(char, start)
            return
        if char in _SINGLE_CHAR_TOKENS:
            self._emit(TokenType(_SINGLE_CHAR_TOKENS[char]), char, start)
            return
        raise QuerySyntaxError(
            f"invalid character {char!r} at character {start + 1}; a query is "
            "made of fields, double-quoted strings, numbers, the operators "
            "= != < <= > >=, and, or, parentheses and commas",
            start,
        )

    def _lex_word_or_operator(self, first: str, start: int) -> None:
        if first == "=":
            self._emit(TokenType.OPERATOR, "=", start)
        elif first == "!":
            self._lex_bang(start)
        elif first in ("<", ">"):
            operator = first + "=" if self._accept("=", start) else first
            self._emit(TokenType.OPERATOR, operator, start)
        elif first == "a" and self._accept("nd", start):
            self._emit(TokenType.CONDITIONAL, "and", start)
        elif first == "o" and self._accept("r", start):
            self._emit(TokenType.CONDITIONAL, "or", start)
        elif first == "n" and self._accept("ull", start):
            self._emit(TokenType.NULL, "null", start)
        else:
            self._lex_ident(first, start)

    def _lex_bang(self, start: int) -> None:
        if self._accept("=", start):
            self._emit(TokenType.OPERATOR, "!=", start)
            return
        following = self._peek()
        if following == "=":
            after = self.text[start + 2] if start + 2 < len(self.text) else None
            raise QuerySyntaxError(
                f"'!=' at character {start + 1} is followed by "
                f"{_describe_char(after)}; Segment needs a space, tab or newline "
                "after '!=', so add one",
                start,
            )
        raise QuerySyntaxError(
            f"'!' at character {start + 1} is followed by "
            f"{_describe_char(following)}; '!' must be part of '!=' or come "
            "directly before contains( or match(",
            start,
        )

    def _lex_ident(self, first: str, start: int) -> None:
        chars: list[str] = []
        char: str | None = first
        while True:
            if char == "\\":
                char = self._escaped_char()
            chars.append(char or "")
            if len(chars) >= MAX_LITERAL_LENGTH:
                raise QuerySyntaxError(
                    f"identifier at character {start + 1} is too long", start
                )
            if not _is_ident_char(self._peek()):
                break
            char = self._next()
        following = self._peek()
        ident = "".join(chars)
        if not (is_terminator(following) or following in _AFTER_IDENT):
            raise QuerySyntaxError(
                f"identifier {ident!r} at character {start + 1} is followed by "
                f"{_describe_char(following)}; Segment expects a space, '.', '(', "
                "'=', '!', ',', ')' or the end of the query after an identifier, "
                f"so add a space before {_describe_char(following)}",
                start,
            )
        self._emit(TokenType.IDENT, ident, start)

    def _escaped_char(self) -> str:
        backslash_at = self.pos - 1
        if self._peek() is None:
            raise QuerySyntaxError(
                f"'\\' at character {backslash_at + 1} escapes nothing because "
                "the query ends after it",
                backslash_at,
            )
        return self._next() or ""

    def _lex_number(self, first: str, start: int) -> None:
        chars = [first]
        seen_point = False
        coming = self._peek()
        while _is_digit(coming) or coming == ".":
            chars.append(self._next() or "")
            if coming == ".":
                if is_terminator(self._peek()):
                    raise QuerySyntaxError(
                        f"number at character {start + 1} ends with a decimal "
                        "point; write digits after it",
                        start,
                    )
                if seen_point:
                    raise QuerySyntaxError(
                        f"number at character {start + 1} has more than one "
                        "decimal point",
                        start,
                    )
                seen_point = True
            if len(chars) > MAX_LITERAL_LENGTH:
                raise QuerySyntaxError(
                    f"number at character {start + 1} is too long", start
                )
            coming = self._peek()
        self._emit(TokenType.NUMBER, "".join(chars), start)

    def _lex_string(self, quote: str, start: int) -> None:
        chars: list[str] = []
        while self._peek() != quote:
            char = self._next()
            if char is None:
                raise QuerySyntaxError(
                    f"unterminated string starting at character {start + 1}; "
                    f"add the closing {quote}",
                    start,
                )
            chars.append(char)
            if len(chars) >= MAX_LITERAL_LENGTH:
                raise QuerySyntaxError(
                    f"string at character {start + 1} is too long", start
                )
        closing_at = self.pos
        if not self._accept(quote, start):
            if start != self.reopened_quote_at:
                self._note_unclosed_quote(chars, closing_at)
            self.reopened_quote_at = closing_at
        content = "".join(chars)
        self.tokens.append(
            Token(TokenType.STRING, f"{quote}{content}{quote}", start, self.pos)
        )

    def _note_unclosed_quote(self, chars: list[str], closing_at: int) -> None:
        following = self.text[closing_at + 1]
        if chars and chars[-1] == "\\":
            self.notes.append(
                f"the backslash before the quote at character {closing_at + 1} "
                "does not escape it: Segment ends the string there and reads "
                "that quote again as the start of a new string"
            )
            return
        self.notes.append(
            f"the closing quote at character {closing_at + 1} is followed by "
            f"{following!r} instead of a space, tab, newline, ',', ')' or ']', so "
            "Segment also reads that quote as the start of a new string and "
            "misreads the text after it; add a space after the quote"
        )

    def _accept(self, expected: str, token_start: int) -> bool:
        """Consume ``expected`` if a terminator follows it, as Segment does.

        At the end of the query Segment gives up without stepping back, so the
        characters read so far are lost. A note records the loss.
        """
        consumed = 0
        read: list[str] = []
        for _ in expected:
            char = self._next()
            if char is None:
                self._note_lost_chars(consumed, token_start)
                return False
            read.append(char)
            consumed += 1
            if is_terminator(char):
                break
        if "".join(read) == expected and is_terminator(self._peek()):
            return True
        self.pos -= consumed
        return False

    def _note_lost_chars(self, consumed: int, token_start: int) -> None:
        if consumed == 0:
            return
        word = self.text[token_start:]
        self.notes.append(
            f"Segment reads the word {word!r} at the end of the query as "
            f"{word[0]!r}: it drops the last {consumed} character(s) while "
            "checking for a keyword"
        )

    def _next(self) -> str | None:
        if self.pos >= len(self.text):
            return None
        char = self.text[self.pos]
        self.pos += 1
        return char

    def _peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def _emit(self, token_type: TokenType, value: str, start: int) -> None:
        self.tokens.append(Token(token_type, value, start, self.pos))
