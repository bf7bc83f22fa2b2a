"""Killing the server loses no acknowledged event; SIGTERM stops it cleanly.

Both tests run ``segment-emulator serve`` and ``segment-emulator orb-sandbox`` as
subprocesses on 127.0.0.1, with the event store in a real file.
"""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

import httpx

from runtime.server.store import EventStore
from tests.server.server_harness import (
    ORB_API_KEY,
    PROJECT_ROOT,
    WRITE_KEY,
    basic_auth,
    free_port,
    wait_until_sync,
)

CONFIG = """
[[sources]]
name = "backend"
write_key = "{write_key}"

[[destinations]]
name = "orb"
destination = "orb"
sources = ["backend"]
endpoint = "http://127.0.0.1:{orb_port}/v1"

[destinations.settings]
apiKey = "{api_key}"
externalCustomerIdField = "userId"
propertiesMapping = {{ tokens = "tokens" }}

[destinations.retry]
max_attempts = 50
initial_delay = 0.05
max_delay = 0.2
"""


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "runtime", *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


def is_up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def orb_sandbox() -> Iterator[str]:
    port = free_port()
    process = start("orb-sandbox", "--port", str(port), "--api-key", ORB_API_KEY)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_sync(lambda: is_up(f"{base}/_sandbox/events"), 20, "the sandbox")
        yield base
    finally:
        stop(process)


def start_server(config: Path, database: Path) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = start(
        "serve",
        "--config",
        str(config),
        "--database",
        str(database),
        "--port",
        str(port),
        "--drain-timeout",
        "5s",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_sync(lambda: is_up(f"{base}/health"), 20, "the server")
    except AssertionError:
        stop(process)
        raise
    return process, base


def write_config(tmp_path: Path, orb_base: str) -> Path:
    port = orb_base.rsplit(":", 1)[1]
    path = tmp_path / "serve.toml"
    text = CONFIG.format(write_key=WRITE_KEY, orb_port=port, api_key=ORB_API_KEY)
    path.write_text(text, encoding="utf-8")
    return path


def batch_of(ids: list[str]) -> dict[str, object]:
    return {
        "batch": [
            {
                "type": "track",
                "userId": "acct_42",
                "event": "api_call",
                "messageId": mid,
                "properties": {"tokens": 1},
            }
            for mid in ids
        ]
    }


class Senders:
    """Threads that post batches until stopped, keeping the acknowledged ids."""

    def __init__(self, base_url: str, threads: int = 3, batch_size: int = 10) -> None:
        self.acknowledged: list[str] = []
        self.sent: list[str] = []
        self._base_url = base_url
        self._batch_size = batch_size
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._threads = [threading.Thread(target=self._send) for _ in range(threads)]

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def _next_ids(self) -> list[str]:
        with self._lock:
            ids = [f"load-{next(self._counter)}" for _ in range(self._batch_size)]
            self.sent.extend(ids)
            return ids

    def _send(self) -> None:
        with httpx.Client(base_url=self._base_url, timeout=5.0) as client:
            for _ in range(1000):
                if self._stop.is_set():
                    return
                ids = self._next_ids()
                try:
                    response = client.post(
                        "/v1/batch", json=batch_of(ids), headers=basic_auth()
                    )
                except httpx.HTTPError:
                    continue
                if response.status_code == 200:
                    with self._lock:
                        self.acknowledged.extend(ids)


def ingested_keys(orb_base: str) -> list[str]:
    events = httpx.get(f"{orb_base}/_sandbox/events", timeout=5.0).json()["data"]
    return [event["idempotency_key"] for event in events]


def queued_deliveries(database: Path) -> int:
    store = EventStore.open(database, create=False)
    try:
        counts = store.destination_counts(0).get("orb", {})
    finally:
        store.close()
    return counts.get("pending", 0) + counts.get("retrying", 0)


def retrying_count(base: str) -> int:
    overview = httpx.get(f"{base}/api/overview", timeout=5.0).json()
    count: int = overview["destinations"][0]["counts"]["retrying"]
    return count


def test_sigkill_loses_no_acknowledged_event(tmp_path: Path) -> None:
    database = tmp_path / "events.sqlite3"
    with orb_sandbox() as orb_base:
        config = write_config(tmp_path, orb_base)
        server, base = start_server(config, database)
        try:
            with Senders(base) as senders:

                def started_delivering() -> bool:
                    return len(senders.acknowledged) >= 200 and any(
                        ingested_keys(orb_base)
                    )

                wait_until_sync(started_delivering, 60, "the first deliveries")
                # Rate limits hold the worker back (40 x 0.05 s, fewer than its
                # 50 attempts), so some events are delivered and many queued
                # when the server is killed.
                stall = {
                    "status": 429,
                    "count": 40,
                    "retry_after": 0.05,
                    "path": "/v1/ingest",
                }
                posted = httpx.post(f"{orb_base}/_sandbox/faults", json=stall)
                assert posted.status_code == 201
                target = len(senders.acknowledged) + 300
                wait_until_sync(
                    lambda: len(senders.acknowledged) >= target, 60, "300 more events"
                )
                server.send_signal(signal.SIGKILL)
                server.wait(10)
        finally:
            stop(server)
        first_run = list(senders.acknowledged)
        assert queued_deliveries(database) > 0

        server, base = start_server(config, database)
        try:
            after = [f"after-{i}" for i in range(50)]
            response = httpx.post(
                f"{base}/v1/batch", json=batch_of(after), headers=basic_auth()
            )
            assert response.status_code == 200
            expected = set(first_run) | set(after)
            wait_until_sync(
                lambda: expected <= set(ingested_keys(orb_base)),
                60,
                "every acknowledged event in Orb",
            )
            server.send_signal(signal.SIGTERM)
            assert server.wait(20) == 0
        finally:
            stop(server)

        counts = Counter(ingested_keys(orb_base))
        assert expected <= set(counts)
        assert set(counts) <= set(senders.sent) | set(after)
        assert [key for key, count in counts.items() if count > 1] == []


def test_sigterm_in_retry_wait_keeps_events(
    tmp_path: Path,
) -> None:
    database = tmp_path / "events.sqlite3"
    with orb_sandbox() as orb_base:
        fault = {"status": 503, "count": 1000, "path": "/v1/ingest", "retry_after": 30}
        assert httpx.post(f"{orb_base}/_sandbox/faults", json=fault).status_code == 201
        config = write_config(tmp_path, orb_base)
        server, base = start_server(config, database)
        try:
            ids = ["term-1", "term-2"]
            response = httpx.post(
                f"{base}/v1/batch", json=batch_of(ids), headers=basic_auth()
            )
            assert response.status_code == 200
            wait_until_sync(lambda: retrying_count(base) == 2, 20, "a retry wait")
            server.send_signal(signal.SIGTERM)
            assert server.wait(10) == 0
        finally:
            stop(server)

        assert httpx.post(f"{orb_base}/_sandbox/reset").status_code == 204
        server, base = start_server(config, database)
        try:
            wait_until_sync(
                lambda: set(ids) <= set(ingested_keys(orb_base)), 30, "redelivery"
            )
            server.send_signal(signal.SIGTERM)
            assert server.wait(20) == 0
        finally:
            stop(server)
