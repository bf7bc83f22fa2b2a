from typing import Any

import pytest

from runtime.actions.fields import payload_schema
from runtime.schemas import validator_for


def valid(fields: dict[str, Any], payload: dict[str, Any]) -> bool:
    return validator_for(payload_schema(fields)).is_valid(payload)


@pytest.mark.parametrize(
    ("field_type", "good", "bad"),
    [
        ("string", "a", 1),
        ("text", "long text", False),
        ("password", "p", 3),
        ("number", 1.5, "1.5"),
        ("integer", 3, 3.5),
        ("boolean", True, "true"),
        ("datetime", "2024-06-01T10:00:00Z", "June 1st"),
        ("object", {"a": 1}, [1]),
    ],
    ids=[
        "string",
        "text",
        "password",
        "number",
        "integer",
        "boolean",
        "datetime",
        "object",
    ],
)
def test_field_type(field_type: str, good: Any, bad: Any) -> None:
    fields = {"f": {"type": field_type}}
    assert valid(fields, {"f": good})
    assert not valid(fields, {"f": bad})


def test_field_required() -> None:
    fields = {"f": {"type": "string", "required": True}}
    assert not valid(fields, {})
    assert valid({"f": {"type": "string"}}, {})


def test_field_multiple() -> None:
    fields = {"f": {"type": "integer", "multiple": True}}
    assert valid(fields, {"f": [1, 2]})
    assert not valid(fields, {"f": 1})
    assert not valid(fields, {"f": [1, "2"]})


def test_field_choices_plain_and_labelled() -> None:
    plain = {"f": {"type": "string", "choices": ["free", "pro"]}}
    labelled = {"f": {"type": "string", "choices": [{"label": "Pro", "value": "pro"}]}}
    assert valid(plain, {"f": "pro"})
    assert not valid(plain, {"f": "gold"})
    assert valid(labelled, {"f": "pro"})
    assert not valid(labelled, {"f": "Pro"})


def test_field_allow_null() -> None:
    assert valid({"f": {"type": "number", "allowNull": True}}, {"f": None})
    assert not valid({"f": {"type": "number"}}, {"f": None})
