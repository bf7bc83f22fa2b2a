"""segment-emulator's runtime: the public API for destination definitions and faces."""

from runtime.clock import (
    Clock,
    CountingIds,
    FixedClock,
    IdSource,
    RandomIds,
    SystemClock,
)
from runtime.definitions import Definition, load_definition
from runtime.errors import (
    DefinitionError,
    DeliveryError,
    EventError,
    EventNotSupported,
    InvalidEventPayload,
    MappingError,
    Problem,
    RetryError,
    SegmentEmulatorError,
    SettingsError,
    ValidationError,
)
from runtime.jsondata import json_type
from runtime.outcomes import Attempt, Outcome, OutcomeKind
from runtime.paths import MISSING_VALUE, read_path
from runtime.pipeline import Pipeline, RawEvent
from runtime.registry import Registry
from runtime.requests import BatchItem, Request, Response
from runtime.settings import Redactor, validate_settings

__all__ = [
    "MISSING_VALUE",
    "Attempt",
    "BatchItem",
    "Clock",
    "CountingIds",
    "Definition",
    "DefinitionError",
    "DeliveryError",
    "EventError",
    "EventNotSupported",
    "FixedClock",
    "IdSource",
    "InvalidEventPayload",
    "MappingError",
    "Outcome",
    "OutcomeKind",
    "Pipeline",
    "Problem",
    "RandomIds",
    "RawEvent",
    "Redactor",
    "Registry",
    "Request",
    "Response",
    "RetryError",
    "SegmentEmulatorError",
    "SettingsError",
    "SystemClock",
    "ValidationError",
    "json_type",
    "load_definition",
    "read_path",
    "validate_settings",
]
