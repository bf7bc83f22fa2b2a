"""Dispatch: run the definition's handler for an event and read what it returns."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runtime.definitions import Definition
from runtime.errors import (
    EventNotSupported,
    InvalidEventPayload,
    RetryError,
    ValidationError,
)
from runtime.outcomes import OutcomeKind
from runtime.requests import BatchItem, Request

__all__ = ["Dispatched", "Part", "dispatch"]

Part = Request | BatchItem


@dataclass(frozen=True)
class Dispatched:
    """The parts an event mapped to, or the outcome that ended it at this step."""

    parts: tuple[Part, ...] = ()
    kind: OutcomeKind | None = None
    reason: str = ""
    retry: bool = False


def dispatch(
    definition: Definition, event: dict[str, Any], settings: dict[str, Any]
) -> Dispatched:
    """Call ``on_<type>(event, settings)`` and turn its result or error into data.

    Outcomes follow Segment Functions: ``EventNotSupported`` is unsupported,
    ``InvalidEventPayload`` and ``ValidationError`` are rejected, ``RetryError``
    asks for a retry, and any other exception is a bug in the definition.
    """
    event_type = event["type"]
    handler = definition.handler(event_type)
    if handler is None:
        return Dispatched(
            kind=OutcomeKind.UNSUPPORTED,
            reason=f"{definition.slug} does not handle {event_type} events",
        )
    try:
        result = handler(event, settings)
    except EventNotSupported as exc:
        reason = str(exc) or f"{event_type} event not supported"
        return Dispatched(kind=OutcomeKind.UNSUPPORTED, reason=reason)
    except (InvalidEventPayload, ValidationError) as exc:
        return Dispatched(kind=OutcomeKind.REJECTED, reason=str(exc))
    except RetryError as exc:
        return Dispatched(kind=OutcomeKind.FAILED, reason=str(exc), retry=True)
    except Exception as exc:  # noqa: BLE001 (a bug in a definition must not stop the run)
        return Dispatched(kind=OutcomeKind.FAILED, reason=_bug_report(definition, exc))
    return _read_result(definition, event_type, result)


def _read_result(definition: Definition, event_type: str, result: object) -> Dispatched:
    candidates = list(result) if isinstance(result, list | tuple) else [result]
    parts = [part for part in candidates if isinstance(part, Request | BatchItem)]
    wrong = [part for part in candidates if not isinstance(part, Request | BatchItem)]
    if wrong or not parts:
        shown = type(wrong[0]).__name__ if wrong else "nothing"
        reason = (
            f"bug in destination {definition.slug}: on_{event_type} returned {shown}; "
            "return a Request or BatchItem (or a list of them), or raise "
            "EventNotSupported"
        )
        return Dispatched(kind=OutcomeKind.FAILED, reason=reason)
    batched = [part for part in parts if isinstance(part, BatchItem)]
    if batched and definition.batch_size is None:
        reason = (
            f"bug in destination {definition.slug}: on_{event_type} returned a "
            "BatchItem but destination.json declares no batching; add batching"
        )
        return Dispatched(kind=OutcomeKind.FAILED, reason=reason)
    return Dispatched(parts=tuple(parts))


def _bug_report(definition: Definition, exc: Exception) -> str:
    """Describe an unexpected exception with the line of the definition that raised it."""
    folder = definition.source.parent.resolve()
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if Path(f.filename).resolve().is_relative_to(folder)]
    frame = (own or frames)[-1] if frames else None
    where = f" at {frame.filename}:{frame.lineno} in {frame.name}" if frame else ""
    return f"bug in destination {definition.slug}: {type(exc).__name__}: {exc}{where}"
