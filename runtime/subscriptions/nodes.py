"""Conditions of a parsed subscription, and how to print them.

The shapes mirror the condition tree of ``@segment/destination-subscriptions``
3.37.0: a clause names a field, an operator and usually a value, and a group
joins clauses with one operator. ``to_reference_form`` prints that tree in
Segment's own JSON form, and ``render`` prints it as a query with explicit
parentheses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum

from .jsvalues import to_js_string

__all__ = [
    "Clause",
    "FieldKind",
    "Group",
    "Node",
    "QueryValue",
    "render",
    "to_reference_form",
]

QueryValue = str | float | bool


class FieldKind(Enum):
    """Event fields a clause can read, valued as Segment names them."""

    TYPE = "event-type"
    EVENT = "event"
    NAME = "name"
    USER_ID = "userId"
    PROPERTY = "event-property"
    TRAIT = "event-trait"
    CONTEXT = "event-context"


# The query keyword of each field; paths follow it after a dot.
FIELD_KEYWORDS = {
    FieldKind.TYPE: "type",
    FieldKind.EVENT: "event",
    FieldKind.NAME: "name",
    FieldKind.USER_ID: "userId",
    FieldKind.PROPERTY: "properties",
    FieldKind.TRAIT: "traits",
    FieldKind.CONTEXT: "context",
}
PATH_FIELDS = frozenset({FieldKind.PROPERTY, FieldKind.TRAIT, FieldKind.CONTEXT})


@dataclass(frozen=True)
class Clause:
    """One test on one event field.

    ``path`` is the dotted path under properties, traits or context (None for
    the other fields). ``value`` is None for operators that take no value
    (``exists``, ``not_exists``, ``is_true``, ``is_false``).
    """

    kind: FieldKind
    operator: str
    value: QueryValue | None = None
    path: str | None = None


@dataclass(frozen=True)
class Group:
    """Conditions joined by one operator, ``and`` or ``or``.

    A child is None where Segment keeps an empty pair of parentheses; Segment
    fails with an error whenever it evaluates such a child.
    """

    operator: str
    children: tuple[Node | None, ...]


Node = Clause | Group

_PLAIN_PATH = re.compile(r"[A-Za-z0-9_.\-]*")
_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})
_NO_VALUE_FORMS = {
    "exists": "!= null",
    "not_exists": "= null",
    "is_true": "= true",
    "is_false": "= false",
}
_FUNCTION_FORMS = {
    "contains": ("contains", "{}"),
    "not_contains": ("!contains", "{}"),
    "starts_with": ("match", "{}*"),
    "not_starts_with": ("!match", "{}*"),
    "ends_with": ("match", "*{}"),
    "not_ends_with": ("!match", "*{}"),
}


def field_text(clause: Clause) -> str:
    """Return the field a clause reads, written as a query would write it."""
    keyword = FIELD_KEYWORDS[clause.kind]
    if clause.path is None:
        return keyword
    return f"{keyword}.{_escape_path(clause.path)}"


def _escape_path(path: str) -> str:
    if _PLAIN_PATH.fullmatch(path):
        return path
    return "".join(
        char if _PLAIN_PATH.fullmatch(char) else "\\" + char for char in path
    )


def quote(text: str) -> str:
    """Return ``text`` as a double-quoted string literal."""
    return json.dumps(text, ensure_ascii=False)


def render(node: Node | None) -> str:
    """Print a condition as a query, with every group in parentheses."""
    if node is None:
        return "()"
    if isinstance(node, Group):
        joiner = f" {node.operator} "
        return "(" + joiner.join(render(child) for child in node.children) + ")"
    return render_clause(node)


def render_clause(clause: Clause) -> str:
    """Print one clause the way Segment reads it."""
    field = field_text(clause)
    operator = clause.operator
    if operator in _NO_VALUE_FORMS:
        return f"{field} {_NO_VALUE_FORMS[operator]}"
    if operator in _FUNCTION_FORMS:
        name, pattern = _FUNCTION_FORMS[operator]
        text = pattern.format(to_js_string(clause.value))
        return f"{name}({field}, {quote(text)})"
    if operator == "number_equals":
        return f"{field} = {to_js_string(clause.value)}"
    if operator == "number_not_equals":
        return f"{field} != {to_js_string(clause.value)}"
    if operator in ("=", "!="):
        return f"{field} {operator} {quote(to_js_string(clause.value))}"
    if operator in _COMPARISONS:
        return f"{field} {operator} {_render_value(clause.value)}"
    unsupported = f"[unsupported operator {quote(operator)}]"
    return f"{field} {unsupported} {_render_value(clause.value)}"


def _render_value(value: QueryValue | None) -> str:
    if isinstance(value, str):
        return quote(value)
    return to_js_string(value)


def to_reference_form(node: Node | None) -> dict[str, object] | None:
    """Return the condition as Segment's JSON condition tree (None stays None)."""
    if node is None:
        return None
    if isinstance(node, Group):
        return {
            "type": "group",
            "operator": node.operator,
            "children": [to_reference_form(child) for child in node.children],
        }
    form: dict[str, object] = {"type": node.kind.value}
    if node.path is not None:
        form["name"] = node.path
    form["operator"] = node.operator
    if node.value is not None:
        form["value"] = node.value
    return form
