"""The Starlette application: the Tracking API and the event delivery page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
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
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = state
    return app


async def _health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})
