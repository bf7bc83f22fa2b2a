"""Reading a Tracking API request body within Segment's size limits.

Segment's HTTP Tracking API docs give the limits: 32 KB per event, 500 KB per
request and 2,500 events per batch, and respond 400 Bad Request past them.
NOTE: the same docs say an over-long batch gets a 200 with its events
rejected; this server responds 400 to it too, so the client sees the problem.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from starlette.requests import Request

from runtime.errors import SegmentEmulatorError
from runtime.jsondata import MAX_DEPTH, depth_of, json_type

__all__ = [
    "MAX_BATCH_EVENTS",
    "MAX_EVENT_BYTES",
    "MAX_REQUEST_BYTES",
    "ApiError",
    "event_size",
    "read_json_body",
]

MAX_EVENT_BYTES = 32 * 1024
MAX_REQUEST_BYTES = 500 * 1024
MAX_BATCH_EVENTS = 2500

# Past this many bytes on the wire the rest of a body is not even read.
_MAX_WIRE_BYTES = 8 * MAX_REQUEST_BYTES


class ApiError(SegmentEmulatorError):
    """Raised for a request that gets an error response from the Tracking API.

    The response body is ``{"code": code, "message": message}``.
    """

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


async def read_json_body(request: Request) -> dict[str, Any]:
    """Return the body as a JSON object, gunzipped when Content-Encoding is gzip.

    Raises ``ApiError`` (400) for a body over 500 KB once decompressed, an
    unknown ``Content-Encoding``, broken gzip, invalid JSON or a non-object.
    """
    raw = await _read_wire_bytes(request)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        raw = _gunzip(raw)
    elif encoding != "identity":
        raise ApiError(
            400,
            "unsupported_encoding",
            f"Content-Encoding {encoding!r} is not supported; send gzip or "
            "an uncompressed body",
        )
    _check_request_size(len(raw))
    return _parse_object(raw)


def event_size(event: object) -> int:
    """Return an event's size in bytes as compact UTF-8 JSON."""
    text = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    # A lone surrogate escape ("\ud83d") is valid JSON; count it as its 3 bytes.
    return len(text.encode("utf-8", "surrogatepass"))


async def _read_wire_bytes(request: Request) -> bytes:
    """Read the whole body, so the client can finish sending and read the response."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > _MAX_WIRE_BYTES:
            _check_request_size(size)
        chunks.append(chunk)
    return b"".join(chunks)


def _gunzip(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        inflated = decompressor.decompress(data, MAX_REQUEST_BYTES + 1)
    except zlib.error as exc:
        raise ApiError(
            400,
            "invalid_gzip",
            f"the body is not valid gzip ({exc}); compress it with gzip or drop "
            "the Content-Encoding header",
        ) from None
    _check_request_size(len(inflated))
    if not decompressor.eof:
        raise ApiError(
            400,
            "invalid_gzip",
            "the gzip body ends early; send the complete compressed body",
        )
    return inflated


def _check_request_size(size: int) -> None:
    """Raise ``ApiError`` when a body of ``size`` bytes (or more) is too large."""
    if size <= MAX_REQUEST_BYTES:
        return
    raise ApiError(
        400,
        "request_too_large",
        f"the request body is at least {size} bytes, over the limit of 500 KB "
        f"({MAX_REQUEST_BYTES} bytes) per request; send fewer events per batch",
    )


def _parse_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise _too_deep() from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(
            400,
            "invalid_json",
            f"the request body is not valid JSON ({exc}); send a JSON object",
        ) from None
    if not isinstance(body, dict):
        raise ApiError(
            400,
            "invalid_body",
            f"the request body is {json_type(body)}, not an object; send one "
            'event object, or {"batch": [...]} to /v1/batch',
        )
    # A batch body wraps its events two levels deeper than the events themselves.
    if depth_of(body, MAX_DEPTH + 2) > MAX_DEPTH + 2:
        raise _too_deep()
    return body


def _too_deep() -> ApiError:
    return ApiError(
        400,
        "too_deep",
        f"the request body nests more than {MAX_DEPTH} levels inside an event; "
        "flatten the properties",
    )


def _reject_constant(name: str) -> None:
    # Python's json module accepts NaN and Infinity, which JSON does not allow.
    raise ValueError(f"{name} is not a JSON number")
