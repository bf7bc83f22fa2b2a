"""Segment's HTTP Tracking API: ``POST /v1/track``, ``/v1/batch`` and the rest.

A request is authenticated by its source's write key, sent as the HTTP Basic
user name (empty password) or as a ``writeKey`` field in the body. Every event
of an accepted request is committed to the event store before the 200 response,
including events that fail validation: those are stored as rejected, as
Segment acknowledges them and shows them in its debugger.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from runtime.errors import EventError
from runtime.events import EVENT_TYPES, normalize_event
from runtime.inputs import expand_body
from runtime.jsondata import json_type
from runtime.pipeline import RawEvent
from runtime.server.config import ServerConfig, SourceConfig
from runtime.server.enrichment import WRITE_KEY_FIELD, enrich_event
from runtime.server.records import NewEvent
from runtime.server.request_body import (
    MAX_BATCH_EVENTS,
    MAX_EVENT_BYTES,
    ApiError,
    event_size,
    read_json_body,
)
from runtime.server.state import ServerState

__all__ = ["BATCH_ENDPOINTS", "SHORT_ENDPOINTS", "tracking_routes"]

logger = logging.getLogger("segment_emulator.server.tracking")

BATCH_ENDPOINTS = ("batch", "import")


# analytics.js (analytics-next) posts to the first letter of each endpoint.
SHORT_ENDPOINTS = {
    "t": "track",
    "i": "identify",
    "p": "page",
    "s": "screen",
    "g": "group",
    "a": "alias",
    "b": "batch",
}


def tracking_routes() -> list[Route]:
    names = (*EVENT_TYPES, *BATCH_ENDPOINTS, *SHORT_ENDPOINTS)
    return [Route(f"/v1/{name}", receive, methods=["POST"]) for name in names]


async def receive(request: Request) -> Response:
    state: ServerState = request.app.state.server
    endpoint = request.url.path.rstrip("/").rsplit("/", 1)[-1]
    endpoint = SHORT_ENDPOINTS.get(endpoint, endpoint)
    try:
        source = _source_from_header(request, state.config)
        body = await read_json_body(request)
        source = source or _source_from_body(body, state.config)
        raw_events = _events_in(body, endpoint, source.name)
    except ApiError as exc:
        logger.info("%s %s -> %d %s", request.method, request.url.path, exc.status, exc)
        return _error(exc)
    received_at = state.clock.now()
    events = [_prepare(raw, state, received_at) for raw in raw_events]
    state.accept(source, events, received_at)
    return JSONResponse({"success": True})


def _source_from_header(request: Request, config: ServerConfig) -> SourceConfig | None:
    """Return the source named by Basic auth, None when there is no header."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        raise ApiError(
            401,
            "invalid_authorization",
            f"Authorization scheme {scheme!r} is not supported; send the write key "
            "as the user name of HTTP Basic auth, with an empty password",
        )
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError(
            401,
            "invalid_authorization",
            "the Basic auth token is not base64 of 'WRITE_KEY:'; encode the write "
            "key followed by a colon",
        ) from None
    return _source_for(decoded.partition(":")[0], config)


def _source_from_body(body: Mapping[str, Any], config: ServerConfig) -> SourceConfig:
    write_key = body.get(WRITE_KEY_FIELD)
    if write_key is not None and not isinstance(write_key, str):
        raise ApiError(
            401,
            "invalid_write_key",
            f"writeKey is {json_type(write_key)}; send the write key as a string",
        )
    if not write_key:
        raise ApiError(
            401,
            "missing_write_key",
            "no write key; send it as the HTTP Basic user name or as writeKey in "
            "the body",
        )
    return _source_for(write_key, config)


def _source_for(write_key: str, config: ServerConfig) -> SourceConfig:
    source = config.source_for_key(write_key)
    if source is None:
        raise ApiError(
            401,
            "invalid_write_key",
            "the write key matches no source; use a write_key from the server's "
            "configuration",
        )
    return source


def _events_in(body: dict[str, Any], endpoint: str, source: str) -> list[RawEvent]:
    """Split a body into events and check Segment's per-event and batch limits."""
    if endpoint not in BATCH_ENDPOINTS:
        event = {**body, "type": endpoint}
        _check_event_size(event, "the event")
        return [RawEvent(f"{source} {endpoint}", event)]
    batch = body.get("batch")
    if not isinstance(batch, list):
        raise ApiError(
            400,
            "invalid_batch",
            f'the body of /v1/{endpoint} needs "batch", an array of events; '
            'send {"batch": [...]}',
        )
    if len(batch) > MAX_BATCH_EVENTS:
        raise ApiError(
            400,
            "batch_too_large",
            f"the batch has {len(batch)} events, over the limit of "
            f"{MAX_BATCH_EVENTS} per request; split it into smaller batches",
        )
    for index, event in enumerate(batch):
        _check_event_size(event, f"batch[{index}]")
    return list(expand_body(body, source, f"/v1/{endpoint}"))


def _check_event_size(event: object, where: str) -> None:
    size = event_size(event)
    if size > MAX_EVENT_BYTES:
        raise ApiError(
            400,
            "event_too_large",
            f"{where} is {size} bytes, over the limit of 32 KB ({MAX_EVENT_BYTES} "
            "bytes) per event; send fewer or smaller properties",
        )


def _prepare(raw: RawEvent, state: ServerState, received_at: datetime) -> NewEvent:
    """Enrich and validate one event; an invalid one is kept as rejected."""
    value = raw.value
    if not isinstance(value, Mapping):
        reason = raw.error or (
            f"invalid event at {raw.source}: expected a JSON object, "
            f"got {json_type(value)}"
        )
        return NewEvent(state.ids.new_id(), "unknown", value, None, reason, False)
    received = {k: v for k, v in value.items() if k != WRITE_KEY_FIELD}
    from_client = value.get("messageId") not in (None, "")
    enriched = enrich_event(received, received_at=received_at, ids=state.ids)
    try:
        event = normalize_event(enriched, state.clock, state.ids)
    except EventError as exc:
        reason = "invalid event: " + "; ".join(str(p) for p in exc.problems)
        logger.info("rejected messageId=%s: %s", enriched["messageId"], reason)
        kind = str(value.get("type") or "unknown")
        message_id = str(enriched["messageId"])
        return NewEvent(message_id, kind, received, None, reason, from_client)
    return NewEvent(event["messageId"], event["type"], received, event, "", from_client)


def _error(exc: ApiError) -> JSONResponse:
    body = {"code": exc.code, "message": exc.message}
    headers = {"WWW-Authenticate": 'Basic realm="segment"'} if exc.status == 401 else {}
    return JSONResponse(body, status_code=exc.status, headers=headers)
