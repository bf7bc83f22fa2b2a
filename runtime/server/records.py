"""The records the event store keeps: events, deliveries and attempts."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from runtime.outcomes import Attempt, OutcomeKind

__all__ = [
    "QUEUED_STATES",
    "STATE_BY_KIND",
    "AddResult",
    "AttemptRows",
    "DeliveryState",
    "NewEvent",
    "QueuedEvent",
    "StoredAttempt",
    "StoredDelivery",
    "StoredEvent",
]


class DeliveryState(enum.StrEnum):
    """The state of one event at one destination, as stored."""

    PENDING = "pending"
    RETRYING = "retrying"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    UNSUPPORTED = "unsupported"
    DEAD_LETTERED = "dead-lettered"


# States the delivery worker picks up, including after a restart.
QUEUED_STATES = (DeliveryState.PENDING, DeliveryState.RETRYING)


# A final outcome's state. FAILED means the attempts ran out, the partner refused
# the credentials, or the definition has a bug, so the event waits for a retry.
# The pipeline never ends a real delivery as RETRYING or DRY_RUN; should it, the
# event is dead-lettered rather than lost.
STATE_BY_KIND = {
    OutcomeKind.DELIVERED: DeliveryState.DELIVERED,
    OutcomeKind.REJECTED: DeliveryState.REJECTED,
    OutcomeKind.UNSUPPORTED: DeliveryState.UNSUPPORTED,
    OutcomeKind.FAILED: DeliveryState.DEAD_LETTERED,
    OutcomeKind.RETRYING: DeliveryState.DEAD_LETTERED,
    OutcomeKind.DRY_RUN: DeliveryState.DEAD_LETTERED,
}


@dataclass(frozen=True)
class NewEvent:
    """An event to store: ``event`` is the enriched event, None when rejected.

    ``dedupe`` is true when the client sent the ``messageId``, so that a repeat
    of it is a duplicate. Generated ids never repeat.
    """

    message_id: str
    event_type: str
    raw: Any
    event: dict[str, Any] | None
    reason: str = ""
    dedupe: bool = True


@dataclass(frozen=True)
class QueuedEvent:
    """An accepted event waiting for delivery to one destination."""

    event_id: int
    message_id: str
    event: dict[str, Any]


@dataclass(frozen=True)
class StoredAttempt:
    request: Any
    status: int | None
    response: Any
    duration_ms: float
    error: str | None
    recorded_epoch: float


@dataclass(frozen=True)
class StoredDelivery:
    destination: str
    state: str
    reason: str
    updated_epoch: float
    attempts: tuple[StoredAttempt, ...] = ()


@dataclass(frozen=True)
class StoredEvent:
    """An acknowledged event with its delivery to each destination."""

    event_id: int
    message_id: str
    source: str
    event_type: str
    received_at: str
    raw: Any
    event: dict[str, Any] | None
    status: str
    reason: str
    deliveries: tuple[StoredDelivery, ...] = ()


# Attempts already stored, by ``id()``. The value keeps the Attempt alive, so
# its id cannot be reused by another object while the mapping exists.
AttemptRows = dict[int, tuple[Attempt, int]]


@dataclass(frozen=True)
class AddResult:
    stored: int
    duplicates: int
