"""The Orb sandbox Starlette application factory."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from destinations.orb.sandbox import hooks
from destinations.orb.sandbox.customer_api import (
    fetch_customer_endpoint,
    update_customer_endpoint,
)
from destinations.orb.sandbox.customers import CustomerSeed
from destinations.orb.sandbox.ingest import ingest_endpoint
from destinations.orb.sandbox.middleware import SandboxMiddleware
from destinations.orb.sandbox.orb_errors import URL_NOT_FOUND, error_response
from destinations.orb.sandbox.state import ClockFunction, SandboxState, utc_now

DEFAULT_API_KEY = "orb_sandbox_key"

_ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(
    *,
    api_key: str = DEFAULT_API_KEY,
    customers: CustomerSeed = None,
    clock: ClockFunction | None = None,
) -> Starlette:
    """Create an Orb sandbox app that accepts ``api_key`` as its bearer token.

    ``customers`` is a seed file path or mapping (default: the packaged
    ``customers.json``). ``clock`` returns the current time and defaults to UTC
    now; a naive time is read as UTC. The state is ``app.state.sandbox``.
    Raises ValueError for an empty API key and SeedError for an invalid seed.
    """
    if not api_key:
        raise ValueError("api_key must be a non-empty string; pass the key to accept")

    state = SandboxState(seed=customers, clock=clock or utc_now)
    customer_path = "/v1/customers/external_customer_id/{external_customer_id:path}"
    routes = [
        Route("/v1/ingest", ingest_endpoint, methods=["POST"]),
        Route(customer_path, fetch_customer_endpoint, methods=["GET"]),
        Route(customer_path, update_customer_endpoint, methods=["PUT"]),
        Route("/_sandbox/events", hooks.list_events, methods=["GET"]),
        Route("/_sandbox/customers", hooks.list_customers, methods=["GET"]),
        Route("/_sandbox/requests", hooks.list_requests, methods=["GET"]),
        Route("/_sandbox/faults", hooks.list_faults, methods=["GET"]),
        Route("/_sandbox/faults", hooks.add_fault, methods=["POST"]),
        Route("/_sandbox/reset", hooks.reset, methods=["POST"]),
        Route("/{path:path}", _url_not_found, methods=_ALL_METHODS),
    ]
    middleware = [Middleware(SandboxMiddleware, state=state, api_key=api_key)]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.sandbox = state
    return app


async def _url_not_found(request: Request) -> Response:
    detail = f"No Orb sandbox endpoint for {request.method} {request.url.path}"
    return error_response(URL_NOT_FOUND, detail)
