"""Requests to send, and items of batched requests: what mapping functions return."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BatchItem", "Request", "Response", "decode_body"]


@dataclass(frozen=True)
class Request:
    """One HTTP request to the partner API, built but not sent."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "url": self.url,
            "headers": dict(self.headers),
            "json": self.json,
        }


@dataclass(frozen=True)
class BatchItem:
    """One event's share of a batched request.

    Items with the same ``batch`` name are grouped and handed to the definition's
    ``on_batch`` function, which builds the request. ``key`` identifies the item
    in the partner's per-item response, so it must be unique within a batch.
    """

    batch: str
    key: str
    payload: Any


@dataclass(frozen=True)
class Response:
    """The parts of a partner API's response that outcomes are decided from."""

    status: int
    headers: dict[str, str]
    body: Any
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "body": self.body if self.body is not None else self.text,
        }


def decode_body(content: bytes) -> Any:
    """Return an HTTP body as JSON data, as text when it is not JSON, or None if empty."""
    if not content:
        return None
    try:
        return json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return content.decode("utf-8", "replace")
