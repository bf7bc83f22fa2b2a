"""An in-process Orb API sandbox that responds like Orb's REST API.

``create_app()`` returns a plain Starlette app, so it runs in-process through
``httpx.ASGITransport`` (or ``starlette.testclient.TestClient``) and as a real
server under uvicorn. Point an Orb client at ``http://HOST:PORT/v1``.

Orb endpoints (``Authorization: Bearer <api_key>`` required, else 401):

- ``POST /v1/ingest[?debug=true]`` validates and ingests usage events.
- ``GET /v1/customers/external_customer_id/{id}`` fetches a customer.
- ``PUT /v1/customers/external_customer_id/{id}`` updates name, email, metadata
  and a few other fields. The id is one percent-encoded path segment.

Errors use Orb's problem-details body: ``type``, ``status``, ``title``,
``detail``, plus ``validation_errors`` for request validation errors.

Test hooks (no API key, not recorded in the request log):

- ``GET /_sandbox/events``: ingested usage events in order, as ``{"data": [...]}``.
- ``GET /_sandbox/customers``: current customers, in Orb's Customer shape.
- ``GET /_sandbox/requests``: every request to ``/v1``: method, raw path, query
  and status.
- ``GET /_sandbox/faults``: faults with requests left to fail.
- ``POST /_sandbox/faults`` with ``{"status": 429, "retry_after": 1, "count": 2,
  "path": "/v1/ingest"}`` makes the next ``count`` requests to ``path`` (any
  ``/v1`` path when null) fail with ``status``, an Orb error body and, when
  ``retry_after`` is not null, a Retry-After header. Responds 201.
- ``POST /_sandbox/reset`` restores the seeded customers and clears events,
  idempotency keys, requests and faults. Answers 204.

In-process tests can read and change the same state as ``app.state.sandbox``.

NOTE: Orb's request-level ``Idempotency-Key`` header (sent by its SDKs on
retries) is ignored; only per-event idempotency keys are deduplicated.
"""

from collections.abc import Mapping
from typing import Any

from starlette.applications import Starlette

from destinations.orb.sandbox.app import DEFAULT_API_KEY, create_app
from destinations.orb.sandbox.customers import Customer, SeedError
from destinations.orb.sandbox.state import (
    Fault,
    IngestedEvent,
    RecordedRequest,
    SandboxState,
)
from runtime.clock import Clock

__all__ = [
    "DEFAULT_API_KEY",
    "Customer",
    "Fault",
    "IngestedEvent",
    "RecordedRequest",
    "SandboxState",
    "SeedError",
    "create_app",
    "create_sandbox",
]


def create_sandbox(
    settings: Mapping[str, Any], clock: Clock | None = None
) -> Starlette:
    """Create the sandbox the runtime delivers to by default.

    It accepts the API key in ``settings``, so the embedded default works with
    any key, and takes its time from ``clock`` when one is given.
    """
    now = clock.now if clock is not None else None
    return create_app(api_key=str(settings["apiKey"]), clock=now)
