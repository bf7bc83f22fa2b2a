"""``segment-emulator retry``: queue dead-lettered events for delivery again."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from runtime.cli.serve import DEFAULT_DATABASE
from runtime.clock import SystemClock
from runtime.server.store import EventStore

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "retry",
        help="send dead-lettered events again",
        description=(
            "Queue dead-lettered deliveries in the event store again. A running "
            "server sends them within a second; otherwise the next serve does."
        ),
    )
    parser.add_argument(
        "--database",
        type=Path,
        default=DEFAULT_DATABASE,
        metavar="PATH",
        help=f"the server's SQLite event store (default {DEFAULT_DATABASE})",
    )
    selection = parser.add_mutually_exclusive_group(required=True)
    selection.add_argument(
        "--message-id", metavar="ID", help="retry the event with this messageId"
    )
    selection.add_argument(
        "--all", action="store_true", help="retry every dead-lettered event"
    )
    parser.add_argument(
        "--destination",
        metavar="NAME",
        help="retry only deliveries to this destination (its name in the server's "
        "configuration, such as orb in the embedded default)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    store = EventStore.open(args.database, create=False)
    try:
        known = store.destination_names()
        if args.destination is not None and args.destination not in known:
            names = ", ".join(known) or "none yet"
            print(
                f"error: no deliveries to destination {args.destination!r} in "
                f"{args.database}; destinations there: {names}",
                file=sys.stderr,
            )
            return 2
        count = store.requeue_dead_letters(
            message_id=args.message_id,
            destination=args.destination,
            now=SystemClock().now().timestamp(),
        )
    finally:
        store.close()
    where = f" to destination {args.destination!r}" if args.destination else ""
    if count == 0 and args.message_id:
        print(
            f"no dead-lettered delivery{where} for messageId {args.message_id!r}; "
            "check the id on the event delivery page",
            file=sys.stderr,
        )
        return 1
    noun = "delivery" if count == 1 else "deliveries"
    print(f"queued {count} dead-lettered {noun}{where} again")
    return 0
