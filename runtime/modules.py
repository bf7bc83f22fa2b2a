"""Importing a destination's Python modules, reporting failures as definition errors."""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from runtime.errors import DefinitionError, Problem

__all__ = ["import_functions", "import_sandbox_factory"]

SandboxFactory = Callable[..., Any]


def import_functions(
    folder: Path, package: str | None, filename: str, source: Path
) -> ModuleType:
    if not (folder / filename).is_file():
        raise _error(
            f"{source}#/functions",
            f"{folder / filename} not found; create it or name another file",
        )
    parent = package or _private_package(folder)
    module_name = filename.removesuffix(".py")
    return _import_module(f"{parent}.{module_name}", source, "/functions")


def import_sandbox_factory(
    folder: Path, package: str | None, name: str, source: Path
) -> SandboxFactory:
    parent = package or _private_package(folder)
    module = _import_module(f"{parent}.{name}", source, "/sandbox")
    factory = getattr(module, "create_sandbox", None)
    if not callable(factory):
        raise _error(
            f"{source}#/sandbox",
            f"module {name!r} defines no create_sandbox(settings, clock); define it",
        )
    return factory  # type: ignore[no-any-return]


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


def _import_module(name: str, source: Path, pointer: str) -> ModuleType:
    """Import a definition's module, reporting a broken one as a definition error."""
    try:
        return importlib.import_module(name)
    except SyntaxError as exc:
        where = f"{exc.filename}:{exc.lineno}"
        message = f"invalid Python: {exc.msg}; fix the syntax there"
    except ImportError as exc:
        where = f"{source}#{pointer}"
        module_file = source.parent / (name.rsplit(".", 1)[-1] + ".py")
        message = (
            f"cannot import {module_file}: {exc}; check the module and its imports"
        )
    except Exception as exc:  # noqa: BLE001 (any error while a module runs is reported)
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{frame.filename}:{frame.lineno}"
        message = f"{type(exc).__name__} while importing: {exc}; fix the module"
    raise _error(where, message)


def _error(where: str, message: str) -> DefinitionError:
    return DefinitionError("invalid destination definition", [Problem(where, message)])
