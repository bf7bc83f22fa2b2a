from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any, NoReturn

import pytest

from runtime.definitions import Definition
from runtime.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
ORB_EXAMPLES = ROOT / "destinations" / "orb" / "examples"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.with_builtins()


@pytest.fixture(scope="session")
def orb(registry: Registry) -> Definition:
    return registry.get("orb")


def missing_tool(reason: str) -> NoReturn:
    """Skip a test whose real client or browser is missing, but fail it under CI.

    CI installs every tool, so there a missing one is a broken setup, not a skip.
    """
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it; see .ci/run)")
    pytest.skip(reason)


def import_or_missing(module: str, reason: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        missing_tool(reason)
