"""Destination definitions: a destination.json plus a module of mapping functions."""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema import Draft202012Validator

from runtime.errors import DefinitionError, Problem
from runtime.schemas import problems_from, validator_for

__all__ = ["DEFINITION_FILE", "Definition", "load_definition"]

DEFINITION_FILE = "destination.json"
_META_SCHEMA = "destination/definition.schema.json"


@dataclass(frozen=True)
class Definition:
    """A loaded, checked destination definition."""

    name: str
    slug: str
    description: str
    settings_schema: dict[str, Any]
    event_types: tuple[str, ...]
    functions: ModuleType
    source: Path
    batch_size: int | None = None
    responses: dict[int, str] = field(default_factory=dict)
    sandbox: Callable[[Mapping[str, Any], Any], Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def default_endpoint(self) -> str | None:
        endpoint = self.settings_schema.get("properties", {}).get("endpoint", {})
        default = endpoint.get("default") if isinstance(endpoint, dict) else None
        return default if isinstance(default, str) else None

    def handler(self, event_type: str) -> Callable[..., Any] | None:
        """Return the ``on_<type>`` function for an event type, if it handles it."""
        if event_type not in self.event_types:
            return None
        found = getattr(self.functions, f"on_{event_type}", None)
        return found if callable(found) else None


def load_definition(folder: Path, package: str | None = None) -> Definition:
    """Load and check the destination in ``folder``.

    ``package`` is the import name of a folder that is already a Python package
    (the built-in destinations); other folders are imported under a private name.
    Raises ``DefinitionError`` naming the file, the JSON pointer and the rule.
    """
    source = folder / DEFINITION_FILE
    raw = _read_json(source)
    _check_against_meta_schema(source, raw)
    functions = _import(folder, package, raw.get("functions", "functions.py"), source)
    _check_functions(source, raw, functions)
    sandbox = _sandbox_factory(folder, package, raw, source)
    batching = raw.get("batching")
    return Definition(
        name=raw["name"],
        slug=raw["slug"],
        description=raw["description"],
        settings_schema=raw["settings"],
        event_types=tuple(raw["eventTypes"]),
        functions=functions,
        source=source,
        batch_size=batching["maxSize"] if batching else None,
        responses={int(code): text for code, text in raw.get("responses", {}).items()},
        sandbox=sandbox,
        raw=raw,
    )


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
        for error in Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(
            settings
        ):
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


def _import(
    folder: Path, package: str | None, filename: str, source: Path
) -> ModuleType:
    module_name = filename.removesuffix(".py")
    if not (folder / filename).is_file():
        raise DefinitionError(
            "invalid destination definition",
            [
                Problem(
                    f"{source}#/functions",
                    f"{folder / filename} not found; create it or name another file",
                )
            ],
        )
    parent = package or _private_package(folder)
    return _import_module(f"{parent}.{module_name}", source, "/functions")


def _private_package(folder: Path) -> str:
    """Register ``folder`` as a package so its modules can import one another."""
    name = "segment_emulator_destination_" + "".join(
        ch if ch.isalnum() else "_" for ch in str(folder.resolve())
    )
    if name in sys.modules:
        return name
    init = folder / "__init__.py"
    if init.is_file():
        spec = importlib.util.spec_from_file_location(
            name, init, submodule_search_locations=[str(folder)]
        )
    else:
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    if spec.loader is not None:
        spec.loader.exec_module(module)
    return name


def _check_functions(source: Path, raw: dict[str, Any], functions: ModuleType) -> None:
    filename = raw.get("functions", "functions.py")
    problems = []
    for event_type in raw["eventTypes"]:
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
    if problems:
        raise DefinitionError("invalid destination definition", problems)


def _sandbox_factory(
    folder: Path, package: str | None, raw: dict[str, Any], source: Path
) -> Callable[[Mapping[str, Any], Any], Any] | None:
    name = raw.get("sandbox")
    if name is None:
        return None
    parent = package or _private_package(folder)
    module = _import_module(f"{parent}.{name}", source, "/sandbox")
    factory = getattr(module, "create_sandbox", None)
    if not callable(factory):
        raise DefinitionError(
            "invalid destination definition",
            [
                Problem(
                    f"{source}#/sandbox",
                    f"module {name!r} defines no create_sandbox(settings, clock); define it",
                )
            ],
        )
    return factory  # type: ignore[no-any-return]


def _import_module(name: str, source: Path, pointer: str) -> ModuleType:
    """Import a definition's module, reporting a broken one as a definition error."""
    try:
        return importlib.import_module(name)
    except SyntaxError as exc:
        where = f"{exc.filename}:{exc.lineno}"
        message = f"invalid Python: {exc.msg}; fix the syntax there"
    except ImportError as exc:
        where = f"{source}#{pointer}"
        message = f"cannot import {name}: {exc}; check the module and its imports"
    except Exception as exc:  # noqa: BLE001 (any error while a module runs is reported)
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{frame.filename}:{frame.lineno}"
        message = f"{type(exc).__name__} while importing: {exc}; fix the module"
    raise DefinitionError("invalid destination definition", [Problem(where, message)])
