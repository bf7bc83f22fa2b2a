"""The delivery worker: one per destination, draining its queue in arrival order.

The worker reads up to ``chunk_size`` queued events from the store, runs them
through a fresh ``Pipeline`` (which batches, sends and retries), and stores
each outcome with its attempts. Outcomes are committed in groups, and always
before a retry wait, so a killed server re-sends at most the events whose
outcome it had not yet committed. Destinations deduplicate those re-sends (Orb
by idempotency key).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable, Iterator, Sequence
from contextlib import aclosing, suppress
from dataclasses import dataclass, field
from typing import cast

from runtime.clock import Clock
from runtime.delivery.sender import AttemptHook, Sleep
from runtime.errors import SegmentEmulatorError
from runtime.outcomes import Attempt, Outcome, OutcomeKind
from runtime.pipeline import Pipeline, RawEvent
from runtime.server.records import AttemptRows, QueuedEvent
from runtime.server.store import EventStore

__all__ = ["DeliveryWorker", "PipelineFactory"]

logger = logging.getLogger("segment_emulator.server.delivery")

# Builds a pipeline that waits between tries with the given sleep function and
# reports each try to the given hook.
PipelineFactory = Callable[[Sleep, AttemptHook], Pipeline]

CHUNK_SIZE = 500
COMMIT_EVERY = 100
# A failure that repeats every poll is logged once, then every this many times.
LOG_EVERY_FAILURES = 60


class _Stopping(SegmentEmulatorError):
    """Raised from a retry wait when the server stops, to leave the pipeline."""


@dataclass
class _Chunk:
    """Events handed to one pipeline run, and how far the pipeline got."""

    events: list[QueuedEvent]
    stopping: asyncio.Event
    pulled: int = 0
    emitted: int = 0
    outcomes: list[tuple[int, Outcome]] = field(default_factory=list)
    attempt_rows: AttemptRows = field(default_factory=dict)
    last_failure: str = ""

    def note_failure(self, attempt: Attempt) -> None:
        if attempt.error or (attempt.status or 0) >= 300:
            self.last_failure = attempt.error or f"HTTP {attempt.status}"

    def event_ids_of(self, message_ids: Sequence[str]) -> list[int]:
        requested = set(message_ids)
        return [
            queued.event_id for queued in self.events if queued.message_id in requested
        ]

    def raw_events(self) -> Iterator[RawEvent]:
        """Yield the events, ending early once the server stops."""
        for queued in self.events:
            if self.stopping.is_set():
                return
            self.pulled += 1
            yield RawEvent(f"messageId {queued.message_id}", queued.event)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append((self.events[self.emitted].event_id, outcome))
        self.emitted += 1

    def in_flight(self) -> list[int]:
        """Events the pipeline has read but not finished: being sent or batched."""
        return [queued.event_id for queued in self.events[self.emitted : self.pulled]]


class DeliveryWorker:
    """Delivers one destination's queued events until ``stop`` is called."""

    def __init__(
        self,
        destination: str,
        store: EventStore,
        new_pipeline: PipelineFactory,
        clock: Clock,
        *,
        chunk_size: int = CHUNK_SIZE,
        poll_interval: float = 1.0,
    ) -> None:
        self.destination = destination
        self._store = store
        self._new_pipeline = new_pipeline
        self._clock = clock
        self._chunk_size = chunk_size
        self._poll_interval = poll_interval
        self._wakeup = asyncio.Event()
        self._stop_requested = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(
            self._run(), name=f"deliver to {self.destination}"
        )

    def wake(self) -> None:
        """Look at the queue now rather than at the next poll."""
        self._wakeup.set()

    async def stop(self, timeout: float) -> None:
        """Finish the requests in flight, then stop; cancel after ``timeout`` s.

        A retry wait ends at once, and its events stay queued for the next start.
        """
        self._stop_requested.set()
        self._wakeup.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._task, timeout)
        except TimeoutError:
            logger.warning(
                "%s: deliveries still running after %.1fs; cancelled them, and "
                "their events stay queued for the next start",
                self.destination,
                timeout,
            )

    async def _run(self) -> None:
        logger.info("%s: delivery worker started", self.destination)
        failures = 0
        while not self._stop_requested.is_set():
            self._wakeup.clear()
            try:
                delivered = await self._deliver_queued()
                failures = 0
            except Exception:  # a bug or a database error must not stop delivery
                failures += 1
                delivered = False
                if failures == 1 or failures % LOG_EVERY_FAILURES == 0:
                    logger.exception(
                        "%s: delivery failed %d times in a row; trying again",
                        self.destination,
                        failures,
                    )
            if delivered:
                continue
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self._poll_interval)
        logger.info("%s: delivery worker stopped", self.destination)

    async def _deliver_queued(self) -> bool:
        """Deliver the next chunk; return False when nothing was queued."""
        queued = self._store.queued(self.destination, self._chunk_size)
        if not queued:
            return False
        await self._deliver(_Chunk(queued, self._stop_requested))
        return True

    async def _deliver(self, chunk: _Chunk) -> None:
        async def wait_then_retry(seconds: float) -> None:
            self._commit(chunk)
            now = self._clock.now().timestamp()
            reason = f"retrying in {seconds:.1f}s after: {chunk.last_failure}"
            self._store.mark_retrying(self.destination, chunk.in_flight(), now, reason)
            await self._retry_wait(seconds)

        def store_attempt(attempt: Attempt, message_ids: Sequence[str]) -> None:
            chunk.note_failure(attempt)
            now = self._clock.now().timestamp()
            event_ids = chunk.event_ids_of(message_ids)
            self._store.record_attempt(
                self.destination, attempt, event_ids, now, chunk.attempt_rows
            )

        pipeline = self._new_pipeline(wait_then_retry, store_attempt)
        try:
            # Pipeline.run is an async generator, typed as an AsyncIterator.
            run = cast(AsyncGenerator[Outcome, None], pipeline.run(chunk.raw_events()))
            async with aclosing(run) as outcomes:
                async for outcome in outcomes:
                    chunk.add(outcome)
                    if len(chunk.outcomes) >= COMMIT_EVERY:
                        self._commit(chunk)
        except _Stopping:
            logger.info(
                "%s: stopped while waiting to retry; %d events stay queued",
                self.destination,
                len(chunk.in_flight()),
            )
        finally:
            self._commit(chunk)

    async def _retry_wait(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop_requested.wait(), seconds)
        except TimeoutError:
            return
        raise _Stopping(f"{self.destination}: the server is stopping")

    def _commit(self, chunk: _Chunk) -> None:
        if not chunk.outcomes:
            return
        now = self._clock.now().timestamp()
        self._store.record_outcomes(
            self.destination, chunk.outcomes, now, chunk.attempt_rows
        )
        for _, outcome in chunk.outcomes:
            if outcome.kind in (OutcomeKind.FAILED, OutcomeKind.RETRYING):
                logger.warning(
                    "%s: dead-lettered messageId=%s after %d attempts: %s",
                    self.destination,
                    outcome.message_id,
                    len(outcome.attempts),
                    outcome.reason,
                )
        chunk.outcomes.clear()
