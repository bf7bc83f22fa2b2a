"""In-memory state of one Orb sandbox: customers, usage events, requests, faults.

Handlers change the state only on the server's event loop and never await between
reading and writing it, so a single-loop server (uvicorn) needs no lock. Tests in
the same process may read the lists directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from destinations.orb.sandbox.customers import Customer, CustomerSeed, load_customers

ClockFunction = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class IngestedEvent:
    """A usage event the sandbox ingested, as sent, with the time it arrived."""

    idempotency_key: str
    event_name: str
    timestamp: str
    properties: dict[str, Any]
    customer_id: str | None
    external_customer_id: str | None
    received_at: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "idempotency_key": self.idempotency_key,
            "event_name": self.event_name,
            "timestamp": self.timestamp,
            "properties": dict(self.properties),
            "customer_id": self.customer_id,
            "external_customer_id": self.external_customer_id,
            "received_at": self.received_at.isoformat(),
        }


@dataclass(frozen=True)
class RecordedRequest:
    """One request to an Orb endpoint: method, raw (percent-encoded) path, status."""

    method: str
    path: str
    query: str
    status: int

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
        }


@dataclass
class Fault:
    """An injected failure for the next ``remaining`` matching requests.

    ``path`` matches the decoded request path exactly; None matches every Orb
    endpoint. ``retry_after`` is sent as the Retry-After header, in seconds.
    """

    status: int
    remaining: int = 1
    retry_after: float | None = None
    path: str | None = None

    def matches(self, path: str) -> bool:
        return self.remaining > 0 and (self.path is None or self.path == path)

    def to_json(self) -> dict[str, object]:
        return {
            "status": self.status,
            "count": self.remaining,
            "retry_after": self.retry_after,
            "path": self.path,
        }


def fault_problems(
    status: int, count: int, retry_after: float | None, path: str | None
) -> list[str]:
    """Return what is wrong with the arguments of a fault; empty when valid."""
    problems: list[str] = []
    if not 400 <= status <= 599:
        problems.append(f"status {status} is not an error status; use 400 to 599")
    if count < 1:
        problems.append(f"count {count} must be at least 1")
    if retry_after is not None and retry_after < 0:
        problems.append(f"retry_after {retry_after} must be 0 or more seconds, or null")
    if path is not None and not path.startswith("/"):
        problems.append(f"path {path!r} must start with '/', e.g. /v1/ingest")
    return problems


@dataclass
class SandboxState:
    """Everything one sandbox app stores, reachable as ``app.state.sandbox``.

    ``customers`` maps external customer ids to customers. ``ingested_keys``
    contains the idempotency key of every event in ``events``.
    """

    seed: CustomerSeed
    clock: ClockFunction = utc_now
    customers: dict[str, Customer] = field(default_factory=dict)
    events: list[IngestedEvent] = field(default_factory=list)
    ingested_keys: set[str] = field(default_factory=set)
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.customers:
            self.customers = load_customers(self.seed, created_at=self.now())

    def now(self) -> datetime:
        """Return the sandbox clock's time, reading a naive time as UTC."""
        moment = self.clock()
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment

    def reset(self) -> None:
        """Restore the seeded customers and forget events, requests and faults."""
        self.customers = load_customers(self.seed, created_at=self.now())
        self.events.clear()
        self.ingested_keys.clear()
        self.requests.clear()
        self.faults.clear()

    def add_fault(
        self,
        status: int,
        *,
        count: int = 1,
        retry_after: float | None = None,
        path: str | None = None,
    ) -> Fault:
        """Make the next ``count`` requests matching ``path`` fail with ``status``.

        Raises ValueError when an argument is out of range.
        """
        problems = fault_problems(status, count, retry_after, path)
        if problems:
            raise ValueError("; ".join(problems))

        fault = Fault(
            status=status, remaining=count, retry_after=retry_after, path=path
        )
        self.faults.append(fault)
        return fault

    def take_fault(self, path: str) -> Fault | None:
        """Use up one request of the oldest fault matching ``path``, if any."""
        for fault in self.faults:
            if fault.matches(path):
                fault.remaining -= 1
                return fault
        return None

    def customer_by_orb_id(self, customer_id: str) -> Customer | None:
        for customer in self.customers.values():
            if customer.id == customer_id:
                return customer
        return None
