"""The event delivery page over HTTP: counts, escaping, secrets and the tester."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from runtime.registry import Registry
from runtime.server import ServerState
from runtime.server.store import EventStore
from tests.server.server_harness import (
    ORB_API_KEY,
    WRITE_KEY,
    all_settled,
    basic_auth,
    build_config,
    only_event,
    running_app,
    sandbox_state,
    wait_until,
)

SCRIPT = "<script>window.injected = 1</script>"
Scenario = Callable[[ServerState, httpx.AsyncClient], Awaitable[Any]]


def run_scenario(store: EventStore, registry: Registry, scenario: Scenario) -> Any:
    async def main() -> Any:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            return await scenario(state, client)

    return asyncio.run(main())


async def send(client: httpx.AsyncClient, *events: dict[str, Any]) -> None:
    response = await client.post(
        "/v1/batch", json={"batch": list(events)}, headers=basic_auth()
    )
    assert response.status_code == 200


def track(message_id: str, **properties: Any) -> dict[str, Any]:
    return {
        "type": "track",
        "userId": "acct_42",
        "event": "api_call",
        "messageId": message_id,
        "properties": {"tokens": 2, **properties},
    }


def test_overview_counts_deliveries_by_state(
    store: EventStore, registry: Registry
) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> dict[str, Any]:
        page_call = {"type": "page", "userId": "u", "messageId": "p-1"}
        invalid = {"type": "track", "messageId": "bad-1"}
        await send(client, track("t-1"), track("t-2"), page_call, invalid, track("t-1"))
        await wait_until(all_settled(store, ["t-1", "t-2", "p-1"]), what="delivery")
        response = await client.get("/api/overview")
        assert response.status_code == 200
        overview: dict[str, Any] = response.json()
        return overview

    overview = run_scenario(store, registry, scenario)
    source = overview["sources"][0]
    destination = overview["destinations"][0]
    assert source["counts"] == {"accepted": 3, "rejected": 1, "duplicate": 1}
    assert destination["counts"]["delivered"] == 2
    assert destination["counts"]["unsupported"] == 1
    assert destination["counts"]["dead-lettered"] == 0
    assert overview["events"][0]["messageId"] == "bad-1"


def test_overview_page_shows_no_secrets(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> str:
        await send(client, track("t-1"))
        await wait_until(all_settled(store, ["t-1"]), what="delivery")
        return (await client.get("/")).text + (await client.get("/api/overview")).text

    text = run_scenario(store, registry, scenario)
    assert ORB_API_KEY not in text
    assert WRITE_KEY not in text
    assert "[REDACTED]" in text
    assert "t-1" in text


def test_event_page_escapes_content(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> str:
        await send(client, track("xss-1", note=SCRIPT))
        await wait_until(all_settled(store, ["xss-1"]), what="delivery")
        event_id = only_event(store, "xss-1").event_id
        response = await client.get(f"/events/{event_id}")
        assert response.status_code == 200
        return response.text

    html = run_scenario(store, registry, scenario)
    assert SCRIPT not in html
    assert "&lt;script&gt;window.injected = 1&lt;/script&gt;" in html
    assert "HTTP 200" in html
    assert "/v1/ingest" in html
    assert ORB_API_KEY not in html


def test_event_page_unknown_id_not_found(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> int:
        return (await client.get("/events/999")).status_code

    assert run_scenario(store, registry, scenario) == 404


def test_tester_maps_without_sending(store: EventStore, registry: Registry) -> None:
    async def scenario(
        state: ServerState, client: httpx.AsyncClient
    ) -> tuple[str, int]:
        form = {"destination": "orb", "event": json.dumps(track("dry-1", note=SCRIPT))}
        response = await client.post("/tester", data=form)
        assert response.status_code == 200
        return response.text, len(sandbox_state(state).requests)

    html, sent = run_scenario(store, registry, scenario)
    assert "dry-run" in html
    assert "/v1/ingest" in html
    assert "&#34;idempotency_key&#34;: &#34;dry-1&#34;" in html
    assert ORB_API_KEY not in html
    assert SCRIPT not in html
    assert sent == 0
    assert store.recent_events(10) == []


def test_tester_shows_rejection_reason(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> list[str]:
        forms = [
            {"destination": "orb", "event": '{"type": "track", "userId": "u"'},
            {"destination": "orb", "event": '{"type": "track", "userId": "u"}'},
            {"destination": "orb", "event": '{"type": "page", "userId": "u"}'},
        ]
        return [(await client.post("/tester", data=form)).text for form in forms]

    broken_json, invalid, unsupported = run_scenario(store, registry, scenario)
    assert "invalid JSON at line 1" in broken_json
    assert "invalid event" in invalid
    assert "rejected" in invalid
    assert "orb does not handle page events" in unsupported


def test_tester_unknown_destination(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> httpx.Response:
        form = {"destination": "nope", "event": json.dumps(track("dry-2"))}
        return await client.post("/tester", data=form)

    response = run_scenario(store, registry, scenario)
    assert response.status_code == 400
    assert "unknown destination &#39;nope&#39;; choose one of: orb" in response.text
