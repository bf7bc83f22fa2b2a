"""The one table that turns a partner's response into an outcome."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from runtime.requests import Response

__all__ = ["Classification", "Verdict", "classify_error", "classify_response"]


class Verdict(enum.Enum):
    DELIVERED = "delivered"
    REJECTED = "rejected"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True)
class Classification:
    verdict: Verdict
    reason: str


# (first status, last status, verdict, reason). The first matching row wins.
STATUS_TABLE: tuple[tuple[int, int, Verdict, str], ...] = (
    (200, 299, Verdict.DELIVERED, ""),
    (401, 401, Verdict.FAILED, "invalid API key; check the apiKey setting"),
    (
        403,
        403,
        Verdict.FAILED,
        "invalid API key: access forbidden; check the apiKey setting",
    ),
    (404, 404, Verdict.REJECTED, "not found"),
    (408, 408, Verdict.RETRY, "request timeout"),
    (429, 429, Verdict.RETRY, "rate limited"),
    (400, 499, Verdict.REJECTED, "rejected by the partner API"),
    (500, 599, Verdict.RETRY, "partner API error"),
)


def classify_response(
    response: Response, overrides: Mapping[int, str] | None = None
) -> Classification:
    """Classify by status; ``overrides`` (from the definition) rename the reason."""
    for first, last, verdict, reason in STATUS_TABLE:
        if first <= response.status <= last:
            if verdict is Verdict.DELIVERED:
                return Classification(verdict, "")
            named = (overrides or {}).get(response.status, reason)
            detail = _detail(response)
            text = f"HTTP {response.status} {named}" + (f": {detail}" if detail else "")
            return Classification(verdict, text)
    return Classification(Verdict.FAILED, f"HTTP {response.status}: unexpected status")


def classify_error(message: str) -> Classification:
    """Timeouts and connection errors are always worth another try."""
    return Classification(Verdict.RETRY, message)


def _detail(response: Response) -> str:
    body = response.body
    if isinstance(body, Mapping):
        for key in ("detail", "message", "title", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return response.text[:200].strip() if body is None else ""
