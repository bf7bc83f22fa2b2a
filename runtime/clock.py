"""Sources of time and ids, injected so tests and snapshots are deterministic."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "CountingIds", "FixedClock", "IdSource", "RandomIds", "SystemClock"]


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...


class IdSource(Protocol):
    def new_id(self) -> str:
        """Return an id not returned before by this source."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that does not move until a test moves it with ``advance``."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime, such as one in UTC")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)


class RandomIds:
    def new_id(self) -> str:
        return str(uuid.uuid4())


class CountingIds:
    """Ids ``<prefix>-1``, ``<prefix>-2``, ... for stable snapshots."""

    def __init__(self, prefix: str = "generated") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._counter)}"
