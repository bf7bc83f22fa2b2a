"""Fixtures for the Orb sandbox tests: an app on a fixed clock and clients for it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import orb
import pytest
from starlette.applications import Starlette

from destinations.orb.sandbox import SandboxState, create_app

FIXED_NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
API_KEY = "orb_sandbox_key"
BASE_URL = "http://sandbox.local"
EventFactory = Callable[..., dict[str, Any]]


class SyncASGITransport(httpx.BaseTransport):
    """Runs each request through httpx.ASGITransport on a fresh event loop.

    httpx's ASGI transport is async-only, and Starlette's TestClient warns when
    used with httpx, so sync clients (orb.Orb) reach the app through this bridge.
    """

    def __init__(self, app: Starlette) -> None:
        self._transport = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return asyncio.run(self._send(request))

    async def _send(self, request: httpx.Request) -> httpx.Response:
        response = await self._transport.handle_async_request(request)
        content = await response.aread()
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=content,
            request=request,
        )


@pytest.fixture
def app() -> Starlette:
    return create_app(clock=lambda: FIXED_NOW)


@pytest.fixture
def state(app: Starlette) -> SandboxState:
    sandbox: SandboxState = app.state.sandbox
    return sandbox


@pytest.fixture
def client_for() -> Iterator[Callable[[Starlette], httpx.Client]]:
    """Return a factory of plain httpx clients bound to any sandbox app."""
    clients: list[httpx.Client] = []

    def factory(other_app: Starlette) -> httpx.Client:
        client = httpx.Client(transport=SyncASGITransport(other_app), base_url=BASE_URL)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
def http(app: Starlette) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {API_KEY}"}
    transport = SyncASGITransport(app)
    with httpx.Client(
        transport=transport, base_url=BASE_URL, headers=headers
    ) as client:
        yield client


@pytest.fixture
def anonymous_http(app: Starlette) -> Iterator[httpx.Client]:
    with httpx.Client(transport=SyncASGITransport(app), base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def orb_client(app: Starlette) -> Iterator[orb.Orb]:
    with httpx.Client(transport=SyncASGITransport(app)) as http_client:
        yield orb.Orb(
            api_key=API_KEY,
            base_url=f"{BASE_URL}/v1",
            http_client=http_client,
            max_retries=0,
        )


@pytest.fixture
def make_event() -> EventFactory:
    """Return a factory of valid usage events; keyword arguments replace fields."""

    def factory(**fields: Any) -> dict[str, Any]:
        event: dict[str, Any] = {
            "event_name": "api_call",
            "timestamp": "2026-12-04T15:46:57.863Z",
            "properties": {"tokens": 1532, "model": "small", "cached": False},
            "idempotency_key": "key-1",
            "external_customer_id": "acct_42",
        }
        event.update(fields)
        return event

    return factory
