"""Compiling the actions and presets of a destination.json, collecting every problem."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from runtime.actions.action import Action
from runtime.actions.presets import Preset
from runtime.errors import MappingError, Problem
from runtime.mapping import compile_mapping, validate_mapping
from runtime.subscriptions import parse_subscription

__all__ = ["load_actions"]

logger = logging.getLogger("segment_emulator.definitions")


def load_actions(
    raw: Mapping[str, Any], source: str
) -> tuple[dict[str, Action], list[Preset], list[Problem], list[str]]:
    """Return the compiled actions and presets, the problems and the warnings.

    Problems name ``file#/json/pointer`` and the directive involved; warnings explain
    how Segment reads a surprising subscription query.
    """
    problems: list[Problem] = []
    actions: dict[str, Action] = {}
    for name, action in raw.get("actions", {}).items():
        where = f"{source}#/actions/{name}"
        found = _mapping_problems(action.get("fields", {}), where)
        found += _request_problems(action, where)
        problems.extend(found)
        if not found:
            actions[name] = Action.compile(name, action)

    presets: list[Preset] = []
    warnings: list[str] = []
    for index, preset in enumerate(raw.get("presets", [])):
        where = f"{source}#/presets/{index}"
        built = _preset(preset, where, actions, raw.get("actions", {}), problems)
        if built is not None:
            presets.append(built)
            warnings.extend(
                f"{where}/subscribe: {w}" for w in built.subscription.warnings
            )
    for warning in warnings:
        logger.warning("%s", warning)
    return actions, presets, problems, warnings


def _mapping_problems(fields: Mapping[str, Any], where: str) -> list[Problem]:
    problems: list[Problem] = []
    for field_name, field in fields.items():
        if "default" in field:
            pointer = f"{where}/fields/{field_name}/default"
            problems.extend(
                _problem(e, pointer) for e in validate_mapping(field["default"])
            )
    return problems


def _request_problems(action: Mapping[str, Any], where: str) -> list[Problem]:
    """Check the request's URL template and the mappings of its headers and bodies."""
    request = action.get("request", {})
    problems: list[Problem] = []
    url = request.get("url", "")
    if url.count("{{") != url.count("}}"):
        problems.append(
            Problem(
                f"{where}/request/url",
                f"unbalanced braces in {url!r}; "
                "close every {{ with }}, as in {{settings.url}}",
            )
        )
    mappings = [
        ("request/headers", request.get("headers")),
        ("request/body", request.get("body")),
        ("batching/body", action.get("batching", {}).get("body")),
    ]
    for pointer, mapping in mappings:
        if mapping is not None:
            problems.extend(
                _problem(e, f"{where}/{pointer}") for e in validate_mapping(mapping)
            )
    return problems


def _preset(
    preset: Mapping[str, Any],
    where: str,
    actions: dict[str, Action],
    declared: Mapping[str, Any],
    problems: list[Problem],
) -> Preset | None:
    action_name = preset["action"]
    if action_name not in declared:
        known = ", ".join(sorted(declared)) or "none"
        problems.append(
            Problem(
                f"{where}/action",
                f"unknown action {action_name!r}; declared actions: {known}",
            )
        )
        return None
    fields = declared[action_name].get("fields", {})
    given = preset.get("mapping", {})
    count = len(problems)
    for field_name, mapping in given.items():
        pointer = f"{where}/mapping/{field_name}"
        if field_name not in fields:
            problems.append(
                Problem(
                    pointer,
                    f"{field_name!r} is not a field of action "
                    f"{action_name!r}; use one of: {', '.join(fields)}",
                )
            )
        problems.extend(_problem(e, pointer) for e in validate_mapping(mapping))
    try:
        subscription = parse_subscription(preset["subscribe"])
    except MappingError as exc:
        problems.append(Problem(f"{where}/subscribe", f"invalid subscription: {exc}"))
        return None
    if len(problems) > count or action_name not in actions:
        return None
    combined = {
        name: given[name] if name in given else field["default"]
        for name, field in fields.items()
        if name in given or "default" in field
    }
    return Preset(
        name=preset.get("name", action_name),
        subscription=subscription,
        action=actions[action_name],
        mapping=compile_mapping(combined),
    )


def _problem(error: MappingError, pointer: str) -> Problem:
    directive = f" ({error.directive})" if error.directive else ""
    message = str(error).split(": ", 1)[-1]
    return Problem(
        f"{pointer}{error.pointer}", f"invalid mapping{directive}: {message}"
    )
