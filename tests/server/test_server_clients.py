"""Segment's own client libraries, pointed at the server, deliver to the Orb sandbox.

The Python test uses segment-analytics-python from the venv. The Node test uses
@segment/analytics-node 3.1.0, installed with
``npm ci --prefix tests/server/clients/node``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from destinations.orb.sandbox import SandboxState
from runtime.registry import Registry
from runtime.server import ServerState, create_app
from runtime.server.store import EventStore
from tests.conftest import import_or_missing, missing_tool
from tests.server.server_harness import (
    WRITE_KEY,
    ServerThread,
    all_settled,
    build_config,
    sandbox_state,
    wait_until_sync,
)

NODE_CLIENT = Path(__file__).parent / "clients/node"
MESSAGE_IDS = {
    "track": ["track-1", "track-2"],
    "identify": ["identify-engage", "identify-plain"],
}
ENGAGE_CONTEXT = {
    "personas": {"computation_class": "trait", "computation_key": "lifetime_orders"}
}


@pytest.fixture
def server(store: EventStore, registry: Registry) -> Iterator[ServerThread]:
    state = ServerState(build_config(registry=registry), store, poll_interval=0.05)
    with ServerThread(create_app(state)) as running:
        yield running


def server_state(server: ServerThread) -> ServerState:
    state: ServerState = server.app.state.server
    return state


def usage_events(sandbox: SandboxState) -> list[dict[str, Any]]:
    return [
        {
            "idempotency_key": event.idempotency_key,
            "event_name": event.event_name,
            "external_customer_id": event.external_customer_id,
            "properties": event.properties,
        }
        for event in sandbox.events
    ]


def orb_requests(sandbox: SandboxState) -> list[tuple[str, str, int]]:
    return [(r.method, r.path, r.status) for r in sandbox.requests]


def expected_usage(prefix: str) -> list[dict[str, Any]]:
    return [
        {
            "idempotency_key": f"{prefix}track-1",
            "event_name": "api_call",
            "external_customer_id": "acct_42",
            "properties": {"tokens": 1532, "model": "small"},
        },
        {
            "idempotency_key": f"{prefix}track-2",
            "event_name": "payment_confirmed",
            "external_customer_id": "98765",
            "properties": {"amount": 100},
        },
    ]


def assert_orb_received_exactly(sandbox: SandboxState, prefix: str) -> None:
    assert usage_events(sandbox) == expected_usage(prefix)
    assert sandbox.customers["user_123"].metadata == {
        "plan": "pro",
        "seats": "5",
        "lifetime_orders": "42",
    }
    methods = sorted({(method, path) for method, path, _ in orb_requests(sandbox)})
    assert methods == [
        ("POST", "/v1/ingest"),
        ("PUT", "/v1/customers/external_customer_id/user_123"),
    ]
    assert [s for m, _, s in orb_requests(sandbox) if m == "PUT"] == [200]
    assert {status for _, _, status in orb_requests(sandbox)} == {200}


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_python_client_delivers_to_orb(
    server: ServerThread, reader: EventStore, compress: bool
) -> None:
    analytics = import_or_missing(
        "segment.analytics",
        "segment-analytics-python is not installed; pip install it",
    )
    prefix = f"python-{'gzip' if compress else 'plain'}-"
    client = analytics.Client(
        WRITE_KEY, host=server.base_url, sync_mode=True, gzip=compress
    )
    try:
        client.track(
            "acct_42",
            "api_call",
            {"tokens": 1532, "model": "small", "unmapped": "dropped"},
            message_id=f"{prefix}track-1",
        )
        client.track(
            "98765",
            "payment_confirmed",
            {"amount": 100},
            anonymous_id="anon-77",
            message_id=f"{prefix}track-2",
        )
        client.identify(
            "user_123",
            {"lifetime_orders": 42},
            context=ENGAGE_CONTEXT,
            message_id=f"{prefix}identify-engage",
        )
        client.identify(
            "user_123", {"email": "a@example.com"}, message_id=f"{prefix}identify-plain"
        )
    finally:
        # The library keeps one module-level requests session; close its sockets.
        analytics.request._session.close()

    ids = [f"{prefix}{mid}" for kind in MESSAGE_IDS.values() for mid in kind]
    wait_until_sync(all_settled(reader, ids), what="delivery of the client's calls")
    assert_orb_received_exactly(sandbox_state(server_state(server)), prefix)


def test_node_client_delivers_to_orb(server: ServerThread, reader: EventStore) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing_tool("node and npm are not installed; install Node.js 20")
    if not (NODE_CLIENT / "node_modules/@segment/analytics-node").is_dir():
        missing_tool(
            "@segment/analytics-node is not installed; run "
            "npm ci --prefix tests/server/clients/node"
        )
    environment = {
        **os.environ,
        "SEGMENT_HOST": server.base_url,
        "SEGMENT_WRITE_KEY": WRITE_KEY,
    }
    finished = subprocess.run(
        [node, "send.mjs"],
        cwd=NODE_CLIENT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr

    ids = [f"node-{mid}" for kind in MESSAGE_IDS.values() for mid in kind]
    wait_until_sync(all_settled(reader, ids), what="delivery of the client's calls")
    assert_orb_received_exactly(sandbox_state(server_state(server)), "node-")
