"""``segment-emulator serve``: a local Segment Tracking API with durable delivery."""

from __future__ import annotations

import argparse
import asyncio
import re
import signal
import socket
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from runtime.cli.arguments import add_destinations_dir, add_host, port_number
from runtime.errors import ConfigError, Problem

if TYPE_CHECKING:
    from runtime.server.config import DestinationConfig, ServerConfig
    from runtime.server.store import EventStore

__all__ = ["add_parser", "parse_duration", "run"]

DEFAULT_DATABASE = Path("segment-emulator.sqlite3")
DEFAULT_PORT = 8080
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "serve",
        help="serve Segment's Tracking API and deliver to configured destinations",
        description=(
            "Accept events from Segment client libraries at http://HOST:PORT/v1, "
            "store each one in SQLite before acknowledging it, and deliver it to "
            "the destinations its source feeds. The event delivery page is at "
            "http://HOST:PORT/. Without --config, one source feeds the Orb "
            "destination's in-process sandbox."
        ),
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="TOML file of sources and destinations",
    )
    add_host(parser)
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port to listen on, 0 for any free port (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=DEFAULT_DATABASE,
        metavar="PATH",
        help=f"SQLite event store, created when missing (default {DEFAULT_DATABASE})",
    )
    parser.add_argument(
        "--dedupe-window",
        type=parse_duration,
        default="24h",
        metavar="DURATION",
        help="drop an event whose messageId the source sent within this time, such "
        "as 24h, 30m or 90s; 0 turns deduplication off (default 24h)",
    )
    parser.add_argument(
        "--drain-timeout",
        type=parse_duration,
        default="10s",
        metavar="DURATION",
        help="on stop, wait this long for deliveries in flight, such as 10s or 1m "
        "(default 10s)",
    )
    add_destinations_dir(parser)
    parser.set_defaults(run=run)


def parse_duration(text: str) -> float:
    """Read ``90``, ``90s``, ``30m``, ``24h`` or ``1d`` as seconds."""
    match = _DURATION.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"invalid duration {text!r}; write a number with s, m, h or d, such as 24h"
        )
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def run(args: argparse.Namespace) -> int:
    # Imported here, so other subcommands do not load the server's packages.
    from runtime.registry import Registry
    from runtime.server.config import default_config, load_config
    from runtime.server.store import EventStore

    registry = Registry.with_builtins(args.destinations_dir)
    config = (
        load_config(args.config, registry) if args.config else default_config(registry)
    )
    store = EventStore.open(args.database)
    try:
        listener = _listen(args.host, args.port)
        return _serve(args, config, store, listener)
    finally:
        store.close()


def _serve(
    args: argparse.Namespace,
    config: ServerConfig,
    store: EventStore,
    listener: socket.socket,
) -> int:
    import uvicorn

    from runtime.server.app import create_app
    from runtime.server.state import ServerState

    state = ServerState(
        config,
        store,
        dedupe_window=args.dedupe_window,
        drain_timeout=args.drain_timeout,
    )
    app = create_app(state)
    levels = {0: "warning", 1: "info"}
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=levels.get(args.verbose, "debug"),
            access_log=args.verbose >= 2,
            timeout_graceful_shutdown=5,
        )
    )
    _print_banner(args, config, store, listener)
    _exit_quietly_after_stop()
    asyncio.run(server.serve(sockets=[listener]))
    return 0 if server.started else 1


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The protocol is given explicitly: asyncio turns on TCP_NODELAY only for
    # sockets whose proto is IPPROTO_TCP, and without it every keep-alive
    # response waits about 40 ms for the client's delayed ACK.
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(socket.SOMAXCONN)
        return listener
    except OSError as exc:
        listener.close()
        problem = Problem(
            f"{host}:{port}", f"{exc.strerror}; choose another --host or --port"
        )
        raise ConfigError("cannot listen for the Tracking API", [problem]) from None


def _print_banner(
    args: argparse.Namespace,
    config: ServerConfig,
    store: EventStore,
    listener: socket.socket,
) -> None:
    from runtime.server.config import DEFAULT_WRITE_KEY

    host, port = listener.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    base = f"http://{shown_host}:{port}"
    lines = [
        f"segment-emulator: Tracking API at {base}/v1, event delivery page at {base}/",
        f"configuration: {config.origin}",
        f"event store: {store.path.resolve()}",
    ]
    for source in config.sources:
        key_note = (
            ""
            if source.write_key != DEFAULT_WRITE_KEY
            else f", write key {source.write_key}"
        )
        lines.append(f"source {source.name}{key_note}")
    for destination in config.destinations:
        target = (
            destination.endpoint
            or f"the in-process {destination.definition.name} sandbox"
        )
        feeds = ", ".join(destination.sources)
        lines.append(f"destination {destination.name}: from {feeds} to {target}")
        lines.extend(_unused_endpoint_note(destination))
    print("\n".join(lines), flush=True)


def _unused_endpoint_note(destination: DestinationConfig) -> list[str]:
    """Point out a settings URL that the in-process sandbox default ignores."""
    definition = destination.definition
    given = destination.settings.get(definition.endpoint_setting)
    if destination.endpoint is not None or not given:
        return []
    if given == definition.default_endpoint:
        return []
    note = (
        f"  note: settings.{definition.endpoint_setting} {given} is not used; set "
        f'endpoint = "{given}" on this destination to send there'
    )
    return [note]


def _exit_quietly_after_stop() -> None:
    """Let SIGTERM and SIGINT end ``serve`` with status 0 once the server stopped.

    uvicorn handles both signals while it runs (finishing requests and the
    lifespan shutdown), then raises the same signal again on the handlers that
    were set before it started. These handlers make that second signal a no-op.
    """

    def after_stop(signum: int, frame: FrameType | None) -> None:
        print(
            f"segment-emulator: stopped on {signal.Signals(signum).name}",
            file=sys.stderr,
        )

    signal.signal(signal.SIGTERM, after_stop)
    signal.signal(signal.SIGINT, after_stop)
