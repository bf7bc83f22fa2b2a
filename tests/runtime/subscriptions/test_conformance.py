"""Every case recorded from Segment's own subscription package must match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from runtime.errors import MappingError
from runtime.subscriptions import matches, parse_subscription
from runtime.subscriptions.nodes import to_reference_form
from runtime.subscriptions.parser import parse_query

CASES_FILE = Path(__file__).parents[2] / "data" / "conformance" / "subscriptions.jsonl"


def _load_cases() -> list[dict[str, Any]]:
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


CASES = _load_cases()
PARSED_CASES = [case for case in CASES if case["output"]["ok"]]
FAILED_CASES = [case for case in CASES if not case["output"]["ok"]]


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


def test_conformance_file_has_every_case() -> None:
    assert len(CASES) == 146


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_conformance_matched(case: dict[str, Any]) -> None:
    query = case["input"]["subscription"]
    event = case["input"].get("event")  # absent: JavaScript undefined
    expected = case["output"]["result"]["matched"] if case["output"]["ok"] else False
    assert matches(query, event) is expected


@pytest.mark.parametrize("case", FAILED_CASES, ids=_ids(FAILED_CASES))
def test_conformance_error_is_reported(case: dict[str, Any]) -> None:
    with pytest.raises(MappingError):
        parse_subscription(case["input"]["subscription"])


@pytest.mark.parametrize("case", PARSED_CASES, ids=_ids(PARSED_CASES))
def test_conformance_condition_tree(case: dict[str, Any]) -> None:
    parsed = parse_query(case["input"]["subscription"])
    assert to_reference_form(parsed.root) == case["output"]["result"]["ast"]
