"""Fixtures for the server tests: an event store file and the destination registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from runtime.server.store import EventStore


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "events.sqlite3"


@pytest.fixture
def store(database: Path) -> Iterator[EventStore]:
    opened = EventStore.open(database)
    yield opened
    opened.close()


@pytest.fixture
def reader(database: Path, store: EventStore) -> Iterator[EventStore]:
    """A second connection to the store, for tests that read it from another thread."""
    opened = EventStore.open(database)
    yield opened
    opened.close()
