"""The event tester: a pasted event through one destination as a dry run.

Like Segment's event tester, it shows the request the destination would send,
or why it would send none. Nothing is stored and nothing is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from runtime.inputs import expand_body
from runtime.outcomes import Outcome
from runtime.pipeline import RawEvent
from runtime.server.enrichment import enrich_event
from runtime.server.state import Connection, ServerState

__all__ = ["TesterResult", "dry_run_event"]


@dataclass(frozen=True)
class TesterResult:
    """The outcome of each event in the pasted text, or why it could not be read."""

    error: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


async def dry_run_event(
    state: ServerState, connection: Connection, text: str
) -> TesterResult:
    """Enrich the event (or batch) in ``text`` and map it without sending."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return TesterResult(
            error=f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; "
            "paste one event object or a batch body"
        )
    received_at = state.clock.now()
    events = []
    for raw in expand_body(value, "test event"):
        if isinstance(raw.value, Mapping):
            enriched = enrich_event(raw.value, received_at=received_at, ids=state.ids)
            raw = RawEvent(raw.source, enriched)
        events.append(raw)
    pipeline = connection.new_pipeline(state.clock, state.ids, _no_wait, dry_run=True)
    outcomes = [outcome async for outcome in pipeline.run(events)]
    return TesterResult(outcomes=outcomes, events=[raw.value for raw in events])


async def _no_wait(seconds: float) -> None:
    """Skip the wait, so a handler that raises RetryError is called again at once."""
