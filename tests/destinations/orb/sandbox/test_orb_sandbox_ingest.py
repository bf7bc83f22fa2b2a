"""POST /v1/ingest driven with plain httpx: each Orb validation rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from destinations.orb.sandbox import SandboxState
from destinations.orb.sandbox.event_validation import parse_timestamp

EventFactory = Callable[..., dict[str, Any]]
VALIDATION_TYPE = (
    "https://docs.withorb.com/reference/error-responses#400-request-validation-errors"
)


def ingest(http: httpx.Client, *events: object, debug: bool = False) -> httpx.Response:
    params = {"debug": "true"} if debug else {}
    return http.post("/v1/ingest", json={"events": list(events)}, params=params)


def test_ingest_valid_event_stored(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    response = ingest(http, make_event())

    assert response.status_code == 200
    assert response.json() == {"validation_failed": [], "debug": None}
    assert len(state.events) == 1
    stored = state.events[0]
    assert stored.idempotency_key == "key-1"
    assert stored.external_customer_id == "acct_42"
    assert stored.customer_id is None
    assert stored.properties == {"tokens": 1532, "model": "small", "cached": False}
    assert stored.timestamp == "2026-12-04T15:46:57.863Z"


INVALID_EVENTS = [
    pytest.param(
        {"external_customer_id": None},
        "neither was given",
        id="no-customer-id",
    ),
    pytest.param(
        {"customer_id": "cus_acct42bbbbbbbb"},
        "both were given",
        id="both-customer-ids",
    ),
    pytest.param(
        {"external_customer_id": ""},
        "external_customer_id must not be empty",
        id="empty-external-customer-id",
    ),
    pytest.param(
        {"external_customer_id": 98765},
        "external_customer_id must be a string",
        id="numeric-external-customer-id",
    ),
    pytest.param(
        {"external_customer_id": None, "customer_id": "cus_unknown"},
        "does not match any Orb customer",
        id="unknown-customer-id",
    ),
    pytest.param({"event_name": ""}, "event_name must not be empty", id="empty-name"),
    pytest.param({"event_name": None}, "event_name is missing", id="missing-name"),
    pytest.param(
        {"timestamp": "yesterday"},
        "is not an ISO 8601 date-time",
        id="bad-timestamp",
    ),
    pytest.param(
        {"timestamp": "2026-13-04T15:46:57Z"},
        "is not an ISO 8601 date-time",
        id="month-13",
    ),
    pytest.param(
        {"timestamp": "2026-12-04T15:46:57"},
        "is not an ISO 8601 date-time",
        id="timestamp-without-offset",
    ),
    pytest.param(
        {"timestamp": "2026-12-04"},
        "is not an ISO 8601 date-time",
        id="date-only",
    ),
    pytest.param(
        {"timestamp": 1765000000},
        "timestamp must be an ISO 8601 string",
        id="epoch-number",
    ),
    pytest.param(
        {"timestamp": "2026-12-04T16:06:00Z"},
        "is more than 5 minutes ahead of the server time",
        id="six-minutes-ahead",
    ),
    pytest.param(
        {"timestamp": "2026-12-04T18:05:01+02:00"},
        "is more than 5 minutes ahead of the server time",
        id="ahead-with-offset",
    ),
    pytest.param(
        {"properties": {"plan": None}},
        "properties.plan must be a string, number or boolean, got null",
        id="null-property",
    ),
    pytest.param(
        {"properties": {"plan": {"tier": "pro"}}},
        "properties.plan must be a string, number or boolean, got an object",
        id="object-property",
    ),
    pytest.param(
        {"properties": {"tags": ["beta", "eu"]}},
        "properties.tags must be a string, number or boolean, got an array",
        id="array-property",
    ),
    pytest.param({"properties": None}, "properties is missing", id="no-properties"),
    pytest.param(
        {"properties": ["a"]},
        "properties must be a JSON object",
        id="properties-array",
    ),
]


@pytest.mark.parametrize(("fields", "message"), INVALID_EVENTS)
def test_ingest_rejects_invalid_event(
    http: httpx.Client,
    state: SandboxState,
    make_event: EventFactory,
    fields: dict[str, Any],
    message: str,
) -> None:
    response = ingest(http, make_event(**fields))

    assert response.status_code == 400
    body = response.json()
    assert body["debug"] is None
    assert len(body["validation_failed"]) == 1
    failure = body["validation_failed"][0]
    assert failure["idempotency_key"] == "key-1"
    assert any(message in error for error in failure["validation_errors"])
    assert state.events == []


def test_ingest_empty_idempotency_key_rejected(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    response = ingest(http, make_event(idempotency_key=""))

    assert response.status_code == 400
    failure = response.json()["validation_failed"][0]
    assert failure["idempotency_key"] == ""
    assert failure["validation_errors"] == [
        "idempotency_key must not be empty; send a non-empty string"
    ]
    assert state.events == []


def test_ingest_reports_all_event_problems(
    http: httpx.Client, make_event: EventFactory
) -> None:
    event = make_event(event_name="", timestamp="bad", properties={"a": None})

    response = ingest(http, event)

    errors = response.json()["validation_failed"][0]["validation_errors"]
    assert len(errors) == 3


VALID_VARIANTS = [
    pytest.param({"timestamp": "2026-12-04T16:04:00Z"}, id="four-minutes-ahead"),
    pytest.param(
        {"timestamp": "2026-12-04T16:05:00Z"}, id="exactly-five-minutes-ahead"
    ),
    pytest.param(
        {"timestamp": "2022-05-11T21:33:13.1652304793Z"}, id="ten-digit-fraction"
    ),
    pytest.param({"timestamp": "2024-06-01T12:30:05.000+02:00"}, id="plus-two-offset"),
    pytest.param({"timestamp": "2026-12-04T15:46:57Z"}, id="no-fraction"),
    pytest.param(
        {"external_customer_id": None, "customer_id": "cus_acct42bbbbbbbb"},
        id="seeded-customer-id",
    ),
    pytest.param(
        {"external_customer_id": "not_in_orb_yet"}, id="unknown-external-customer-id"
    ),
    pytest.param({"properties": {}}, id="empty-properties"),
    pytest.param(
        {"properties": {"amount": 19.99, "count": 3, "ok": True, "s": "x"}},
        id="scalar-properties",
    ),
]


@pytest.mark.parametrize("fields", VALID_VARIANTS)
def test_ingest_accepts_valid_variant(
    http: httpx.Client,
    state: SandboxState,
    make_event: EventFactory,
    fields: dict[str, Any],
) -> None:
    response = ingest(http, make_event(**fields))

    assert response.status_code == 200
    assert response.json()["validation_failed"] == []
    assert len(state.events) == 1


def test_parse_timestamp_truncates_long_fraction() -> None:
    moment = parse_timestamp("2022-05-11T21:33:13.1652304793Z")

    assert moment is not None
    assert moment.microsecond == 165230


def test_parse_timestamp_keeps_offset() -> None:
    moment = parse_timestamp("2024-06-01T12:30:05.000+02:00")

    assert moment is not None
    assert moment.utcoffset() is not None
    assert moment.isoformat() == "2024-06-01T12:30:05+02:00"


def test_ingest_later_duplicate_not_counted(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    ingest(http, make_event())

    response = ingest(http, make_event(properties={"tokens": 2}), debug=True)

    assert response.status_code == 200
    assert response.json() == {
        "validation_failed": [],
        "debug": {"duplicate": ["key-1"], "ingested": []},
    }
    assert len(state.events) == 1
    assert state.events[0].properties["tokens"] == 1532


def test_ingest_debug_lists_ingested_keys(
    http: httpx.Client, make_event: EventFactory
) -> None:
    response = ingest(
        http,
        make_event(idempotency_key="a"),
        make_event(idempotency_key="b"),
        debug=True,
    )

    assert response.json()["debug"] == {"duplicate": [], "ingested": ["a", "b"]}


def test_ingest_conflicting_key_rejects_request(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    response = ingest(
        http,
        make_event(idempotency_key="other"),
        make_event(idempotency_key="dup", event_name="api_call"),
        make_event(idempotency_key="dup", event_name="api_call_v2"),
    )

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == VALIDATION_TYPE
    assert body["status"] == 400
    assert body["title"]
    assert body["detail"]
    assert len(body["validation_errors"]) == 1
    assert "'dup'" in body["validation_errors"][0]
    assert state.events == []
    assert state.ingested_keys == set()


def test_ingest_identical_repeat_ingested_once(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    response = ingest(http, make_event(), make_event(), debug=True)

    assert response.status_code == 200
    assert response.json()["debug"] == {"duplicate": ["key-1"], "ingested": ["key-1"]}
    assert len(state.events) == 1


def test_ingest_bad_event_in_middle_of_batch(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    response = ingest(
        http,
        make_event(idempotency_key="first"),
        make_event(idempotency_key="middle", timestamp="not a time"),
        make_event(idempotency_key="last"),
        debug=True,
    )

    assert response.status_code == 400
    body = response.json()
    failed_keys = [failure["idempotency_key"] for failure in body["validation_failed"]]
    assert failed_keys == ["middle"]
    assert body["debug"] == {"duplicate": [], "ingested": ["first", "last"]}
    assert [event.idempotency_key for event in state.events] == ["first", "last"]


def test_ingest_failed_key_accepted_after_fix(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    ingest(http, make_event(timestamp="bad"))

    response = ingest(http, make_event())

    assert response.status_code == 200
    assert len(state.events) == 1


def test_ingest_event_not_an_object_rejected(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    response = ingest(http, make_event(), "not an event")

    assert response.status_code == 400
    failure = response.json()["validation_failed"][0]
    assert failure["idempotency_key"] == ""
    assert failure["validation_errors"] == ["event must be a JSON object, got a string"]
    assert len(state.events) == 1


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"{not json", id="invalid-json"),
        pytest.param(b"[]", id="array-body"),
        pytest.param(b"{}", id="no-events"),
        pytest.param(b'{"events": {}}', id="events-object"),
        pytest.param(b'{"events": [{"properties": {"x": NaN}}]}', id="nan"),
    ],
)
def test_ingest_invalid_body_rejected(http: httpx.Client, content: bytes) -> None:
    response = http.post(
        "/v1/ingest", content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == VALIDATION_TYPE
    assert body["validation_errors"]


def test_ingest_invalid_debug_value_rejected(
    http: httpx.Client, make_event: EventFactory
) -> None:
    response = http.post(
        "/v1/ingest", json={"events": [make_event()]}, params={"debug": "yes"}
    )

    assert response.status_code == 400
    assert response.json()["type"] == VALIDATION_TYPE
