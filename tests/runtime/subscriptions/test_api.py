"""Public API of runtime.subscriptions."""

from __future__ import annotations

from runtime import subscriptions
from runtime.subscriptions import Subscription, parse_subscription


def test_api_exports() -> None:
    assert sorted(subscriptions.__all__) == [
        "Subscription",
        "matches",
        "parse_subscription",
    ]


def test_api_parse_returns_subscription() -> None:
    assert isinstance(parse_subscription('type = "track"'), Subscription)


def test_api_warnings_are_strings() -> None:
    warnings = parse_subscription('type = "a" OR event = "b"').warnings
    assert all(isinstance(warning, str) for warning in warnings)
