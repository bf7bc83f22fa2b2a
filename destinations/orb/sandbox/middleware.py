"""ASGI middleware in front of the Orb endpoints: faults, auth and the request log.

For every request under ``/v1`` it first serves an injected fault if one
matches, then checks the bearer API key, then runs the endpoint, and records
method, path and status. Requests to ``/_sandbox`` hooks pass through unlogged
and need no key.
"""

from __future__ import annotations

import hmac
import logging

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from destinations.orb.sandbox.orb_errors import (
    AUTHENTICATION,
    error_response,
    kind_for_status,
)
from destinations.orb.sandbox.state import Fault, RecordedRequest, SandboxState

logger = logging.getLogger("segment_emulator.orb_sandbox")

ORB_PATH_PREFIX = "/v1"


class SandboxMiddleware:
    def __init__(self, app: ASGIApp, *, state: SandboxState, api_key: str) -> None:
        self.app = app
        self.state = state
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_orb_path(scope["path"]):
            await self.app(scope, receive, send)
            return

        statuses: list[int] = []

        async def send_and_capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])
            await send(message)

        early = self._fault_response(scope["path"]) or self._auth_response(scope)
        try:
            if early is not None:
                await early(scope, receive, send_and_capture)
            else:
                await self.app(scope, receive, send_and_capture)
        finally:
            self._record(scope, statuses[0] if statuses else 500)

    def _fault_response(self, path: str) -> Response | None:
        fault = self.state.take_fault(path)
        if fault is None:
            return None

        logger.info(
            "Orb sandbox: injected fault %d for %s (%d left)",
            fault.status,
            path,
            fault.remaining,
        )
        return _fault_error(fault)

    def _auth_response(self, scope: Scope) -> Response | None:
        authorization = Headers(scope=scope).get("authorization")
        if authorization is None:
            detail = (
                "Missing Authorization header; send 'Authorization: Bearer <API key>'"
            )
            return error_response(AUTHENTICATION, detail)

        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            detail = (
                "Authorization header is not a bearer token; send 'Bearer <API key>'"
            )
            return error_response(AUTHENTICATION, detail)

        if not hmac.compare_digest(token.strip().encode(), self.api_key.encode()):
            detail = (
                "The API key is not valid for this sandbox; use the key it was "
                "started with (segment-emulator orb-sandbox --api-key KEY; the "
                "default is orb_sandbox_key)"
            )
            return error_response(AUTHENTICATION, detail)

        return None

    def _record(self, scope: Scope, status: int) -> None:
        raw_path = scope.get("raw_path")
        path = (
            raw_path.decode("latin-1") if isinstance(raw_path, bytes) else scope["path"]
        )
        query = scope.get("query_string", b"").decode("latin-1")
        request = RecordedRequest(scope["method"], path, query, status)
        self.state.requests.append(request)
        # Error responses are logged at INFO: the path names the customer involved.
        level = logging.INFO if status >= 400 else logging.DEBUG
        logger.log(level, "Orb sandbox: %s %s -> %d", request.method, path, status)


def _is_orb_path(path: str) -> bool:
    return path == ORB_PATH_PREFIX or path.startswith(ORB_PATH_PREFIX + "/")


def _fault_error(fault: Fault) -> Response:
    headers: dict[str, str] = {}
    if fault.retry_after is not None:
        headers["Retry-After"] = _format_seconds(fault.retry_after)

    detail = f"Injected sandbox fault: status {fault.status}"
    return error_response(
        kind_for_status(fault.status), detail, status=fault.status, headers=headers
    )


def _format_seconds(seconds: float) -> str:
    # NOTE: RFC 9110 allows only whole seconds. Fractions are kept so that tests
    # can ask for short waits, and clients such as orb-billing parse them.
    if float(seconds).is_integer():
        return str(int(seconds))
    return str(seconds)
