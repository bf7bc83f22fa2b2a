"""Test hooks under ``/_sandbox``: inspect the state and inject faults over HTTP.

They are not Orb endpoints, need no API key and are left out of the request
log, so tests in other processes can use them freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from destinations.orb.sandbox.orb_errors import REQUEST_VALIDATION, error_response
from destinations.orb.sandbox.request_body import InvalidBody, read_json_object
from destinations.orb.sandbox.state import SandboxState, fault_problems

_FAULT_FIELDS = {"status", "count", "retry_after", "path"}


def _state(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


async def list_events(request: Request) -> Response:
    return JSONResponse({"data": [event.to_json() for event in _state(request).events]})


async def list_customers(request: Request) -> Response:
    customers = _state(request).customers.values()
    return JSONResponse({"data": [customer.to_json() for customer in customers]})


async def list_requests(request: Request) -> Response:
    requests = _state(request).requests
    return JSONResponse({"data": [recorded.to_json() for recorded in requests]})


async def list_faults(request: Request) -> Response:
    faults = _state(request).faults
    return JSONResponse(
        {"data": [fault.to_json() for fault in faults if fault.remaining]}
    )


async def add_fault(request: Request) -> Response:
    try:
        body = await read_json_object(request)
    except InvalidBody as exc:
        return error_response(REQUEST_VALIDATION, str(exc))

    problems = _fault_body_problems(body)
    if problems:
        return error_response(
            REQUEST_VALIDATION, "Invalid fault.", validation_errors=problems
        )

    fault = _state(request).add_fault(
        body["status"],
        count=body.get("count", 1),
        retry_after=body.get("retry_after"),
        path=body.get("path"),
    )
    return JSONResponse(fault.to_json(), status_code=201)


async def reset(request: Request) -> Response:
    _state(request).reset()
    return Response(status_code=204)


def _fault_body_problems(body: Mapping[str, Any]) -> list[str]:
    """Check the JSON types of a fault body, then its values."""
    unknown = sorted(set(body) - _FAULT_FIELDS)
    if unknown:
        return [f"unknown fields {unknown}; use {sorted(_FAULT_FIELDS)}"]

    status: Any = body.get("status")
    count = body.get("count", 1)
    retry_after = body.get("retry_after")
    path = body.get("path")
    problems = []
    if not _is_integer(status):
        problems.append(f"status must be an integer HTTP status, got {status!r}")
    if not _is_integer(count):
        problems.append(f"count must be an integer, got {count!r}")
    if retry_after is not None and not _is_number(retry_after):
        problems.append(f"retry_after must be seconds or null, got {retry_after!r}")
    if path is not None and not isinstance(path, str):
        problems.append(f"path must be a string or null, got {path!r}")
    if problems:
        return problems

    return fault_problems(status, count, retry_after, path)


def _is_integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
