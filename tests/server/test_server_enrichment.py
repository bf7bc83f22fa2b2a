"""Segment's server-side fields: receivedAt, messageId, and clock skew correction."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

from runtime.clock import CountingIds, FixedClock
from runtime.registry import Registry
from runtime.server.enrichment import enrich_event
from runtime.server.store import EventStore
from tests.server.server_harness import (
    all_settled,
    basic_auth,
    build_config,
    only_event,
    running_app,
    sandbox_state,
    wait_until,
)

RECEIVED = datetime(2026, 12, 4, 16, 0, 0, tzinfo=UTC)


def enrich(**fields: Any) -> dict[str, Any]:
    event = {"type": "track", "userId": "u", "event": "e", **fields}
    return enrich_event(event, received_at=RECEIVED, ids=CountingIds("id"))


def test_enrich_sets_received_at() -> None:
    assert enrich()["receivedAt"] == "2026-12-04T16:00:00.000Z"


@pytest.mark.parametrize("given", [None, ""], ids=["null", "empty"])
def test_enrich_generates_missing_message_id(given: str | None) -> None:
    assert enrich(messageId=given)["messageId"] == "id-1"


def test_enrich_keeps_client_message_id() -> None:
    assert enrich(messageId="client-1")["messageId"] == "client-1"


def test_enrich_removes_write_key() -> None:
    assert "writeKey" not in enrich(writeKey="secret")


def test_enrich_corrects_timestamp_for_clock_skew() -> None:
    # The client clock runs 10 minutes fast; the call happened 3 s before sending.
    event = enrich(
        originalTimestamp="2026-12-04T16:09:57.000Z",
        sentAt="2026-12-04T16:10:00.000Z",
        timestamp="2026-12-04T16:09:57.000Z",
    )
    assert event["timestamp"] == "2026-12-04T15:59:57.000Z"
    assert event["originalTimestamp"] == "2026-12-04T16:09:57.000Z"


def test_enrich_reads_offsets_before_correcting() -> None:
    event = enrich(
        originalTimestamp="2026-12-04T17:59:50+02:00",
        sentAt="2026-12-04T16:00:00Z",
    )
    assert event["timestamp"] == "2026-12-04T15:59:50.000Z"


def test_enrich_keeps_server_library_timestamp() -> None:
    # analytics-python and analytics-node send timestamp and sentAt only.
    event = enrich(timestamp="2024-06-01T10:30:05.000Z", sentAt="2026-12-04T16:10:00Z")
    assert event["timestamp"] == "2024-06-01T10:30:05.000Z"
    assert event["originalTimestamp"] == "2024-06-01T10:30:05.000Z"


def test_enrich_without_sent_at_keeps_timestamp() -> None:
    event = enrich(
        originalTimestamp="2026-12-04T15:00:00Z", timestamp="2026-12-04T15:01:00Z"
    )
    assert event["timestamp"] == "2026-12-04T15:01:00Z"


def test_enrich_leaves_invalid_timestamps_for_validation() -> None:
    event = enrich(originalTimestamp="yesterday", sentAt="2026-12-04T16:10:00Z")
    assert "timestamp" not in event
    assert event["originalTimestamp"] == "yesterday"


def test_skew_corrected_timestamp_reaches_orb(
    store: EventStore, registry: Registry
) -> None:
    clock = FixedClock(RECEIVED)
    body = {
        "userId": "acct_42",
        "event": "api_call",
        "messageId": "skewed-1",
        "properties": {"tokens": 1},
        "originalTimestamp": "2026-12-04T17:00:00.000Z",
        "sentAt": "2026-12-04T17:00:05.000Z",
    }

    async def main() -> list[str]:
        config = build_config(registry=registry)
        async with running_app(config, store, clock=clock) as (state, client):
            response = await client.post("/v1/track", json=body, headers=basic_auth())
            assert response.status_code == 200
            await wait_until(all_settled(store, ["skewed-1"]), what="delivery")
            return [event.timestamp for event in sandbox_state(state).events]

    timestamps = asyncio.run(main())
    assert timestamps == ["2026-12-04T15:59:55.000Z"]
    stored = only_event(store, "skewed-1").event
    assert stored is not None
    assert stored["originalTimestamp"] == "2026-12-04T17:00:00.000Z"
    assert stored["receivedAt"] == "2026-12-04T16:00:00.000Z"
