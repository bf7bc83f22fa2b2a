"""``segment-emulator map`` and ``match``: try a mapping or a subscription on one event."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from runtime.errors import MappingError
from runtime.mapping import MISSING, compile_mapping, stringify_json, validate_mapping
from runtime.subscriptions import parse_subscription

__all__ = ["add_parsers"]

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_INVALID = 2


def add_parsers(commands: Any) -> None:
    mapper = commands.add_parser(
        "map",
        help="apply a mapping-kit mapping to an event and print the result",
        description="Apply MAPPING (mapping-kit JSON) to EVENT and print the result. "
        "Either file may be - for standard input.",
    )
    mapper.add_argument("mapping", help="mapping JSON file, or -")
    mapper.add_argument("event", help="event JSON file, or -")
    mapper.set_defaults(run=run_map)

    matcher = commands.add_parser(
        "match",
        help="check whether an event matches a subscription query",
        description="Print whether EVENT matches QUERY as Segment reads it, and how "
        "Segment reads the query where that is surprising. Exit status 0 on a match, "
        "1 on no match, 2 for an invalid query or event.",
    )
    matcher.add_argument("query", help="trigger query, such as 'type = \"track\"'")
    matcher.add_argument("event", help="event JSON file, or -")
    matcher.set_defaults(run=run_match)


def run_map(args: argparse.Namespace) -> int:
    if args.mapping == "-" and args.event == "-":
        return _fail("only one of MAPPING and EVENT can be read from standard input")
    mapping = _read_json(args.mapping, "mapping")
    event = _read_json(args.event, "event")
    if mapping is MISSING or event is MISSING:
        return EXIT_INVALID
    problems = validate_mapping(mapping)
    if problems:
        for problem in problems:
            print(f"error: invalid mapping: {problem}", file=sys.stderr)
        return EXIT_INVALID
    try:
        result = compile_mapping(mapping).apply(event)
    except MappingError as exc:
        return _fail(f"mapping failed on this event: {exc}")
    text = stringify_json(result)
    print("(undefined: the mapping gives no value)" if text is None else _pretty(text))
    return EXIT_OK


def run_match(args: argparse.Namespace) -> int:
    event = _read_json(args.event, "event")
    if event is MISSING:
        return EXIT_INVALID
    try:
        subscription = parse_subscription(args.query)
    except MappingError as exc:
        return _fail(f"invalid subscription, so Segment matches no event: {exc}")
    if not isinstance(event, dict):
        return _fail(f"EVENT must be a JSON object, got {type(event).__name__}")
    matched = subscription.matches(event)
    print("matched" if matched else "not matched")
    if subscription.warnings:
        print(f"read as: {subscription.describe()}")
        for warning in subscription.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK if matched else EXIT_NO_MATCH


def _read_json(path: str, kind: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        _fail(f"cannot read {kind} {path}: {reason}")
        return MISSING
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        hint = (
            "; write one JSON document, not JSON Lines"
            if exc.msg == "Extra data"
            else ""
        )
        _fail(
            f"invalid JSON in {kind} {path} at line {exc.lineno} column {exc.colno}: "
            f"{exc.msg}{hint}"
        )
        return MISSING


def _pretty(text: str) -> str:
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_INVALID
