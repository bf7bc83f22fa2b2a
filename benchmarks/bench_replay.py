"""Measure replay throughput and peak memory over generated track events.

Writes N events as JSON Lines, runs ``segment-emulator replay`` on them in a
child process, and prints events per second and the child's peak resident set
size. Run it at several sizes: flat memory means the peak does not grow with N.

    python benchmarks/bench_replay.py --events 10000 100000 1000000 --dry-run
    python benchmarks/bench_replay.py --events 10000 100000 1000000 --sandbox-server
    python benchmarks/bench_replay.py --events 10000 100000

``--sandbox-server`` sends to the Orb sandbox running as its own process on
127.0.0.1, so the peak is the runtime's alone; without it the in-process
sandbox keeps every ingested event, as Orb does, and its memory grows with N.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = {
    "apiKey": "orb_bench_key",
    "externalCustomerIdField": "userId",
    "propertiesMapping": {"tokens": "tokens", "model": "model", "plan.tier": "tier"},
}


def write_events(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            event = {
                "type": "track",
                "event": "api_call",
                "userId": f"acct_{number % 500}",
                "messageId": f"bench-{number}",
                "timestamp": "2026-12-04T15:00:00.000Z",
                "properties": {
                    "tokens": number % 4096,
                    "model": "small",
                    "plan": {"tier": "pro"},
                },
            }
            stream.write(json.dumps(event) + "\n")


def measure(
    events: Path, settings: Path, dry_run: bool, endpoint: str | None
) -> tuple[float, int]:
    """Return (seconds, peak RSS in MiB) of one replay run in a fresh process."""
    command = [
        sys.executable,
        "-m",
        "runtime",
        "replay",
        str(events),
        "--destination",
        "orb",
        "--settings",
        str(settings),
        "--output",
        "json",
    ]
    if dry_run:
        command.append("--dry-run")
    if endpoint:
        command += ["--endpoint", endpoint]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    # wait4 returns the resource usage of this one child, not of all children.
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise SystemExit(f"replay exited with {child.returncode}")
    return elapsed, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--dry-run", action="store_true", help="map only; send nothing")
    parser.add_argument(
        "--sandbox-server",
        action="store_true",
        help="send to the Orb sandbox served by another process",
    )
    parser.add_argument("--port", type=int, default=18765, help="port for that sandbox")
    args = parser.parse_args()
    server = start_sandbox(args.port) if args.sandbox_server else None
    endpoint = f"http://127.0.0.1:{args.port}/v1" if server else None
    try:
        run_sizes(args.events, args.dry_run, endpoint)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)


def start_sandbox(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runtime",
            "orb-sandbox",
            "--port",
            str(port),
            "--api-key",
            SETTINGS["apiKey"],
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"the Orb sandbox did not start on port {port}")


def run_sizes(sizes: list[int], dry_run: bool, endpoint: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Path(folder) / "settings.json"
        settings.write_text(json.dumps(SETTINGS))
        print("events      seconds  events/s  peak RSS (MiB)")
        for count in sizes:
            events = Path(folder) / f"events-{count}.jsonl"
            write_events(events, count)
            seconds, peak = measure(events, settings, dry_run, endpoint)
            print(
                f"{count:>9,}  {seconds:>8.1f}  {count / seconds:>8,.0f}  {peak:>14,}"
            )
            events.unlink()


if __name__ == "__main__":
    main()
