import math

import pytest

from runtime.jsondata import MAX_DEPTH, UnsafeJson, clean_json, depth_of


def nested(levels: int) -> object:
    value: object = "leaf"
    for _ in range(levels):
        value = [value]
    return value


def test_depth_of_counts_containers() -> None:
    assert depth_of({"a": {"b": [1]}}) == 3
    assert depth_of("text") == 0


def test_depth_of_survives_extreme_nesting() -> None:
    assert depth_of(nested(100_000)) == MAX_DEPTH + 1


def test_clean_json_replaces_lone_surrogates() -> None:
    assert clean_json({"name": "cut \ud83d"}) == {"name": "cut \ufffd"}


def test_clean_json_keeps_valid_text() -> None:
    assert clean_json({"name": "caf\u00e9 \U0001d11e"}) == {
        "name": "caf\u00e9 \U0001d11e"
    }


@pytest.mark.parametrize(
    "number", [math.inf, -math.inf, math.nan], ids=["inf", "-inf", "nan"]
)
def test_clean_json_rejects_non_finite(number: float) -> None:
    with pytest.raises(UnsafeJson) as caught:
        clean_json({"properties": {"total": number}})
    assert caught.value.path == "properties.total"


def test_clean_json_rejects_deep_nesting() -> None:
    with pytest.raises(UnsafeJson, match=f"nested more than {MAX_DEPTH} levels"):
        clean_json({"p": nested(MAX_DEPTH)})
