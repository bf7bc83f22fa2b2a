"""The server's configuration: sources and the destinations they feed.

A TOML file declares the connections, as a Segment workspace does::

    [[sources]]
    name = "backend"
    write_key = "${SEGMENT_WRITE_KEY}"

    [[destinations]]
    name = "orb-billing"
    destination = "orb"               # slug of a registered destination
    sources = ["backend"]
    endpoint = "http://127.0.0.1:8765/v1"   # optional; omit for the sandbox
    settings = { apiKey = "${ORB_API_KEY}", externalCustomerIdField = "userId" }

    [destinations.retry]              # optional
    max_attempts = 5
    initial_delay = 0.5               # seconds
    max_delay = 30.0                  # seconds

``${NAME}`` anywhere in a value is replaced by the environment variable ``NAME``.
Every problem in the file is reported at once, each with the file and key.
"""

from __future__ import annotations

import hmac
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import urlsplit

from runtime.cli.settings_file import expand_environment
from runtime.definitions import Definition
from runtime.delivery.retry import RetryPolicy
from runtime.errors import ConfigError, DefinitionError, Problem, SettingsError
from runtime.registry import Registry
from runtime.settings import validate_settings

__all__ = [
    "DEFAULT_SETTINGS",
    "DEFAULT_SOURCE_NAME",
    "DEFAULT_WRITE_KEY",
    "DestinationConfig",
    "ServerConfig",
    "SourceConfig",
    "default_config",
    "load_config",
    "parse_config",
]

DEFAULT_SOURCE_NAME = "default"
# A fixed key, so clients keep working across restarts of the embedded default.
DEFAULT_WRITE_KEY = "segment-emulator-local-write-key"
# The Orb example settings, read from the installed ``destinations`` package.
DEFAULT_SETTINGS = "orb/examples/settings.json"

_TOP_LEVEL_KEYS = {"sources", "destinations"}
_SOURCE_KEYS = {"name", "write_key"}
_DESTINATION_KEYS = {"name", "destination", "settings", "sources", "endpoint", "retry"}
_RETRY_KEYS = {"max_attempts", "initial_delay", "max_delay"}


@dataclass(frozen=True)
class SourceConfig:
    """A source: events sent with its write key belong to it."""

    name: str
    write_key: str = field(repr=False)


@dataclass(frozen=True)
class DestinationConfig:
    """A configured destination: the definition, checked settings and its sources.

    ``endpoint`` is None for the destination's in-process sandbox.
    """

    name: str
    definition: Definition
    settings: dict[str, Any] = field(repr=False)
    sources: tuple[str, ...]
    endpoint: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass(frozen=True)
class ServerConfig:
    """Every source and destination, and where they were read from."""

    sources: tuple[SourceConfig, ...]
    destinations: tuple[DestinationConfig, ...]
    origin: str

    def source_for_key(self, write_key: str) -> SourceConfig | None:
        for source in self.sources:
            if hmac.compare_digest(source.write_key.encode(), write_key.encode()):
                return source
        return None

    def destinations_for(self, source_name: str) -> list[DestinationConfig]:
        return [d for d in self.destinations if source_name in d.sources]

    def destination(self, name: str) -> DestinationConfig | None:
        for destination in self.destinations:
            if destination.name == name:
                return destination
        return None


def load_config(path: Path, registry: Registry) -> ServerConfig:
    """Read and check a TOML configuration file.

    Raises ``ConfigError`` listing every problem, each as ``FILE: KEY: rule``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problem = Problem(str(path), f"{exc.strerror}; pass an existing TOML file")
        raise ConfigError("cannot read the configuration file", [problem]) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problem = Problem(str(path), f"invalid TOML: {exc}; fix the syntax there")
        raise ConfigError("invalid configuration file", [problem]) from None
    return parse_config(document, str(path), registry)


def default_config(registry: Registry) -> ServerConfig:
    """Return the embedded default: one source feeding Orb's in-process sandbox."""
    text = resources.files("destinations").joinpath(DEFAULT_SETTINGS).read_text("utf-8")
    settings = json.loads(text)
    document = {
        "sources": [{"name": DEFAULT_SOURCE_NAME, "write_key": DEFAULT_WRITE_KEY}],
        "destinations": [
            {
                "name": "orb",
                "destination": "orb",
                "sources": [DEFAULT_SOURCE_NAME],
                "settings": settings,
            }
        ],
    }
    return parse_config(document, "the embedded default configuration", registry)


def parse_config(
    document: Mapping[str, Any], origin: str, registry: Registry
) -> ServerConfig:
    """Check a parsed configuration document; ``origin`` names it in messages."""
    problems: list[Problem] = []
    expanded = {
        key: expand_environment(value, problems, key) for key, value in document.items()
    }
    problems.extend(_unknown_keys(expanded, _TOP_LEVEL_KEYS, ""))
    sources = _read_sources(expanded.get("sources"), problems)
    known = {source.name for source in sources}
    destinations = _read_destinations(
        expanded.get("destinations", []), known, registry, problems
    )
    if problems:
        located = [Problem(f"{origin}: {p.location}", p.message) for p in problems]
        raise ConfigError("invalid configuration", located)
    return ServerConfig(tuple(sources), tuple(destinations), origin)


def _read_sources(value: object, problems: list[Problem]) -> list[SourceConfig]:
    if not _is_table_array(value) or not value:
        message = "missing; declare at least one [[sources]] with name and write_key"
        problems.append(Problem("sources", message))
        return []
    sources: list[SourceConfig] = []
    for index, table in enumerate(value):
        where = f"sources[{index}]"
        problems.extend(_unknown_keys(table, _SOURCE_KEYS, where))
        name = _text(table, "name", where, problems)
        write_key = _text(table, "write_key", where, problems)
        if name is None or write_key is None:
            continue
        if any(source.name == name for source in sources):
            problems.append(Problem(f"{where}.name", f"{name!r} is used twice; rename"))
            continue
        if any(source.write_key == write_key for source in sources):
            message = "is the same as another source's; give each source its own key"
            problems.append(Problem(f"{where}.write_key", message))
            continue
        sources.append(SourceConfig(name, write_key))
    return sources


def _read_destinations(
    value: object, known: set[str], registry: Registry, problems: list[Problem]
) -> list[DestinationConfig]:
    if not _is_table_array(value):
        message = "must be an array of tables; write each one as [[destinations]]"
        problems.append(Problem("destinations", message))
        return []
    destinations: list[DestinationConfig] = []
    for index, table in enumerate(value):
        where = f"destinations[{index}]"
        destination = _read_destination(table, where, known, registry, problems)
        if destination is None:
            continue
        if any(d.name == destination.name for d in destinations):
            message = f"{destination.name!r} is used twice; rename"
            problems.append(Problem(f"{where}.name", message))
            continue
        destinations.append(destination)
    return destinations


def _read_destination(
    table: Mapping[str, Any],
    where: str,
    known: set[str],
    registry: Registry,
    problems: list[Problem],
) -> DestinationConfig | None:
    found_before = len(problems)
    problems.extend(_unknown_keys(table, _DESTINATION_KEYS, where))
    name = _text(table, "name", where, problems)
    definition = _definition(table, where, registry, problems)
    sources = _source_names(table.get("sources"), where, known, problems)
    endpoint = _endpoint(table.get("endpoint"), where, problems)
    if (
        definition is not None
        and definition.sandbox is None
        and "endpoint" not in table
    ):
        message = (
            f"missing; destination {definition.slug!r} has no sandbox, so give the "
            "partner API's base URL"
        )
        problems.append(Problem(f"{where}.endpoint", message))
    policy = _policy(table.get("retry", {}), f"{where}.retry", problems)
    settings = _settings(table.get("settings"), definition, where, problems)
    if len(problems) > found_before:
        return None
    assert name is not None
    assert definition is not None
    assert settings is not None
    return DestinationConfig(name, definition, settings, sources, endpoint, policy)


def _definition(
    table: Mapping[str, Any], where: str, registry: Registry, problems: list[Problem]
) -> Definition | None:
    slug = _text(table, "destination", where, problems)
    if slug is None:
        return None
    try:
        return registry.get(slug)
    except DefinitionError:
        known = ", ".join(registry.slugs()) or "none"
        message = f"unknown destination {slug!r}; use one of: {known}"
        problems.append(Problem(f"{where}.destination", message))
        return None


def _source_names(
    value: object, where: str, known: set[str], problems: list[Problem]
) -> tuple[str, ...]:
    example = 'such as sources = ["backend"]'
    if value is None:
        problems.append(
            Problem(
                f"{where}.sources", f"missing; list the sources that feed it, {example}"
            )
        )
        return ()
    if not isinstance(value, list) or not value:
        shown = "an empty list" if value == [] else f"{value!r}, not a list"
        message = f"is {shown}; list the names of the sources that feed it, {example}"
        problems.append(Problem(f"{where}.sources", message))
        return ()
    names: list[str] = []
    for index, name in enumerate(value):
        location = f"{where}.sources[{index}]"
        if not isinstance(name, str) or name not in known:
            declared = ", ".join(sorted(known)) or "none"
            message = f"source {name!r} is not declared; use one of: {declared}"
            problems.append(Problem(location, message))
            continue
        names.append(name)
    return tuple(names)


def _endpoint(value: object, where: str, problems: list[Problem]) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        message = (
            f"{value!r} is not an http(s) URL; give the partner API's base URL, "
            "or remove endpoint to use the in-process sandbox"
        )
        problems.append(Problem(f"{where}.endpoint", message))
        return None
    assert isinstance(value, str)
    return value.rstrip("/")


def _policy(value: object, where: str, problems: list[Problem]) -> RetryPolicy:
    if not isinstance(value, Mapping):
        problems.append(Problem(where, "must be a table of retry options"))
        return RetryPolicy()
    problems.extend(_unknown_keys(value, _RETRY_KEYS, where))
    defaults = RetryPolicy()
    attempts = value.get("max_attempts", defaults.max_attempts)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        message = f"{attempts!r} is not a whole number of 1 or more"
        problems.append(Problem(f"{where}.max_attempts", message))
        attempts = defaults.max_attempts
    initial = _seconds(value, "initial_delay", defaults.initial_delay, where, problems)
    maximum = _seconds(value, "max_delay", defaults.max_delay, where, problems)
    return RetryPolicy(max_attempts=attempts, initial_delay=initial, max_delay=maximum)


def _seconds(
    table: Mapping[str, Any],
    key: str,
    default: float,
    where: str,
    problems: list[Problem],
) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        message = f"{value!r} is not a number of seconds, 0 or more"
        problems.append(Problem(f"{where}.{key}", message))
        return default
    return float(value)


def _settings(
    value: object,
    definition: Definition | None,
    where: str,
    problems: list[Problem],
) -> dict[str, Any] | None:
    if value is None:
        message = "missing; add a [destinations.settings] table"
        problems.append(Problem(f"{where}.settings", message))
        return None
    if definition is None:
        return None
    try:
        return validate_settings(definition.settings_schema, value, definition.slug)
    except SettingsError as exc:
        for problem in exc.problems:
            problems.append(Problem(f"{where}.{problem.location}", problem.message))
        return None


def _text(
    table: Mapping[str, Any], key: str, where: str, problems: list[Problem]
) -> str | None:
    value = table.get(key)
    if isinstance(value, str) and value.strip():
        return value
    message = "missing; give a non-empty string"
    if value is not None:
        message = f"{value!r} is not a non-empty string; write it in quotes"
    problems.append(Problem(f"{where}.{key}", message))
    return None


def _unknown_keys(
    table: Mapping[str, Any], allowed: set[str], where: str
) -> list[Problem]:
    prefix = f"{where}." if where else ""
    expected = ", ".join(sorted(allowed))
    return [
        Problem(f"{prefix}{key}", f"unknown key; use only {expected}")
        for key in table
        if key not in allowed
    ]


def _is_table_array(value: object) -> TypeGuard[list[Mapping[str, Any]]]:
    return isinstance(value, list) and all(isinstance(item, Mapping) for item in value)
