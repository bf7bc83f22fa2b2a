from __future__ import annotations

from pathlib import Path

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
