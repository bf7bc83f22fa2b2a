import random
from datetime import datetime, timezone

import pytest

from runtime.delivery.retry import RetryPolicy, parse_retry_after

NOW = datetime(2026, 12, 4, 16, 0, tzinfo=timezone.utc)


def test_delay_grows_exponentially_within_jitter() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=100.0, random=random.Random(1))
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0)]:
        delay = policy.delay(attempt)
        assert ceiling / 2 <= delay <= ceiling


def test_delay_is_capped() -> None:
    policy = RetryPolicy(initial_delay=1.0, max_delay=5.0)
    assert policy.delay(20) <= 5.0


def test_delay_has_jitter() -> None:
    policy = RetryPolicy(initial_delay=1.0, random=random.Random(7))
    assert len({policy.delay(3) for _ in range(10)}) > 1


def test_delay_honours_retry_after() -> None:
    assert RetryPolicy().delay(1, retry_after=7.0) == 7.0


def test_delay_caps_retry_after() -> None:
    assert RetryPolicy(max_retry_after=60).delay(1, retry_after=3600) == 60


def test_policy_needs_one_attempt() -> None:
    with pytest.raises(ValueError, match="max_attempts must be 1 or more"):
        RetryPolicy(max_attempts=0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("Fri, 04 Dec 2026 16:00:30 GMT", 30.0),
        (None, None),
        ("soon", None),
        ("-4", 0.0),
    ],
    ids=["seconds", "fraction", "http-date", "absent", "garbage", "negative"],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected
