"""The event delivery page: counts, a live event list, event details, the tester.

Templates are Jinja2 with autoescaping on, so event content always renders as
text. Destination settings are shown with secret values replaced by
``[REDACTED]``, and recorded requests were redacted before they were stored.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from runtime.server.records import DeliveryState, StoredEvent
from runtime.server.state import ServerState
from runtime.server.tester import TesterResult, dry_run_event
from runtime.settings import Redactor
from runtime.timestamps import format_utc

__all__ = ["page_routes"]

HERE = Path(__file__).parent
RECENT_EVENTS = 50
COUNT_WINDOW = 60 * 60.0
SAMPLE_EVENT = {
    "type": "track",
    "event": "api_call",
    "userId": "acct_42",
    "properties": {"tokens": 1532, "model": "small"},
}


def page_routes() -> list[BaseRoute]:
    return [
        Route("/", overview, methods=["GET"]),
        Route("/api/overview", overview_json, methods=["GET"]),
        Route("/events/{event_id:int}", event_page, methods=["GET"]),
        Route("/events/{event_id:int}/retry", retry_event, methods=["POST"]),
        Route("/dead-letters/retry", retry_all, methods=["POST"]),
        Route("/tester", tester_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


@functools.cache
def _templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["pretty_json"] = _pretty_json
    environment.filters["epoch_time"] = _epoch_time
    return Jinja2Templates(env=environment)


async def overview(request: Request) -> Response:
    context = _overview(_state(request))
    return _templates().TemplateResponse(request, "overview.html", context)


async def overview_json(request: Request) -> Response:
    context = _overview(_state(request))
    context["events"] = [_event_summary(event) for event in context["events"]]
    return JSONResponse(context)


async def event_page(request: Request) -> Response:
    state = _state(request)
    event = state.store.event(request.path_params["event_id"])
    if event is None:
        context = {"event_id": request.path_params["event_id"]}
        return _templates().TemplateResponse(
            request, "not_found.html", context, status_code=404
        )
    context = {"event": event, "states": DeliveryState}
    return _templates().TemplateResponse(request, "event.html", context)


async def retry_event(request: Request) -> Response:
    event_id = request.path_params["event_id"]
    form = await request.form()
    destination = form.get("destination")
    _state(request).retry_dead_letters(
        event_id=event_id,
        destination=destination if isinstance(destination, str) else None,
    )
    return RedirectResponse(f"/events/{event_id}", status_code=303)


async def retry_all(request: Request) -> Response:
    _state(request).retry_dead_letters()
    return RedirectResponse("/", status_code=303)


async def tester_page(request: Request) -> Response:
    state = _state(request)
    names = list(state.connections)
    context: dict[str, Any] = {
        "destinations": names,
        "chosen": names[0] if names else "",
        "text": json.dumps(SAMPLE_EVENT, indent=2),
        "result": None,
    }
    status = 200
    if request.method == "POST":
        form = await request.form()
        chosen, text = form.get("destination"), form.get("event")
        connection = state.connections.get(chosen) if isinstance(chosen, str) else None
        if isinstance(text, str):
            context["text"] = text
        if connection is None:
            known = ", ".join(names) or "none"
            message = f"unknown destination {chosen!r}; choose one of: {known}"
            context["result"] = TesterResult(error=message)
            status = 400
        elif isinstance(text, str):
            context["chosen"] = chosen
            context["result"] = await dry_run_event(state, connection, text)
    return _templates().TemplateResponse(
        request, "tester.html", context, status_code=status
    )


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def _overview(state: ServerState) -> dict[str, Any]:
    since = state.clock.now().timestamp() - COUNT_WINDOW
    source_counts = state.store.source_counts(since)
    destination_counts = state.store.destination_counts(since)
    sources = [
        {
            "name": source.name,
            "write_key_hint": _hint(source.write_key),
            "destinations": [
                d.name for d in state.config.destinations_for(source.name)
            ],
            "counts": _with_zeros(
                source_counts.get(source.name, {}),
                ("accepted", "rejected", "duplicate"),
            ),
        }
        for source in state.config.sources
    ]
    destinations = []
    for config in state.config.destinations:
        connection = state.connections.get(config.name)
        # The target's settings carry the endpoint actually used (the sandbox's).
        settings = connection.target.settings if connection else config.settings
        redactor = Redactor.for_settings(config.definition.settings_schema, settings)
        destinations.append(
            {
                "name": config.name,
                "slug": config.definition.slug,
                "title": config.definition.name,
                "target": connection.target.description if connection else "stopped",
                "sources": list(config.sources),
                "settings": redactor.data(settings),
                "counts": _with_zeros(
                    destination_counts.get(config.name, {}), tuple(DeliveryState)
                ),
            }
        )
    return {
        "sources": sources,
        "destinations": destinations,
        "events": state.store.recent_events(RECENT_EVENTS),
        "window_minutes": int(COUNT_WINDOW // 60),
    }


def _event_summary(event: StoredEvent) -> dict[str, Any]:
    return {
        "id": event.event_id,
        "messageId": event.message_id,
        "source": event.source,
        "type": event.event_type,
        "receivedAt": event.received_at,
        "status": event.status,
        "reason": event.reason,
        "deliveries": {d.destination: d.state for d in event.deliveries},
    }


def _with_zeros(counts: dict[str, int], keys: tuple[str, ...]) -> dict[str, int]:
    return {str(key): counts.get(str(key), 0) for key in keys}


def _hint(write_key: str) -> str:
    """Show only the start of a write key, as a reminder of which key it is."""
    return write_key[:4] + "…" if len(write_key) > 8 else "…"


def _pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _epoch_time(value: float) -> str:
    return format_utc(datetime.fromtimestamp(value, UTC))
