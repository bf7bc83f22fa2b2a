"""Bad input on the command line: each gets a clear message and exit status 2."""

import gzip
import io
import json
import logging
import sys
from pathlib import Path

import pytest

from runtime.cli import main
from tests.conftest import ORB_EXAMPLES

SETTINGS = str(ORB_EXAMPLES / "settings.json")


def replay(events: str, *extra: str) -> list[str]:
    return ["replay", events, "--destination", "orb", "--settings", SETTINGS, *extra]


def track(message_id: str) -> str:
    event = {
        "type": "track",
        "event": "api_call",
        "userId": "acct_42",
        "messageId": message_id,
    }
    return json.dumps(event) + "\n"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p / "missing.jsonl", "no such file; check the path"),
        (lambda p: p, "is a directory; pass a file"),
        (
            lambda p: _write(p / "cut.gz", gzip.compress(b'{"a": 1}\n')[:15]),
            "corrupt or cut-off gzip data",
        ),
        (
            lambda p: _write(p / "latin1.jsonl", b'{"name": "caf\xe9"}\n'),
            "not UTF-8 text",
        ),
    ],
    ids=["missing", "directory", "cut-gzip", "not-utf8"],
)
def test_replay_unreadable_events(
    tmp_path: Path, make: object, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    assert main(replay(str(path))) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot read events {path}: ")
    assert words in err


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_replay_accepts_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "bom.jsonl", ("\ufeff" + track("a") + track("b")).encode())
    assert main(replay(str(path))) == 0
    assert "2 events: 2 delivered" in capsys.readouterr().out


def test_replay_batch_not_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "b.jsonl", b'{"batch": "x"}\n')
    assert main(replay(str(path))) == 1
    assert "batch must be an array of events, got str" in capsys.readouterr().out


def test_replay_empty_file_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "empty.jsonl", b"\n\n")
    assert main(replay(str(path))) == 0
    assert f"warning: no events found in {path}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--timeout", "nan", "must be a finite number of seconds above 0"),
        ("--timeout", "0", "must be a finite number of seconds above 0"),
        ("--timeout", "-5", "must be a finite number of seconds above 0"),
        ("--timeout", "inf", "must be a finite number of seconds above 0"),
        ("--batch-size", "abc", "must be a whole number, got 'abc'"),
        ("--batch-size", "0", "must be 1 or more, got 0"),
        ("--max-attempts", "-1", "must be 1 or more, got -1"),
        ("--endpoint", "not-a-url", "must be an http(s) URL"),
        ("--endpoint", "ftp://x.invalid", "must be an http(s) URL"),
    ],
    ids=[
        "timeout-nan",
        "timeout-zero",
        "timeout-negative",
        "timeout-inf",
        "batch-word",
        "batch-zero",
        "attempts-negative",
        "endpoint-word",
        "endpoint-ftp",
    ],
)
def test_replay_rejects_option(
    option: str, value: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(replay("events.jsonl", option, value))
    assert caught.value.code == 2
    assert words in capsys.readouterr().err


def test_orb_sandbox_rejects_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["orb-sandbox", "--port", "99999"])
    assert "must be from 0 to 65535, got 99999" in capsys.readouterr().err


def test_verbose_after_subcommand(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(tmp_path / "ok.jsonl", track("a").encode())
    with caplog.at_level(logging.INFO):
        assert main(replay(str(path), "-v")) == 0
    delivery = [
        r.getMessage() for r in caplog.records if r.name == "segment_emulator.delivery"
    ]
    assert delivery
    assert "via the in-process Orb sandbox -> 200" in delivery[0]
    assert not any(record.name.startswith("httpx") for record in caplog.records)


def test_settings_from_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "ok.jsonl", track("a").encode())
    settings = {"apiKey": "key_from_stdin", "externalCustomerIdField": "userId"}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(settings)))
    command = ["replay", str(path), "--destination", "orb", "--settings", "-"]
    assert main(command) == 0


def test_unused_settings_endpoint_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "ok.jsonl", track("a").encode())
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps(
            {
                "apiKey": "key_1234",
                "externalCustomerIdField": "userId",
                "endpoint": "http://127.0.0.1:9/v1",
            }
        )
    )
    command = ["replay", str(path), "--destination", "orb", "--settings", str(settings)]
    assert main(command) == 0
    assert (
        "note: settings.endpoint http://127.0.0.1:9/v1 is not used"
        in capsys.readouterr().err
    )


def test_dry_run_summary_says_mapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "ok.jsonl", track("a").encode())
    main(replay(str(path), "--dry-run"))
    assert (
        "1 event: 1 dry-run (mapped for the in-process Orb sandbox)"
        in capsys.readouterr().out
    )


def test_match_rejects_non_object_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "event.json"
    path.write_text('"track"')
    assert main(["match", 'type = "track"', str(path)]) == 2
    assert "EVENT must be a JSON object, got str" in capsys.readouterr().err


def test_map_explains_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text("{}")
    events = tmp_path / "events.jsonl"
    events.write_text(track("a") + track("b"))
    assert main(["map", str(mapping), str(events)]) == 2
    assert "write one JSON document, not JSON Lines" in capsys.readouterr().err
