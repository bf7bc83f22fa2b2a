"""The Starlette application: the Tracking API and the event delivery page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from runtime.server.page import page_routes
from runtime.server.state import ServerState
from runtime.server.tracking_api import tracking_routes

__all__ = ["create_app"]


def create_app(state: ServerState) -> Starlette:
    """Build the app; its lifespan starts and stops ``state``'s delivery workers.

    The state is ``app.state.server``. The caller owns the event store and
    closes it after the app stops.
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.start()
        try:
            yield
        finally:
            await state.stop()

    routes = [
        *tracking_routes(),
        Route("/health", _health, methods=["GET"]),
        *page_routes(),
    ]
    # Browser libraries (analytics.js) post from the page's own origin, so the
    # Tracking API allows any origin, as Segment's does.
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["POST", "OPTIONS"],
            allow_headers=["*"],
        )
    ]
    handlers = {HTTPException: _http_error}
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=middleware,
        exception_handlers=handlers,  # type: ignore[arg-type]
    )
    app.state.server = state
    return app


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Send Tracking API clients their JSON error shape; pages get plain text."""
    if not request.url.path.startswith("/v1/"):
        return PlainTextResponse(exc.detail, status_code=exc.status_code)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
    message = (
        f"{request.method} {request.url.path}: {exc.detail}; the Tracking API "
        "takes POST to /v1/track, identify, page, screen, group, alias, batch "
        "and import"
    )
    headers = dict(exc.headers or {})
    return JSONResponse(
        {"code": code, "message": message}, status_code=exc.status_code, headers=headers
    )


async def _health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})
