from datetime import datetime, timezone
from typing import Any

import pytest

from runtime.clock import CountingIds, FixedClock
from runtime.errors import EventError
from runtime.events import normalize_event, validate_event

NOW = datetime(2026, 12, 4, 16, 0, tzinfo=timezone.utc)


def normalize(event: dict[str, Any]) -> dict[str, Any]:
    return normalize_event(event, FixedClock(NOW), CountingIds("gen"))


def problems_of(event: object) -> list[str]:
    with pytest.raises(EventError) as caught:
        validate_event(event)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("event", "location", "words"),
    [
        ({"type": "track", "userId": "u"}, "event", "missing required value"),
        (
            {"type": "track", "event": ""},
            "userId",
            "missing both userId and anonymousId",
        ),
        (
            {"type": "track", "event": "e", "userId": "", "anonymousId": None},
            "userId",
            "missing both",
        ),
        (
            {"type": "track", "event": "e", "userId": "u", "properties": []},
            "properties",
            "[] is invalid: expected object, got an array",
        ),
        (
            {"type": "identify", "userId": "u", "traits": "vip"},
            "traits",
            "expected object, got a string",
        ),
        (
            {"type": "track", "event": "e", "userId": "u", "context": 3},
            "context",
            "expected object, got a number",
        ),
        (
            {"type": "track", "event": "e", "userId": "u", "timestamp": "yesterday"},
            "timestamp",
            "is not a 'date-time'",
        ),
        ({"type": "click", "userId": "u"}, "type", "is not one of"),
        ({"type": "group", "userId": "u"}, "groupId", "missing required value"),
        ({"type": "alias", "userId": "u"}, "previousId", "missing required value"),
    ],
    ids=[
        "track-without-event",
        "no-identity",
        "empty-and-null-identity",
        "properties-array",
        "traits-string",
        "context-number",
        "bad-timestamp",
        "unknown-type",
        "group-without-groupId",
        "alias-without-previousId",
    ],
)
def test_validate_event_names_field(
    event: dict[str, Any], location: str, words: str
) -> None:
    problems = problems_of(event)
    assert any(p.startswith(f"{location}:") and words in p for p in problems), problems


def test_validate_event_reports_every_problem_at_once() -> None:
    problems = problems_of({"type": "track", "properties": [], "timestamp": "x"})
    assert len(problems) == 4


def test_validate_event_rejects_non_object() -> None:
    assert problems_of(["track"]) == ["(event): expected a JSON object, got an array"]


def test_problem_message_says_how_to_fix() -> None:
    problems = problems_of({"type": "track", "event": "e"})
    assert "set userId or anonymousId" in problems[0]


def test_normalize_generates_missing_message_id() -> None:
    event = normalize({"type": "track", "event": "e", "userId": "u"})
    assert event["messageId"] == "gen-1"


def test_normalize_keeps_given_message_id() -> None:
    event = normalize(
        {"type": "track", "event": "e", "userId": "u", "messageId": "m-1"}
    )
    assert event["messageId"] == "m-1"


def test_normalize_timestamp_falls_back_to_original_timestamp() -> None:
    event = normalize(
        {
            "type": "track",
            "event": "e",
            "userId": "u",
            "originalTimestamp": "2024-06-01T12:00:00+02:00",
            "receivedAt": "2024-06-01T11:00:00Z",
        }
    )
    assert event["timestamp"] == "2024-06-01T10:00:00.000Z"


def test_normalize_timestamp_falls_back_to_received_at() -> None:
    event = normalize(
        {
            "type": "track",
            "event": "e",
            "userId": "u",
            "receivedAt": "2024-06-01T11:00:00Z",
        }
    )
    assert event["timestamp"] == "2024-06-01T11:00:00.000Z"


def test_normalize_timestamp_falls_back_to_clock() -> None:
    event = normalize({"type": "track", "event": "e", "userId": "u"})
    assert event["timestamp"] == "2026-12-04T16:00:00.000Z"
    assert event["receivedAt"] == "2026-12-04T16:00:00.000Z"


def test_normalize_converts_offsets_and_long_fractions_to_utc() -> None:
    event = normalize(
        {
            "type": "track",
            "event": "e",
            "userId": "u",
            "timestamp": "2022-05-11T23:33:13.1652304793+02:00",
        }
    )
    assert event["timestamp"] == "2022-05-11T21:33:13.165Z"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(98765, "98765"), (12.0, "12"), (1.5, "1.5")],
    ids=["int", "integral-float", "fraction"],
)
def test_normalize_numeric_user_id_becomes_text(value: float, expected: str) -> None:
    event = normalize({"type": "track", "event": "e", "userId": value})
    assert event["userId"] == expected


def test_normalize_drops_null_anonymous_id() -> None:
    event = normalize(
        {"type": "track", "event": "e", "userId": "u", "anonymousId": None}
    )
    assert "anonymousId" not in event


def test_normalize_does_not_change_input() -> None:
    original = {"type": "track", "event": "e", "userId": 5}
    normalize(original)
    assert original == {"type": "track", "event": "e", "userId": 5}


def test_normalize_rejects_infinite_number() -> None:
    with pytest.raises(EventError) as caught:
        normalize(
            {
                "type": "track",
                "event": "e",
                "userId": "u",
                "properties": {"total": float("inf")},
            }
        )
    assert str(caught.value.problems[0]).startswith(
        "properties.total: inf is not a finite"
    )


def test_normalize_replaces_lone_surrogate() -> None:
    event = normalize({"type": "track", "event": "cut \ud83d", "userId": "u"})
    assert event["event"] == "cut \ufffd"


def test_validate_event_rejects_deep_nesting() -> None:
    deep: dict[str, object] = {}
    for _ in range(200):
        deep = {"a": deep}
    problems = problems_of(
        {"type": "track", "event": "e", "userId": "u", "properties": deep}
    )
    assert problems == [
        "(event): nested more than 64 levels deep; flatten the properties"
    ]
