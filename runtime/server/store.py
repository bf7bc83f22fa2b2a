"""The SQLite event store: acknowledged events, the delivery queue and attempts.

The database runs in WAL mode with ``synchronous=FULL``, so a committed event
survives a killed process (and a power cut). One ``EventStore`` belongs to one
event loop: every call is a short synchronous transaction that never awaits, so
calls from the loop never interleave. Other processes (``segment-emulator
retry``) may open the same file at the same time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from runtime.errors import ConfigError, Problem
from runtime.outcomes import Attempt, Outcome
from runtime.server.records import (
    QUEUED_STATES,
    STATE_BY_KIND,
    AddResult,
    AttemptRows,
    DeliveryState,
    NewEvent,
    QueuedEvent,
    StoredAttempt,
    StoredDelivery,
    StoredEvent,
)
from runtime.server.schema import prepare_database

__all__ = ["EventStore"]


class EventStore:
    """The event store on one SQLite file; see the module docstring for threading."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> EventStore:
        """Open (or, when ``create``, create) the database at ``path``.

        Raises ``ConfigError`` when the file cannot be opened or belongs to a
        newer schema.
        """
        mode = "rwc" if create else "rw"
        fix = (
            "check the path"
            if create
            else "check the path; serve creates the file when it first starts"
        )
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode={mode}",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            problem = Problem(str(path), f"cannot open the database ({exc}); {fix}")
            raise ConfigError("cannot open the event store", [problem]) from None
        try:
            prepare_database(connection, path)
        except sqlite3.Error as exc:
            connection.close()
            problem = Problem(str(path), f"not a usable database ({exc}); {fix}")
            raise ConfigError("cannot open the event store", [problem]) from None
        except BaseException:
            connection.close()
            raise
        return cls(connection, path)

    def close(self) -> None:
        self._db.close()

    def add_events(
        self,
        source: str,
        events: Sequence[NewEvent],
        destinations: Sequence[str],
        *,
        now: float,
        received_at: str,
        dedupe_window: float,
    ) -> AddResult:
        """Store events and queue them for ``destinations`` in one transaction.

        An event whose ``messageId`` this source sent within ``dedupe_window``
        seconds is counted as a duplicate and not stored.
        """
        stored = duplicates = 0
        with self._transaction():
            for new in events:
                if new.dedupe and self._seen(
                    source, new.message_id, now, dedupe_window
                ):
                    self._db.execute(
                        "INSERT INTO duplicates (source, message_id, received_epoch)"
                        " VALUES (?, ?, ?)",
                        (source, new.message_id, now),
                    )
                    duplicates += 1
                    continue
                self._insert(source, new, destinations, now, received_at)
                stored += 1
        return AddResult(stored, duplicates)

    def queued(self, destination: str, limit: int) -> list[QueuedEvent]:
        """Return the oldest events waiting for ``destination``, in arrival order."""
        rows = self._db.execute(
            "SELECT e.id, e.message_id, e.event FROM deliveries d"
            " JOIN events e ON e.id = d.event_id"
            " WHERE d.destination = ? AND d.state IN (?, ?)"
            " ORDER BY d.event_id LIMIT ?",
            (destination, *QUEUED_STATES, limit),
        ).fetchall()
        return [QueuedEvent(row[0], row[1], json.loads(row[2])) for row in rows]

    def mark_retrying(
        self, destination: str, event_ids: Iterable[int], now: float, reason: str = ""
    ) -> None:
        """Mark queued deliveries as retrying, with the last failure as the reason."""
        with self._transaction():
            self._db.executemany(
                "UPDATE deliveries SET state = ?, updated_epoch = ?, reason = ?"
                " WHERE event_id = ? AND destination = ? AND state IN (?, ?)",
                [
                    (
                        DeliveryState.RETRYING,
                        now,
                        reason,
                        event_id,
                        destination,
                        DeliveryState.PENDING,
                        DeliveryState.RETRYING,
                    )
                    for event_id in event_ids
                ],
            )

    def record_outcomes(
        self,
        destination: str,
        outcomes: Sequence[tuple[int, Outcome]],
        now: float,
        attempt_rows: AttemptRows | None = None,
    ) -> None:
        """Store each event's final outcome and its attempts in one transaction.

        Items of one batched request share their ``Attempt`` objects, so each
        attempt is stored once and linked to every event it carried. Pass the
        same ``attempt_rows`` to calls whose outcomes may share attempts.
        """
        attempt_rows = {} if attempt_rows is None else attempt_rows
        with self._transaction():
            for event_id, outcome in outcomes:
                self._db.execute(
                    "UPDATE deliveries SET state = ?, reason = ?, updated_epoch = ?"
                    " WHERE event_id = ? AND destination = ?",
                    (
                        STATE_BY_KIND[outcome.kind],
                        outcome.reason,
                        now,
                        event_id,
                        destination,
                    ),
                )
                for attempt in outcome.attempts:
                    known = attempt_rows.get(id(attempt))
                    if known is None:
                        row = self._insert_attempt(destination, attempt, now)
                        attempt_rows[id(attempt)] = (attempt, row)
                    else:
                        row = known[1]
                    self._db.execute(
                        "INSERT OR IGNORE INTO delivery_attempts"
                        " (event_id, destination, attempt_id) VALUES (?, ?, ?)",
                        (event_id, destination, row),
                    )

    def record_attempt(
        self,
        destination: str,
        attempt: Attempt,
        event_ids: Iterable[int],
        now: float,
        attempt_rows: AttemptRows,
    ) -> None:
        """Store one try as it happens, so the page shows it before the outcome.

        ``record_outcomes`` with the same ``attempt_rows`` then links, not copies, it.
        """
        with self._transaction():
            row = self._insert_attempt(destination, attempt, now)
            attempt_rows[id(attempt)] = (attempt, row)
            self._db.executemany(
                "INSERT OR IGNORE INTO delivery_attempts"
                " (event_id, destination, attempt_id) VALUES (?, ?, ?)",
                [(event_id, destination, row) for event_id in event_ids],
            )

    def requeue_dead_letters(
        self,
        *,
        message_id: str | None = None,
        event_id: int | None = None,
        destination: str | None = None,
        now: float,
    ) -> int:
        """Queue dead-lettered deliveries again; return how many were queued.

        With no filter every dead-lettered delivery is queued.
        """
        query = (
            "UPDATE deliveries SET state = ?, reason = '', updated_epoch = ?"
            " WHERE state = ?"
        )
        params: list[Any] = [DeliveryState.PENDING, now, DeliveryState.DEAD_LETTERED]
        if destination is not None:
            query += " AND destination = ?"
            params.append(destination)
        if message_id is not None:
            query += " AND event_id IN (SELECT id FROM events WHERE message_id = ?)"
            params.append(message_id)
        if event_id is not None:
            query += " AND event_id = ?"
            params.append(event_id)
        with self._transaction():
            cursor = self._db.execute(query, params)
        return cursor.rowcount

    def destination_names(self) -> list[str]:
        """Names of every destination that has deliveries in the store."""
        rows = self._db.execute(
            "SELECT DISTINCT destination FROM deliveries ORDER BY destination"
        )
        return [str(row[0]) for row in rows]

    def forget_message_ids(self, before: float) -> None:
        """Drop dedupe records older than ``before``; they can no longer match."""
        with self._transaction():
            self._db.execute(
                "DELETE FROM message_ids WHERE received_epoch < ?", (before,)
            )

    def source_counts(self, since: float) -> dict[str, dict[str, int]]:
        """Count each source's received, rejected and duplicate events since then."""
        counts: dict[str, dict[str, int]] = {}
        rows = self._db.execute(
            "SELECT source, status, COUNT(*) FROM events WHERE received_epoch >= ?"
            " GROUP BY source, status",
            (since,),
        )
        for source, status, count in rows:
            entry = counts.setdefault(source, {})
            entry[status] = count
        rows = self._db.execute(
            "SELECT source, COUNT(*) FROM duplicates WHERE received_epoch >= ?"
            " GROUP BY source",
            (since,),
        )
        for source, count in rows:
            counts.setdefault(source, {})["duplicate"] = count
        return counts

    def destination_counts(self, since: float) -> dict[str, dict[str, int]]:
        """Count deliveries by destination and state, for events received since then."""
        counts: dict[str, dict[str, int]] = {}
        rows = self._db.execute(
            "SELECT d.destination, d.state, COUNT(*) FROM deliveries d"
            " JOIN events e ON e.id = d.event_id WHERE e.received_epoch >= ?"
            " GROUP BY d.destination, d.state",
            (since,),
        )
        for destination, state, count in rows:
            counts.setdefault(destination, {})[state] = count
        return counts

    def recent_events(self, limit: int) -> list[StoredEvent]:
        """Return the newest events, newest first, with their delivery states."""
        rows = self._db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [self._with_deliveries(_event_from_row(row), False) for row in rows]

    def event(self, event_id: int) -> StoredEvent | None:
        """Return one event with every delivery and attempt, or None."""
        row = self._db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)
        ).fetchone()
        if row is None:
            return None
        return self._with_deliveries(_event_from_row(row), True)

    def events_by_message_id(self, message_id: str) -> list[StoredEvent]:
        rows = self._db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE message_id = ? ORDER BY id",
            (message_id,),
        ).fetchall()
        return [self._with_deliveries(_event_from_row(row), True) for row in rows]

    def _seen(self, source: str, message_id: str, now: float, window: float) -> bool:
        row = self._db.execute(
            "SELECT received_epoch FROM message_ids WHERE source = ? AND message_id = ?",
            (source, message_id),
        ).fetchone()
        if row is not None and now - row[0] < window:
            return True
        self._db.execute(
            "INSERT OR REPLACE INTO message_ids (source, message_id, received_epoch)"
            " VALUES (?, ?, ?)",
            (source, message_id, now),
        )
        return False

    def _insert(
        self,
        source: str,
        new: NewEvent,
        destinations: Sequence[str],
        now: float,
        received_at: str,
    ) -> None:
        status = "accepted" if new.event is not None else "rejected"
        cursor = self._db.execute(
            "INSERT INTO events (message_id, source, type, received_at,"
            " received_epoch, raw, event, status, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.message_id,
                source,
                new.event_type,
                received_at,
                now,
                json.dumps(new.raw),
                None if new.event is None else json.dumps(new.event),
                status,
                new.reason,
            ),
        )
        if new.event is None:
            return
        self._db.executemany(
            "INSERT INTO deliveries (event_id, destination, state, updated_epoch)"
            " VALUES (?, ?, ?, ?)",
            [
                (cursor.lastrowid, name, DeliveryState.PENDING, now)
                for name in destinations
            ],
        )

    def _insert_attempt(self, destination: str, attempt: Attempt, now: float) -> int:
        cursor = self._db.execute(
            "INSERT INTO attempts (destination, request, status, response,"
            " duration_ms, error, recorded_epoch) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                destination,
                json.dumps(attempt.request),
                attempt.status,
                json.dumps(attempt.response),
                attempt.duration_ms,
                attempt.error,
                now,
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _with_deliveries(self, event: StoredEvent, attempts: bool) -> StoredEvent:
        rows = self._db.execute(
            "SELECT destination, state, reason, updated_epoch FROM deliveries"
            " WHERE event_id = ? ORDER BY destination",
            (event.event_id,),
        ).fetchall()
        deliveries = []
        for destination, state, reason, updated in rows:
            found = self._attempts(event.event_id, destination) if attempts else ()
            deliveries.append(
                StoredDelivery(destination, state, reason, updated, found)
            )
        return replace(event, deliveries=tuple(deliveries))

    def _attempts(self, event_id: int, destination: str) -> tuple[StoredAttempt, ...]:
        rows = self._db.execute(
            "SELECT a.request, a.status, a.response, a.duration_ms, a.error,"
            " a.recorded_epoch FROM delivery_attempts l"
            " JOIN attempts a ON a.id = l.attempt_id"
            " WHERE l.event_id = ? AND l.destination = ? ORDER BY a.id",
            (event_id, destination),
        ).fetchall()
        return tuple(
            StoredAttempt(
                json.loads(request), status, json.loads(response), duration, error, at
            )
            for request, status, response, duration, error, at in rows
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back when the block raises."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


_EVENT_COLUMNS = "id, message_id, source, type, received_at, raw, event, status, reason"


def _event_from_row(row: Sequence[Any]) -> StoredEvent:
    (
        event_id,
        message_id,
        source,
        event_type,
        received_at,
        raw,
        event,
        status,
        reason,
    ) = row
    return StoredEvent(
        event_id=event_id,
        message_id=message_id,
        source=source,
        event_type=event_type,
        received_at=received_at,
        raw=json.loads(raw),
        event=None if event is None else json.loads(event),
        status=status,
        reason=reason,
    )
