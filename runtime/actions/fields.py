"""Action fields: their declared types, and the JSON Schema generated from them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["FIELD_TYPES", "payload_schema", "secret_fields"]

# The field types of Segment's action destinations and the JSON Schema of each.
FIELD_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string", "x-fix": "map text"},
    "text": {"type": "string", "x-fix": "map text"},
    "password": {"type": "string", "x-fix": "map text"},
    "number": {"type": "number", "x-fix": "map a number"},
    "integer": {"type": "integer", "x-fix": "map a whole number"},
    "boolean": {"type": "boolean", "x-fix": "map true or false"},
    "datetime": {
        "type": "string",
        "format": "date-time",
        "x-fix": "map an ISO 8601 date-time such as 2024-06-01T10:30:05.123Z",
    },
    "object": {"type": "object", "x-fix": "map an object"},
}


def payload_schema(fields: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Build the draft 2020-12 schema that every mapped payload must satisfy."""
    properties = {name: _field_schema(field) for name, field in fields.items()}
    required = [name for name, field in fields.items() if field.get("required")]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
    }


def secret_fields(fields: Mapping[str, Mapping[str, Any]]) -> list[str]:
    return [name for name, field in fields.items() if field.get("type") == "password"]


def _field_schema(field: Mapping[str, Any]) -> dict[str, Any]:
    schema = dict(FIELD_TYPES[field["type"]])
    choices = field.get("choices")
    if choices:
        values = [c["value"] if isinstance(c, Mapping) else c for c in choices]
        schema["enum"] = values
        schema["x-fix"] = "map one of: " + ", ".join(map(str, values))
    if field.get("multiple"):
        schema = {"type": "array", "items": schema, "x-fix": "map an array"}
    if field.get("allowNull"):
        fix = f"{schema.get('x-fix', 'map a value')}, or null"
        schema = {"anyOf": [schema, {"type": "null"}], "x-fix": fix}
    return schema
