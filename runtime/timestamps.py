"""Parsing and formatting of the ISO 8601 timestamps Segment events carry."""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = ["format_utc", "is_timestamp", "parse_timestamp"]

# A calendar date, "T" or a space, a time with optional fractional seconds of any
# length, and an optional "Z" or numeric UTC offset. Python's fromisoformat alone
# also takes week dates and bare dates, which Segment does not send as timestamps.
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
    r"(Z|z|[+-]\d{2}(:?\d{2})?)?$"
)


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 date-time into an aware UTC datetime.

    Fractional seconds beyond microseconds are truncated, and a timestamp without
    an offset is read as UTC. Raises ``ValueError`` for anything else.
    """
    if not _TIMESTAMP.match(text):
        raise ValueError(f"{text!r} is not an ISO 8601 date-time")
    parsed = datetime.fromisoformat(_truncate_fraction(text))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def is_timestamp(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parse_timestamp(value)
    except ValueError:
        return False
    return True


def format_utc(moment: datetime) -> str:
    """Format as ``2024-06-01T10:30:05.000Z``: UTC, milliseconds, a trailing Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _truncate_fraction(text: str) -> str:
    """Cut fractional seconds to six digits, the most ``fromisoformat`` keeps."""
    return re.sub(r"\.(\d{6})\d+", r".\1", text.replace("z", "Z"))
