import logging

import pytest

import runtime
from runtime.definitions import Definition
from runtime.testing import run_destination


def test_all_names_exist() -> None:
    missing = [name for name in runtime.__all__ if not hasattr(runtime, name)]
    assert missing == []


def test_all_is_sorted() -> None:
    assert runtime.__all__ == sorted(
        runtime.__all__, key=lambda n: (not n.isupper(), n)
    )


def test_delivery_logs_attempt_without_secret(
    orb: Definition, caplog: pytest.LogCaptureFixture
) -> None:
    settings = {"apiKey": "sk_log_secret", "externalCustomerIdField": "userId"}
    event = {"type": "track", "event": "e", "userId": "u", "messageId": "m-log"}
    with caplog.at_level(logging.DEBUG, logger="segment_emulator"):
        run_destination(orb, settings, [event])
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert any("orb POST" in line and "messageId=m-log" in line for line in info)
    assert "sk_log_secret" not in caplog.text
    assert "Bearer [REDACTED]" in caplog.text
