"""Destination settings: validation against the settings schema, defaults, secrets."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from runtime.errors import Problem, SettingsError
from runtime.schemas import problems_from, validator_for

__all__ = [
    "REDACTED",
    "Redactor",
    "Settings",
    "apply_defaults",
    "secret_names",
    "validate_settings",
]

REDACTED = "[REDACTED]"

Settings = dict[str, Any]


def validate_settings(
    schema: Mapping[str, Any], settings: object, destination: str = ""
) -> Settings:
    """Return the settings with schema defaults filled in, or raise ``SettingsError``.

    Every problem is reported at once, each prefixed with ``settings.``.
    """
    if not isinstance(settings, Mapping):
        problem = Problem(
            "settings",
            f"expected a JSON object, got {type(settings).__name__}; write the "
            'settings as an object such as {"apiKey": "..."}',
        )
        raise SettingsError("invalid settings", [problem])
    filled = apply_defaults(schema, settings)
    redactor = Redactor.for_settings(schema, filled)
    problems = [
        Problem(problem.location, redactor.text(problem.message))
        for problem in problems_from(
            validator_for(schema).iter_errors(filled), "settings"
        )
    ]
    if problems:
        target = f" for destination {destination!r}" if destination else ""
        raise SettingsError(f"invalid settings{target}", problems)
    return filled


def apply_defaults(schema: Mapping[str, Any], settings: Mapping[str, Any]) -> Settings:
    """Copy ``settings`` and add each absent top-level property's schema default."""
    filled = copy.deepcopy(dict(settings))
    for name, rules in schema.get("properties", {}).items():
        if name not in filled and isinstance(rules, Mapping) and "default" in rules:
            filled[name] = copy.deepcopy(rules["default"])
    return filled


def secret_names(schema: Mapping[str, Any]) -> list[str]:
    """Names of the settings marked ``"writeOnly": true``, which are never shown.

    A map setting whose values are marked (``"additionalProperties": {"writeOnly":
    true}``), such as a map of HTTP headers, counts as secret too.
    """
    properties = schema.get("properties", {})
    return [
        name
        for name, rules in properties.items()
        if isinstance(rules, Mapping)
        and (_write_only(rules) or _write_only_values(rules))
    ]


def _write_only(rules: Mapping[str, Any]) -> bool:
    return rules.get("writeOnly") is True


def _write_only_values(rules: Mapping[str, Any]) -> bool:
    values = rules.get("additionalProperties")
    return isinstance(values, Mapping) and _write_only(values)


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return []


class Redactor:
    """Replaces every secret setting's value with ``[REDACTED]`` in printed data."""

    # Secrets shorter than this are replaced only where they are a whole string,
    # because replacing every "k" in a text would garble it and hide nothing.
    MIN_SUBSTRING_LENGTH = 4

    def __init__(self, secrets: list[str]) -> None:
        self._short: set[str] = set()
        self._secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Also redact these values, such as an action's password fields."""
        unique = set(self._secrets) | self._short | {s for s in secrets if s}
        self._short = {s for s in unique if len(s) < self.MIN_SUBSTRING_LENGTH}
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted(unique - self._short, key=len, reverse=True)

    @classmethod
    def for_settings(
        cls, schema: Mapping[str, Any], settings: Mapping[str, Any]
    ) -> Redactor:
        values = [settings.get(name) for name in secret_names(schema)]
        return cls([text for value in values for text in _strings_in(value)])

    def text(self, value: str) -> str:
        if value in self._short:
            return REDACTED
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        return value

    def data(self, value: Any) -> Any:
        """Return a copy of a JSON-like value with secrets redacted in every string."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(item) for item in value]
        return value
