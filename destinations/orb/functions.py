"""Orb mapping functions: Segment events to Orb usage events and customer updates.

Orb takes usage events at ``POST /ingest`` (batched here) and customer metadata at
``PUT /customers/external_customer_id/{id}``. Every function is pure: it returns
the request, and the runtime sends it.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import quote

from runtime import (
    MISSING_VALUE,
    BatchItem,
    EventNotSupported,
    InvalidEventPayload,
    Request,
    json_type,
    read_path,
)

INGEST_BATCH = "ingest"
ENGAGE_CLASSES = ("audience", "trait")


def on_track(event: dict[str, Any], settings: dict[str, Any]) -> BatchItem:
    key = _required_text(event, settings, "idempotencyKeyField")
    usage_event = {
        "event_name": _required_text(event, settings, "eventNameField"),
        "idempotency_key": key,
        "external_customer_id": _required_text(
            event, settings, "externalCustomerIdField"
        ),
        "timestamp": event["timestamp"],
        "properties": _mapped_properties(event, settings["propertiesMapping"]),
    }
    return BatchItem(batch=INGEST_BATCH, key=key, payload=usage_event)


def on_identify(event: dict[str, Any], settings: dict[str, Any]) -> Request:
    personas = read_path(event, "context.personas")
    if not isinstance(personas, dict):
        raise EventNotSupported(
            "identify without context.personas is not an Engage computation; "
            "Orb takes only Engage audience and computed-trait identify calls"
        )
    computation_class = personas.get("computation_class")
    if computation_class not in ENGAGE_CLASSES:
        raise EventNotSupported(
            f"Engage computation_class {computation_class!r} is not supported; "
            "Orb takes audience and trait computations"
        )
    computation_key = personas.get("computation_key")
    if not isinstance(computation_key, str) or not computation_key:
        raise InvalidEventPayload(
            "context.personas.computation_key is missing; Engage identify calls "
            "name the audience or trait there"
        )

    customer_id = _required_text(event, settings, "externalCustomerIdField")
    value = read_path(event, f"traits.{computation_key}")
    if value is MISSING_VALUE:
        value = read_path(event, f"context.traits.{computation_key}")
    metadata = {computation_key: _metadata_value(value)}
    return Request(
        method="PUT",
        url=f"{settings['endpoint']}/customers/external_customer_id/"
        f"{quote(customer_id, safe='')}",
        headers=_headers(settings),
        json={"metadata": metadata},
    )


def on_batch(batch: str, payloads: list[Any], settings: dict[str, Any]) -> Request:
    return Request(
        method="POST",
        url=f"{settings['endpoint']}/ingest",
        headers=_headers(settings),
        json={"events": payloads},
    )


def on_batch_result(
    batch: str, status: int | None, body: Any, keys: list[str]
) -> dict[str, str]:
    """Map Orb's ``validation_failed`` list back to the rejected idempotency keys."""
    if status != 400 or not isinstance(body, dict):
        return {}
    rejected = {}
    for failure in body.get("validation_failed") or []:
        key = failure.get("idempotency_key")
        errors = failure.get("validation_errors") or ["rejected by Orb"]
        if key in keys:
            rejected[key] = "Orb validation failed: " + "; ".join(map(str, errors))
    return rejected


def _headers(settings: dict[str, Any]) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {settings['apiKey']}",
        "Content-Type": "application/json",
    }


def _required_text(
    event: dict[str, Any], settings: dict[str, Any], setting: str
) -> str:
    """Read the value a path setting points at; reject the event when it is empty."""
    path = settings[setting]
    value = read_path(event, path)
    if value is MISSING_VALUE or value is None or value == "":
        raise InvalidEventPayload(
            f"settings.{setting} reads {path!r}, which is missing or empty in this "
            f"event; send {path} or point {setting} at a field the event has"
        )
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidEventPayload(
            f"settings.{setting} reads {path!r}, which contains {json_type(value)}; "
            "it must be text or a number"
        )
    return value if isinstance(value, str) else _number_text(value)


def _mapped_properties(
    event: dict[str, Any], mapping: dict[str, str]
) -> dict[str, Any]:
    """Keep only the properties the mapping names, renamed; Orb takes flat values."""
    properties = event.get("properties") or {}
    mapped: dict[str, Any] = {}
    for source, target in mapping.items():
        value = read_path(properties, source)
        if value is MISSING_VALUE or value is None:
            continue
        if isinstance(value, dict | list):
            raise InvalidEventPayload(
                f"properties.{source} is {json_type(value)}, but Orb takes only text, "
                "number and boolean property values; map a nested key such as "
                f"{source}.<key> instead"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidEventPayload(
                f"properties.{source} is {value}, which Orb cannot store; send a "
                "finite number"
            )
        mapped[target] = value
    return mapped


def _metadata_value(value: Any) -> str | None:
    """Orb metadata values are strings; null removes the key."""
    if value is MISSING_VALUE or value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return _number_text(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
