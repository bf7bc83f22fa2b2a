"""Declarative actions: typed fields mapped with mapping-kit, and presets that subscribe them."""

from runtime.actions.action import Action, ActionBatching, RequestTemplate
from runtime.actions.fields import FIELD_TYPES, payload_schema
from runtime.actions.loader import load_actions
from runtime.actions.presets import Preset

__all__ = [
    "FIELD_TYPES",
    "Action",
    "ActionBatching",
    "Preset",
    "RequestTemplate",
    "load_actions",
    "payload_schema",
]
