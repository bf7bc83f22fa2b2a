"""Presets: subscriptions that send matching events to an action with a mapping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.actions.action import Action
from runtime.errors import InvalidEventPayload, MappingError
from runtime.mapping import MISSING, CompiledMapping
from runtime.requests import BatchItem, Request
from runtime.subscriptions import Subscription

__all__ = ["Preset"]


@dataclass(frozen=True)
class Preset:
    """A named subscription, the action it triggers and the compiled field mapping."""

    name: str
    subscription: Subscription
    action: Action
    mapping: CompiledMapping

    def matches(self, event: dict[str, Any]) -> bool:
        return self.subscription.matches(event)

    def run(
        self, event: dict[str, Any], settings: dict[str, Any]
    ) -> tuple[Request | BatchItem, tuple[str, ...]]:
        """Map the event, check the payload against the fields, build the request.

        Returns the request and the values of the action's password fields.

        Raises ``ValidationError`` or ``InvalidEventPayload`` (the event is
        rejected) when the mapping fails or the payload breaks a field's rules.
        """
        try:
            mapped = self.mapping.apply(event)
        except MappingError as exc:
            raise InvalidEventPayload(f"preset {self.name!r}: {exc}") from exc
        payload = self.action.check_payload({} if mapped is MISSING else mapped)
        return self.action.build(payload, settings), self.action.secret_values(payload)
