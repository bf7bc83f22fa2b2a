"""Errors raised by the runtime and by destination definitions.

Every error derives from ``SegmentEmulatorError``. The phase an error belongs to
decides the outcome recorded for the event that raised it::

    SegmentEmulatorError
    ├── DefinitionError        a destination definition is broken; it is not loaded
    ├── SettingsError          destination settings are invalid; nothing is sent
    ├── ConfigError            the server's configuration or event store is
    │                          unusable; the server does not start
    ├── InputError             an events file cannot be read; the run stops
    ├── EventError             a Segment event is invalid; the event is rejected
    ├── MappingError           a mapping or subscription is invalid; the definition
    │                          is not loaded, or the event is rejected
    ├── DeliveryError          the partner API could not be reached; retried
    │   └── InvalidRequest     the request cannot be sent (bad URL); failed
    └── FunctionError          raised by mapping functions, as in Segment Functions
        ├── EventNotSupported      the event is dropped as unsupported
        ├── InvalidEventPayload    the event is rejected and never retried
        ├── ValidationError        the event is rejected and never retried
        └── RetryError             the event is retried
"""

from __future__ import annotations

from dataclasses import dataclass


class SegmentEmulatorError(Exception):
    """Root of every error raised on purpose by segment-emulator."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file or value: where it is, the rule, and the fix."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ProblemsError(SegmentEmulatorError):
    """An error that carries every problem found at once, one per line."""

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        self.summary = summary
        self.problems = problems
        lines = [summary, *(f"  {problem}" for problem in problems)]
        super().__init__("\n".join(lines))


class DefinitionError(ProblemsError):
    """Raised when a destination definition is missing, malformed or invalid."""


class SettingsError(ProblemsError):
    """Raised when destination settings break the destination's settings schema."""


class ConfigError(ProblemsError):
    """Raised when the server's configuration file, event store or address is unusable."""


class InputError(SegmentEmulatorError):
    """Raised when an events file is missing, unreadable, or not valid gzip or UTF-8."""


class EventError(ProblemsError):
    """Raised when a Segment event breaks the Segment Spec schema."""


class MappingError(SegmentEmulatorError):
    """Raised when a mapping or a subscription query is invalid.

    ``pointer`` is the JSON pointer of the offending value inside the mapping and
    ``directive`` the mapping-kit directive involved, when there is one.
    """

    def __init__(self, message: str, pointer: str = "", directive: str = "") -> None:
        self.pointer = pointer
        self.directive = directive
        where = pointer or "/"
        prefix = f"{where} ({directive})" if directive else where
        super().__init__(f"{prefix}: {message}")


class DeliveryError(SegmentEmulatorError):
    """Raised when a request could not reach the partner API (timeout, connection)."""


class InvalidRequest(DeliveryError):
    """Raised when a request cannot be sent at all, such as for a URL without http(s).

    The event fails without retries, because sending again cannot help.
    """


class FunctionError(SegmentEmulatorError):
    """Base of the errors a mapping function raises to choose its event's outcome."""


class EventNotSupported(FunctionError):
    """Raised by a handler for an event the destination does not take."""


class InvalidEventPayload(FunctionError):
    """Raised by a handler for an event whose content cannot be mapped."""


class ValidationError(FunctionError):
    """Raised by a handler when a mapped value breaks the partner's rules."""


class RetryError(FunctionError):
    """Raised by a handler when the event should be tried again later."""
