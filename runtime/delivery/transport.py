"""Sending one request with httpx; the one place httpx errors are translated."""

from __future__ import annotations

import json
from typing import Any

import httpx

from runtime.errors import DeliveryError, InvalidRequest
from runtime.requests import Request, Response

__all__ = ["send_once"]


async def send_once(client: httpx.AsyncClient, request: Request) -> Response:
    """Send ``request`` once.

    Raises ``DeliveryError`` on timeouts and connection errors, and its subclass
    ``InvalidRequest`` when the URL cannot be sent to at all.
    """
    _check_url(request.url)
    content, headers = _encode_body(request)
    try:
        answer = await client.request(
            request.method, request.url, headers=headers, content=content
        )
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise InvalidRequest(
            f"invalid request URL {request.url!r}: {exc}; check the endpoint setting "
            "or --endpoint"
        ) from exc
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


def _encode_body(request: Request) -> tuple[bytes | None, dict[str, str]]:
    """Encode the JSON body as strict JSON in UTF-8, as httpx's ``json=`` would."""
    if request.json is None:
        return None, dict(request.headers)
    try:
        text = json.dumps(
            request.json, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        content = text.encode("utf-8")
    except (ValueError, TypeError) as exc:
        raise InvalidRequest(f"request body is not valid JSON: {exc}") from exc
    headers = dict(request.headers)
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = "application/json"
    return content, headers


def _check_url(url: str) -> None:
    """Reject a URL that no transport can send to, before handing it to any transport."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidRequest(f"invalid request URL {url!r}: {exc}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidRequest(
            f"invalid request URL {url!r}: not an absolute http(s) URL; check the "
            "endpoint setting or --endpoint"
        )


def _json_or_none(answer: httpx.Response) -> Any:
    try:
        return answer.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
