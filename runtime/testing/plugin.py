"""pytest fixtures for destination authors, loaded automatically once installed.

``destination_registry`` contains the built-in destinations plus any folders listed
in the ``SEGMENT_EMULATOR_DESTINATIONS`` environment variable (separated by the
path separator); ``run_destination`` is ``runtime.testing.run_destination``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from runtime.registry import Registry
from runtime.testing.harness import run_destination as _run_destination

ENVIRONMENT_VARIABLE = "SEGMENT_EMULATOR_DESTINATIONS"


@pytest.fixture(scope="session")
def destination_registry() -> Registry:
    folders = [
        Path(entry)
        for entry in os.environ.get(ENVIRONMENT_VARIABLE, "").split(os.pathsep)
        if entry
    ]
    return Registry.with_builtins(folders)


@pytest.fixture
def run_destination() -> Callable[..., Any]:
    return _run_destination
