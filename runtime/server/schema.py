"""The event store's SQLite schema and connection settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from runtime.errors import ConfigError, Problem

__all__ = ["SCHEMA_VERSION", "prepare_database"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    source TEXT NOT NULL,
    type TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received_epoch REAL NOT NULL,
    raw TEXT NOT NULL,
    event TEXT,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS events_by_message_id ON events (message_id);
CREATE INDEX IF NOT EXISTS events_by_time ON events (received_epoch);
CREATE TABLE IF NOT EXISTS deliveries (
    event_id INTEGER NOT NULL REFERENCES events (id),
    destination TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    updated_epoch REAL NOT NULL,
    PRIMARY KEY (event_id, destination)
);
CREATE INDEX IF NOT EXISTS deliveries_queue
    ON deliveries (destination, state, event_id);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    destination TEXT NOT NULL,
    request TEXT NOT NULL,
    status INTEGER,
    response TEXT,
    duration_ms REAL NOT NULL,
    error TEXT,
    recorded_epoch REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS delivery_attempts (
    event_id INTEGER NOT NULL,
    destination TEXT NOT NULL,
    attempt_id INTEGER NOT NULL REFERENCES attempts (id),
    PRIMARY KEY (event_id, destination, attempt_id)
);
CREATE TABLE IF NOT EXISTS message_ids (
    source TEXT NOT NULL,
    message_id TEXT NOT NULL,
    received_epoch REAL NOT NULL,
    PRIMARY KEY (source, message_id)
);
CREATE TABLE IF NOT EXISTS duplicates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    message_id TEXT NOT NULL,
    received_epoch REAL NOT NULL
);
"""


def prepare_database(connection: sqlite3.Connection, path: Path) -> None:
    """Check the schema version, turn on WAL and full sync, and create the tables.

    Raises ``ConfigError`` for a database written by a newer schema.
    """
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        problem = Problem(
            str(path),
            f"schema version {version} is newer than this segment-emulator's "
            f"{SCHEMA_VERSION}; upgrade segment-emulator or use another --database",
        )
        raise ConfigError("cannot open the event store", [problem])
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA busy_timeout = 5000")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.executescript(_SCHEMA)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
