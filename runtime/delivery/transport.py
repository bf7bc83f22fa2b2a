"""Sending one request with httpx; the one place httpx errors are translated."""

from __future__ import annotations

import json
from typing import Any

import httpx

from runtime.errors import DeliveryError
from runtime.requests import Request, Response

__all__ = ["send_once"]


async def send_once(client: httpx.AsyncClient, request: Request) -> Response:
    """Send ``request`` once. Raises ``DeliveryError`` on timeouts and connection errors."""
    try:
        answer = await client.request(
            request.method, request.url, headers=request.headers, json=request.json
        )
    except httpx.TimeoutException as exc:
        raise DeliveryError(f"timed out: {request.method} {request.url}") from exc
    except httpx.TransportError as exc:
        raise DeliveryError(
            f"connection failed: {request.method} {request.url}: {exc}"
        ) from exc
    return Response(
        status=answer.status_code,
        headers=dict(answer.headers),
        body=_json_or_none(answer),
        text=answer.text,
    )


def _json_or_none(answer: httpx.Response) -> Any:
    try:
        return answer.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
