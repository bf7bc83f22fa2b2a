"""Every case recorded from Segment's own mapping-kit must give the same result."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from runtime.errors import MappingError
from runtime.mapping import MISSING, apply_mapping, validate_mapping

CASES_FILE = Path(__file__).parents[2] / "data" / "conformance" / "mapping.jsonl"


@dataclass(frozen=True)
class JsOnly:
    """A JavaScript value that JSON cannot carry: undefined, NaN or +-Infinity."""

    kind: str


@dataclass(frozen=True)
class JsNumber:
    """A number compared as JavaScript stores it: one IEEE double."""

    value: float


def _load_cases() -> list[dict[str, Any]]:
    lines = CASES_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


CASES = _load_cases()
MAP_RESULTS = [c for c in CASES if c["input"]["kind"] == "map" and c["output"]["ok"]]
MAP_ERRORS = [c for c in CASES if c["input"]["kind"] == "map" and not c["output"]["ok"]]
VALIDATIONS = [c for c in CASES if c["input"]["kind"] == "validate_mapping"]


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


def js_form(value: object) -> object:
    """Rewrite a value so that == compares it as JavaScript values compare."""
    if value is MISSING:
        return JsOnly("undefined")
    if isinstance(value, (JsOnly, str, bool)) or value is None:
        return value
    if isinstance(value, (int, float)):
        return _number_form(value)
    if isinstance(value, list):
        return [js_form(item) for item in value]
    if isinstance(value, dict):
        return {key: js_form(item) for key, item in value.items()}
    raise TypeError(f"not a JSON value: {value!r}")


def _number_form(value: float) -> object:
    try:
        number = float(value)
    except OverflowError:
        number = math.inf if value > 0 else -math.inf
    if math.isnan(number):
        return JsOnly("NaN")
    if math.isinf(number):
        return JsOnly("Infinity" if number > 0 else "-Infinity")
    return JsNumber(number)


def expected_result(output: dict[str, Any]) -> object:
    """Return the recorded result with its ``js_nonjson`` values put back in place."""
    result: object = output.get("result", MISSING)
    for entry in output.get("js_nonjson", []):
        result = _put(result, entry["at"], JsOnly(entry["js"]))
    return result


def _put(document: object, pointer: str, value: JsOnly) -> object:
    if pointer == "":
        return value
    *parents, last = [
        part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]
    ]
    container: Any = document
    for part in parents:
        container = (
            container[int(part)] if isinstance(container, list) else container[part]
        )
    if isinstance(container, list):
        container[int(last)] = value
    elif value.kind != "undefined":
        # An undefined object field is left out of the recorded JSON and of ours.
        container[last] = value
    return document


def test_conformance_file_has_every_case() -> None:
    assert len(CASES) == 405


def test_conformance_cases_are_all_covered() -> None:
    assert len(MAP_RESULTS) + len(MAP_ERRORS) + len(VALIDATIONS) == len(CASES)


@pytest.mark.parametrize("case", MAP_RESULTS, ids=_ids(MAP_RESULTS))
def test_conformance_result(case: dict[str, Any]) -> None:
    data = case["input"].get("data", MISSING)  # absent: JavaScript undefined
    result = apply_mapping(case["input"]["mapping"], data)
    assert js_form(result) == js_form(expected_result(case["output"]))


@pytest.mark.parametrize("case", MAP_ERRORS, ids=_ids(MAP_ERRORS))
def test_conformance_error(case: dict[str, Any]) -> None:
    data = case["input"].get("data", MISSING)
    with pytest.raises(MappingError):
        apply_mapping(case["input"]["mapping"], data)


@pytest.mark.parametrize("case", VALIDATIONS, ids=_ids(VALIDATIONS))
def test_conformance_validation(case: dict[str, Any]) -> None:
    problems = validate_mapping(case["input"]["mapping"])
    assert (problems == []) is case["output"]["ok"]
