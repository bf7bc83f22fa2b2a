"""Outcomes: the record of what happened to one event at one destination."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Attempt", "Outcome", "OutcomeKind"]


class OutcomeKind(str, enum.Enum):
    DELIVERED = "delivered"
    UNSUPPORTED = "unsupported"
    REJECTED = "rejected"
    RETRYING = "retrying"
    FAILED = "failed"
    DRY_RUN = "dry-run"

    @property
    def is_error(self) -> bool:
        """True for the outcomes that make ``replay`` exit with status 1."""
        return self in (OutcomeKind.REJECTED, OutcomeKind.FAILED)


@dataclass(frozen=True)
class Attempt:
    """One try at sending a request; ``request`` has secrets redacted."""

    request: dict[str, Any]
    status: int | None
    response: Any
    duration_ms: float
    error: str | None = None

    def as_dict(self, detail: bool = True) -> dict[str, Any]:
        """Return the attempt as JSON data; without ``detail``, no request or response."""
        summary: dict[str, Any] = {
            "status": self.status,
            "duration_ms": round(self.duration_ms, 1),
            "error": self.error,
        }
        if detail:
            summary["request"] = self.request
            summary["response"] = self.response
        return summary


@dataclass(frozen=True)
class Outcome:
    """The record of what happened to one event at one destination, and why."""

    message_id: str
    event_type: str
    destination: str
    kind: OutcomeKind
    reason: str = ""
    attempts: tuple[Attempt, ...] = field(default_factory=tuple)
    requests: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def as_dict(self, detail: bool = True) -> dict[str, Any]:
        """Return the outcome as JSON data.

        Without ``detail`` each attempt leaves out its request and response, which
        for a batched request repeat the whole batch for every event in it.
        """
        return {
            "messageId": self.message_id,
            "type": self.event_type,
            "destination": self.destination,
            "outcome": self.kind.value,
            "reason": self.reason,
            "attempts": [attempt.as_dict(detail) for attempt in self.attempts],
            "requests": list(self.requests),
        }
