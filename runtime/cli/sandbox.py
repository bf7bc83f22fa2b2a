"""``segment-emulator orb-sandbox``: serve a destination's sandbox over HTTP."""

from __future__ import annotations

import argparse
from typing import Any

from runtime.cli.arguments import add_host, port_number
from runtime.registry import Registry

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "orb-sandbox",
        help="serve the Orb API sandbox over HTTP",
        description="Serve the Orb sandbox at http://HOST:PORT/v1 until interrupted.",
    )
    add_host(parser)
    parser.add_argument(
        "--port",
        type=port_number,
        default=8765,
        help="port to listen on (default 8765)",
    )
    parser.add_argument(
        "--api-key",
        default="orb_sandbox_key",
        help="the API key the sandbox accepts (default orb_sandbox_key; the example "
        "settings use orb_example_key)",
    )
    parser.set_defaults(run=run, destination="orb")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    definition = Registry.with_builtins().get(args.destination)
    assert definition.sandbox is not None
    app = definition.sandbox({"apiKey": args.api_key}, None)
    key_note = (
        "the default API key orb_sandbox_key"
        if args.api_key == "orb_sandbox_key"
        else "the API key given with --api-key"
    )
    print(
        f"{definition.name} sandbox: http://{args.host}:{args.port}/v1, accepting "
        f"{key_note}",
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
