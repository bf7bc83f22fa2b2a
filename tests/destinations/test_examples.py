"""Snapshot every built-in destination's examples: each outgoing request and outcome.

A destination with an ``examples/`` folder holding ``settings.json`` and
``events.jsonl`` is picked up here with no further code.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.json import JSONSnapshotExtension

from runtime.registry import Registry
from runtime.testing import run_destination

REGISTRY = Registry.with_builtins()
WITH_EXAMPLES = [
    slug
    for slug in REGISTRY.slugs()
    if (REGISTRY.get(slug).source.parent / "examples" / "events.jsonl").is_file()
]


@pytest.fixture(autouse=True)
def _in_examples_folder(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Relative paths keep machine-specific folders out of the snapshots."""
    monkeypatch.chdir(examples(request.node.callspec.params["slug"]))


@pytest.fixture
def snapshot_json(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(JSONSnapshotExtension)


def examples(slug: str) -> Path:
    return REGISTRY.get(slug).source.parent / "examples"


def settings_for(slug: str) -> dict[str, Any]:
    settings: dict[str, Any] = json.loads(
        (examples(slug) / "settings.json").read_text()
    )
    return settings


@pytest.mark.parametrize("slug", WITH_EXAMPLES)
def test_example_requests(slug: str, snapshot_json: SnapshotAssertion) -> None:
    result = run_destination(REGISTRY.get(slug), settings_for(slug), "events.jsonl")
    assert result.requests == snapshot_json


@pytest.mark.parametrize("slug", WITH_EXAMPLES)
def test_example_report(slug: str, snapshot_json: SnapshotAssertion) -> None:
    result = run_destination(REGISTRY.get(slug), settings_for(slug), "events.jsonl")
    assert result.report() == snapshot_json


@pytest.mark.parametrize("slug", WITH_EXAMPLES)
def test_example_requests_hide_secrets(slug: str) -> None:
    settings = settings_for(slug)
    result = run_destination(REGISTRY.get(slug), settings, "events.jsonl")
    secrets = [
        settings[name]
        for name, rules in REGISTRY.get(slug).settings_schema["properties"].items()
        if rules.get("writeOnly") and name in settings
    ]
    recorded = json.dumps(result.requests) + json.dumps(result.report())
    for secret in secrets:
        assert secret not in recorded
