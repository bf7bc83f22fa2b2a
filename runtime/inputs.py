"""Receiving events from files: JSON Lines, a JSON array, batch bodies, captured requests."""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from runtime.errors import InputError
from runtime.pipeline import RawEvent

__all__ = ["expand_body", "read_events"]

_TYPE_BY_PATH = {
    "track": "track",
    "identify": "identify",
    "page": "page",
    "screen": "screen",
    "group": "group",
    "alias": "alias",
}
_BATCH_PATHS = ("batch", "import")


def read_events(path: str) -> Iterator[RawEvent]:
    """Yield the events in a file, or standard input for ``-``, one at a time.

    JSON Lines are streamed, so memory stays flat however long the file is. A file
    that is one JSON document (an array, or a batch body over several lines) is
    parsed whole. Gzip-compressed files are read transparently. Raises
    ``InputError`` when the file cannot be read to the end.
    """
    name = "<stdin>" if path == "-" else path
    try:
        with _open(path) as stream:
            first = _first_line(stream)
            if first is None:
                return
            if _is_jsonl(first):
                yield from _read_lines(name, first, stream)
            else:
                yield from _read_document(name, first + stream.read())
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read events {name}: {_describe(exc)}") from exc


def _describe(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
    if isinstance(exc, IsADirectoryError):
        return "is a directory; pass a file"
    if isinstance(exc, FileNotFoundError):
        return "no such file; check the path"
    if isinstance(exc, EOFError | zlib.error | gzip.BadGzipFile):
        return f"corrupt or cut-off gzip data ({exc}); compress the file again"
    return f"{exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)


def expand_body(body: Any, source: str, path: str = "") -> Iterator[RawEvent]:
    """Yield the events in one Tracking API body: a batch, a captured request, or an event."""
    if isinstance(body, Mapping) and "path" in body and "body" in body:
        yield from expand_body(body["body"], source, str(body["path"]))
        return
    endpoint = path.rstrip("/").rsplit("/", 1)[-1]
    if isinstance(body, Mapping) and "batch" in body:
        if not isinstance(body["batch"], list):
            reason = f"{source}: batch must be an array of events, got {type(body['batch']).__name__}"
            yield RawEvent(source, error=reason)
            return
        yield from _batch_events(body, source)
        return
    if isinstance(body, Mapping) and endpoint in _TYPE_BY_PATH and "type" not in body:
        body = {**body, "type": _TYPE_BY_PATH[endpoint]}
    yield RawEvent(source, body)


def _batch_events(body: Mapping[str, Any], source: str) -> Iterator[RawEvent]:
    """Batch-level ``context``, ``integrations`` and ``sentAt`` apply to each event."""
    shared = {key: body[key] for key in ("context", "integrations") if key in body}
    for index, event in enumerate(body["batch"]):
        where = f"{source} batch[{index}]"
        if not isinstance(event, Mapping):
            yield RawEvent(where, event)
            continue
        merged = dict(event)
        for key, value in shared.items():
            if isinstance(value, Mapping) and isinstance(merged.get(key, {}), Mapping):
                merged[key] = {**value, **merged.get(key, {})}
        if "sentAt" in body and "sentAt" not in merged:
            merged["sentAt"] = body["sentAt"]
        yield RawEvent(where, merged)


def _open(path: str) -> IO[str]:
    if path == "-":
        stdin = sys.stdin.buffer
        assert isinstance(stdin, io.BufferedReader)
        if _is_gzip(stdin.peek(2)):
            return io.TextIOWrapper(gzip.GzipFile(fileobj=stdin), encoding="utf-8-sig")
        return io.TextIOWrapper(stdin, encoding="utf-8-sig")
    with Path(path).open("rb") as probe:
        compressed = _is_gzip(probe.read(2))
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8-sig")
    return Path(path).open(encoding="utf-8-sig")


def _is_gzip(start: bytes) -> bool:
    return start[:2] == b"\x1f\x8b"


def _first_line(stream: IO[str]) -> str | None:
    for line in stream:
        if line.strip():
            return line
    return None


def _is_jsonl(first: str) -> bool:
    try:
        value = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(value, Mapping)


def _read_lines(name: str, first: str, stream: IO[str]) -> Iterator[RawEvent]:
    line_number = 0
    for line_number, line in enumerate(_chain(first, stream), start=1):
        if not line.strip():
            continue
        source = f"{name}:{line_number}"
        try:
            value = json.loads(line.strip())
        except RecursionError:
            yield RawEvent(source, error=f"{source}: JSON nested too deep to read")
            continue
        except json.JSONDecodeError as exc:
            reason = (
                f"{source}: invalid JSON at column {exc.colno}: {exc.msg}; fix the line"
            )
            yield RawEvent(source, error=reason)
            continue
        yield from expand_body(value, source)


def _chain(first: str, stream: IO[str]) -> Iterator[str]:
    yield first
    yield from stream


def _read_document(name: str, text: str) -> Iterator[RawEvent]:
    # NOTE: a JSON array or a multi-line document is parsed whole; use JSON Lines
    # for files too large to hold in memory.
    try:
        value = json.loads(text)
    except RecursionError:
        yield RawEvent(name, error=f"{name}: JSON nested too deep to read")
        return
    except json.JSONDecodeError as exc:
        reason = (
            f"{name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}; write JSON "
            "Lines, a JSON array of events, or a batch body"
        )
        yield RawEvent(name, error=reason)
        return
    if isinstance(value, list):
        for index, event in enumerate(value):
            yield from expand_body(event, f"{name}[{index}]")
        return
    yield from expand_body(value, name)
