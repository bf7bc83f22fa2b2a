"""Validation of one usage event, following Orb's ingestion rules.

The rules come from Orb's ingestion reference (docs.withorb.com, "Ingest
events", as bundled in the ``orb-billing`` 4.90 SDK). An event needs exactly one
of ``customer_id`` and ``external_customer_id``, and a ``customer_id`` must name
an existing customer. Its ``timestamp`` is ISO 8601 and at most 5 minutes in the
future. Its ``properties`` values are strings, numbers or booleans.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from runtime.jsondata import json_type

MAX_FUTURE_SKEW = timedelta(minutes=5)

# Date, time, optional fraction of any length, then Z or a +HH:MM/-HH:MM offset.
# NOTE: a time without an offset is rejected. Orb's reference specifies UTC "with
# no timezone offset" yet shows "...Z" in its examples; how the live API reads a
# time without an offset is unverified.
_TIMESTAMP_RE = re.compile(
    r"(?P<base>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})"
    r"(?:\.(?P<fraction>\d+))?"
    r"(?P<offset>Z|[+-]\d{2}:\d{2})"
)
_TIMESTAMP_EXAMPLE = "2026-12-04T15:46:57.863Z"

CustomerLookup = Callable[[str], bool]


def parse_timestamp(text: str) -> datetime | None:
    """Parse an ISO 8601 date-time with Z or an offset; None when it is invalid.

    Fractions longer than microseconds are truncated to microseconds.
    """
    match = _TIMESTAMP_RE.fullmatch(text)
    if match is None:
        return None

    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    offset = "+00:00" if match["offset"] == "Z" else match["offset"]
    try:
        return datetime.fromisoformat(f"{match['base']}.{fraction}{offset}")
    except ValueError:
        return None


def idempotency_key_of(event: object) -> str:
    """Return the event's idempotency key as text, or "" when it has none."""
    if not isinstance(event, Mapping):
        return ""

    key = event.get("idempotency_key")
    if key is None:
        return ""
    if isinstance(key, str):
        return key
    return json.dumps(key)


def validate_event(
    event: object, *, now: datetime, customer_exists: CustomerLookup
) -> list[str]:
    """Return every rule the event breaks, as messages; empty when it is valid.

    ``customer_exists`` reports whether an Orb customer id is known.
    """
    if not isinstance(event, Mapping):
        return [f"event must be a JSON object, got {json_type(event)}"]

    return [
        *_check_customer(event, customer_exists),
        *_check_text_field(event, "event_name"),
        *_check_text_field(event, "idempotency_key"),
        *_check_timestamp(event, now),
        *_check_properties(event),
    ]


def _check_customer(
    event: Mapping[str, object], customer_exists: CustomerLookup
) -> list[str]:
    customer_id = event.get("customer_id")
    external_id = event.get("external_customer_id")
    if customer_id is None and external_id is None:
        message = (
            "exactly one of customer_id and external_customer_id is required, "
            "but neither was given; set external_customer_id to your customer id"
        )
        return [message]
    if customer_id is not None and external_id is not None:
        message = (
            "exactly one of customer_id and external_customer_id is allowed, "
            "but both were given; remove one of them"
        )
        return [message]

    field = "customer_id" if customer_id is not None else "external_customer_id"
    problems = _check_text_field(event, field)
    if problems or customer_id is None:
        return problems

    if not customer_exists(str(customer_id)):
        message = (
            f"customer_id {customer_id!r} does not match any Orb customer; "
            "use an existing Orb customer id, or send external_customer_id instead"
        )
        return [message]
    return []


def _check_text_field(event: Mapping[str, object], field: str) -> list[str]:
    value = event.get(field)
    if value is None:
        return [f"{field} is missing; send a non-empty string"]
    if not isinstance(value, str):
        return [f"{field} must be a string, got {json_type(value)} {value!r}"]
    if not value.strip():
        return [f"{field} must not be empty; send a non-empty string"]
    return []


def _check_timestamp(event: Mapping[str, object], now: datetime) -> list[str]:
    value = event.get("timestamp")
    if value is None:
        return [
            f"timestamp is missing; send an ISO 8601 time such as {_TIMESTAMP_EXAMPLE}"
        ]
    if not isinstance(value, str):
        return [
            f"timestamp must be an ISO 8601 string, got {json_type(value)} {value!r}"
        ]

    moment = parse_timestamp(value)
    if moment is None:
        message = (
            f"timestamp {value!r} is not an ISO 8601 date-time with Z or a UTC "
            f"offset; send e.g. {_TIMESTAMP_EXAMPLE}"
        )
        return [message]

    # NOTE: Orb also rejects times older than the account's grace period; the
    # sandbox has no grace period and accepts any past time.
    ahead = moment - now
    if ahead > MAX_FUTURE_SKEW:
        message = (
            f"timestamp {value!r} is more than 5 minutes ahead of the server "
            "time; send the time the usage happened"
        )
        return [message]
    return []


def _check_properties(event: Mapping[str, object]) -> list[str]:
    properties = event.get("properties")
    if properties is None:
        return ["properties is missing; send {} when the event has no properties"]
    if not isinstance(properties, Mapping):
        return [f"properties must be a JSON object, got {json_type(properties)}"]

    return [
        message
        for key, value in properties.items()
        if (message := _check_property_value(str(key), value))
    ]


def _check_property_value(key: str, value: object) -> str:
    if isinstance(value, (str, bool, int, float)):
        return ""

    return (
        f"properties.{key} must be a string, number or boolean, got "
        f"{json_type(value)}; leave out null values and flatten objects and "
        "arrays into separate keys or a string"
    )
