"""Writing small destination folders for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BASE_DEFINITION: dict[str, Any] = {
    "name": "Echo",
    "slug": "echo",
    "description": "A destination for tests: posts each event to {endpoint}/events.",
    "eventTypes": ["track"],
    "settings": {
        "type": "object",
        "required": ["token"],
        "properties": {
            "token": {"type": "string", "writeOnly": True},
            "endpoint": {"type": "string", "default": "https://echo.invalid"},
        },
    },
}

ECHO_FUNCTIONS = """
from runtime import Request


def on_track(event, settings):
    return Request(
        "POST",
        settings["endpoint"] + "/events",
        {"Authorization": "Token " + settings["token"]},
        {"event": event["event"], "id": event["messageId"]},
    )
"""


def write_destination(
    folder: Path,
    functions: str = ECHO_FUNCTIONS,
    **overrides: Any,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    definition = {**BASE_DEFINITION, **overrides}
    definition = {key: value for key, value in definition.items() if value is not None}
    (folder / "destination.json").write_text(json.dumps(definition), encoding="utf-8")
    (folder / "functions.py").write_text(functions, encoding="utf-8")
    return folder
