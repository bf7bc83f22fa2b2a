"""Match an event against a parsed subscription, as Segment's ``validate`` does.

The comparison rules follow ``@segment/destination-subscriptions`` 3.37.0:

- ``=`` and ``!=`` compare the event value with the query value as text, and
  only a string in the event can equal it (``properties.count = "10"`` does not
  match the number 10; ``!=`` is true for every other value, missing included).
- A number in the query (``properties.count = 10``) needs a number in the event.
- ``<``, ``<=``, ``>`` and ``>=`` need a number in the event and convert the
  query value with JavaScript's ``Number()``.
- ``contains`` and ``match`` need a string in the event and are case-sensitive.
- ``= null`` is true for a missing or null value, ``!= null`` for any other.
- ``= true`` and ``= false`` need a boolean in the event.
- Any other operator never matches.
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Mapping

from .jsvalues import UNDEFINED, get_path, is_number, to_js_string, to_number
from .nodes import FIELD_KEYWORDS, PATH_FIELDS, Clause, Group, Node

__all__ = ["EvaluationError", "compare", "evaluate", "event_fields", "read_field"]


class EvaluationError(Exception):
    """Raised where Segment's ``validate`` throws instead of returning a result."""


_NUMBER_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": op.lt,
    "<=": op.le,
    ">": op.gt,
    ">=": op.ge,
    "number_equals": op.eq,
    "number_not_equals": op.ne,
}
_TEXT_TESTS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda actual, expected: expected in actual,
    "not_contains": lambda actual, expected: expected not in actual,
    "starts_with": str.startswith,
    "not_starts_with": lambda actual, expected: not actual.startswith(expected),
    "ends_with": str.endswith,
    "not_ends_with": lambda actual, expected: not actual.endswith(expected),
}


def evaluate(node: Node | None, event: Mapping[str, object]) -> bool:
    """Tell whether ``event`` satisfies ``node``; raise EvaluationError like Segment."""
    if node is None:
        raise EvaluationError(
            "empty parentheses hold no condition, and Segment fails on them"
        )
    if isinstance(node, Group):
        return _evaluate_group(node, event)
    return compare(read_field(node, event), node.operator, node.value)


def _evaluate_group(group: Group, event: Mapping[str, object]) -> bool:
    # Evaluate in order and stop early, as JavaScript's every() and some() do,
    # because a later child may raise where Segment never reaches it.
    if group.operator == "and":
        return all(evaluate(child, event) for child in group.children)
    if group.operator == "or":
        return any(evaluate(child, event) for child in group.children)
    return False


def read_field(clause: Clause, event: Mapping[str, object]) -> object:
    """Return the event value that ``clause`` tests (UNDEFINED when absent)."""
    container = event.get(FIELD_KEYWORDS[clause.kind], UNDEFINED)
    if clause.kind not in PATH_FIELDS:
        return container
    try:
        return get_path(container, clause.path or "")
    except TypeError as error:
        raise EvaluationError(str(error)) from error


def compare(actual: object, operator: str, expected: object) -> bool:
    """Apply one clause operator to an event value, with JavaScript's rules."""
    if operator == "=":
        return isinstance(actual, str) and actual == to_js_string(expected)
    if operator == "!=":
        return not (isinstance(actual, str) and actual == to_js_string(expected))
    if operator in _NUMBER_COMPARISONS:
        if not is_number(actual):
            return False
        return _NUMBER_COMPARISONS[operator](to_number(actual), to_number(expected))
    if operator in _TEXT_TESTS:
        if not isinstance(actual, str):
            return False
        return _TEXT_TESTS[operator](actual, to_js_string(expected))
    return _compare_presence(actual, operator)


def _compare_presence(actual: object, operator: str) -> bool:
    missing = actual is None or actual is UNDEFINED
    if operator == "exists":
        return not missing
    if operator == "not_exists":
        return missing
    if operator == "is_true":
        return actual is True
    if operator == "is_false":
        return actual is False
    return False


def event_fields(event: object) -> Mapping[str, object]:
    """Return the mapping to read fields from; a non-object event has no fields."""
    return event if isinstance(event, Mapping) else {}
