"""The Orb sandbox driven by the real orb-billing SDK, in-process and over HTTP."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, cast

import httpx
import orb
import pytest
import uvicorn
from orb.types import Customer as OrbCustomer
from orb.types import EventIngestResponse
from orb.types.event_ingest_params import Event
from starlette.applications import Starlette

from destinations.orb.sandbox import SandboxState

EventFactory = Callable[..., dict[str, Any]]


def sdk_events(*events: dict[str, Any]) -> list[Event]:
    """Type plain event dicts as the SDK's Event parameter."""
    return [cast(Event, event) for event in events]


def test_sdk_ingest_returns_no_failures(
    orb_client: orb.Orb, state: SandboxState, make_event: EventFactory
) -> None:
    response = orb_client.events.ingest(events=sdk_events(make_event()))

    assert response.validation_failed == []
    assert [event.idempotency_key for event in state.events] == ["key-1"]


def test_sdk_ingest_invalid_event_raises_bad_request(
    orb_client: orb.Orb, state: SandboxState, make_event: EventFactory
) -> None:
    events = sdk_events(
        make_event(idempotency_key="good"),
        make_event(idempotency_key="bad", properties={"plan": {"tier": "pro"}}),
    )

    with pytest.raises(orb.BadRequestError) as caught:
        orb_client.events.ingest(events=events)

    assert caught.value.status_code == 400
    body = caught.value.body
    assert isinstance(body, dict)
    assert body["validation_failed"][0]["idempotency_key"] == "bad"
    assert [event.idempotency_key for event in state.events] == ["good"]


def test_sdk_conflicting_keys_raise_validation_error(
    orb_client: orb.Orb, make_event: EventFactory
) -> None:
    events = sdk_events(make_event(), make_event(event_name="other"))

    with pytest.raises(orb.RequestValidationError):
        orb_client.events.ingest(events=events)


def test_sdk_update_id_with_slash(orb_client: orb.Orb, state: SandboxState) -> None:
    customer = orb_client.customers.update_by_external_id(
        "team/alpha beta",
        metadata={"owner": None, "stage": "beta"},
        name="Team Alpha Beta Ltd",
    )

    assert customer.external_customer_id == "team/alpha beta"
    assert customer.name == "Team Alpha Beta Ltd"
    assert customer.metadata == {"stage": "beta"}
    assert state.requests[-1].path == (
        "/v1/customers/external_customer_id/team%2Falpha%20beta"
    )


def test_customer_json_matches_sdk_model(http: httpx.Client) -> None:
    # The SDK parses responses leniently, so validate strictly to catch gaps.
    response = http.get("/v1/customers/external_customer_id/org_9")

    customer = OrbCustomer.model_validate(response.json())

    assert customer.name == "Acme Inc"


def test_ingest_json_matches_sdk_model(
    http: httpx.Client, make_event: EventFactory
) -> None:
    response = http.post("/v1/ingest", json={"events": [make_event(timestamp="x")]})

    parsed = EventIngestResponse.model_validate(response.json())

    assert parsed.validation_failed[0].idempotency_key == "key-1"


def test_sdk_fetch_by_external_id(orb_client: orb.Orb) -> None:
    customer = orb_client.customers.fetch_by_external_id("acct_42")

    assert customer.id == "cus_acct42bbbbbbbb"
    assert customer.currency == "USD"


def test_sdk_unknown_customer_not_found(orb_client: orb.Orb) -> None:
    with pytest.raises(orb.ResourceNotFound):
        orb_client.customers.update_by_external_id("ghost", name="Ghost")


def test_sdk_wrong_key_rejected(orb_client: orb.Orb, make_event: EventFactory) -> None:
    wrong = orb_client.with_options(api_key="wrong_key")

    with pytest.raises(orb.OrbAuthenticationError):
        wrong.events.ingest(events=sdk_events(make_event()))


def test_sdk_fault_raises_too_many_requests(
    orb_client: orb.Orb, state: SandboxState, make_event: EventFactory
) -> None:
    state.add_fault(429, retry_after=1, path="/v1/ingest")

    with pytest.raises(orb.TooManyRequests) as caught:
        orb_client.events.ingest(events=sdk_events(make_event()))

    assert caught.value.response.headers["Retry-After"] == "1"
    assert state.events == []


def test_sdk_retries_after_fault_and_succeeds(
    orb_client: orb.Orb, state: SandboxState, make_event: EventFactory
) -> None:
    state.add_fault(429, retry_after=0.01, path="/v1/ingest")
    retrying = orb_client.with_options(max_retries=1)

    response = retrying.events.ingest(events=sdk_events(make_event()))

    assert response.validation_failed == []
    assert [request.status for request in state.requests] == [429, 200]
    assert len(state.events) == 1


def test_async_sdk_over_asgi_transport(
    app: Starlette, state: SandboxState, make_event: EventFactory
) -> None:
    async def run() -> OrbCustomer:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport) as http_client:
            client = orb.AsyncOrb(
                api_key="orb_sandbox_key",
                base_url="http://sandbox.local/v1",
                http_client=http_client,
                max_retries=0,
            )
            await client.events.ingest(events=sdk_events(make_event()))
            return await client.customers.update_by_external_id(
                "acme/user 1", email="owner@acme.example.com"
            )

    customer = asyncio.run(run())

    assert customer.email == "owner@acme.example.com"
    assert len(state.events) == 1


@pytest.fixture
def server_url(app: Starlette) -> Iterator[str]:
    """Serve the app with uvicorn on a free 127.0.0.1 port for one test."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="off", ws="none", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start the Orb sandbox within 5 seconds")
        time.sleep(0.01)

    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


def test_uvicorn_server_serves_sdk(
    server_url: str, state: SandboxState, make_event: EventFactory
) -> None:
    with httpx.Client() as http_client:
        client = orb.Orb(
            api_key="orb_sandbox_key",
            base_url=f"{server_url}/v1",
            http_client=http_client,
            max_retries=0,
        )
        client.events.ingest(events=sdk_events(make_event()))
        customer = client.customers.update_by_external_id(
            "team/alpha beta", metadata={"owner": None}
        )
        unencoded = http_client.get(
            f"{server_url}/v1/customers/external_customer_id/team/alpha%20beta",
            headers={"Authorization": "Bearer orb_sandbox_key"},
        )

    assert customer.metadata == {}
    assert len(state.events) == 1
    assert unencoded.status_code == 404
