"""``segment-emulator new``: start a destination folder that loads, runs and is tested."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run", "write_destination"]

_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")

FUNCTIONS = '''"""Mapping functions for {name}: each returns the request to send, never sends it."""

from typing import Any

from runtime import EventNotSupported, InvalidEventPayload, Request


def on_track(event: dict[str, Any], settings: dict[str, Any]) -> Request:
    if not event.get("userId"):
        raise InvalidEventPayload("userId is missing; {name} needs a user for each event")
    return Request(
        method="POST",
        url=f"{{settings['endpoint']}}/events",
        headers={{"Authorization": f"Bearer {{settings['apiKey']}}"}},
        json={{"name": event["event"], "user": event["userId"], "at": event["timestamp"]}},
    )


def on_identify(event: dict[str, Any], settings: dict[str, Any]) -> Request:
    raise EventNotSupported("{name} does not take identify calls yet")
'''

TEST = '''"""Snapshot every request {name} sends for its example events."""

import json
from pathlib import Path

from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from runtime import load_definition
from runtime.testing import run_destination

FOLDER = Path(__file__).resolve().parent.parent


def test_{module}_examples(snapshot: SnapshotAssertion) -> None:
    definition = load_definition(FOLDER)
    settings = json.loads((FOLDER / "examples" / "settings.json").read_text())
    result = run_destination(definition, settings, FOLDER / "examples" / "events.jsonl")
    assert result.report() == snapshot(name="report", extension_class=JSONSnapshotExtension)
    assert result.requests == snapshot(name="requests", extension_class=JSONSnapshotExtension)
'''


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "new",
        help="create a destination folder to start from",
        description="Create DIR/SLUG with destination.json, functions.py, example "
        "settings and events, and a snapshot test, ready for replay and pytest.",
    )
    parser.add_argument(
        "slug", help="lower-case letters, digits and dashes, such as acme"
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("."),
        help="folder to create SLUG in (default: the current folder)",
    )
    parser.add_argument("--name", help="display name (default: the slug, capitalized)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not _SLUG.match(args.slug):
        print(
            f"error: invalid slug {args.slug!r}; use lower-case letters, digits and "
            "dashes, starting with a letter",
            file=sys.stderr,
        )
        return 2
    folder = args.dir / args.slug
    if folder.exists():
        print(
            f"error: {folder} already exists; choose another slug or --dir",
            file=sys.stderr,
        )
        return 2
    write_destination(
        folder, args.slug, args.name or args.slug.replace("-", " ").title()
    )
    print(
        f"created {folder}; try:\n"
        f"  segment-emulator replay {folder}/examples/events.jsonl --destination "
        f"{args.slug} --settings {folder}/examples/settings.json --destinations-dir "
        f"{folder}\n  python -m pytest {folder}/tests --snapshot-update   "
        "# the first run writes the snapshots"
    )
    return 0


def write_destination(folder: Path, slug: str, name: str) -> None:
    module = slug.replace("-", "_")
    (folder / "examples").mkdir(parents=True)
    (folder / "tests").mkdir()
    _write_json(folder / "destination.json", _definition(slug, name))
    (folder / "functions.py").write_text(FUNCTIONS.format(name=name), encoding="utf-8")
    _write_json(folder / "examples" / "settings.json", {"apiKey": "example_key"})
    events = [
        {
            "type": "track",
            "event": "Signed Up",
            "userId": "user_1",
            "messageId": "m-1",
            "timestamp": "2026-01-01T00:00:00Z",
        },
        {
            "type": "track",
            "event": "Signed Up",
            "anonymousId": "a-1",
            "messageId": "m-2",
        },
        {"type": "identify", "userId": "user_1", "messageId": "m-3"},
    ]
    lines = "".join(json.dumps(event) + "\n" for event in events)
    (folder / "examples" / "events.jsonl").write_text(lines, encoding="utf-8")
    (folder / "tests" / f"test_{module}.py").write_text(
        TEST.format(name=name, module=module), encoding="utf-8"
    )


def _definition(slug: str, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "slug": slug,
        "description": f"Sends Segment events to {name}.",
        "eventTypes": ["track", "identify"],
        "sandbox": "builtin:echo",
        "settings": {
            "type": "object",
            "required": ["apiKey"],
            "additionalProperties": False,
            "properties": {
                "apiKey": {
                    "type": "string",
                    "minLength": 1,
                    "writeOnly": True,
                    "description": f"{name} API key, sent as a Bearer token.",
                },
                "endpoint": {
                    "type": "string",
                    "default": "https://api.example.com/v1",
                    "description": f"{name} API base URL.",
                },
            },
        },
    }


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
