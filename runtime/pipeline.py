"""The pipeline: normalize, route, map, deliver and record, once per event."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from runtime.clock import Clock, IdSource, RandomIds, SystemClock
from runtime.definitions import Definition
from runtime.delivery.classify import Verdict
from runtime.delivery.retry import RetryPolicy
from runtime.delivery.sender import AttemptHook, Sender, Sleep
from runtime.dispatch import Dispatched, dispatch
from runtime.errors import EventError
from runtime.events import normalize_event
from runtime.outcomes import Attempt, Outcome, OutcomeKind
from runtime.requests import BatchItem, Request
from runtime.routing import disabled_reason
from runtime.settings import Redactor

__all__ = ["Pipeline", "RawEvent"]

logger = logging.getLogger("segment_emulator.pipeline")


@dataclass(frozen=True)
class RawEvent:
    """An event as read from input, before validation; ``source`` names where."""

    source: str
    value: Any = None
    error: str | None = None


@dataclass
class _Result:
    kind: OutcomeKind
    reason: str = ""
    attempts: tuple[Attempt, ...] = ()
    requests: tuple[dict[str, Any], ...] = ()


@dataclass
class _Pending:
    message_id: str
    event_type: str
    remaining: int
    results: list[_Result] = field(default_factory=list)


@dataclass
class _Batch:
    items: list[tuple[int, BatchItem]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


# Worst first: the outcome of an event split into several requests is the worst
# of its parts.
_SEVERITY = [
    OutcomeKind.FAILED,
    OutcomeKind.REJECTED,
    OutcomeKind.RETRYING,
    OutcomeKind.UNSUPPORTED,
    OutcomeKind.DRY_RUN,
    OutcomeKind.DELIVERED,
]

_VERDICT_KIND = {
    Verdict.DELIVERED: OutcomeKind.DELIVERED,
    Verdict.REJECTED: OutcomeKind.REJECTED,
    Verdict.FAILED: OutcomeKind.FAILED,
    Verdict.RETRY: OutcomeKind.RETRYING,
}


class Pipeline:
    """Runs events through one destination and yields one outcome per event, in order."""

    def __init__(
        self,
        definition: Definition,
        settings: dict[str, Any],
        client: httpx.AsyncClient,
        *,
        clock: Clock | None = None,
        ids: IdSource | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        batch_size: int | None = None,
        dry_run: bool = False,
        on_attempt: AttemptHook | None = None,
        redactor: Redactor | None = None,
        via: str = "",
    ) -> None:
        self.definition = definition
        self.settings = settings
        # Shared with the code that records output, because password fields add to it.
        self.redactor = redactor or Redactor.for_settings(
            definition.settings_schema, settings
        )
        self._clock = clock or SystemClock()
        self._ids = ids or RandomIds()
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._batch_size_override = batch_size
        self._batch_size = batch_size or definition.batch_size or 1
        self._dry_run = dry_run
        self._sender = Sender(
            client,
            self.redactor,
            destination=definition.slug,
            policy=self._policy,
            responses=definition.responses,
            clock=self._clock,
            sleep=sleep,
            on_attempt=on_attempt,
            via=via,
        )
        self._pending: dict[int, _Pending] = {}
        self._done: dict[int, Outcome] = {}
        self._batches: dict[str, _Batch] = {}
        self._next_to_emit = 0

    async def run(self, events: Iterable[RawEvent]) -> AsyncIterator[Outcome]:
        """Yield each event's outcome in input order, holding back at most a few batches."""
        for sequence, raw in enumerate(events):
            await self._process(sequence, raw)
            if sequence - self._next_to_emit > 2 * self._batch_size + 100:
                await self._flush_all()
            for outcome in self._ready():
                yield outcome
        await self._flush_all()
        for outcome in self._ready():
            yield outcome

    async def _process(self, sequence: int, raw: RawEvent) -> None:
        if raw.error is not None:
            self._finish(
                sequence,
                raw.source,
                "unknown",
                _Result(OutcomeKind.REJECTED, raw.error),
            )
            return
        try:
            event = normalize_event(raw.value, self._clock, self._ids)
        except EventError as exc:
            message_id = _message_id(raw)
            kind = raw.value.get("type") if isinstance(raw.value, dict) else None
            problems = "; ".join(str(problem) for problem in exc.problems)
            self._finish(
                sequence,
                message_id,
                str(kind or "unknown"),
                _Result(OutcomeKind.REJECTED, f"invalid event: {problems}"),
            )
            return

        message_id, event_type = event["messageId"], event["type"]
        disabled = disabled_reason(event, self.definition.name)
        if disabled is not None:
            self._finish(
                sequence,
                message_id,
                event_type,
                _Result(OutcomeKind.UNSUPPORTED, disabled),
            )
            return

        dispatched = await self._dispatch(event)
        self.redactor.add(dispatched.secrets)
        if dispatched.kind is not None:
            self._finish(
                sequence,
                message_id,
                event_type,
                _Result(dispatched.kind, dispatched.reason),
            )
            return

        self._pending[sequence] = _Pending(
            message_id, event_type, len(dispatched.parts)
        )
        for part in dispatched.parts:
            if isinstance(part, Request):
                self._record(sequence, await self._send(part, [message_id]))
            else:
                await self._add_to_batch(sequence, part)

    async def _dispatch(self, event: dict[str, Any]) -> Dispatched:
        """Dispatch, calling the handler again after a wait while it raises RetryError."""
        attempt = 1
        while True:
            dispatched = await dispatch(self.definition, event, self.settings)
            if not dispatched.retry:
                return dispatched
            if attempt >= self._policy.max_attempts:
                noun = "call" if attempt == 1 else "calls"
                reason = f"gave up after {attempt} {noun}: {dispatched.reason}"
                return Dispatched(kind=dispatched.kind, reason=reason)
            wait = self._policy.delay(attempt)
            logger.info(
                "%s: on_%s raised RetryError for messageId=%s; calling again in %.2fs",
                self.definition.slug,
                event["type"],
                event["messageId"],
                wait,
            )
            await self._sleep(wait)
            attempt += 1

    async def _send(self, request: Request, message_ids: Sequence[str]) -> _Result:
        shown = self.redactor.data(request.as_dict())
        if self._dry_run:
            return _Result(OutcomeKind.DRY_RUN, requests=(shown,))
        sent = await self._sender.send(request, message_ids)
        kind = _VERDICT_KIND[sent.classification.verdict]
        return _Result(kind, sent.classification.reason, sent.attempts, (shown,))

    async def _add_to_batch(self, sequence: int, item: BatchItem) -> None:
        batch = self._batches.setdefault(item.batch, _Batch())
        if item.key in batch.keys:
            # The same key twice in one request makes partners such as Orb reject
            # the whole request, so the first copy goes out on its own.
            await self._flush(item.batch)
            batch = self._batches.setdefault(item.batch, _Batch())
        batch.items.append((sequence, item))
        batch.keys.add(item.key)
        size = self._size_of(item.batch)
        self._batch_size = max(self._batch_size, size)
        if len(batch.items) >= size:
            await self._flush(item.batch)

    def _size_of(self, batch: str) -> int:
        if self._batch_size_override is not None:
            return self._batch_size_override
        return self.definition.batch_size_for(batch, self.settings)

    async def _flush_all(self) -> None:
        for name in list(self._batches):
            await self._flush(name)

    async def _flush(self, name: str) -> None:
        batch = self._batches.pop(name, None)
        if batch is None or not batch.items:
            return
        payloads = [item.payload for _, item in batch.items]
        request = self.definition.build_batch(name, payloads, self.settings)
        message_ids = [self._pending[seq].message_id for seq, _ in batch.items]
        result = await self._send(request, message_ids)
        per_item = self._per_item_rejections(name, result, batch)
        for index, (sequence, item) in enumerate(batch.items):
            kind, reason = result.kind, result.reason
            if per_item:
                rejection = per_item.get(item.key)
                kind = (
                    OutcomeKind.DELIVERED if rejection is None else OutcomeKind.REJECTED
                )
                reason = rejection or ""
            # The batch request is shown once, with its first event, not once per item.
            shown = result.requests if index == 0 else ()
            self._record(sequence, _Result(kind, reason, result.attempts, shown))

    def _per_item_rejections(
        self, name: str, result: _Result, batch: _Batch
    ) -> dict[str, str]:
        """Ask the definition which items the partner rejected, when it named them."""
        if result.kind is not OutcomeKind.REJECTED or not result.attempts:
            return {}
        last = result.attempts[-1]
        keys = [item.key for _, item in batch.items]
        return self.definition.batch_rejections(name, last.status, last.response, keys)

    def _record(self, sequence: int, result: _Result) -> None:
        pending = self._pending[sequence]
        pending.results.append(result)
        pending.remaining -= 1
        if pending.remaining == 0:
            del self._pending[sequence]
            self._done[sequence] = _combine(
                pending, self.definition.slug, self.redactor
            )

    def _finish(
        self, sequence: int, message_id: str, event_type: str, result: _Result
    ) -> None:
        pending = _Pending(message_id, event_type, 0, [result])
        self._done[sequence] = _combine(pending, self.definition.slug, self.redactor)

    def _ready(self) -> list[Outcome]:
        ready = []
        while self._next_to_emit in self._done:
            ready.append(self._done.pop(self._next_to_emit))
            self._next_to_emit += 1
        return ready


def _combine(pending: _Pending, destination: str, redactor: Redactor) -> Outcome:
    worst = min(pending.results, key=lambda result: _SEVERITY.index(result.kind))
    reasons = [result.reason for result in pending.results if result.reason]
    attempts = tuple(a for result in pending.results for a in result.attempts)
    requests = tuple(r for result in pending.results for r in result.requests)
    return Outcome(
        message_id=pending.message_id,
        event_type=pending.event_type,
        destination=destination,
        kind=worst.kind,
        # A handler may put a secret setting in an exception message.
        reason=redactor.text("; ".join(dict.fromkeys(reasons))),
        attempts=attempts,
        requests=requests,
    )


def _message_id(raw: RawEvent) -> str:
    if isinstance(raw.value, dict) and raw.value.get("messageId"):
        return str(raw.value["messageId"])
    return raw.source
