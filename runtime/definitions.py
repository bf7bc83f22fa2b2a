"""Destination definitions: a destination.json, mapping functions and actions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema import Draft202012Validator

from runtime import echo_sandbox
from runtime.actions import Action, Preset, load_actions
from runtime.errors import DefinitionError, Problem
from runtime.modules import SandboxFactory, import_functions, import_sandbox_factory
from runtime.requests import Request
from runtime.schemas import problems_from, validator_for

__all__ = ["ACTION_BATCH_PREFIX", "DEFINITION_FILE", "Definition", "load_definition"]

DEFINITION_FILE = "destination.json"
ACTION_BATCH_PREFIX = "action:"
_META_SCHEMA = "destination/definition.schema.json"


@dataclass(frozen=True)
class Definition:
    """A loaded, checked destination definition."""

    name: str
    slug: str
    description: str
    settings_schema: dict[str, Any]
    event_types: tuple[str, ...]
    functions: ModuleType | None
    source: Path
    batch_size: int | None = None
    responses: dict[int, str] = field(default_factory=dict)
    sandbox: SandboxFactory | None = None
    actions: dict[str, Action] = field(default_factory=dict)
    presets: tuple[Preset, ...] = ()
    warnings: tuple[str, ...] = ()
    endpoint_setting: str = "endpoint"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def default_endpoint(self) -> str | None:
        properties = self.settings_schema.get("properties", {})
        endpoint = properties.get(self.endpoint_setting, {})
        default = endpoint.get("default") if isinstance(endpoint, dict) else None
        return default if isinstance(default, str) else None

    def handler(self, event_type: str) -> Any:
        """Return the ``on_<type>`` function for an event type, if it handles it."""
        if event_type not in self.event_types or self.functions is None:
            return None
        found = getattr(self.functions, f"on_{event_type}", None)
        return found if callable(found) else None

    def batch_size_for(self, batch: str, settings: dict[str, Any]) -> int:
        action = self._action_for(batch)
        if action is not None and action.batching is not None:
            return action.batching.size(settings)
        return self.batch_size or 1

    def build_batch(
        self, batch: str, payloads: list[Any], settings: dict[str, Any]
    ) -> Request:
        action = self._action_for(batch)
        if action is not None:
            return action.build_batch(payloads, settings)
        assert self.functions is not None
        request: Request = self.functions.on_batch(batch, payloads, settings)
        return request

    def batch_rejections(
        self, batch: str, status: int | None, body: Any, keys: list[str]
    ) -> dict[str, str]:
        """Ask which items of a rejected batch the partner named, keyed by item key."""
        action = self._action_for(batch)
        if action is not None:
            return action.batch_rejections(body, keys)
        reader = getattr(self.functions, "on_batch_result", None)
        if not callable(reader):
            return {}
        rejections = reader(batch, status, body, keys) or {}
        return {str(key): str(reason) for key, reason in rejections.items()}

    def _action_for(self, batch: str) -> Action | None:
        if not batch.startswith(ACTION_BATCH_PREFIX):
            return None
        return self.actions.get(batch.removeprefix(ACTION_BATCH_PREFIX))


def load_definition(folder: Path, package: str | None = None) -> Definition:
    """Load and check the destination in ``folder``.

    ``package`` is the import name of a folder that is already a Python package
    (the built-in destinations); other folders are imported under a private name.
    Raises ``DefinitionError`` naming the file, the JSON pointer and the rule.
    """
    source = folder / DEFINITION_FILE
    raw = _read_json(source)
    _check_against_meta_schema(source, raw)
    functions = _functions(folder, package, raw, source)
    actions, presets, problems, warnings = load_actions(raw, str(source))
    problems.extend(_check_functions(source, raw, functions))
    if not functions and not raw.get("actions"):
        problems.append(
            Problem(
                f"{source}#",
                "the destination handles nothing; add "
                "functions.py with on_<type> handlers, or actions",
            )
        )
    if problems:
        raise DefinitionError("invalid destination definition", problems)
    sandbox = raw.get("sandbox")
    batching = raw.get("batching")
    return Definition(
        name=raw["name"],
        slug=raw["slug"],
        description=raw["description"],
        settings_schema=raw["settings"],
        event_types=tuple(raw.get("eventTypes", [])),
        functions=functions,
        source=source,
        batch_size=batching["maxSize"] if batching else None,
        responses={int(code): text for code, text in raw.get("responses", {}).items()},
        sandbox=_sandbox(folder, package, sandbox, source),
        actions=actions,
        presets=tuple(presets),
        warnings=tuple(warnings),
        endpoint_setting=raw.get("endpointSetting", "endpoint"),
        raw=raw,
    )


def _sandbox(
    folder: Path, package: str | None, name: str | None, source: Path
) -> SandboxFactory | None:
    if name is None:
        return None
    if name == echo_sandbox.BUILTIN_NAME:
        return echo_sandbox.create_sandbox
    return import_sandbox_factory(folder, package, name, source)


def _functions(
    folder: Path, package: str | None, raw: dict[str, Any], source: Path
) -> ModuleType | None:
    """Import the mapping functions; an actions-only destination may have none."""
    filename = raw.get("functions", "functions.py")
    if (
        "functions" not in raw
        and not (folder / filename).is_file()
        and raw.get("actions")
    ):
        return None
    return import_functions(folder, package, filename, source)


def _read_json(source: Path) -> dict[str, Any]:
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DefinitionError(
            f"no destination definition in {source.parent}",
            [Problem(str(source), f"file not found; create {DEFINITION_FILE}")],
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{source}:{exc.lineno}:{exc.colno}"
        raise DefinitionError(
            "invalid destination definition",
            [Problem(where, f"invalid JSON: {exc.msg}; fix the syntax there")],
        ) from None
    if not isinstance(raw, dict):
        raise DefinitionError(
            "invalid destination definition",
            [Problem(str(source), "expected a JSON object at the top level")],
        )
    return raw


def _check_against_meta_schema(source: Path, raw: dict[str, Any]) -> None:
    errors = list(validator_for(_META_SCHEMA).iter_errors(raw))
    problems = [_pointer_problem(source, p) for p in problems_from(errors)]
    settings = raw.get("settings")
    if isinstance(settings, dict):
        meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
        for error in meta.iter_errors(settings):
            pointer = "/settings" + "".join(f"/{part}" for part in error.absolute_path)
            problems.append(
                Problem(
                    f"{source}#{pointer}",
                    f"not a valid JSON Schema (draft 2020-12): {error.message}",
                )
            )
    if problems:
        raise DefinitionError("invalid destination definition", problems)


def _pointer_problem(source: Path, problem: Problem) -> Problem:
    """Restate a dotted location as ``file#/json/pointer``."""
    dotted = "" if problem.location == "(event)" else problem.location
    pointer = "/" + dotted.replace(".", "/") if dotted else ""
    return Problem(f"{source}#{pointer}", problem.message)


def _check_functions(
    source: Path, raw: dict[str, Any], functions: ModuleType | None
) -> list[Problem]:
    filename = raw.get("functions", "functions.py")
    problems = []
    for event_type in raw.get("eventTypes", []):
        if not callable(getattr(functions, f"on_{event_type}", None)):
            problems.append(
                Problem(
                    f"{source}#/eventTypes",
                    f"{event_type!r} is listed but {filename} defines no "
                    f"on_{event_type}(event, settings); define it or remove the type",
                )
            )
    if "batching" in raw and not callable(getattr(functions, "on_batch", None)):
        problems.append(
            Problem(
                f"{source}#/batching",
                f"batching is declared but {filename} defines no "
                "on_batch(batch, payloads, settings); define it or remove batching",
            )
        )
    return problems
