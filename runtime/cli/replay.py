"""``segment-emulator replay``: send a file of Segment events through a destination."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from runtime.cli.arguments import (
    add_destinations_dir,
    base_url,
    positive_integer,
    positive_seconds,
)
from runtime.cli.report import Report
from runtime.cli.settings_file import read_settings_file
from runtime.definitions import Definition
from runtime.delivery.retry import RetryPolicy
from runtime.inputs import read_events
from runtime.pipeline import Pipeline
from runtime.registry import Registry
from runtime.settings import validate_settings
from runtime.targets import open_target

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "replay",
        help="send a file of Segment events through a destination",
        description=(
            "Send every event in EVENTS (JSON Lines, a JSON array, a Segment batch "
            "body, or captured Tracking API requests; - for standard input) through "
            "a destination, into its in-process sandbox unless --endpoint is given."
        ),
    )
    parser.add_argument("events", help="events file, or - for standard input")
    parser.add_argument(
        "--destination", required=True, help="destination slug, such as orb"
    )
    parser.add_argument(
        "--settings", required=True, type=Path, help="settings JSON file"
    )
    add_destinations_dir(parser)
    parser.add_argument(
        "--endpoint",
        type=base_url,
        help="send to this base URL instead of the in-process sandbox (Orb's is "
        "https://api.withorb.com/v1, ending in /v1)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the mapped requests; send nothing"
    )
    parser.add_argument(
        "--output",
        choices=["text", "json"],
        default="text",
        help="text: a line per event and a summary (default); json: one object per "
        "event on standard output, the summary on standard error",
    )
    parser.add_argument(
        "--batch-size",
        type=positive_integer,
        help="items per batched request (default: the destination's own, 100 for Orb)",
    )
    parser.add_argument(
        "--max-attempts",
        type=positive_integer,
        default=5,
        help="tries per request (default 5)",
    )
    parser.add_argument(
        "--timeout",
        type=positive_seconds,
        default=10.0,
        help="seconds per HTTP request (default 10)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_replay(args))


async def _replay(args: argparse.Namespace) -> int:
    registry = Registry.with_builtins(args.destinations_dir)
    definition = registry.get(args.destination)
    raw_settings = read_settings_file(args.settings)
    settings = validate_settings(
        definition.settings_schema, raw_settings, definition.slug
    )
    _warn_unused_endpoint(definition, raw_settings, args.endpoint)
    target = open_target(definition, settings, args.endpoint, args.timeout)
    report = Report(sys.stdout, args.output, show_requests=args.dry_run)
    async with target.client:
        pipeline = Pipeline(
            definition,
            target.settings,
            target.client,
            policy=RetryPolicy(max_attempts=args.max_attempts),
            batch_size=args.batch_size,
            dry_run=args.dry_run,
            via=target.via,
        )
        async for outcome in pipeline.run(read_events(args.events)):
            report.add(outcome)
    verb = "mapped for" if args.dry_run else "sent to"
    summary = f"{report.summary()} ({verb} {target.description})"
    print(summary, file=sys.stderr if args.output == "json" else sys.stdout)
    if not report.counts:
        print(f"warning: no events found in {args.events}", file=sys.stderr)
    return 1 if report.has_errors else 0


def _warn_unused_endpoint(
    definition: Definition, raw_settings: dict[str, Any], endpoint: str | None
) -> None:
    """Say so when the settings name an endpoint that the sandbox default ignores."""
    given = raw_settings.get(definition.endpoint_setting)
    if endpoint is not None or definition.sandbox is None or not given:
        return
    if given == definition.default_endpoint and definition.default_endpoint:
        return
    print(
        f"note: settings.{definition.endpoint_setting} {given} is not used; events go "
        f"to the in-process sandbox unless you pass --endpoint {given}",
        file=sys.stderr,
    )
