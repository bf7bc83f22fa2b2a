import io
import json
import sys
from pathlib import Path

import pytest

from runtime.cli import main

EVENT = {"type": "track", "event": "Order Completed", "properties": {"total": 10.0}}


def files(tmp_path: Path, mapping: object) -> tuple[str, str]:
    mapping_path = tmp_path / "mapping.json"
    event_path = tmp_path / "event.json"
    mapping_path.write_text(json.dumps(mapping))
    event_path.write_text(json.dumps(EVENT))
    return str(mapping_path), str(event_path)


def test_map_prints_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = {
        "t": {"@template": "{{event}} {{properties.total}}"},
        "x": {"@path": "$.nope"},
    }
    assert main(["map", *files(tmp_path, mapping)]) == 0
    assert json.loads(capsys.readouterr().out) == {"t": "Order Completed 10"}


def test_map_reports_every_invalid_directive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = {"a": {"@nope": 1}, "b": {"@path": 3}}
    assert main(["map", *files(tmp_path, mapping)]) == 2
    err = capsys.readouterr().err
    assert "/a (@nope): @nope is not a mapping directive" in err
    assert "/b/@path (@path)" in err


def test_map_reads_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, event = files(tmp_path, {})
    monkeypatch.setattr(
        sys, "stdin", io.StringIO(json.dumps({"e": {"@path": "$.event"}}))
    )
    assert main(["map", "-", event]) == 0
    assert json.loads(capsys.readouterr().out) == {"e": "Order Completed"}


def test_map_invalid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping, event = files(tmp_path, {})
    Path(mapping).write_text("{nope")
    assert main(["map", mapping, event]) == 2
    assert "invalid JSON in mapping" in capsys.readouterr().err


def test_match_matched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, event = files(tmp_path, {})
    assert main(["match", 'type = "track" and properties.total > 5', event]) == 0
    assert capsys.readouterr().out == "matched\n"


def test_match_not_matched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, event = files(tmp_path, {})
    assert main(["match", 'event = "Signed Up"', event]) == 1
    assert capsys.readouterr().out == "not matched\n"


def test_match_explains_surprising_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, event = files(tmp_path, {})
    code = main(["match", 'type = "track" or event = "A" and event = "B"', event])
    captured = capsys.readouterr()
    assert code == 1
    assert 'read as: (type = "track" and event = "A" and event = "B")' in captured.out
    assert "add parentheses" in captured.err


def test_match_invalid_query(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, event = files(tmp_path, {})
    assert main(["match", 'type = "track" and (', event]) == 2
    assert "invalid subscription" in capsys.readouterr().err


def test_match_reads_event_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(EVENT)))
    assert main(["match", 'type = "track"', "-"]) == 0


def test_match_exists_at_end_has_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, event = files(tmp_path, {})
    assert main(["match", "properties.total exists", event]) == 0
    captured = capsys.readouterr()
    assert captured.out == "matched\n"
    assert captured.err == ""
