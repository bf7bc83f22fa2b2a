"""``GET`` and ``PUT /v1/customers/external_customer_id/{external_customer_id}``.

The external customer id is one percent-encoded path segment, so ``%2F`` in it
is part of the id while a literal ``/`` would start another segment. Servers
decode ``%2F`` in the ASGI ``path``, so the id is read from ``raw_path``.
"""

from __future__ import annotations

from urllib.parse import unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from destinations.orb.sandbox.customer_updates import apply_update, validate_update
from destinations.orb.sandbox.customers import Customer
from destinations.orb.sandbox.orb_errors import (
    REQUEST_VALIDATION,
    RESOURCE_NOT_FOUND,
    URL_NOT_FOUND,
    error_response,
)
from destinations.orb.sandbox.request_body import InvalidBody, read_json_object
from destinations.orb.sandbox.state import SandboxState

ROUTE_PREFIX = "/v1/customers/external_customer_id/"


async def fetch_customer_endpoint(request: Request) -> Response:
    found = _find_customer(request)
    if isinstance(found, Response):
        return found
    return JSONResponse(found.to_json())


async def update_customer_endpoint(request: Request) -> Response:
    found = _find_customer(request)
    if isinstance(found, Response):
        return found

    try:
        body = await read_json_object(request)
    except InvalidBody as exc:
        return error_response(REQUEST_VALIDATION, str(exc))

    problems = validate_update(found, body)
    if problems:
        detail = f"Invalid update for customer {found.external_customer_id!r}."
        return error_response(REQUEST_VALIDATION, detail, validation_errors=problems)

    state: SandboxState = request.app.state.sandbox
    updated = apply_update(found, body)
    state.customers[updated.external_customer_id] = updated
    return JSONResponse(updated.to_json())


def external_id_from_path(request: Request) -> str | None:
    """Return the decoded external customer id, or None when the URL has none.

    Without ``raw_path`` (it is optional in ASGI) the decoded path is used, so an
    id containing ``/`` cannot be distinguished from extra path segments.
    """
    raw_path = request.scope.get("raw_path")
    prefix = request.scope.get("root_path", "") + ROUTE_PREFIX
    if isinstance(raw_path, bytes):
        raw = raw_path.decode("latin-1")
        if raw.startswith(prefix):
            segment = raw[len(prefix) :]
            if not segment or "/" in segment:
                return None
            return unquote(segment)

    decoded = str(request.path_params.get("external_customer_id", ""))
    return decoded or None


def _find_customer(request: Request) -> Customer | Response:
    external_id = external_id_from_path(request)
    if external_id is None:
        detail = (
            f"No route matches {request.url.path!r}; percent-encode '/' in an "
            "external customer id as %2F"
        )
        return error_response(URL_NOT_FOUND, detail)

    state: SandboxState = request.app.state.sandbox
    customer = state.customers.get(external_id)
    if customer is None:
        detail = (
            "Could not find a resource of type Customer with external_customer_id "
            f"{external_id!r}; create the customer in the sandbox seed first"
        )
        return error_response(RESOURCE_NOT_FOUND, detail)
    return customer
