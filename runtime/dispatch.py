"""Dispatch: run the definition's handler for an event and read what it returns."""

from __future__ import annotations

import inspect
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runtime.actions import Preset
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
    # Values of the actions' password fields, to be redacted like secret settings.
    secrets: tuple[str, ...] = ()


async def dispatch(
    definition: Definition, event: dict[str, Any], settings: dict[str, Any]
) -> Dispatched:
    """Run the ``on_<type>`` handler and every preset whose subscription matches.

    Outcomes follow Segment Functions: ``EventNotSupported`` is unsupported,
    ``InvalidEventPayload`` and ``ValidationError`` are rejected, ``RetryError``
    requests a retry, and any other exception is a bug in the definition. A
    rejection or failure of any part decides the event's outcome.
    """
    event_type = event["type"]
    results = []
    if definition.handler(event_type) is not None:
        results.append(await _run_handler(definition, event, settings))
    for preset in definition.presets:
        if preset.matches(event):
            results.append(_run_preset(definition, preset, event, settings))
    if not results:
        return Dispatched(
            kind=OutcomeKind.UNSUPPORTED, reason=_unsupported(definition, event_type)
        )

    for result in results:
        if result.kind in (OutcomeKind.REJECTED, OutcomeKind.FAILED):
            return result
    parts = tuple(part for result in results for part in result.parts)
    secrets = tuple(secret for result in results for secret in result.secrets)
    if parts:
        return Dispatched(parts=parts, secrets=secrets)
    return Dispatched(
        kind=OutcomeKind.UNSUPPORTED,
        reason="; ".join(result.reason for result in results if result.reason),
    )


def _unsupported(definition: Definition, event_type: str) -> str:
    reason = f"{definition.slug} does not handle {event_type} events"
    if definition.presets:
        reason += " and no preset subscription matches"
    return reason


async def _run_handler(
    definition: Definition, event: dict[str, Any], settings: dict[str, Any]
) -> Dispatched:
    """Call the handler, awaiting it when it is ``async def`` as in Segment Functions."""
    event_type = event["type"]
    try:
        result = definition.handler(event_type)(event, settings)
        if inspect.isawaitable(result):
            result = await result
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


def _run_preset(
    definition: Definition,
    preset: Preset,
    event: dict[str, Any],
    settings: dict[str, Any],
) -> Dispatched:
    try:
        part, secrets = preset.run(event, settings)
    except (InvalidEventPayload, ValidationError) as exc:
        return Dispatched(kind=OutcomeKind.REJECTED, reason=str(exc))
    return Dispatched(parts=(part,), secrets=secrets)


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
    report = f"bug in destination {definition.slug}: {type(exc).__name__}: {exc}"
    if own:
        frame = own[-1]
        return f"{report} at {frame.filename}:{frame.lineno} in {frame.name}"
    if isinstance(exc, TypeError):
        # No frame of the definition ran, so the call itself failed.
        return f"{report}; handlers take (event, settings)"
    return report
