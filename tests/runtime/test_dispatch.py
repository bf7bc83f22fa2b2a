import asyncio
from pathlib import Path
from typing import Any

import pytest

from runtime.definitions import Definition, load_definition
from runtime.dispatch import Dispatched
from runtime.dispatch import dispatch as dispatch_async
from runtime.outcomes import OutcomeKind
from runtime.requests import Request
from tests.runtime.builders import write_destination

EVENT = {"type": "track", "event": "Signed Up", "messageId": "m-1", "userId": "u"}
SETTINGS = {"token": "t", "endpoint": "https://echo.invalid"}


def dispatch(
    definition: Definition, event: dict[str, Any], settings: Any
) -> Dispatched:
    return asyncio.run(dispatch_async(definition, event, settings))


def destination(tmp_path: Path, body: str) -> Definition:
    functions = "from runtime import *\n\ndef on_track(event, settings):\n" + body
    return load_definition(write_destination(tmp_path / "echo", functions=functions))


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        (
            "    raise EventNotSupported('no sign-ups')\n",
            OutcomeKind.UNSUPPORTED,
            "no sign-ups",
        ),
        (
            "    raise InvalidEventPayload('bad amount')\n",
            OutcomeKind.REJECTED,
            "bad amount",
        ),
        ("    raise ValidationError('too long')\n", OutcomeKind.REJECTED, "too long"),
        ("    raise RetryError('busy')\n", OutcomeKind.FAILED, "busy"),
    ],
    ids=["not-supported", "invalid-payload", "validation-error", "retry-error"],
)
def test_dispatch_maps_function_errors(
    tmp_path: Path, body: str, kind: OutcomeKind, reason: str
) -> None:
    dispatched = dispatch(destination(tmp_path, body), dict(EVENT), SETTINGS)
    assert dispatched.kind is kind
    assert dispatched.reason == reason


def test_dispatch_retry_error_asks_for_retry(tmp_path: Path) -> None:
    dispatched = dispatch(
        destination(tmp_path, "    raise RetryError('x')\n"), EVENT, SETTINGS
    )
    assert dispatched.retry is True


def test_dispatch_reports_bug_with_location(tmp_path: Path) -> None:
    definition = destination(tmp_path, "    return 1 / 0\n")
    dispatched = dispatch(definition, EVENT, SETTINGS)
    assert dispatched.kind is OutcomeKind.FAILED
    assert (
        "bug in destination echo: ZeroDivisionError: division by zero"
        in dispatched.reason
    )
    assert f"{tmp_path / 'echo' / 'functions.py'}:4 in on_track" in dispatched.reason


def test_dispatch_rejects_wrong_return_type(tmp_path: Path) -> None:
    dispatched = dispatch(
        destination(tmp_path, "    return {'url': 'x'}\n"), EVENT, SETTINGS
    )
    assert dispatched.kind is OutcomeKind.FAILED
    assert "on_track returned dict" in dispatched.reason


def test_dispatch_rejects_none(tmp_path: Path) -> None:
    dispatched = dispatch(destination(tmp_path, "    pass\n"), EVENT, SETTINGS)
    assert "returned NoneType" in dispatched.reason


def test_dispatch_batch_item_needs_batching(tmp_path: Path) -> None:
    body = "    return BatchItem('b', 'k', {})\n"
    dispatched = dispatch(destination(tmp_path, body), EVENT, SETTINGS)
    assert "declares no batching" in dispatched.reason


def test_dispatch_unhandled_type_is_unsupported(tmp_path: Path) -> None:
    definition = destination(tmp_path, "    return None\n")
    dispatched = dispatch(definition, {**EVENT, "type": "page"}, SETTINGS)
    assert dispatched.kind is OutcomeKind.UNSUPPORTED
    assert dispatched.reason == "echo does not handle page events"


def test_dispatch_returns_requests(tmp_path: Path) -> None:
    body = "    return [Request('POST', 'https://a.invalid'), Request('PUT', 'https://b.invalid')]\n"
    dispatched = dispatch(destination(tmp_path, body), EVENT, SETTINGS)
    assert dispatched.kind is None
    assert [part.method for part in dispatched.parts if isinstance(part, Request)] == [
        "POST",
        "PUT",
    ]


def test_dispatch_awaits_async_handler(tmp_path: Path) -> None:
    functions = (
        "from runtime import *\n\n"
        "async def on_track(event, settings):\n"
        "    return Request('POST', 'https://a.invalid')\n"
    )
    definition = load_definition(
        write_destination(tmp_path / "echo", functions=functions)
    )
    dispatched = dispatch(definition, EVENT, SETTINGS)
    assert dispatched.kind is None
    assert len(dispatched.parts) == 1


def test_dispatch_wrong_signature_hint(tmp_path: Path) -> None:
    functions = "def on_track(event):\n    return None\n"
    definition = load_definition(
        write_destination(tmp_path / "echo", functions=functions)
    )
    dispatched = dispatch(definition, EVENT, SETTINGS)
    assert dispatched.kind is OutcomeKind.FAILED
    assert dispatched.reason.endswith("handlers take (event, settings)")


def test_pipeline_redacts_secret_in_handler_error(tmp_path: Path) -> None:
    from runtime.testing import run_destination

    functions = (
        "def on_track(event, settings):\n"
        "    raise KeyError('boom ' + settings['token'])\n"
    )
    folder = write_destination(
        tmp_path / "echo", functions=functions, sandbox="builtin:echo"
    )
    result = run_destination(
        load_definition(folder), {"token": "tok_secret_42"}, [EVENT]
    )
    assert "tok_secret_42" not in result.outcomes[0].reason
    assert "boom [REDACTED]" in result.outcomes[0].reason


def test_pipeline_invalid_url_fails_without_retry(tmp_path: Path) -> None:
    from runtime.testing import run_destination

    functions = (
        "from runtime import Request\n\n"
        "def on_track(event, settings):\n"
        "    return Request('POST', 'not-a-url/events')\n"
    )
    folder = write_destination(
        tmp_path / "echo", functions=functions, sandbox="builtin:echo"
    )
    result = run_destination(
        load_definition(folder), {"token": "tok_1234"}, [EVENT], max_attempts=5
    )
    outcome = result.outcomes[0]
    assert outcome.kind is OutcomeKind.FAILED
    assert len(outcome.attempts) == 1
    assert outcome.reason.startswith("invalid request URL 'not-a-url/events'")


def test_pipeline_retry_error_gives_up_with_count(tmp_path: Path) -> None:
    from runtime.testing import run_destination

    functions = (
        "from runtime import RetryError\n\n"
        "def on_track(event, settings):\n"
        "    raise RetryError('partner busy')\n"
    )
    folder = write_destination(
        tmp_path / "echo", functions=functions, sandbox="builtin:echo"
    )
    result = run_destination(
        load_definition(folder), {"token": "tok_1234"}, [EVENT], max_attempts=3
    )
    assert result.outcomes[0].kind is OutcomeKind.FAILED
    assert result.outcomes[0].reason == "gave up after 3 calls: partner busy"
