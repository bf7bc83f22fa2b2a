"""The Tracking API's responses: auth, limits, encodings and what gets stored."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from runtime.registry import Registry
from runtime.server import ServerState
from runtime.server.request_body import MAX_EVENT_BYTES, MAX_REQUEST_BYTES
from runtime.server.store import EventStore
from tests.server.server_harness import WRITE_KEY, basic_auth, build_config, running_app

Scenario = Callable[[ServerState, httpx.AsyncClient], Awaitable[None]]


def run_scenario(store: EventStore, registry: Registry, scenario: Scenario) -> None:
    async def main() -> None:
        async with running_app(build_config(registry=registry), store) as (
            state,
            client,
        ):
            await scenario(state, client)

    asyncio.run(main())


def track(**fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "userId": "acct_42",
        "event": "api_call",
        "properties": {"tokens": 3},
    }
    event.update(fields)
    return event


def stored_count(store: EventStore) -> int:
    return len(store.recent_events(10_000))


def padded_event(size: int) -> dict[str, Any]:
    """Return a track event whose compact JSON is exactly ``size`` bytes."""
    event = track(type="track", messageId="padded", properties={"pad": ""})
    base = len(json.dumps(event, separators=(",", ":")))
    event["properties"]["pad"] = "x" * (size - base)
    return event


def test_track_basic_auth_succeeds(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/track", json=track(), headers=basic_auth())
        assert response.status_code == 200
        assert response.json() == {"success": True}

    run_scenario(store, registry, scenario)
    assert stored_count(store) == 1


def test_track_body_write_key_accepted(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/track", json=track(writeKey=WRITE_KEY))
        assert response.status_code == 200

    run_scenario(store, registry, scenario)
    stored = store.recent_events(1)[0]
    assert "writeKey" not in stored.raw
    assert stored.event is not None
    assert "writeKey" not in stored.event


@pytest.mark.parametrize(
    ("headers", "body", "code"),
    [
        pytest.param({}, track(), "missing_write_key", id="no-key"),
        pytest.param({}, track(writeKey=""), "missing_write_key", id="empty-body-key"),
        pytest.param(
            basic_auth("wrong"), track(), "invalid_write_key", id="bad-header"
        ),
        pytest.param(
            {}, track(writeKey="wrong"), "invalid_write_key", id="bad-body-key"
        ),
        pytest.param(
            {"Authorization": "Bearer " + WRITE_KEY},
            track(),
            "invalid_authorization",
            id="bearer-scheme",
        ),
        pytest.param(
            {"Authorization": "Basic not*base64"},
            track(),
            "invalid_authorization",
            id="broken-basic",
        ),
    ],
)
def test_track_invalid_key_unauthorized(
    store: EventStore,
    registry: Registry,
    headers: dict[str, str],
    body: dict[str, Any],
    code: str,
) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/track", json=body, headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == code
        assert response.json()["message"]

    run_scenario(store, registry, scenario)
    assert stored_count(store) == 0


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"userId": "a", "event": ', id="truncated"),
        pytest.param(b"not json", id="text"),
        pytest.param(b'{"userId": NaN}', id="nan"),
        pytest.param(b"\xff\xfe", id="not-utf8"),
    ],
)
def test_invalid_json_is_bad_request(
    store: EventStore, registry: Registry, content: bytes
) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/track", content=content, headers=basic_auth())
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_json"

    run_scenario(store, registry, scenario)


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        pytest.param("/v1/track", [track()], "invalid_body", id="array-body"),
        pytest.param("/v1/batch", {"batch": {}}, "invalid_batch", id="batch-object"),
        pytest.param("/v1/import", track(), "invalid_batch", id="import-no-batch"),
    ],
)
def test_wrong_body_shape_is_bad_request(
    store: EventStore, registry: Registry, path: str, body: Any, code: str
) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.post(path, json=body, headers=basic_auth())
        assert response.status_code == 400
        assert response.json()["code"] == code

    run_scenario(store, registry, scenario)


def test_event_size_limit_32_kb(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        at_limit = padded_event(MAX_EVENT_BYTES)
        over_limit = padded_event(MAX_EVENT_BYTES + 1)
        accepted = await client.post(
            "/v1/batch", json={"batch": [at_limit]}, headers=basic_auth()
        )
        rejected = await client.post(
            "/v1/batch", json={"batch": [track(), over_limit]}, headers=basic_auth()
        )
        single = await client.post("/v1/track", json=over_limit, headers=basic_auth())
        assert accepted.status_code == 200
        assert rejected.status_code == 400
        assert rejected.json()["code"] == "event_too_large"
        assert "batch[1]" in rejected.json()["message"]
        assert single.status_code == 400
        assert single.json()["code"] == "event_too_large"

    run_scenario(store, registry, scenario)
    assert stored_count(store) == 1


def test_request_size_limit_500_kb(store: EventStore, registry: Registry) -> None:
    event = padded_event(30_000)
    count = MAX_REQUEST_BYTES // 30_000 + 1

    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        batch = [{**event, "messageId": f"m{i}"} for i in range(count)]
        too_large = await client.post(
            "/v1/batch", json={"batch": batch}, headers=basic_auth()
        )
        fits = await client.post(
            "/v1/batch", json={"batch": batch[: count - 1]}, headers=basic_auth()
        )
        assert too_large.status_code == 400
        assert too_large.json()["code"] == "request_too_large"
        assert fits.status_code == 200

    run_scenario(store, registry, scenario)
    assert stored_count(store) == count - 1


def test_gzip_body_unpacked_size_limit(store: EventStore, registry: Registry) -> None:
    # Compresses to a few KB, so only the unpacked size breaks the limit.
    batch = [
        track(messageId=f"m{i}", properties={"pad": "y" * 1000}) for i in range(600)
    ]
    content = gzip.compress(json.dumps({"batch": batch}).encode())

    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        headers = {**basic_auth(), "Content-Encoding": "gzip"}
        response = await client.post("/v1/batch", content=content, headers=headers)
        assert len(content) < MAX_REQUEST_BYTES
        assert response.status_code == 400
        assert response.json()["code"] == "request_too_large"

    run_scenario(store, registry, scenario)


def test_batch_limit_2500_events(store: EventStore, registry: Registry) -> None:
    small = {"type": "track", "userId": "u", "event": "e"}

    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        over = await client.post(
            "/v1/batch", json={"batch": [small] * 2501}, headers=basic_auth()
        )
        at_limit = await client.post(
            "/v1/batch", json={"batch": [small] * 2500}, headers=basic_auth()
        )
        assert over.status_code == 400
        assert over.json()["code"] == "batch_too_large"
        assert at_limit.status_code == 200

    run_scenario(store, registry, scenario)
    assert stored_count(store) == 2500


@pytest.mark.parametrize("path", ["/v1/batch", "/v1/import"])
def test_gzip_batch_is_accepted(
    store: EventStore, registry: Registry, path: str
) -> None:
    body = {"batch": [{"type": "track", **track(messageId="gz-1")}]}
    content = gzip.compress(json.dumps(body).encode())

    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        headers = {**basic_auth(), "Content-Encoding": "gzip"}
        response = await client.post(path, content=content, headers=headers)
        assert response.status_code == 200

    run_scenario(store, registry, scenario)
    assert store.events_by_message_id("gz-1")[0].status == "accepted"


@pytest.mark.parametrize(
    ("encoding", "content", "code"),
    [
        pytest.param("gzip", b'{"userId": "a"}', "invalid_gzip", id="plain-as-gzip"),
        pytest.param(
            "gzip", gzip.compress(b'{"userId": "a"}')[:-12], "invalid_gzip", id="cut"
        ),
        pytest.param("br", b'{"userId": "a"}', "unsupported_encoding", id="brotli"),
    ],
)
def test_bad_content_encoding_is_rejected(
    store: EventStore, registry: Registry, encoding: str, content: bytes, code: str
) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        headers = {**basic_auth(), "Content-Encoding": encoding}
        response = await client.post("/v1/track", content=content, headers=headers)
        assert response.status_code == 400
        assert response.json()["code"] == code

    run_scenario(store, registry, scenario)


@pytest.mark.parametrize(
    "endpoint", ["track", "identify", "page", "screen", "group", "alias"]
)
def test_single_event_endpoint_sets_type(
    store: EventStore, registry: Registry, endpoint: str
) -> None:
    body = {
        "userId": "user_123",
        "type": "track",
        "event": "e",
        "groupId": "org_9",
        "previousId": "anon-77",
        "messageId": f"typed-{endpoint}",
    }

    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.post(f"/v1/{endpoint}", json=body, headers=basic_auth())
        assert response.status_code == 200

    run_scenario(store, registry, scenario)
    assert store.events_by_message_id(f"typed-{endpoint}")[0].event_type == endpoint


def test_batch_fields_apply_to_events(store: EventStore, registry: Registry) -> None:
    body = {
        "batch": [{"type": "track", **track(messageId="b-1")}],
        "context": {"library": {"name": "test"}},
        "sentAt": "2026-12-04T15:00:00.000Z",
    }

    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.post("/v1/batch", json=body, headers=basic_auth())
        assert response.status_code == 200

    run_scenario(store, registry, scenario)
    event = store.events_by_message_id("b-1")[0].event
    assert event is not None
    assert event["context"] == {"library": {"name": "test"}}
    assert event["sentAt"] == "2026-12-04T15:00:00.000Z"


def test_tracking_get_not_allowed(store: EventStore, registry: Registry) -> None:
    async def scenario(state: ServerState, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/track")
        assert response.status_code == 405

    run_scenario(store, registry, scenario)
