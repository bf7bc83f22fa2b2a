import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from runtime.definitions import Definition, load_definition
from runtime.errors import DefinitionError
from runtime.outcomes import OutcomeKind
from runtime.testing import run_destination

SETTINGS = {"url": "https://partner.invalid/hook", "token": "tok_secret_1", "size": 1}


def definition(**overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "name": "Partner",
        "slug": "partner",
        "description": "An actions-only destination for tests.",
        "settings": {
            "type": "object",
            "required": ["url", "token"],
            "properties": {
                "url": {"type": "string"},
                "token": {"type": "string", "writeOnly": True},
                "size": {"type": "integer", "default": 1},
            },
        },
        "actions": {
            "order": {
                "title": "Send order",
                "fields": {
                    "order_id": {
                        "type": "string",
                        "required": True,
                        "default": {"@path": "$.properties.order_id"},
                    },
                    "total": {
                        "type": "number",
                        "default": {"@path": "$.properties.total"},
                    },
                    "tier": {
                        "type": "string",
                        "choices": ["free", "pro"],
                        "default": {"@path": "$.context.traits.plan"},
                    },
                    "email": {
                        "type": "string",
                        "allowNull": True,
                        "default": {"@path": "$.context.traits.email"},
                    },
                },
                "request": {
                    "method": "POST",
                    "url": "{{settings.url}}/orders",
                    "headers": {"Authorization": "Token {{settings.token}}"},
                },
                "batching": {
                    "maxSize": 10,
                    "sizeSetting": "size",
                    "key": "order_id",
                    "body": {"orders": {"@path": "$.payloads"}},
                    "results": {
                        "path": "$.errors",
                        "key": "order_id",
                        "message": "reason",
                    },
                },
            }
        },
        "presets": [
            {
                "name": "Orders",
                "subscribe": 'type = "track" and event = "Order Completed"',
                "action": "order",
                "mapping": {},
            }
        ],
    }
    raw.update(overrides)
    return raw


def write(tmp_path: Path, raw: dict[str, Any]) -> Path:
    folder = tmp_path / "partner"
    folder.mkdir(exist_ok=True)
    (folder / "destination.json").write_text(json.dumps(raw))
    return folder


def load(tmp_path: Path, **overrides: Any) -> Definition:
    return load_definition(write(tmp_path, definition(**overrides)))


def problems(tmp_path: Path, raw: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(write(tmp_path, raw))
    return [str(problem) for problem in caught.value.problems]


def order(number: int, **properties: Any) -> dict[str, Any]:
    return {
        "type": "track",
        "event": "Order Completed",
        "userId": "u-1",
        "messageId": f"m-{number}",
        "properties": {"order_id": f"o-{number}", "total": 10.5, **properties},
        "context": {"traits": {"plan": "pro"}},
    }


def test_action_maps_and_sends(tmp_path: Path) -> None:
    result = run_destination(
        load(tmp_path),
        SETTINGS,
        [order(1)],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert result.outcomes[0].kind is OutcomeKind.DELIVERED
    request = result.requests[0]
    assert request["url"] == "https://partner.invalid/hook/orders"
    assert request["headers"]["authorization"] == "Token [REDACTED]"
    assert request["body"] == {"order_id": "o-1", "total": 10.5, "tier": "pro"}


def test_action_unsubscribed_event_unsupported(tmp_path: Path) -> None:
    event = {**order(1), "event": "Cart Viewed"}
    result = run_destination(
        load(tmp_path),
        SETTINGS,
        [event],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert result.outcomes[0].kind is OutcomeKind.UNSUPPORTED
    assert "no preset subscription matches" in result.outcomes[0].reason


@pytest.mark.parametrize(
    ("properties", "words"),
    [
        ({"order_id": None}, "order.order_id: missing required value"),
        ({"total": "ten"}, 'order.total: "ten" is invalid'),
    ],
    ids=["required-missing", "wrong-type"],
)
def test_action_payload_errors_name_field(
    tmp_path: Path, properties: dict[str, Any], words: str
) -> None:
    event = order(1)
    event["properties"].update(properties)
    event["properties"] = {
        k: v for k, v in event["properties"].items() if v is not None
    }
    result = run_destination(
        load(tmp_path),
        SETTINGS,
        [event],
        dry_run=True,
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert result.outcomes[0].kind is OutcomeKind.REJECTED
    assert words in result.outcomes[0].reason


def test_action_choice_error_lists_choices(tmp_path: Path) -> None:
    event = order(1)
    event["context"]["traits"]["plan"] = "gold"
    result = run_destination(
        load(tmp_path),
        SETTINGS,
        [event],
        dry_run=True,
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert "order.tier" in result.outcomes[0].reason
    assert "map one of: free, pro" in result.outcomes[0].reason


def test_action_allow_null(tmp_path: Path) -> None:
    event = order(1)
    event["context"]["traits"]["email"] = None
    result = run_destination(
        load(tmp_path),
        SETTINGS,
        [event],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert result.outcomes[0].kind is OutcomeKind.DELIVERED
    assert result.requests[0]["body"]["email"] is None


def test_action_batches_with_per_event_results(tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"errors": [{"order_id": "o-2", "reason": "duplicate"}]}
        )

    result = run_destination(
        load(tmp_path),
        {**SETTINGS, "size": 3},
        [order(1), order(2), order(3)],
        transport=httpx.MockTransport(answer),
    )
    assert len(result.requests) == 1
    assert [o["order_id"] for o in result.requests[0]["body"]["orders"]] == [
        "o-1",
        "o-2",
        "o-3",
    ]
    kinds = [outcome.kind for outcome in result.outcomes]
    assert kinds == [OutcomeKind.DELIVERED, OutcomeKind.REJECTED, OutcomeKind.DELIVERED]
    assert result.outcomes[1].reason == "action order: duplicate"


def test_action_batch_size_one_sends_singly(tmp_path: Path) -> None:
    result = run_destination(
        load(tmp_path),
        SETTINGS,
        [order(1), order(2)],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert [r["body"]["order_id"] for r in result.requests] == ["o-1", "o-2"]


def test_preset_mapping_overrides_default(tmp_path: Path) -> None:
    presets = [
        {
            "subscribe": 'type = "track"',
            "action": "order",
            "mapping": {"order_id": {"@template": "#{{properties.order_id}}"}},
        }
    ]
    result = run_destination(
        load(tmp_path, presets=presets),
        SETTINGS,
        [order(1)],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert result.requests[0]["body"]["order_id"] == "#o-1"


def test_functions_and_actions_in_one_definition(tmp_path: Path) -> None:
    folder = write(tmp_path, definition(eventTypes=["identify"]))
    (folder / "functions.py").write_text(
        "from runtime import Request\n\n"
        "def on_identify(event, settings):\n"
        "    return Request('PUT', settings['url'] + '/people/' + event['userId'])\n"
    )
    identify = {"type": "identify", "userId": "u-1", "messageId": "i-1"}
    result = run_destination(
        load_definition(folder),
        SETTINGS,
        [order(1), identify],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert [r["url"] for r in result.requests] == [
        "https://partner.invalid/hook/orders",
        "https://partner.invalid/hook/people/u-1",
    ]


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (
            lambda raw: raw["actions"]["order"]["fields"]["total"].update(
                default={"@path": 5}
            ),
            "#/actions/order/fields/total/default",
            "(@path)",
        ),
        (
            lambda raw: raw["actions"]["order"]["fields"]["total"].update(
                default={"@json": {"mode": "zip", "value": {"@path": "$.a"}}}
            ),
            "#/actions/order/fields/total/default/@json/mode",
            "(@json)",
        ),
        (
            lambda raw: raw["presets"][0]["mapping"].update(total={"@template": 3}),
            "#/presets/0/mapping/total",
            "(@template)",
        ),
        (
            lambda raw: raw["presets"][0]["mapping"].update(colour={"@path": "$.x"}),
            "#/presets/0/mapping/colour",
            "is not a field",
        ),
        (
            lambda raw: raw["presets"][0].update(action="ship"),
            "#/presets/0/action",
            "unknown action 'ship'",
        ),
        (
            lambda raw: raw["presets"][0].update(subscribe='type = "track" and ('),
            "#/presets/0/subscribe",
            "invalid subscription",
        ),
        (
            lambda raw: raw["actions"]["order"]["fields"]["total"].update(type="money"),
            "#/actions/order/fields/total/type",
            "use one of string",
        ),
        (
            lambda raw: raw["actions"]["order"].pop("request"),
            "#/actions/order/request",
            "missing required value",
        ),
    ],
    ids=[
        "path-not-string",
        "json-bad-mode",
        "template-not-string",
        "unknown-field",
        "unknown-action",
        "bad-subscription",
        "unknown-field-type",
        "missing-request",
    ],
)
def test_definition_action_problems(
    tmp_path: Path, change: Any, where: str, words: str
) -> None:
    raw = definition()
    change(raw)
    found = problems(tmp_path, raw)
    expected = f"{tmp_path / 'partner' / 'destination.json'}{where}"
    assert any(p.startswith(expected) and words in p for p in found), found


def test_surprising_subscription_warns(tmp_path: Path) -> None:
    presets = [
        {
            "subscribe": 'type = "track" or event = "A" and event = "B"',
            "action": "order",
            "mapping": {},
        }
    ]
    loaded = load(tmp_path, presets=presets)
    assert len(loaded.warnings) == 1
    assert loaded.warnings[0].startswith(
        f"{tmp_path / 'partner' / 'destination.json'}#/presets/0/subscribe: "
    )


def test_mapping_compiled_once_at_load(tmp_path: Path) -> None:
    loaded = load(tmp_path)
    preset = loaded.presets[0]
    assert preset.mapping is loaded.presets[0].mapping
    assert callable(getattr(preset.mapping, "apply"))


def test_definition_request_template_problems(tmp_path: Path) -> None:
    raw = definition()
    raw["actions"]["order"]["request"]["url"] = "{{settings.url/orders"
    raw["actions"]["order"]["request"]["body"] = {"@bogus": 1}
    raw["actions"]["order"]["batching"]["body"] = {"orders": {"@path": 3}}
    found = problems(tmp_path, raw)
    source = f"{tmp_path / 'partner' / 'destination.json'}#/actions/order"
    assert found[0].startswith(f"{source}/request/url: unbalanced braces")
    assert found[1].startswith(f"{source}/request/body: invalid mapping (@bogus)")
    assert found[2].startswith(
        f"{source}/batching/body/orders/@path: invalid mapping (@path)"
    )


def test_password_field_values_redacted(tmp_path: Path) -> None:
    raw = definition()
    fields = raw["actions"]["order"]["fields"]
    fields["card"] = {
        "type": "password",
        "default": {"@path": "$.properties.card_token"},
    }
    raw["actions"]["order"]["request"]["headers"]["X-Card"] = "{{payload.card}}"
    folder = write(tmp_path, raw)
    event = order(1, card_token="tok_SECRET_777")
    result = run_destination(
        load_definition(folder),
        SETTINGS,
        [event],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    recorded = json.dumps(result.requests) + json.dumps(result.outcomes[0].as_dict())
    assert "tok_SECRET_777" not in recorded
    assert result.requests[0]["headers"]["x-card"] == "[REDACTED]"


def test_url_template_encodes_payload_values(tmp_path: Path) -> None:
    raw = definition()
    raw["actions"]["order"]["request"]["url"] = (
        "{{settings.url}}/orders/{{payload.order_id}}"
    )
    event = order(1)
    event["properties"]["order_id"] = "o/../x?y=1"
    result = run_destination(
        load_definition(write(tmp_path, raw)),
        SETTINGS,
        [event],
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    assert (
        result.requests[0]["url"]
        == "https://partner.invalid/hook/orders/o%2F..%2Fx%3Fy%3D1"
    )
