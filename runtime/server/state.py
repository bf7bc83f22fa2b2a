"""The running server: its configuration, event store, targets and workers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from runtime.clock import Clock, IdSource, RandomIds, SystemClock
from runtime.delivery.sender import AttemptHook, Sleep
from runtime.pipeline import Pipeline
from runtime.server.config import DestinationConfig, ServerConfig, SourceConfig
from runtime.server.delivery_worker import DeliveryWorker
from runtime.server.records import AddResult, NewEvent
from runtime.server.store import EventStore
from runtime.targets import Target, open_target
from runtime.timestamps import format_utc

__all__ = ["DEFAULT_DEDUPE_WINDOW", "Connection", "ServerState"]

logger = logging.getLogger("segment_emulator.server")

DEFAULT_DEDUPE_WINDOW = 24 * 60 * 60.0
DEFAULT_DRAIN_TIMEOUT = 10.0


@dataclass
class Connection:
    """One destination while the server runs: its HTTP target and its worker."""

    config: DestinationConfig
    target: Target
    worker: DeliveryWorker

    def new_pipeline(
        self, clock: Clock, ids: IdSource, sleep: Sleep, *, dry_run: bool = False
    ) -> Pipeline:
        return _new_pipeline(self.config, self.target, clock, ids, sleep, dry_run)


class ServerState:
    """Accepts events into the store and runs one delivery worker per destination.

    ``start`` and ``stop`` run on the server's event loop (from its lifespan).
    """

    def __init__(
        self,
        config: ServerConfig,
        store: EventStore,
        *,
        clock: Clock | None = None,
        ids: IdSource | None = None,
        dedupe_window: float = DEFAULT_DEDUPE_WINDOW,
        drain_timeout: float = DEFAULT_DRAIN_TIMEOUT,
        poll_interval: float = 1.0,
    ) -> None:
        self.config = config
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.ids: IdSource = ids or RandomIds()
        self.dedupe_window = dedupe_window
        self._drain_timeout = drain_timeout
        self._poll_interval = poll_interval
        self.connections: dict[str, Connection] = {}

    async def start(self) -> None:
        """Open each destination's target and start its worker."""
        self.store.forget_message_ids(self._now() - self.dedupe_window)
        for destination in self.config.destinations:
            connection = self._connect(destination)
            self.connections[destination.name] = connection
            connection.worker.start()
            logger.info(
                "destination %s (%s) delivers to %s",
                destination.name,
                destination.definition.slug,
                connection.target.description,
            )

    async def stop(self) -> None:
        """Let in-flight deliveries finish, then close the HTTP clients."""
        workers = [
            c.worker.stop(self._drain_timeout) for c in self.connections.values()
        ]
        await asyncio.gather(*workers)
        for connection in self.connections.values():
            await connection.target.client.aclose()
        self.connections.clear()

    def accept(
        self, source: SourceConfig, events: Sequence[NewEvent], received_at: datetime
    ) -> AddResult:
        """Commit events and queue them for the source's destinations."""
        names = [d.name for d in self.config.destinations_for(source.name)]
        result = self.store.add_events(
            source.name,
            events,
            names,
            now=received_at.timestamp(),
            received_at=format_utc(received_at),
            dedupe_window=self.dedupe_window,
        )
        if result.duplicates:
            logger.info(
                "source %s: dropped %d duplicate events", source.name, result.duplicates
            )
        for name in names:
            connection = self.connections.get(name)
            if connection is not None:
                connection.worker.wake()
        return result

    def retry_dead_letters(
        self, *, event_id: int | None = None, destination: str | None = None
    ) -> int:
        """Queue dead-lettered deliveries again and wake the workers."""
        count = self.store.requeue_dead_letters(
            event_id=event_id, destination=destination, now=self._now()
        )
        for connection in self.connections.values():
            connection.worker.wake()
        return count

    def _connect(self, destination: DestinationConfig) -> Connection:
        target = open_target(
            destination.definition,
            destination.settings,
            destination.endpoint,
            clock=self.clock,
        )

        def new_pipeline(sleep: Sleep, on_attempt: AttemptHook) -> Pipeline:
            return _new_pipeline(
                destination, target, self.clock, self.ids, sleep, on_attempt=on_attempt
            )

        worker = DeliveryWorker(
            destination.name,
            self.store,
            new_pipeline,
            self.clock,
            poll_interval=self._poll_interval,
        )
        return Connection(destination, target, worker)

    def _now(self) -> float:
        return self.clock.now().timestamp()


def _new_pipeline(
    destination: DestinationConfig,
    target: Target,
    clock: Clock,
    ids: IdSource,
    sleep: Sleep,
    dry_run: bool = False,
    on_attempt: AttemptHook | None = None,
) -> Pipeline:
    return Pipeline(
        destination.definition,
        target.settings,
        target.client,
        clock=clock,
        ids=ids,
        policy=destination.policy,
        sleep=sleep,
        dry_run=dry_run,
        on_attempt=on_attempt,
        via=target.via,
    )
