"""Helpers for the server tests: configs, in-process apps and servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Self

import httpx
import uvicorn
from starlette.applications import Starlette

from destinations.orb.sandbox import SandboxState
from runtime.clock import Clock, IdSource
from runtime.registry import Registry
from runtime.server import ServerConfig, ServerState, create_app
from runtime.server.config import parse_config
from runtime.server.records import StoredEvent
from runtime.server.store import EventStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WRITE_KEY = "test-write-key"
ORB_API_KEY = "orb_sandbox_key"
ORB_SETTINGS: dict[str, Any] = {
    "apiKey": ORB_API_KEY,
    "externalCustomerIdField": "userId",
    "propertiesMapping": {"tokens": "tokens", "model": "model", "amount": "amount"},
}


def build_config(
    *,
    endpoint: str | None = None,
    max_attempts: int = 3,
    initial_delay: float = 0.01,
    registry: Registry | None = None,
) -> ServerConfig:
    """One source feeding Orb: its in-process sandbox, or ``endpoint`` when given."""
    destination: dict[str, Any] = {
        "name": "orb",
        "destination": "orb",
        "sources": ["backend"],
        "settings": ORB_SETTINGS,
        "retry": {
            "max_attempts": max_attempts,
            "initial_delay": initial_delay,
            "max_delay": 1.0,
        },
    }
    if endpoint is not None:
        destination["endpoint"] = endpoint
    document = {
        "sources": [{"name": "backend", "write_key": WRITE_KEY}],
        "destinations": [destination],
    }
    return parse_config(document, "test config", registry or Registry.with_builtins())


def basic_auth(write_key: str = WRITE_KEY) -> dict[str, str]:
    token = base64.b64encode(f"{write_key}:".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def sandbox_state(state: ServerState, name: str = "orb") -> SandboxState:
    """Return the in-process Orb sandbox behind a running server's destination."""
    app = state.connections[name].target.sandbox
    assert app is not None, "the destination does not deliver to its sandbox"
    sandbox: SandboxState = app.state.sandbox
    return sandbox


@asynccontextmanager
async def running_app(
    config: ServerConfig,
    store: EventStore,
    *,
    clock: Clock | None = None,
    ids: IdSource | None = None,
    dedupe_window: float = 24 * 3600.0,
) -> AsyncIterator[tuple[ServerState, httpx.AsyncClient]]:
    """Run the app in this event loop, with its workers, and a client for it."""
    state = ServerState(
        config,
        store,
        clock=clock,
        ids=ids,
        dedupe_window=dedupe_window,
        poll_interval=0.05,
        drain_timeout=2.0,
    )
    app = create_app(state)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=transport, base_url="http://emulator.test"
        ) as client,
    ):
        yield state, client


async def wait_until(
    condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
) -> None:
    """Poll ``condition`` every 20 ms; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.02)


def wait_until_sync(
    condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition"
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def delivery_state(store: EventStore, message_id: str, destination: str = "orb") -> str:
    """Return the stored delivery state of the event with ``message_id``."""
    events = store.events_by_message_id(message_id)
    if not events:
        return "not stored"
    states = {d.destination: d.state for d in events[-1].deliveries}
    return str(states.get(destination, "no delivery"))


def all_settled(store: EventStore, message_ids: list[str]) -> Callable[[], bool]:
    def settled() -> bool:
        return all(
            delivery_state(store, mid) not in ("pending", "retrying", "not stored")
            for mid in message_ids
        )

    return settled


def only_event(store: EventStore, message_id: str) -> StoredEvent:
    events = store.events_by_message_id(message_id)
    assert len(events) == 1, (
        f"expected one stored event {message_id}, got {len(events)}"
    )
    return events[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerThread:
    """Serves an app with uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_config=None, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        asyncio.run(self._server.serve(sockets=[self._listener]))

    def __enter__(self) -> Self:
        self._thread.start()
        wait_until_sync(lambda: self._server.started, 10.0, "the server to start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(15)
        self._listener.close()
        assert not self._thread.is_alive(), "the server thread did not stop"


def read_json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
