"""``POST /v1/ingest``: Orb's usage event ingestion endpoint.

Orb ingests each idempotency key at most once. An event whose key was already
ingested is accepted again and skipped (listed as ``duplicate`` with
``debug=true``). Events that fail validation are reported in
``validation_failed`` with status 400 while the valid events of the same
request are still ingested. A request that holds one key twice with different
bodies is rejected whole. The same key twice with identical bodies is accepted:
the first copy is ingested and the second is a duplicate, because Orb's
reference rejects a batch only for duplicate keys with differing bodies.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from destinations.orb.sandbox.event_validation import idempotency_key_of, validate_event
from destinations.orb.sandbox.orb_errors import REQUEST_VALIDATION, error_response
from destinations.orb.sandbox.request_body import InvalidBody, read_json_object
from destinations.orb.sandbox.state import IngestedEvent, SandboxState

logger = logging.getLogger("segment_emulator.orb_sandbox")

_DEBUG_VALUES = {"true": True, "1": True, "false": False, "0": False}


@dataclass
class IngestOutcome:
    """Idempotency keys of one ingestion request, grouped by result."""

    ingested: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    validation_failed: list[dict[str, object]] = field(default_factory=list)


async def ingest_endpoint(request: Request) -> Response:
    state: SandboxState = request.app.state.sandbox
    debug_text = request.query_params.get("debug", "false").lower()
    if debug_text not in _DEBUG_VALUES:
        detail = f"query parameter debug={debug_text!r} is invalid; use true or false"
        return error_response(REQUEST_VALIDATION, detail)

    try:
        body = await read_json_object(request)
    except InvalidBody as exc:
        return error_response(REQUEST_VALIDATION, str(exc))

    events = body.get("events")
    if not isinstance(events, list):
        detail = 'events must be an array of events; send {"events": [...]}'
        return error_response(REQUEST_VALIDATION, detail)

    conflicts = find_conflicting_keys(events)
    if conflicts:
        detail = "The request contains events that share an idempotency key but differ."
        return error_response(REQUEST_VALIDATION, detail, validation_errors=conflicts)

    outcome = ingest_events(state, events)
    failed_keys = [failure["idempotency_key"] for failure in outcome.validation_failed]
    logger.info(
        "Orb sandbox ingest: %d ingested, %d duplicate, failed validation: %s",
        len(outcome.ingested),
        len(outcome.duplicate),
        failed_keys,
    )
    return _outcome_response(outcome, debug=_DEBUG_VALUES[debug_text])


def find_conflicting_keys(events: Sequence[object]) -> list[str]:
    """Return one message per idempotency key used by events with different bodies."""
    first_by_key: dict[str, Mapping[str, Any]] = {}
    conflicting: list[str] = []
    for event in events:
        if not isinstance(event, Mapping):
            continue
        key = event.get("idempotency_key")
        if not isinstance(key, str):
            continue

        first = first_by_key.setdefault(key, event)
        if first != event and key not in conflicting:
            conflicting.append(key)

    return [
        f"idempotency_key {key!r} is used by events with different bodies; give "
        "each distinct event its own idempotency key"
        for key in conflicting
    ]


def ingest_events(state: SandboxState, events: Sequence[object]) -> IngestOutcome:
    """Validate each event and store the valid ones whose keys are new."""
    outcome = IngestOutcome()
    now = state.now()
    for event in events:
        errors = validate_event(
            event,
            now=now,
            customer_exists=lambda orb_id: state.customer_by_orb_id(orb_id) is not None,
        )
        key = idempotency_key_of(event)
        if errors or not isinstance(event, Mapping):
            failure: dict[str, object] = {
                "idempotency_key": key,
                "validation_errors": errors,
            }
            outcome.validation_failed.append(failure)
            continue

        if key in state.ingested_keys:
            outcome.duplicate.append(key)
            continue

        state.events.append(_to_ingested_event(event, key, state))
        state.ingested_keys.add(key)
        outcome.ingested.append(key)

    return outcome


def _to_ingested_event(
    event: Mapping[str, Any], key: str, state: SandboxState
) -> IngestedEvent:
    return IngestedEvent(
        idempotency_key=key,
        event_name=event["event_name"],
        timestamp=event["timestamp"],
        properties=dict(event["properties"]),
        customer_id=event.get("customer_id"),
        external_customer_id=event.get("external_customer_id"),
        received_at=state.now(),
    )


def _outcome_response(outcome: IngestOutcome, *, debug: bool) -> JSONResponse:
    debug_body = None
    if debug:
        debug_body = {"duplicate": outcome.duplicate, "ingested": outcome.ingested}

    body = {"validation_failed": outcome.validation_failed, "debug": debug_body}
    status = 400 if outcome.validation_failed else 200
    return JSONResponse(body, status_code=status)
