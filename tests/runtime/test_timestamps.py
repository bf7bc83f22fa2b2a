from datetime import datetime, timezone

import pytest

from runtime.timestamps import format_utc, is_timestamp, parse_timestamp

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2022-05-11T21:33:13.1652304793Z",
            datetime(2022, 5, 11, 21, 33, 13, 165230, UTC),
        ),
        ("2024-06-01T12:30:05.000+02:00", datetime(2024, 6, 1, 10, 30, 5, tzinfo=UTC)),
        ("2024-06-01T12:30:05-0530", datetime(2024, 6, 1, 18, 0, 5, tzinfo=UTC)),
        ("2024-06-01T12:30:05.1Z", datetime(2024, 6, 1, 12, 30, 5, 100000, UTC)),
        ("2024-06-01T12:30:05", datetime(2024, 6, 1, 12, 30, 5, tzinfo=UTC)),
        ("2024-06-01 12:30:05z", datetime(2024, 6, 1, 12, 30, 5, tzinfo=UTC)),
    ],
    ids=[
        "ten-fraction-digits",
        "plus-offset",
        "offset-without-colon",
        "one-fraction-digit",
        "no-offset-is-utc",
        "space-and-lower-z",
    ],
)
def test_parse_timestamp_accepts(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "2024-06-01",
        "2024-W22-6T10:00:00Z",
        "1717236605",
        "2024-13-01T00:00:00Z",
        "",
    ],
    ids=["word", "date-only", "week-date", "epoch", "month-13", "empty"],
)
def test_parse_timestamp_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_is_timestamp_rejects_non_strings() -> None:
    assert is_timestamp(1717236605) is False


def test_format_utc_uses_milliseconds_and_z() -> None:
    moment = datetime(2024, 6, 1, 12, 30, 5, 123456, UTC)
    assert format_utc(moment) == "2024-06-01T12:30:05.123Z"
