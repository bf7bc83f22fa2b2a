"""A generic sandbox for destinations whose partner is any HTTP endpoint.

It accepts every request with 200 ``{"ok": true}`` and keeps a copy, so a
destination such as a webhook runs offline by default. A definition selects it
with ``"sandbox": "builtin:echo"``. ``GET /_sandbox/requests`` lists what it
received; ``POST /_sandbox/reset`` clears that list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from runtime.requests import decode_body

__all__ = ["BUILTIN_NAME", "create_sandbox"]

BUILTIN_NAME = "builtin:echo"
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def create_sandbox(settings: Mapping[str, Any], clock: Any = None) -> Starlette:
    received: list[dict[str, Any]] = []

    async def record(request: Request) -> Response:
        body = await request.body()
        received.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": request.url.query,
                "headers": dict(request.headers),
                "body": decode_body(body),
            }
        )
        return JSONResponse({"ok": True})

    async def list_requests(request: Request) -> Response:
        return JSONResponse({"data": received})

    async def reset(request: Request) -> Response:
        received.clear()
        return Response(status_code=204)

    routes = [
        Route("/_sandbox/requests", list_requests, methods=["GET"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
        Route("/{path:path}", record, methods=_METHODS),
    ]
    app = Starlette(routes=routes)
    app.state.received = received
    return app
