"""A compiled action: a typed payload mapped from the event, and the request to build."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator

from runtime.actions.fields import payload_schema, secret_fields
from runtime.errors import InvalidEventPayload, ValidationError
from runtime.mapping import MISSING, CompiledMapping, compile_mapping, to_jsonable
from runtime.requests import BatchItem, Request
from runtime.schemas import problems_from, validator_for

__all__ = ["Action", "ActionBatching", "RequestTemplate"]


@dataclass(frozen=True)
class RequestTemplate:
    """Method, URL, headers and body, each compiled from mapping-kit directives.

    They are applied to ``{"settings": ..., "payload": ...}`` for one event, or to
    ``{"settings": ..., "payloads": [...]}`` for a batch.
    """

    method: str
    url: CompiledMapping
    headers: CompiledMapping
    body: CompiledMapping

    def build(self, data: Mapping[str, Any], action: str) -> Request:
        url = self.url.apply(_url_data(data))
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValidationError(
                f"action {action}: request URL is {_show(url)}; the url template must "
                "give an http(s) URL (is the setting it reads set?)"
            )
        headers = self.headers.apply(dict(data))
        header_map = headers if isinstance(headers, dict) else {}
        body = self.body.apply(dict(data))
        return Request(
            method=self.method,
            url=url,
            headers={str(k): str(v) for k, v in header_map.items() if v is not MISSING},
            json=None if body is MISSING else to_jsonable(body),
        )


@dataclass(frozen=True)
class ActionBatching:
    """How an action's payloads are grouped and how per-item results are read.

    ``key`` is the payload field that identifies an item in the partner's response;
    ``results_path`` points at a list of failures in the response, each naming the
    item by ``results_key`` and the reason by ``results_message``.
    """

    max_size: int
    size_setting: str | None
    template: RequestTemplate
    key: str | None
    results_path: str | None
    results_key: str | None
    results_message: str | None

    def size(self, settings: Mapping[str, Any]) -> int:
        if self.size_setting and isinstance(settings.get(self.size_setting), int):
            return max(1, int(settings[self.size_setting]))
        return self.max_size


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    fields: dict[str, dict[str, Any]]
    template: RequestTemplate
    batching: ActionBatching | None
    validator: Draft202012Validator

    @classmethod
    def compile(cls, name: str, raw: Mapping[str, Any]) -> Action:
        """Compile an action declared in destination.json (already schema-checked)."""
        request = raw["request"]
        template = _template(request, "payload")
        batching = None
        if "batching" in raw:
            batching = _batching(raw["batching"], request)
        fields = {key: dict(value) for key, value in raw["fields"].items()}
        return cls(
            name=name,
            title=raw.get("title", name),
            fields=fields,
            template=template,
            batching=batching,
            validator=validator_for(payload_schema(fields)),
        )

    def check_payload(self, payload: object) -> dict[str, Any]:
        """Validate a mapped payload against the fields; reject naming each field."""
        if not isinstance(payload, dict):
            raise InvalidEventPayload(
                f"action {self.name}: the mapping gave {_show(payload)}; it must give an "
                "object of field values"
            )
        jsonable = to_jsonable(payload)
        problems = problems_from(self.validator.iter_errors(jsonable), self.name)
        if problems:
            raise ValidationError("; ".join(str(problem) for problem in problems))
        assert isinstance(jsonable, dict)
        return jsonable

    def secret_values(self, payload: Mapping[str, Any]) -> tuple[str, ...]:
        values = [payload.get(name) for name in secret_fields(self.fields)]
        return tuple(str(value) for value in values if value not in (None, ""))

    def build(
        self, payload: dict[str, Any], settings: Mapping[str, Any]
    ) -> Request | BatchItem:
        if self.batching is not None and self.batching.size(settings) > 1:
            key = payload.get(self.batching.key) if self.batching.key else None
            return BatchItem(
                batch=f"action:{self.name}",
                key=_item_key(key, payload),
                payload=payload,
            )
        return self.template.build(
            {"settings": dict(settings), "payload": payload}, self.name
        )

    def build_batch(self, payloads: list[Any], settings: Mapping[str, Any]) -> Request:
        assert self.batching is not None
        data = {"settings": dict(settings), "payloads": payloads}
        return self.batching.template.build(data, self.name)

    def batch_rejections(self, body: Any, keys: list[str]) -> dict[str, str]:
        batching = self.batching
        if batching is None or not batching.results_path or not batching.results_key:
            return {}
        failures = compile_mapping({"@path": batching.results_path}).apply(
            body if isinstance(body, dict) else {}
        )
        rejected: dict[str, str] = {}
        for failure in failures if isinstance(failures, list) else []:
            if not isinstance(failure, dict):
                continue
            key = str(failure.get(batching.results_key))
            message = failure.get(
                batching.results_message or "", "rejected by the partner"
            )
            if key in keys:
                rejected[key] = f"action {self.name}: {_flatten(message)}"
        return rejected


def _url_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """Percent-encode payload text for the URL, so a value stays one path segment.

    Settings are inserted as they are, because they hold base URLs.
    """
    return {
        key: value if key == "settings" else _quoted(value)
        for key, value in data.items()
    }


def _quoted(value: Any) -> Any:
    if isinstance(value, str):
        return quote(value, safe="")
    if isinstance(value, dict):
        return {key: _quoted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_quoted(item) for item in value]
    return value


def _template(request: Mapping[str, Any], subject: str) -> RequestTemplate:
    body = request.get("body", {"@path": f"$.{subject}"})
    return RequestTemplate(
        method=request.get("method", "POST"),
        url=compile_mapping({"@template": request["url"]}),
        headers=compile_mapping(_header_templates(request.get("headers", {}))),
        body=compile_mapping(body),
    )


def _header_templates(headers: object) -> object:
    """Treat each plain header value as a template; a directive is kept as it is."""
    if not isinstance(headers, dict) or any(str(k).startswith("@") for k in headers):
        return headers
    return {
        name: {"@template": value} if isinstance(value, str) else value
        for name, value in headers.items()
    }


def _batching(raw: Mapping[str, Any], request: Mapping[str, Any]) -> ActionBatching:
    batch_request = {**request, "body": raw.get("body", {"@path": "$.payloads"})}
    results = raw.get("results", {})
    return ActionBatching(
        max_size=raw.get("maxSize", 100),
        size_setting=raw.get("sizeSetting"),
        template=_template(batch_request, "payloads"),
        key=raw.get("key"),
        results_path=results.get("path"),
        results_key=results.get("key"),
        results_message=results.get("message"),
    )


def _item_key(key: object, payload: dict[str, Any]) -> str:
    if isinstance(key, str | int | float) and not isinstance(key, bool):
        return str(key)
    return str(id(payload))


def _flatten(message: object) -> str:
    if isinstance(message, list):
        return "; ".join(map(str, message))
    return str(message)


def _show(value: object) -> str:
    if value is MISSING:
        return "undefined"
    return repr(value)
