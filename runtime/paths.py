"""Reading values from events by dot paths such as ``properties.plan.tier``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["MISSING_VALUE", "read_path"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING_VALUE"

    def __bool__(self) -> bool:
        return False


MISSING_VALUE: Any = _Missing()


def read_path(data: object, path: str) -> Any:
    """Return the value at a dot path, or ``MISSING_VALUE`` when any step is absent.

    A key that itself contains dots (``"a.b"``) is found too: at each step the
    longest key present wins, so ``properties.a.b`` reads ``{"a.b": 1}``.
    """
    if path == "":
        return data
    if not isinstance(data, Mapping):
        return MISSING_VALUE
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        key = ".".join(parts[:end])
        if key in data:
            found = read_path(data[key], ".".join(parts[end:]))
            if found is not MISSING_VALUE:
                return found
    return MISSING_VALUE
