"""Routing: whether an event's ``integrations`` object lets it reach a destination."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["integration_enabled"]


def integration_enabled(event: Mapping[str, Any], destination_name: str) -> bool:
    """Apply Segment's rule: a destination's own flag wins, then ``All`` (default true).

    A flag may be a boolean or an object of destination options; an object counts
    as enabled.
    """
    integrations = event.get("integrations")
    if not isinstance(integrations, Mapping):
        return True
    own = integrations.get(destination_name)
    if own is not None:
        return own is not False
    return integrations.get("All", True) is not False
