"""Routing: whether an event's ``integrations`` object lets it reach a destination."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["disabled_reason", "integration_enabled"]


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


def disabled_reason(event: Mapping[str, Any], destination_name: str) -> str | None:
    """Say which ``integrations`` flag keeps the event away, or None when none does."""
    if integration_enabled(event, destination_name):
        return None
    integrations = event["integrations"]
    if integrations.get(destination_name) is not None:
        return f"integrations.{destination_name} is false for this event"
    return f"integrations.All is false and integrations.{destination_name} is not set"
