"""Reading a request's JSON object body."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from runtime.errors import SegmentEmulatorError


class InvalidBody(SegmentEmulatorError):
    """Raised when a request body is not a JSON object; the request gets a 400."""


async def read_json_object(request: Request) -> dict[str, Any]:
    """Return the body parsed as a JSON object; an empty body counts as ``{}``."""
    raw = await request.body()
    if not raw.strip():
        return {}

    try:
        parsed = json.loads(raw, parse_constant=_reject_constant)
    except ValueError as exc:
        message = f"request body is not valid JSON ({exc}); send a JSON object"
        raise InvalidBody(message) from exc

    if not isinstance(parsed, dict):
        kind = type(parsed).__name__
        raise InvalidBody(f"request body must be a JSON object, got {kind}")

    return parsed


def _reject_constant(name: str) -> None:
    # Python's json module accepts NaN and Infinity, which JSON does not allow.
    raise ValueError(f"{name} is not a JSON number")
