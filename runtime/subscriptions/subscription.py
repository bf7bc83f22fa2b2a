"""A parsed subscription query and the functions that build and apply it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import MappingError
from .evaluate import EvaluationError, evaluate, event_fields
from .nodes import Group, render
from .parser import parse_query

__all__ = ["Subscription", "matches", "parse_subscription"]


@dataclass(frozen=True, eq=False)
class Subscription:
    """A trigger query as Segment reads it.

    ``warnings`` lists the places where Segment's reading of ``text`` likely
    differs from what its author meant; ``describe()`` shows that reading.
    """

    text: str
    root: Group
    warnings: list[str]

    def matches(self, event: Mapping[str, object]) -> bool:
        """Tell whether Segment would send ``event`` to the subscribed action.

        An event that makes Segment's matcher fail (an empty pair of
        parentheses, a path with no key) does not match.
        """
        if event is None:
            return False
        try:
            return evaluate(self.root, event_fields(event))
        except EvaluationError:
            return False

    def describe(self) -> str:
        """Return the query as Segment reads it, with every group parenthesised."""
        return render(self.root)


def parse_subscription(text: str, *, pointer: str = "") -> Subscription:
    """Parse a trigger query with Segment's rules.

    Raise MappingError, naming the position and what was expected, where
    Segment cannot parse the query. ``pointer`` locates the query inside a
    definition for the error message.
    """
    parsed = parse_query(text, pointer)
    return Subscription(text, parsed.root, parsed.warnings)


def matches(text: str, event: Mapping[str, object]) -> bool:
    """Tell whether ``event`` matches query ``text``; False if it cannot be parsed."""
    try:
        subscription = parse_subscription(text)
    except MappingError:
        return False
    return subscription.matches(event)
