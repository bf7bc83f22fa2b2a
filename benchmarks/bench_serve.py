"""Measure the Tracking API server: acknowledged events per second, and delivery.

Starts `segment-emulator serve` (embedded default: the Orb destination and its
in-process sandbox) on 127.0.0.1 with a fresh SQLite file, posts N track events
in batches from one client, and reports how fast they were acknowledged (each
acknowledgement waits for the SQLite commit) and how long until the last one was
delivered to the sandbox.

    python benchmarks/bench_serve.py --events 20000 --batch 100
"""

from __future__ import annotations

import argparse
import base64
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

WRITE_KEY = "segment-emulator-local-write-key"


def start_server(port: int, database: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runtime",
            "serve",
            "--port",
            str(port),
            "--database",
            str(database),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def post_events(port: int, count: int, batch_size: int) -> float:
    """Post the events; return the seconds until the last one was acknowledged."""
    token = base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    started = time.perf_counter()
    # Without TCP_NODELAY, small requests wait on Nagle's algorithm and the
    # server's delayed ACK (about 40 ms each), which measures the client, not us.
    nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    transport = httpx.HTTPTransport(socket_options=nodelay)
    base_url = f"http://127.0.0.1:{port}"
    with httpx.Client(
        base_url=base_url, headers=headers, transport=transport
    ) as client:
        for first in range(0, count, batch_size):
            batch = [
                {
                    "type": "track",
                    "event": "api_call",
                    "userId": f"acct_{n % 50}",
                    "messageId": f"bench-{n}",
                    "properties": {"tokens": n},
                }
                for n in range(first, min(first + batch_size, count))
            ]
            client.post("/v1/batch", json={"batch": batch}).raise_for_status()
    return time.perf_counter() - started


def wait_delivered(database: Path, count: int, timeout: float) -> float:
    """Return the seconds until every event is delivered, polling the store."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        with sqlite3.connect(database) as connection:
            (done,) = connection.execute(
                "SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'"
            ).fetchone()
        if done >= count:
            return time.perf_counter() - started
        time.sleep(0.2)
    raise SystemExit(f"only {done} of {count} delivered after {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100, help="events per request")
    parser.add_argument("--port", type=int, default=18080)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        server = start_server(args.port, database)
        try:
            acked = post_events(args.port, args.events, args.batch)
            drained = wait_delivered(database, args.events, timeout=600)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{args.events:,} events in batches of {args.batch}")
    print(f"acknowledged in {acked:.1f} s: {args.events / acked:,.0f} events/s")
    print(f"all delivered {drained:.1f} s after the last acknowledgement")


if __name__ == "__main__":
    main()
