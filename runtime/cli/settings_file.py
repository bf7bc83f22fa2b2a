"""Reading a settings file, with ``${NAME}`` read from the environment."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from runtime.errors import Problem, SettingsError

__all__ = ["expand_environment", "read_settings_file"]

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def read_settings_file(path: Path) -> dict[str, Any]:
    """Read a settings JSON file, or standard input when ``path`` is ``-``."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text("utf-8")
    except OSError as exc:
        raise SettingsError(
            "cannot read settings",
            [Problem(str(path), f"{exc.strerror}; pass an existing JSON file")],
        ) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(
            "invalid settings",
            [Problem(f"{path}:{exc.lineno}:{exc.colno}", f"invalid JSON: {exc.msg}")],
        ) from None
    problems: list[Problem] = []
    expanded = expand_environment(value, problems, "settings")
    if problems:
        raise SettingsError("invalid settings", problems)
    if not isinstance(expanded, dict):
        raise SettingsError(
            "invalid settings",
            [Problem(str(path), "expected a JSON object of setting names to values")],
        )
    return expanded


def expand_environment(value: Any, problems: list[Problem], location: str) -> Any:
    """Replace ``${NAME}`` in every string with the environment variable's value."""
    if isinstance(value, str):
        return _expand_text(value, problems, location)
    if isinstance(value, dict):
        return {
            key: expand_environment(item, problems, f"{location}.{key}")
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            expand_environment(item, problems, f"{location}[{index}]")
            for index, item in enumerate(value)
        ]
    return value


def _expand_text(text: str, problems: list[Problem], location: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            problems.append(
                Problem(location, f"environment variable {name} is not set; export it")
            )
            return match.group(0)
        return os.environ[name]

    return _VARIABLE.sub(replace, text)
