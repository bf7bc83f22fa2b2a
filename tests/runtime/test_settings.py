from typing import Any

import pytest

from runtime.definitions import Definition
from runtime.errors import SettingsError
from runtime.settings import REDACTED, Redactor, secret_names, validate_settings


def errors_for(orb: Definition, settings: object) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        validate_settings(orb.settings_schema, settings, "orb")
    return [str(problem) for problem in caught.value.problems]


def test_validate_settings_applies_defaults(orb: Definition) -> None:
    settings = validate_settings(
        orb.settings_schema, {"apiKey": "k", "externalCustomerIdField": "userId"}
    )
    assert settings["eventNameField"] == "event"
    assert settings["idempotencyKeyField"] == "messageId"
    assert settings["propertiesMapping"] == {}
    assert settings["endpoint"] == "https://api.withorb.com/v1"


def test_validate_settings_keeps_given_values(orb: Definition) -> None:
    given = {"apiKey": "k", "externalCustomerIdField": "userId", "eventNameField": "x"}
    assert validate_settings(orb.settings_schema, given)["eventNameField"] == "x"


def test_validate_settings_reports_all_errors_at_once(orb: Definition) -> None:
    problems = errors_for(orb, {"eventNameField": "", "propertiesMapping": {"a": 1}})
    assert len(problems) == 4


@pytest.mark.parametrize(
    ("settings", "location", "words"),
    [
        (
            {"externalCustomerIdField": "userId"},
            "settings.apiKey",
            "missing required value; set apiKey to an Orb API key",
        ),
        (
            {"apiKey": "k"},
            "settings.externalCustomerIdField",
            "missing required value; set externalCustomerIdField to a dot path",
        ),
        (
            {"apiKey": "", "externalCustomerIdField": "userId"},
            "settings.apiKey",
            "the secret value breaks minLength: 1",
        ),
        (
            {"apiKey": "k", "externalCustomerIdField": "userId", "eventNameField": 3},
            "settings.eventNameField",
            "3 is invalid: expected string, got a number",
        ),
        (
            {
                "apiKey": "k",
                "externalCustomerIdField": "userId",
                "idempotencyKeyField": "",
            },
            "settings.idempotencyKeyField",
            "should be non-empty",
        ),
        (
            {
                "apiKey": "k",
                "externalCustomerIdField": "userId",
                "propertiesMapping": [],
            },
            "settings.propertiesMapping",
            "[] is invalid: expected object, got an array",
        ),
        (
            {
                "apiKey": "k",
                "externalCustomerIdField": "userId",
                "propertiesMapping": {"amount": 5},
            },
            "settings.propertiesMapping.amount",
            "5 is invalid: expected string, got a number",
        ),
        (
            {"apiKey": "k", "externalCustomerIdField": "userId", "endpoint": "ftp://x"},
            "settings.endpoint",
            "use an http(s) URL",
        ),
        (
            {
                "apiKey": "k",
                "externalCustomerIdField": "userId",
                "endpoint": "https://x/v1/",
            },
            "settings.endpoint",
            "without a trailing slash",
        ),
        (
            {"apiKey": "k", "externalCustomerIdField": "userId", "apikey": "k"},
            "settings",
            "unknown key 'apikey'; did you mean 'apiKey'",
        ),
    ],
    ids=[
        "missing-apiKey",
        "missing-customer-field",
        "empty-apiKey",
        "number-event-field",
        "empty-idempotency-field",
        "mapping-array",
        "mapping-value-number",
        "endpoint-scheme",
        "endpoint-trailing-slash",
        "misspelt-setting",
    ],
)
def test_validate_settings_error(
    orb: Definition, settings: dict[str, Any], location: str, words: str
) -> None:
    problems = errors_for(orb, settings)
    assert any(p.startswith(f"{location}:") and words in p for p in problems), problems


def test_validate_settings_rejects_non_object(orb: Definition) -> None:
    assert "expected a JSON object, got list" in errors_for(orb, [])[0]


def test_settings_error_never_shows_secret(orb: Definition) -> None:
    with pytest.raises(SettingsError) as caught:
        validate_settings(orb.settings_schema, {"apiKey": "sk_live_123", "endpoint": 5})
    assert "sk_live_123" not in str(caught.value)


def test_secret_names_lists_write_only_settings(orb: Definition) -> None:
    assert secret_names(orb.settings_schema) == ["apiKey"]


def test_redactor_replaces_secret_everywhere() -> None:
    redactor = Redactor(["sk_123"])
    data = {
        "headers": {"Authorization": "Bearer sk_123"},
        "list": ["x sk_123 y"],
        "n": 1,
    }
    assert redactor.data(data) == {
        "headers": {"Authorization": f"Bearer {REDACTED}"},
        "list": [f"x {REDACTED} y"],
        "n": 1,
    }


def test_redactor_replaces_longest_secret_first() -> None:
    assert Redactor(["abc", "abcdef"]).text("abcdef") == REDACTED


def test_validate_settings_names_each_missing_setting(orb: Definition) -> None:
    problems = errors_for(orb, {})
    locations = [problem.split(":")[0] for problem in problems]
    assert locations == ["settings.apiKey", "settings.externalCustomerIdField"]


def test_redactor_short_secret_only_whole_string() -> None:
    redactor = Redactor(["k"])
    assert redactor.text("k") == REDACTED
    assert redactor.text("unknown key") == "unknown key"


def test_settings_error_hides_wrong_type_secret(orb: Definition) -> None:
    problems = errors_for(orb, {"apiKey": 12345, "externalCustomerIdField": "userId"})
    assert problems == [
        "settings.apiKey: the secret value breaks type: 'string'; "
        "set apiKey to an Orb API key (Orb: Developers > API keys)"
    ]


def test_settings_error_names_unknown_key_not_values(orb: Definition) -> None:
    settings = {
        "apiKey": "sk_live_999",
        "externalCustomerIdFeild": "userId",
        "externalCustomerIdField": "userId",
    }
    problems = errors_for(orb, settings)
    assert problems[0].startswith(
        "settings: unknown key 'externalCustomerIdFeild'; did you mean "
        "'externalCustomerIdField' for 'externalCustomerIdFeild'?"
    )
    assert "sk_live_999" not in problems[0]
