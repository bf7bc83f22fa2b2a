import json
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from runtime.definitions import Definition
from runtime.errors import SettingsError
from runtime.outcomes import OutcomeKind
from runtime.registry import Registry
from runtime.settings import validate_settings
from runtime.testing import run_destination
from tests.conftest import ROOT

EXAMPLES = ROOT / "destinations" / "webhook" / "examples"


@pytest.fixture(scope="module")
def webhook() -> Definition:
    return Registry.with_builtins().get("webhook")


def example_events() -> list[dict[str, Any]]:
    lines = (EXAMPLES / "events.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_webhook_is_data_only(webhook: Definition) -> None:
    assert webhook.functions is None
    assert list(webhook.actions) == ["send"]


def test_webhook_batches_when_batch_size_set(
    webhook: Definition, snapshot: SnapshotAssertion
) -> None:
    settings = {
        "url": "https://hooks.example.com/in",
        "batchSize": 3,
        "headers": {"X-Team": "billing"},
    }
    result = run_destination(webhook, settings, example_events())
    assert [len(r["body"]) for r in result.requests] == [3, 1]
    assert result.requests == snapshot(extension_class=JSONSnapshotExtension)


def test_webhook_sends_one_object_per_request(webhook: Definition) -> None:
    result = run_destination(
        webhook, {"url": "https://hooks.example.com/in"}, example_events()[:2]
    )
    bodies = [request["body"] for request in result.requests]
    assert [body["messageId"] for body in bodies] == [
        "51cfdcc8-68ab-45f2-9c0d-1f5faf9598cd",
        "3ad98f06-694a-4c06-92fd-aa830f9b9d2e",
    ]
    assert all(
        request["url"] == "https://hooks.example.com/in" for request in result.requests
    )


def test_webhook_sends_custom_headers(webhook: Definition) -> None:
    settings = {"url": "https://hooks.example.com/in", "headers": {"X-Team": "billing"}}
    result = run_destination(webhook, settings, example_events()[:1])
    assert result.outcomes[0].kind is OutcomeKind.DELIVERED
    received = result.sandbox.state.received[0]
    assert received["path"] == "/in"
    assert received["headers"]["x-team"] == "billing"


def test_webhook_header_values_redacted(webhook: Definition) -> None:
    settings = {
        "url": "https://hooks.example.com/in",
        "headers": {"Authorization": "Bearer hook_secret_123"},
    }
    result = run_destination(webhook, settings, example_events()[:1], dry_run=True)
    shown = json.dumps([outcome.as_dict() for outcome in result.outcomes])
    assert "hook_secret_123" not in shown
    assert '"Authorization": "[REDACTED]"' in shown


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({}, "settings.url: missing required value"),
        ({"url": "hooks.example.com"}, 'settings.url: "hooks.example.com" is invalid'),
        (
            {"url": "https://h.invalid", "batchSize": 0},
            "settings.batchSize: 0 is invalid",
        ),
        ({"url": "https://h.invalid", "headers": {"X-N": 1}}, "settings.headers.X-N"),
    ],
    ids=["missing-url", "url-without-scheme", "batch-size-zero", "header-not-text"],
)
def test_webhook_settings_errors(
    webhook: Definition, settings: dict[str, Any], words: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        validate_settings(webhook.settings_schema, settings)
    assert words in str(caught.value)
