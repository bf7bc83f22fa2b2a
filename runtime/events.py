"""Validation and normalization of Segment Spec events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.clock import Clock, IdSource
from runtime.errors import EventError, Problem
from runtime.jsondata import MAX_DEPTH, UnsafeJson, clean_json, depth_of, json_type
from runtime.schemas import problems_from, validator_for
from runtime.timestamps import format_utc, parse_timestamp

__all__ = ["EVENT_TYPES", "Event", "normalize_event", "validate_event"]

EVENT_TYPES = ("track", "identify", "page", "screen", "group", "alias")

Event = dict[str, Any]


def validate_event(event: object) -> None:
    """Check an event against the Segment Spec schema for its type.

    Raises ``EventError`` listing every problem at once.
    """
    if not isinstance(event, Mapping):
        problem = Problem("(event)", f"expected a JSON object, got {json_type(event)}")
        raise EventError("invalid Segment event", [problem])
    if depth_of(event) > MAX_DEPTH:
        problem = Problem(
            "(event)",
            f"nested more than {MAX_DEPTH} levels deep; flatten the properties",
        )
        raise EventError("invalid Segment event", [problem])
    kind = event.get("type")
    schema = f"segment/{kind}.schema.json" if kind in EVENT_TYPES else None
    validator = validator_for(schema or "segment/common.schema.json")
    problems = problems_from(validator.iter_errors(event))
    if problems:
        message_id = event.get("messageId")
        summary = "invalid Segment event" + (f" {message_id}" if message_id else "")
        raise EventError(summary, problems)


def normalize_event(event: Mapping[str, Any], clock: Clock, ids: IdSource) -> Event:
    """Validate an event and fill in what Segment fills in.

    A missing ``messageId`` is generated; ``timestamp`` falls back to
    ``originalTimestamp``, then ``receivedAt``, then the clock; every timestamp is
    rewritten in UTC; numeric ids become strings and null ids are removed. Lone
    surrogates in text become U+FFFD, and a non-finite number rejects the event.
    """
    validate_event(event)
    try:
        # validate_event has checked the depth already.
        normalized: Event = clean_json(dict(event), max_depth=None)
    except UnsafeJson as exc:
        raise EventError(
            "invalid Segment event", [Problem(exc.path or "(event)", exc.message)]
        ) from None
    for field in ("userId", "anonymousId", "groupId", "previousId", "messageId"):
        _stringify_id(normalized, field)

    if not normalized.get("messageId"):
        normalized["messageId"] = ids.new_id()
    normalized.setdefault("receivedAt", format_utc(clock.now()))
    for field in ("timestamp", "originalTimestamp", "sentAt", "receivedAt"):
        if field in normalized:
            normalized[field] = format_utc(parse_timestamp(normalized[field]))

    fallback = normalized.get("originalTimestamp") or normalized["receivedAt"]
    normalized.setdefault("timestamp", fallback)
    for field in ("context", "integrations"):
        normalized.setdefault(field, {})
    return normalized


def _stringify_id(event: Event, field: str) -> None:
    value = event.get(field)
    if value is None:
        event.pop(field, None)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int | float):
        event[field] = _number_text(value)


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
