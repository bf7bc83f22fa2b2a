"""Auth, injected faults and the /_sandbox test hooks of the Orb sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from destinations.orb.sandbox import SandboxState, create_app

EventFactory = Callable[..., dict[str, Any]]
TYPE_BASE = "https://docs.withorb.com/reference/error-responses"


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="missing-header"),
        pytest.param({"Authorization": "Bearer wrong_key"}, id="wrong-key"),
        pytest.param({"Authorization": "Bearer "}, id="empty-token"),
        pytest.param({"Authorization": "Basic b3JiX3NhbmRib3hfa2V5Og=="}, id="basic"),
        pytest.param({"Authorization": "orb_sandbox_key"}, id="no-scheme"),
    ],
)
def test_auth_rejects_bad_credentials(
    anonymous_http: httpx.Client,
    state: SandboxState,
    make_event: EventFactory,
    headers: dict[str, str],
) -> None:
    response = anonymous_http.post(
        "/v1/ingest", json={"events": [make_event()]}, headers=headers
    )

    assert response.status_code == 401
    body = response.json()
    assert body["type"] == f"{TYPE_BASE}#401-authentication-error"
    assert body["status"] == 401
    assert body["title"]
    assert body["detail"]
    assert state.events == []


def test_auth_accepts_configured_key(
    client_for: Callable[[Starlette], httpx.Client], make_event: EventFactory
) -> None:
    client = client_for(create_app(api_key="custom_key"))
    event = make_event(timestamp="2020-01-01T00:00:00Z")

    accepted = client.post(
        "/v1/ingest",
        json={"events": [event]},
        headers={"Authorization": "Bearer custom_key"},
    )
    default_key = client.post(
        "/v1/ingest",
        json={"events": [event]},
        headers={"Authorization": "Bearer orb_sandbox_key"},
    )

    assert accepted.status_code == 200
    assert default_key.status_code == 401


def test_create_app_rejects_empty_api_key() -> None:
    with pytest.raises(ValueError, match="api_key"):
        create_app(api_key="")


def test_unknown_orb_path_is_url_not_found(http: httpx.Client) -> None:
    response = http.get("/v1/plans")

    assert response.status_code == 404
    assert response.json()["type"] == f"{TYPE_BASE}#404-url-not-found"


def test_fault_hook_sends_retry_after(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    fault = {"status": 429, "retry_after": 2, "count": 1, "path": "/v1/ingest"}
    added = http.post("/_sandbox/faults", json=fault)

    failed = http.post("/v1/ingest", json={"events": [make_event()]})
    passed = http.post("/v1/ingest", json={"events": [make_event()]})

    assert added.status_code == 201
    assert failed.status_code == 429
    assert failed.headers["Retry-After"] == "2"
    assert failed.json()["type"] == f"{TYPE_BASE}#429-too-many-requests"
    assert failed.json()["status"] == 429
    assert passed.status_code == 200
    assert len(state.events) == 1


def test_fault_count_fails_several_requests(
    http: httpx.Client, make_event: EventFactory
) -> None:
    http.post("/_sandbox/faults", json={"status": 500, "count": 2})

    statuses = [
        http.post("/v1/ingest", json={"events": [make_event()]}).status_code
        for _ in range(3)
    ]

    assert statuses == [500, 500, 200]


def test_fault_without_retry_after_sends_no_header(http: httpx.Client) -> None:
    http.post("/_sandbox/faults", json={"status": 503, "retry_after": None})

    response = http.get("/v1/customers/external_customer_id/user_123")

    assert response.status_code == 503
    assert "Retry-After" not in response.headers
    assert response.json()["type"] == f"{TYPE_BASE}#500-internal-server-error"
    assert response.json()["status"] == 503


def test_fault_fractional_retry_after(http: httpx.Client) -> None:
    http.post("/_sandbox/faults", json={"status": 429, "retry_after": 0.25})

    response = http.get("/v1/customers/external_customer_id/user_123")

    assert response.headers["Retry-After"] == "0.25"


def test_fault_path_leaves_other_paths_alone(
    http: httpx.Client, state: SandboxState
) -> None:
    state.add_fault(500, path="/v1/ingest")

    response = http.get("/v1/customers/external_customer_id/user_123")

    assert response.status_code == 200
    assert state.faults[0].remaining == 1


def test_fault_path_matches_decoded_customer_path(
    http: httpx.Client, state: SandboxState
) -> None:
    state.add_fault(500, path="/v1/customers/external_customer_id/team/alpha beta")

    response = http.get("/v1/customers/external_customer_id/team%2Falpha%20beta")

    assert response.status_code == 500


def test_faults_hook_lists_pending_faults(http: httpx.Client) -> None:
    http.post("/_sandbox/faults", json={"status": 429, "count": 2})
    http.get("/v1/customers/external_customer_id/user_123")

    response = http.get("/_sandbox/faults")

    assert response.json() == {
        "data": [{"status": 429, "count": 1, "retry_after": None, "path": None}]
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param({"status": 200}, "not an error status", id="status-200"),
        pytest.param({"status": "429"}, "status must be an integer", id="status-text"),
        pytest.param({}, "status must be an integer", id="no-status"),
        pytest.param({"status": 429, "count": 0}, "at least 1", id="count-zero"),
        pytest.param({"status": 429, "retry_after": -1}, "0 or more", id="negative"),
        pytest.param({"status": 429, "retry_after": "1"}, "seconds or null", id="text"),
        pytest.param({"status": 429, "path": "v1/ingest"}, "start with '/'", id="path"),
        pytest.param({"status": 429, "times": 2}, "unknown fields", id="unknown"),
    ],
)
def test_fault_hook_rejects_invalid_fault(
    http: httpx.Client, state: SandboxState, body: dict[str, Any], message: str
) -> None:
    response = http.post("/_sandbox/faults", json=body)

    assert response.status_code == 400
    assert any(message in error for error in response.json()["validation_errors"])
    assert state.faults == []


def test_add_fault_rejects_invalid_status(state: SandboxState) -> None:
    with pytest.raises(ValueError, match="not an error status"):
        state.add_fault(302)


def test_requests_hook_lists_orb_requests_only(
    http: httpx.Client, anonymous_http: httpx.Client, make_event: EventFactory
) -> None:
    http.post("/v1/ingest?debug=true", json={"events": [make_event()]})
    anonymous_http.get("/v1/customers/external_customer_id/team%2Falpha%20beta")
    http.get("/_sandbox/events")

    response = http.get("/_sandbox/requests")

    assert response.json() == {
        "data": [
            {
                "method": "POST",
                "path": "/v1/ingest",
                "query": "debug=true",
                "status": 200,
            },
            {
                "method": "GET",
                "path": "/v1/customers/external_customer_id/team%2Falpha%20beta",
                "query": "",
                "status": 401,
            },
        ]
    }


def test_events_hook_lists_ingested_events(
    http: httpx.Client, make_event: EventFactory
) -> None:
    http.post("/v1/ingest", json={"events": [make_event()]})

    response = http.get("/_sandbox/events")

    assert response.json() == {
        "data": [
            {
                "idempotency_key": "key-1",
                "event_name": "api_call",
                "timestamp": "2026-12-04T15:46:57.863Z",
                "properties": {"tokens": 1532, "model": "small", "cached": False},
                "customer_id": None,
                "external_customer_id": "acct_42",
                "received_at": "2026-12-04T16:00:00+00:00",
            }
        ]
    }


def test_customers_hook_lists_customers(http: httpx.Client) -> None:
    response = http.get("/_sandbox/customers")

    external_ids = [
        customer["external_customer_id"] for customer in response.json()["data"]
    ]
    assert "team/alpha beta" in external_ids
    assert "user_123" in external_ids


def test_reset_hook_restores_seed(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    http.post("/v1/ingest", json={"events": [make_event()]})
    http.put("/v1/customers/external_customer_id/user_123", json={"name": "Changed"})
    state.add_fault(500)

    response = http.post("/_sandbox/reset")

    assert response.status_code == 204
    assert state.events == []
    assert state.ingested_keys == set()
    assert state.requests == []
    assert state.faults == []
    assert state.customers["user_123"].name == "Someone"


def test_reset_allows_same_key_again(
    http: httpx.Client, state: SandboxState, make_event: EventFactory
) -> None:
    http.post("/v1/ingest", json={"events": [make_event()]})
    state.reset()

    response = http.post("/v1/ingest?debug=true", json={"events": [make_event()]})

    assert response.json()["debug"] == {"duplicate": [], "ingested": ["key-1"]}
