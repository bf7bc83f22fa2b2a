import math
from typing import Any

import pytest

from destinations.orb import functions
from runtime import BatchItem, EventNotSupported, InvalidEventPayload, Request

SETTINGS: dict[str, Any] = {
    "apiKey": "k",
    "eventNameField": "event",
    "externalCustomerIdField": "userId",
    "idempotencyKeyField": "messageId",
    "propertiesMapping": {"amount": "amount", "plan.tier": "tier", "coupon": "coupon"},
    "endpoint": "https://orb.invalid/v1",
}


def track(**fields: Any) -> dict[str, Any]:
    event = {
        "type": "track",
        "event": "payment_confirmed",
        "userId": "user_123",
        "messageId": "m-1",
        "timestamp": "2026-12-04T15:46:57.863Z",
        "properties": {"amount": 100.0, "currency": "USD", "plan": {"tier": "pro"}},
        "context": {"groupId": "org_9"},
    }
    event.update(fields)
    return event


def engage(
    computation_class: str, key: str, value: Any, user: str = "user_123"
) -> dict[str, Any]:
    return {
        "type": "identify",
        "userId": user,
        "messageId": "m-2",
        "traits": {key: value},
        "context": {
            "personas": {"computation_class": computation_class, "computation_key": key}
        },
    }


def usage_event(event: dict[str, Any], **overrides: Any) -> Any:
    item = functions.on_track(event, {**SETTINGS, **overrides})
    assert isinstance(item, BatchItem)
    return item.payload


def test_on_track_builds_usage_event() -> None:
    assert usage_event(track()) == {
        "event_name": "payment_confirmed",
        "idempotency_key": "m-1",
        "external_customer_id": "user_123",
        "timestamp": "2026-12-04T15:46:57.863Z",
        "properties": {"amount": 100.0, "tier": "pro"},
    }


def test_on_track_batch_key_is_idempotency_key() -> None:
    item = functions.on_track(track(), SETTINGS)
    assert (item.batch, item.key) == ("ingest", "m-1")


def test_on_track_drops_unmapped_properties() -> None:
    assert "currency" not in usage_event(track())["properties"]


def test_on_track_leaves_out_null_and_missing() -> None:
    event = track(properties={"amount": None})
    assert usage_event(event)["properties"] == {}


@pytest.mark.parametrize(
    ("setting", "path", "expected"),
    [
        ("externalCustomerIdField", "context.groupId", "org_9"),
        ("externalCustomerIdField", "properties.account", "acct_7"),
        ("eventNameField", "properties.metric", "tokens"),
        ("idempotencyKeyField", "properties.request_id", "req-9"),
    ],
    ids=[
        "customer-from-context",
        "customer-from-properties",
        "name-from-properties",
        "key-from-properties",
    ],
)
def test_on_track_reads_dot_paths(setting: str, path: str, expected: str) -> None:
    event = track(
        properties={"account": "acct_7", "metric": "tokens", "request_id": "req-9"}
    )
    payload = usage_event(event, **{setting: path})
    field = {
        "externalCustomerIdField": "external_customer_id",
        "eventNameField": "event_name",
        "idempotencyKeyField": "idempotency_key",
    }[setting]
    assert payload[field] == expected


def test_on_track_numeric_customer_id_becomes_text() -> None:
    assert usage_event(track(userId=98765))["external_customer_id"] == "98765"


@pytest.mark.parametrize(
    ("setting", "event"),
    [
        ("externalCustomerIdField", track(userId=None)),
        ("externalCustomerIdField", track(userId="")),
        ("eventNameField", track(event="")),
        ("idempotencyKeyField", track(messageId=None)),
    ],
    ids=["customer-missing", "customer-empty", "event-name-empty", "key-missing"],
)
def test_on_track_rejects_missing_required(setting: str, event: dict[str, Any]) -> None:
    event = {k: v for k, v in event.items() if v is not None}
    with pytest.raises(InvalidEventPayload, match=f"settings.{setting} reads"):
        functions.on_track(event, SETTINGS)


def test_on_track_rejects_object_id() -> None:
    with pytest.raises(InvalidEventPayload, match="contains an object"):
        functions.on_track(track(userId={"id": 1}), SETTINGS)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"value": 1}, "is an object"),
        ([1, 2], "is an array"),
        (math.nan, "is nan"),
        (math.inf, "is inf"),
        (-math.inf, "is -inf"),
    ],
    ids=["object", "array", "nan", "infinity", "negative-infinity"],
)
def test_on_track_rejects_unflat_property(value: Any, words: str) -> None:
    with pytest.raises(InvalidEventPayload, match=f"properties.amount {words}"):
        functions.on_track(track(properties={"amount": value}), SETTINGS)


def test_on_track_keeps_booleans_and_strings() -> None:
    event = track(properties={"amount": False, "coupon": "X1"})
    assert usage_event(event)["properties"] == {"amount": False, "coupon": "X1"}


@pytest.mark.parametrize(
    ("computation_class", "value", "expected"),
    [
        ("audience", True, "true"),
        ("audience", False, "false"),
        ("trait", 42, "42"),
        ("trait", 4.5, "4.5"),
        ("trait", "gold", "gold"),
        ("trait", None, None),
        ("trait", ["a", "b"], '["a","b"]'),
    ],
    ids=[
        "audience-true",
        "audience-false",
        "trait-int",
        "trait-float",
        "trait-text",
        "trait-null",
        "trait-list",
    ],
)
def test_on_identify_sets_metadata(
    computation_class: str, value: Any, expected: Any
) -> None:
    request = functions.on_identify(engage(computation_class, "k1", value), SETTINGS)
    assert isinstance(request, Request)
    assert request.method == "PUT"
    assert request.json == {"metadata": {"k1": expected}}


def test_on_identify_encodes_customer_id_as_one_segment() -> None:
    request = functions.on_identify(
        engage("audience", "a", True, user="acme/user 1"), SETTINGS
    )
    assert (
        request.url
        == "https://orb.invalid/v1/customers/external_customer_id/acme%2Fuser%201"
    )


def test_on_identify_sends_bearer_key() -> None:
    request = functions.on_identify(engage("audience", "a", True), SETTINGS)
    assert request.headers["Authorization"] == "Bearer k"


def test_on_identify_plain_identify_unsupported() -> None:
    with pytest.raises(EventNotSupported, match="without context.personas"):
        functions.on_identify(
            {"type": "identify", "userId": "u", "traits": {}}, SETTINGS
        )


def test_on_identify_other_computation_unsupported() -> None:
    with pytest.raises(EventNotSupported, match="computation_class 'journey_step'"):
        functions.on_identify(engage("journey_step", "j", True), SETTINGS)


def test_on_identify_requires_computation_key() -> None:
    event = engage("audience", "a", True)
    del event["context"]["personas"]["computation_key"]
    with pytest.raises(InvalidEventPayload, match="computation_key is missing"):
        functions.on_identify(event, SETTINGS)


def test_on_batch_builds_ingest_request() -> None:
    request = functions.on_batch("ingest", [{"a": 1}], SETTINGS)
    assert (request.method, request.url) == ("POST", "https://orb.invalid/v1/ingest")
    assert request.json == {"events": [{"a": 1}]}


def test_on_batch_result_maps_validation_failed() -> None:
    body = {
        "validation_failed": [
            {"idempotency_key": "m-2", "validation_errors": ["bad", "worse"]}
        ]
    }
    rejected = functions.on_batch_result("ingest", 400, body, ["m-1", "m-2"])
    assert rejected == {"m-2": "Orb validation failed: bad; worse"}


def test_on_batch_result_ignores_success() -> None:
    assert (
        functions.on_batch_result("ingest", 200, {"validation_failed": []}, ["m-1"])
        == {}
    )
