"""Orb error response bodies (RFC 7807 problem details, as Orb sends them).

Orb documents each error type by a stable ``type`` URI, and its SDKs choose the
exception class from that URI and the status code. Source: Orb API reference,
"Error responses" (docs.withorb.com/api-reference/error-responses), and the
``orb-billing`` 4.90 Python SDK, which matches on the same URIs.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import JSONResponse

_TYPE_BASE = "https://docs.withorb.com/reference/error-responses"


@dataclass(frozen=True)
class ErrorKind:
    """One Orb error type: its HTTP status, ``type`` URI fragment and title."""

    status: int
    fragment: str
    title: str

    @property
    def type_uri(self) -> str:
        return f"{_TYPE_BASE}#{self.fragment}"


REQUEST_VALIDATION = ErrorKind(
    400, "400-request-validation-errors", "Request validation error"
)
AUTHENTICATION = ErrorKind(401, "401-authentication-error", "Authentication failure")
RESOURCE_NOT_FOUND = ErrorKind(
    404, "404-resource-not-found", "A specified resource was not found."
)
URL_NOT_FOUND = ErrorKind(404, "404-url-not-found", "URL not found")
RESOURCE_CONFLICT = ErrorKind(409, "409-resource-conflict", "Resource conflict")
REQUEST_TOO_LARGE = ErrorKind(413, "413-request-too-large", "Request too large")
TOO_MANY_REQUESTS = ErrorKind(429, "429-too-many-requests", "Too many requests")
INTERNAL_SERVER_ERROR = ErrorKind(
    500, "500-internal-server-error", "Internal server error"
)

# Error kinds an injected fault uses, by status. A status missing here uses the
# internal server error kind when it is 5xx, and the request validation kind
# otherwise, while the body and the response keep the requested status.
_KIND_BY_STATUS = {
    kind.status: kind
    for kind in (
        REQUEST_VALIDATION,
        AUTHENTICATION,
        RESOURCE_NOT_FOUND,
        RESOURCE_CONFLICT,
        REQUEST_TOO_LARGE,
        TOO_MANY_REQUESTS,
        INTERNAL_SERVER_ERROR,
    )
}


def kind_for_status(status: int) -> ErrorKind:
    """Return the Orb error kind to report for an HTTP error status."""
    kind = _KIND_BY_STATUS.get(status)
    if kind is not None:
        return kind

    if status >= 500:
        return INTERNAL_SERVER_ERROR

    return REQUEST_VALIDATION


def error_response(
    kind: ErrorKind,
    detail: str,
    *,
    status: int | None = None,
    validation_errors: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build an Orb error response of ``kind``.

    ``status`` overrides the kind's status, for injected faults such as 503.
    Request validation errors always carry a ``validation_errors`` list.
    """
    code = kind.status if status is None else status
    body: dict[str, object] = {
        "type": kind.type_uri,
        "status": code,
        "title": kind.title,
        "detail": detail,
    }
    if validation_errors is not None or kind is REQUEST_VALIDATION:
        body["validation_errors"] = list(validation_errors or [detail])

    return JSONResponse(body, status_code=code, headers=headers)
