"""Delivery from the store to Orb's in-process sandbox: routing, retries, dead letters."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from runtime.clock import SystemClock
from runtime.registry import Registry
from runtime.server.records import NewEvent
from runtime.server.store import EventStore
from tests.server.server_harness import (
    ORB_API_KEY,
    all_settled,
    basic_auth,
    build_config,
    delivery_state,
    only_event,
    running_app,
    sandbox_state,
    wait_until,
)


def track(message_id: str, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "track",
        "userId": "acct_42",
        "event": "api_call",
        "messageId": message_id,
        "properties": {"tokens": 7},
    }
    event.update(fields)
    return event


def engage_identify(message_id: str, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "identify",
        "userId": "user_123",
        "messageId": message_id,
        "traits": {"power_users": True},
        "context": {
            "personas": {
                "computation_class": "audience",
                "computation_key": "power_users",
            }
        },
    }
    event.update(fields)
    return event


async def post_batch(client: Any, events: list[dict[str, Any]]) -> None:
    response = await client.post(
        "/v1/batch", json={"batch": events}, headers=basic_auth()
    )
    assert response.status_code == 200


def test_delivery_batches_usage_events(store: EventStore, registry: Registry) -> None:
    ids = [f"batched-{i}" for i in range(30)]

    async def main() -> tuple[list[str], int]:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            sandbox = sandbox_state(state)
            await post_batch(client, [track(mid) for mid in ids])
            await wait_until(all_settled(store, ids), what="delivery")
            ingests = [r for r in sandbox.requests if r.path == "/v1/ingest"]
            return [e.idempotency_key for e in sandbox.events], len(ingests)

    keys, requests = asyncio.run(main())
    assert keys == ids
    assert requests < len(ids)
    assert {delivery_state(store, mid) for mid in ids} == {"delivered"}


def test_duplicate_message_id_dropped(store: EventStore, registry: Registry) -> None:
    async def main() -> list[str]:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            await post_batch(client, [track("dup-1"), track("dup-1")])
            await post_batch(client, [track("dup-1", properties={"tokens": 99})])
            await wait_until(all_settled(store, ["dup-1"]), what="delivery")
            return [e.idempotency_key for e in sandbox_state(state).events]

    keys = asyncio.run(main())
    assert keys == ["dup-1"]
    assert len(store.events_by_message_id("dup-1")) == 1
    assert store.source_counts(0)["backend"]["duplicate"] == 2


def test_duplicate_after_window_accepted(store: EventStore, registry: Registry) -> None:
    async def main() -> None:
        config = build_config(registry=registry)
        async with running_app(config, store, dedupe_window=0.0) as (_, client):
            await post_batch(client, [track("again-1")])
            await post_batch(client, [track("again-1")])

    asyncio.run(main())
    assert len(store.events_by_message_id("again-1")) == 2


def test_integrations_flags_route_events(store: EventStore, registry: Registry) -> None:
    cases = {
        "only-orb": {"All": False, "Orb": True},
        "all-off": {"All": False},
        "orb-off": {"Orb": False},
        "orb-options": {"All": False, "Orb": {"region": "eu"}},
    }

    async def main() -> list[str]:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            await post_batch(
                client, [track(mid, integrations=flags) for mid, flags in cases.items()]
            )
            await wait_until(all_settled(store, list(cases)), what="delivery")
            return [e.idempotency_key for e in sandbox_state(state).events]

    keys = asyncio.run(main())
    assert keys == ["only-orb", "orb-options"]
    assert delivery_state(store, "only-orb") == "delivered"
    assert delivery_state(store, "orb-options") == "delivered"
    assert delivery_state(store, "all-off") == "unsupported"
    assert delivery_state(store, "orb-off") == "unsupported"


def test_invalid_event_stored_rejected(store: EventStore, registry: Registry) -> None:
    invalid = {"type": "track", "event": "api_call", "messageId": "no-user"}

    async def main() -> int:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            response = await client.post(
                "/v1/batch",
                json={"batch": [invalid, "not an object"]},
                headers=basic_auth(),
            )
            assert response.status_code == 200
            page = await client.get(f"/events/{only_event(store, 'no-user').event_id}")
            assert "missing both userId and anonymousId" in page.text
            return len(sandbox_state(state).requests)

    sandbox_requests = asyncio.run(main())
    stored = only_event(store, "no-user")
    assert stored.status == "rejected"
    assert "userId" in stored.reason
    assert stored.deliveries == ()
    assert sandbox_requests == 0
    assert store.source_counts(0)["backend"]["rejected"] == 2


def test_engage_identify_updates_orb_customer(
    store: EventStore, registry: Registry
) -> None:
    async def main() -> dict[str, str]:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            await post_batch(client, [engage_identify("engage-1")])
            await wait_until(all_settled(store, ["engage-1"]), what="delivery")
            return dict(sandbox_state(state).customers["user_123"].metadata)

    metadata = asyncio.run(main())
    assert metadata["power_users"] == "true"
    assert delivery_state(store, "engage-1") == "delivered"


def test_rate_limit_retried_and_recorded(store: EventStore, registry: Registry) -> None:
    async def main() -> None:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            sandbox_state(state).add_fault(
                429, count=1, retry_after=0.05, path="/v1/ingest"
            )
            await post_batch(client, [track("limited-1")])
            await wait_until(all_settled(store, ["limited-1"]), what="delivery")

    asyncio.run(main())
    delivery = only_event(store, "limited-1").deliveries[0]
    assert delivery.state == "delivered"
    assert [attempt.status for attempt in delivery.attempts] == [429, 200]
    assert all(attempt.duration_ms >= 0 for attempt in delivery.attempts)


def test_stored_attempts_redact_secrets(store: EventStore, registry: Registry) -> None:
    async def main() -> None:
        async with running_app(build_config(registry=registry), store) as (
            _state,
            client,
        ):
            await post_batch(client, [track("secret-1")])
            await wait_until(all_settled(store, ["secret-1"]), what="delivery")

    asyncio.run(main())
    attempt = only_event(store, "secret-1").deliveries[0].attempts[0]
    assert ORB_API_KEY not in json.dumps(attempt.request)
    assert attempt.request["headers"]["Authorization"] == "Bearer [REDACTED]"


def test_dead_letter_retry_delivers(store: EventStore, registry: Registry) -> None:
    async def main() -> list[str]:
        config = build_config(registry=registry, max_attempts=2)
        async with running_app(config, store) as (state, client):
            sandbox = sandbox_state(state)
            sandbox.add_fault(500, count=2, path="/v1/ingest")
            await post_batch(client, [track("dead-1")])
            await wait_until(all_settled(store, ["dead-1"]), what="dead letter")
            assert delivery_state(store, "dead-1") == "dead-lettered"
            event_id = only_event(store, "dead-1").event_id
            response = await client.post(
                f"/events/{event_id}/retry", data={"destination": "orb"}
            )
            assert response.status_code == 303
            await wait_until(all_settled(store, ["dead-1"]), what="redelivery")
            return [e.idempotency_key for e in sandbox.events]

    keys = asyncio.run(main())
    assert keys == ["dead-1"]
    delivery = only_event(store, "dead-1").deliveries[0]
    assert delivery.state == "delivered"
    assert [attempt.status for attempt in delivery.attempts] == [500, 500, 200]


def test_unsupported_and_rejected_recorded(
    store: EventStore, registry: Registry
) -> None:
    page_view = {
        "type": "page",
        "userId": "user_123",
        "messageId": "page-1",
        "name": "Home",
    }
    unknown_customer = engage_identify("unknown-customer", userId="cus_nobody")

    async def main() -> None:
        async with running_app(build_config(registry=registry), store) as (
            _state,
            client,
        ):
            await post_batch(client, [page_view, unknown_customer])
            await wait_until(all_settled(store, ["page-1", "unknown-customer"]))

    asyncio.run(main())
    assert delivery_state(store, "page-1") == "unsupported"
    assert delivery_state(store, "unknown-customer") == "rejected"
    counts = store.destination_counts(0)["orb"]
    assert counts["unsupported"] == 1
    assert counts["rejected"] == 1


def test_queued_events_delivered_after_restart(
    store: EventStore, registry: Registry
) -> None:
    now = SystemClock().now()
    stamp = now.isoformat()
    queued = [
        NewEvent(
            f"queued-{i}", "track", {}, {**track(f"queued-{i}"), "timestamp": stamp}
        )
        for i in range(3)
    ]
    store.add_events(
        "backend",
        queued,
        ["orb"],
        now=now.timestamp(),
        received_at=stamp,
        dedupe_window=60.0,
    )
    store.mark_retrying("orb", [1], now.timestamp())
    ids = [event.message_id for event in queued]

    async def main() -> list[str]:
        async with running_app(build_config(registry=registry), store) as (
            state,
            _client,
        ):
            await wait_until(all_settled(store, ids), what="delivery after restart")
            return [e.idempotency_key for e in sandbox_state(state).events]

    assert asyncio.run(main()) == ids


def test_retrying_delivery_shows_last_failure(
    store: EventStore, registry: Registry
) -> None:
    async def main() -> str:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            sandbox_state(state).add_fault(
                503, count=1, retry_after=2, path="/v1/ingest"
            )
            await post_batch(client, [track("waiting-1")])

            def retrying() -> bool:
                return delivery_state(store, "waiting-1") == "retrying"

            await wait_until(retrying, what="the first failed try")
            delivery = only_event(store, "waiting-1").deliveries[0]
            return delivery.reason, [attempt.status for attempt in delivery.attempts]

    reason, statuses = asyncio.run(main())
    assert reason == "retrying in 2.0s after: HTTP 503"
    assert statuses == [503]
