import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from runtime.definitions import Definition
from runtime.outcomes import OutcomeKind
from runtime.testing import run_destination

SETTINGS = {
    "apiKey": "sk_test_secret",
    "externalCustomerIdField": "userId",
    "propertiesMapping": {"tokens": "tokens"},
    "endpoint": "https://orb.invalid/v1",
}


def track(number: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "track",
        "event": "api_call",
        "userId": "acct_42",
        "messageId": f"m-{number}",
        "timestamp": "2026-12-04T15:00:00Z",
        "properties": {"tokens": number},
        **extra,
    }


def transport(
    handler: Callable[[httpx.Request], httpx.Response],
) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


def test_pipeline_batches_track_events(orb: Definition) -> None:
    result = run_destination(orb, SETTINGS, [track(n) for n in range(5)], batch_size=2)
    bodies = [request["body"] for request in result.requests]
    assert [len(body["events"]) for body in bodies] == [2, 2, 1]
    assert [o.kind for o in result.outcomes] == [OutcomeKind.DELIVERED] * 5


def test_pipeline_keeps_input_order(orb: Definition) -> None:
    identify = {"type": "page", "userId": "u", "messageId": "p-1"}
    result = run_destination(orb, SETTINGS, [track(1), identify, track(2)])
    assert [o.message_id for o in result.outcomes] == ["m-1", "p-1", "m-2"]


def test_pipeline_rejects_only_failing_event_in_batch(orb: Definition) -> None:
    events = [track(1), track(2, timestamp="2099-01-01T00:00:00Z"), track(3)]
    result = run_destination(orb, SETTINGS, events)
    kinds = [outcome.kind for outcome in result.outcomes]
    assert kinds == [OutcomeKind.DELIVERED, OutcomeKind.REJECTED, OutcomeKind.DELIVERED]
    assert "Orb validation failed" in result.outcomes[1].reason


def test_pipeline_sandbox_ingests_passing_events(orb: Definition) -> None:
    events = [track(1), track(2, timestamp="2099-01-01T00:00:00Z"), track(3)]
    result = run_destination(orb, SETTINGS, events)
    keys = [event["idempotency_key"] for event in _ingested(result.sandbox)]
    assert keys == ["m-1", "m-3"]


def _ingested(app: Any) -> list[dict[str, Any]]:
    return [event.to_json() for event in app.state.sandbox.events]


@pytest.mark.parametrize("status", [429, 500, 502, 503, 408])
def test_pipeline_retries_then_delivers(orb: Definition, status: int) -> None:
    answers = [
        httpx.Response(status, headers={"Retry-After": "2"}),
        httpx.Response(200, json={}),
    ]
    result = run_destination(
        orb, SETTINGS, [track(1)], transport=transport(lambda request: answers.pop(0))
    )
    outcome = result.outcomes[0]
    assert outcome.kind is OutcomeKind.DELIVERED
    assert [attempt.status for attempt in outcome.attempts] == [status, 200]


def test_pipeline_waits_retry_after(orb: Definition) -> None:
    waits: list[float] = []
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(200, json={}),
    ]

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    import asyncio

    from runtime.pipeline import Pipeline, RawEvent

    async def run() -> None:
        client = httpx.AsyncClient(transport=transport(lambda request: answers.pop(0)))
        async with client:
            pipeline = Pipeline(orb, _checked(orb), client, sleep=sleep)
            [o async for o in pipeline.run([RawEvent("t", track(1))])]

    asyncio.run(run())
    assert waits == [7.0]


def _checked(orb: Definition) -> dict[str, Any]:
    from runtime.settings import validate_settings

    return validate_settings(orb.settings_schema, SETTINGS)


def test_pipeline_gives_up_after_max_attempts(orb: Definition) -> None:
    calls: list[int] = []

    def always_busy(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(503)

    result = run_destination(
        orb, SETTINGS, [track(1)], transport=transport(always_busy), max_attempts=4
    )
    assert len(calls) == 4
    assert result.outcomes[0].kind is OutcomeKind.FAILED
    assert result.outcomes[0].reason.startswith("gave up after 4 attempts: HTTP 503")


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, OutcomeKind.REJECTED),
        (401, OutcomeKind.FAILED),
        (403, OutcomeKind.FAILED),
        (404, OutcomeKind.REJECTED),
    ],
    ids=["400", "401", "403", "404"],
)
def test_pipeline_does_not_retry(
    orb: Definition, status: int, kind: OutcomeKind
) -> None:
    calls: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(status, json={"title": "nope"})

    result = run_destination(orb, SETTINGS, [track(1)], transport=transport(answer))
    assert len(calls) == 1
    assert result.outcomes[0].kind is kind


def test_pipeline_retries_connection_errors(orb: Definition) -> None:
    answers: list[Any] = [
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, json={}),
    ]

    def answer(request: httpx.Request) -> httpx.Response:
        item = answers.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    result = run_destination(orb, SETTINGS, [track(1)], transport=transport(answer))
    outcome = result.outcomes[0]
    assert outcome.kind is OutcomeKind.DELIVERED
    assert outcome.attempts[0].error is not None
    assert outcome.attempts[0].error.startswith("connection failed")
    assert outcome.attempts[1].error is not None
    assert outcome.attempts[1].error.startswith("timed out")


def test_pipeline_invalid_api_key_against_sandbox(orb: Definition) -> None:
    def wrong_key(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"title": "Authentication error"})

    result = run_destination(orb, SETTINGS, [track(1)], transport=transport(wrong_key))
    assert result.outcomes[0].reason.startswith("HTTP 401 invalid API key")


def test_pipeline_never_records_secret(orb: Definition) -> None:
    result = run_destination(orb, SETTINGS, [track(1)])
    recorded = json.dumps([o.as_dict() for o in result.outcomes]) + json.dumps(
        result.requests
    )
    assert "sk_test_secret" not in recorded
    assert "Bearer [REDACTED]" in recorded


def test_pipeline_splits_batch_on_repeated_key(orb: Definition) -> None:
    result = run_destination(orb, SETTINGS, [track(1), track(1), track(2)])
    assert [len(r["body"]["events"]) for r in result.requests] == [1, 2]
    assert [o.kind for o in result.outcomes] == [OutcomeKind.DELIVERED] * 3


def test_pipeline_honours_integrations_flags(orb: Definition) -> None:
    events = [
        track(1, integrations={"All": False}),
        track(2, integrations={"All": False, "Orb": True}),
        track(3, integrations={"Orb": False}),
    ]
    result = run_destination(orb, SETTINGS, events)
    kinds = [outcome.kind for outcome in result.outcomes]
    assert kinds == [
        OutcomeKind.UNSUPPORTED,
        OutcomeKind.DELIVERED,
        OutcomeKind.UNSUPPORTED,
    ]


def test_pipeline_rejects_invalid_event_and_goes_on(orb: Definition) -> None:
    result = run_destination(
        orb, SETTINGS, [{"type": "track", "userId": "u"}, track(1)]
    )
    assert result.outcomes[0].kind is OutcomeKind.REJECTED
    assert result.outcomes[0].reason.startswith("invalid event: event: missing")
    assert result.outcomes[1].kind is OutcomeKind.DELIVERED


def test_pipeline_dry_run_sends_nothing(orb: Definition) -> None:
    result = run_destination(orb, SETTINGS, [track(1)], dry_run=True)
    assert result.requests == []
    assert result.outcomes[0].kind is OutcomeKind.DRY_RUN
    assert result.outcomes[0].requests[0]["url"].endswith("/v1/ingest")
