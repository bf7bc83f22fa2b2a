"""Loading the project's JSON Schemas and turning their errors into problems."""

from __future__ import annotations

import ast
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from runtime.errors import Problem
from runtime.jsondata import json_type
from runtime.timestamps import is_timestamp

__all__ = ["FORMAT_CHECKER", "load_schema", "problems_from", "validator_for"]

# Segment sends timestamps with any number of fractional digits and with or
# without a colon in the offset, so "date-time" is checked by our own parser
# rather than by strict RFC 3339.
FORMAT_CHECKER = FormatChecker()
FORMAT_CHECKER.checks("date-time")(is_timestamp)


@cache
def _registry() -> Registry[Any]:
    root = resources.files("schemas")
    pairs = []
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.name.endswith(".schema.json"):
                contents = json.loads(entry.read_text(encoding="utf-8"))
                pairs.append((contents["$id"], Resource.from_contents(contents)))
    return Registry().with_resources(pairs)


@cache
def load_schema(relative_path: str) -> dict[str, Any]:
    """Read a schema shipped in ``schemas/``, such as ``segment/track.schema.json``."""
    text = resources.files("schemas").joinpath(relative_path).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _cached_validator(relative_path: str) -> Draft202012Validator:
    return validator_for(load_schema(relative_path))


def validator_for(schema: Mapping[str, Any] | str) -> Draft202012Validator:
    """Build a draft 2020-12 validator that resolves references among our schemas."""
    if isinstance(schema, str):
        return _cached_validator(schema)
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=FORMAT_CHECKER
    )


def problems_from(
    errors: Iterable[jsonschema.ValidationError], prefix: str = ""
) -> list[Problem]:
    """Turn schema errors into problems, each naming the value, the rule and the fix.

    A schema may annotate a rule with ``x-fix`` (the advice shown with its
    errors), ``x-rule`` (a plainer statement of the rule) and ``x-field`` (the
    field to name when the rule spans several, as ``anyOf`` does).
    """
    problems = []
    for error in sorted(errors, key=lambda e: (list(e.absolute_path), e.message)):
        location = _location(prefix, error)
        problems.append(Problem(location, _describe(error)))
    return problems


def _location(prefix: str, error: jsonschema.ValidationError) -> str:
    parts = [str(part) for part in error.absolute_path]
    if isinstance(error.schema, dict) and "x-field" in error.schema:
        parts.append(error.schema["x-field"])
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = _missing_property(error)
        if missing:
            parts.append(missing)
    dotted = ".".join(parts)
    if prefix and dotted:
        return f"{prefix}.{dotted}"
    return prefix or dotted or "(event)"


def _missing_property(error: jsonschema.ValidationError) -> str | None:
    """Name the property a ``required`` error is about.

    jsonschema raises one error per missing property but keeps the name only in
    the message, as ``'name' is a required property``.
    """
    match = re.match(r"^(.*) is a required property$", error.message)
    if match is None:
        return None
    try:
        name = ast.literal_eval(match.group(1))
    except (ValueError, SyntaxError):
        return None
    return str(name)


def _describe(error: jsonschema.ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    fix = schema.get("x-fix")
    if error.validator == "required":
        rule = "missing required value"
        fix = _field_fix(error) or f"add {_missing_property(error)!r}"
    elif error.validator == "additionalProperties":
        rule, fix = _unexpected_keys(error, schema)
    elif "x-rule" in schema:
        rule = schema["x-rule"]
    elif schema.get("writeOnly") is True:
        # A secret's value is never shown, even when it is the wrong type.
        rule = f"the secret value breaks {error.validator}: {error.validator_value!r}"
    elif error.validator == "type":
        expected = error.validator_value
        names = " or ".join(expected) if isinstance(expected, list) else str(expected)
        rule = (
            f"{_show(error.instance)} is invalid: expected {names}, "
            f"got {json_type(error.instance)}"
        )
    else:
        rule = f"{_show(error.instance)} is invalid: {error.message}"
    return f"{rule}; {fix}" if fix else rule


def _unexpected_keys(
    error: jsonschema.ValidationError, schema: dict[str, Any]
) -> tuple[str, str | None]:
    """Name the unknown keys (not their values) and suggest the closest known key."""
    known = list(schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    unknown = [key for key in instance if key not in known]
    rule = "unknown key " + ", ".join(repr(key) for key in unknown)
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(key, known, n=1)
        if close:
            hints.append(f"did you mean {close[0]!r} for {key!r}?")
    allowed = f"allowed keys: {', '.join(known)}" if known else None
    fix = " ".join(hints + ([allowed] if allowed else [])) or schema.get("x-fix")
    return rule, fix


def _field_fix(error: jsonschema.ValidationError) -> str | None:
    missing = _missing_property(error)
    properties = (
        error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    )
    field = properties.get(missing, {}) if missing else {}
    fix = field.get("x-fix") if isinstance(field, dict) else None
    return fix if isinstance(fix, str) else None


def _show(value: object) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."
