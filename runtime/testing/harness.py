"""Running a destination over events with injected time and ids, recording requests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from runtime.clock import Clock, CountingIds, FixedClock, IdSource
from runtime.definitions import Definition
from runtime.delivery.retry import RetryPolicy
from runtime.inputs import expand_body, read_events
from runtime.outcomes import Outcome
from runtime.pipeline import Pipeline, RawEvent
from runtime.requests import decode_body
from runtime.settings import Redactor, validate_settings
from runtime.targets import sandbox_base_url

__all__ = ["DEFAULT_NOW", "HarnessResult", "RecordingTransport", "run_destination"]

DEFAULT_NOW = datetime(2026, 12, 4, 16, 0, 0, tzinfo=UTC)

# Headers httpx adds to every request; the rest come from the destination.
_TRANSPORT_HEADERS = frozenset(
    {"host", "accept", "accept-encoding", "connection", "user-agent", "content-length"}
)


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to another transport and keeps a redacted copy of each."""

    def __init__(self, inner: httpx.AsyncBaseTransport, redactor: Redactor) -> None:
        self._inner = inner
        self.redactor = redactor
        self.requests: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        self.requests.append(self.redactor.data(_describe(request, body)))
        response = await self._inner.handle_async_request(request)
        await response.aread()
        self.requests[-1]["response"] = {
            "status": response.status_code,
            "body": decode_body(response.content),
        }
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class HarnessResult:
    outcomes: list[Outcome]
    requests: list[dict[str, Any]] = field(default_factory=list)
    sandbox: Any = None

    def report(self) -> list[dict[str, Any]]:
        """Return each outcome without timings, which vary from run to run."""
        return [
            {
                "messageId": outcome.message_id,
                "type": outcome.event_type,
                "outcome": outcome.kind.value,
                "reason": outcome.reason,
                "attempts": len(outcome.attempts),
            }
            for outcome in self.outcomes
        ]


def run_destination(
    definition: Definition,
    settings: Mapping[str, Any],
    events: Path | str | Iterable[Mapping[str, Any]],
    *,
    clock: Clock | None = None,
    ids: IdSource | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    batch_size: int | None = None,
    max_attempts: int = 3,
    dry_run: bool = False,
) -> HarnessResult:
    """Replay ``events`` (a file path or event objects) and record what was sent.

    Without ``transport`` the requests go to the destination's sandbox, created
    with the same clock. Retries do not wait.
    """
    clock = clock or FixedClock(DEFAULT_NOW)
    ids = ids or CountingIds()
    checked = validate_settings(definition.settings_schema, settings, definition.slug)
    redactor = Redactor.for_settings(definition.settings_schema, checked)
    sandbox = None
    if transport is None:
        if definition.sandbox is None:
            raise ValueError(f"{definition.slug} has no sandbox; pass a transport")
        sandbox = definition.sandbox(checked, clock)
        transport = httpx.ASGITransport(app=sandbox)
        if definition.default_endpoint is not None:
            endpoint = {definition.endpoint_setting: sandbox_base_url(definition)}
            checked = {**checked, **endpoint}
    recorder = RecordingTransport(transport, redactor)
    outcomes = asyncio.run(
        _run(
            definition,
            checked,
            _raw_events(events),
            recorder,
            clock,
            ids,
            batch_size,
            max_attempts,
            dry_run,
        )
    )
    return HarnessResult(outcomes, recorder.requests, sandbox)


async def _run(
    definition: Definition,
    settings: dict[str, Any],
    events: Iterable[RawEvent],
    transport: RecordingTransport,
    clock: Clock,
    ids: IdSource,
    batch_size: int | None,
    max_attempts: int,
    dry_run: bool,
) -> list[Outcome]:
    async def no_wait(seconds: float) -> None:
        return None

    async with httpx.AsyncClient(transport=transport) as client:
        pipeline = Pipeline(
            definition,
            settings,
            client,
            clock=clock,
            ids=ids,
            policy=RetryPolicy(max_attempts=max_attempts),
            sleep=no_wait,
            batch_size=batch_size,
            dry_run=dry_run,
            redactor=transport.redactor,
        )
        return [outcome async for outcome in pipeline.run(events)]


def _raw_events(events: Path | str | Iterable[Mapping[str, Any]]) -> Iterable[RawEvent]:
    if isinstance(events, Path | str):
        return read_events(str(events))
    return (
        raw
        for index, event in enumerate(events)
        for raw in expand_body(event, f"event[{index}]")
    )


def _describe(request: httpx.Request, body: bytes) -> dict[str, Any]:
    headers = {
        name: value
        for name, value in request.headers.items()
        if name.lower() not in _TRANSPORT_HEADERS
    }
    return {
        "method": request.method,
        "url": str(request.url),
        "headers": headers,
        "body": decode_body(body),
    }
