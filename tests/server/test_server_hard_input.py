"""Input that once broke the server: each now gets a clear response and loses nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from runtime.registry import Registry
from runtime.server import ServerState
from runtime.server.store import EventStore
from tests.server.server_harness import WRITE_KEY, basic_auth, build_config, running_app


def run(store: EventStore, registry: Registry, requests: Any) -> list[httpx.Response]:
    async def main() -> list[httpx.Response]:
        async with running_app(build_config(registry=registry), store) as (_, client):
            return [await send(client) for send in requests]

    return asyncio.run(main())


def batch(*events: dict[str, Any]) -> bytes:
    return json.dumps({"batch": list(events)}).encode()


def track(message_id: str, **properties: Any) -> dict[str, Any]:
    return {
        "type": "track",
        "event": "api_call",
        "userId": "acct_42",
        "messageId": message_id,
        "properties": properties,
    }


def post(path: str, content: bytes, **headers: str) -> Any:
    async def send(client: httpx.AsyncClient) -> httpx.Response:
        all_headers = {**basic_auth(), "Content-Type": "application/json", **headers}
        return await client.post(path, content=content, headers=all_headers)

    return send


def test_lone_surrogate_keeps_whole_batch(
    store: EventStore, registry: Registry
) -> None:
    # Python's json.dumps writes half an emoji as the escape \\ud83d.
    body = batch(
        track("good-1"), track("cut", name="emoji cut \ud83d"), track("good-2")
    )
    [response] = run(store, registry, [post("/v1/batch", body)])
    assert response.status_code == 200
    stored = {event.message_id: event for event in store.recent_events(10)}
    assert set(stored) == {"good-1", "cut", "good-2"}
    assert stored["cut"].event is not None
    assert stored["cut"].event["properties"]["name"] == "emoji cut \ufffd"


def test_deep_nesting_answers_400(store: EventStore, registry: Registry) -> None:
    body = batch(track("deep-500", nested=_nest(500)))
    [response] = run(store, registry, [post("/v1/batch", body)])
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert store.recent_events(10) == []


def test_extreme_nesting_answers_400(store: EventStore, registry: Registry) -> None:
    body = b'{"batch": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    [response] = run(store, registry, [post("/v1/batch", body)])
    assert response.status_code == 400
    assert response.json()["code"] in ("too_deep", "invalid_json")


def _nest(levels: int) -> Any:
    value: Any = "leaf"
    for _ in range(levels):
        value = {"a": value}
    return value


def test_infinite_number_stored_as_rejected(
    store: EventStore, registry: Registry
) -> None:
    body = (
        b'{"batch": [{"type": "track", "event": "e", "userId": "u", "messageId": "big",'
        b' "properties": {"n": 1e400}}]}'
    )
    [response] = run(store, registry, [post("/v1/batch", body)])
    assert response.status_code == 200
    [stored] = store.recent_events(10)
    assert stored.reason == (
        "invalid event: properties.n: inf is not a finite number; send a number JSON "
        "can carry"
    )


def test_short_browser_paths(store: EventStore, registry: Registry) -> None:
    event = {
        "event": "api_call",
        "userId": "acct_42",
        "messageId": "browser-t",
        "writeKey": WRITE_KEY,
    }
    content = json.dumps(event).encode()
    [response] = run(
        store, registry, [post("/v1/t", content, **{"Content-Type": "text/plain"})]
    )
    assert response.status_code == 200
    [stored] = store.recent_events(10)
    assert stored.event_type == "track"


def test_cors_preflight_allows_any_origin(
    store: EventStore, registry: Registry
) -> None:
    async def preflight(client: httpx.AsyncClient) -> httpx.Response:
        headers = {
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        }
        return await client.options("/v1/track", headers=headers)

    [response] = run(store, registry, [preflight])
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_unknown_path_answers_json(store: EventStore, registry: Registry) -> None:
    [response] = run(store, registry, [post("/v1/trak", b"{}")])
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "POST /v1/trak" in response.json()["message"]


def test_numeric_write_key_named(store: EventStore, registry: Registry) -> None:
    async def send(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/v1/track", json={"event": "e", "writeKey": 123})

    [response] = run(store, registry, [send])
    assert response.status_code == 401
    assert response.json()["message"] == (
        "writeKey is a number; send the write key as a string"
    )


def test_non_object_event_named_in_json_terms(
    store: EventStore, registry: Registry
) -> None:
    [response] = run(store, registry, [post("/v1/batch", b'{"batch": ["oops"]}')])
    assert response.status_code == 200
    [stored] = store.recent_events(10)
    assert "expected a JSON object, got a string" in stored.reason
    assert "batch[0]" in stored.reason
