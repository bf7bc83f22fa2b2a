import gzip
import io
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from syrupy.assertion import SnapshotAssertion
import pytest

from runtime.cli import main
from tests.conftest import ORB_EXAMPLES, ROOT

EVENTS = str(ORB_EXAMPLES / "events.jsonl")
SETTINGS = str(ORB_EXAMPLES / "settings.json")
CAPTURED = str(ROOT / "tests" / "data" / "real-clients" / "tracking-api-requests.jsonl")


def replay(*args: str) -> list[str]:
    return ["replay", *args, "--destination", "orb", "--settings", SETTINGS]


def write(path: Path, lines: list[object]) -> str:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return str(path)


def track(message_id: str, **extra: object) -> dict[str, object]:
    return {
        "type": "track",
        "event": "api_call",
        "userId": "acct_42",
        "messageId": message_id,
        "properties": {"tokens": 3},
        **extra,
    }


def test_replay_example_exits_one_for_rejections(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(replay(EVENTS)) == 1
    out = capsys.readouterr().out
    assert out.strip().endswith(
        "36 events: 11 delivered, 14 unsupported, 11 rejected "
        "(sent to the in-process Orb sandbox)"
    )


def test_replay_prints_line_per_event(capsys: pytest.CaptureFixture[str]) -> None:
    main(replay(EVENTS))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "51cfdcc8-68ab-45f2-9c0d-1f5faf9598cd  track     delivered"
    assert any(
        line.startswith("broken-unknown-customer  identify  rejected     HTTP 404")
        for line in lines
    )


def test_replay_clean_file_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = write(tmp_path / "ok.jsonl", [track("a"), track("b")])
    assert main(replay(events)) == 0
    assert "2 events: 2 delivered" in capsys.readouterr().out


def test_replay_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = write(tmp_path / "ok.jsonl", [track("a"), {"type": "page", "userId": "u"}])
    main(replay(events, "--output", "json"))
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["outcome"] for r in records] == ["delivered", "unsupported"]
    assert records[0]["messageId"] == "a"
    assert "2 events" in captured.err


def test_replay_dry_run_prints_requests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = write(tmp_path / "ok.jsonl", [track("a"), track("b")])
    assert main(replay(events, "--dry-run")) == 0
    out = capsys.readouterr().out
    assert '"url": "http://orb.sandbox.invalid/v1/ingest"' in out
    assert "Bearer [REDACTED]" in out
    assert "orb_example_key" not in out
    assert out.count('"method": "POST"') == 1
    assert "2 events: 2 dry-run" in out


def test_replay_reads_captured_client_requests(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(replay(CAPTURED, "--output", "json"))
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    outcomes = {(r["type"], r["outcome"]) for r in records}
    assert len(records) == 30
    assert ("track", "delivered") in outcomes
    assert ("identify", "delivered") in outcomes
    kinds = [r["outcome"] for r in records]
    assert kinds.count("delivered") == 13
    assert kinds.count("unsupported") == 14
    assert kinds.count("rejected") == 3
    rejected = [r for r in records if r["outcome"] == "rejected"]
    assert all(
        "externalCustomerIdField reads 'userId'" in r["reason"] for r in rejected
    )


def test_replay_reads_json_array_and_batch_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    array = tmp_path / "array.json"
    array.write_text(json.dumps([track("a"), track("b")], indent=2))
    batch = tmp_path / "batch.json"
    batch.write_text(
        json.dumps({"batch": [track("c")], "sentAt": "2026-12-04T15:00:00Z"}, indent=2)
    )
    assert main(replay(str(array))) == 0
    assert main(replay(str(batch))) == 0
    assert "1 event: 1 delivered" in capsys.readouterr().out


def test_replay_reads_gzip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(track("a")) + "\n").encode()))
    assert main(replay(str(path))) == 0


def test_replay_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (json.dumps(track("a")) + "\n").encode()
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data)))
    )
    assert main(replay("-")) == 0
    assert capsys.readouterr().out.startswith("a  track     delivered")


def test_replay_invalid_settings_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps({"apiKey": "secret_value_1", "propertiesMapping": []})
    )
    code = main(["replay", EVENTS, "--destination", "orb", "--settings", str(settings)])
    err = capsys.readouterr().err
    assert code == 2
    assert "settings.externalCustomerIdField: missing required value" in err
    assert "settings.propertiesMapping: [] is invalid" in err
    assert "secret_value_1" not in err


def test_replay_settings_read_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps(
            {"apiKey": "${ORB_KEY_FOR_TEST}", "externalCustomerIdField": "userId"}
        )
    )
    events = write(tmp_path / "ok.jsonl", [track("a")])
    command = ["replay", events, "--destination", "orb", "--settings", str(settings)]
    assert main(command) == 2
    monkeypatch.setenv("ORB_KEY_FOR_TEST", "k")
    assert main(command) == 0


def test_replay_unset_variable_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"apiKey": "${NOT_SET_ANYWHERE}"}))
    main(["replay", EVENTS, "--destination", "orb", "--settings", str(settings)])
    assert (
        "settings.apiKey: environment variable NOT_SET_ANYWHERE is not set"
        in capsys.readouterr().err
    )


def test_replay_unknown_destination(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["replay", EVENTS, "--destination", "orbb", "--settings", SETTINGS])
    assert code == 2
    assert "unknown destination 'orbb'" in capsys.readouterr().err


def test_replay_missing_settings_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["replay", EVENTS, "--destination", "orb", "--settings", "/no/such.json"]
    )
    assert code == 2
    assert "/no/such.json: No such file or directory" in capsys.readouterr().err


def test_replay_invalid_json_line_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(
        json.dumps(track("a")) + "\n{oops\n" + json.dumps(track("b")) + "\n"
    )
    assert main(replay(str(path))) == 1
    out = capsys.readouterr().out
    assert f"{path}:2: invalid JSON" in out
    assert "3 events: 2 delivered, 1 rejected" in out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def sandbox_server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runtime",
            "orb-sandbox",
            "--port",
            str(port),
            "--api-key",
            "orb_example_key",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/_sandbox/events", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stderr is not None
        process.stderr.close()


def test_replay_to_real_local_server(sandbox_server: str, tmp_path: Path) -> None:
    events = write(tmp_path / "ok.jsonl", [track("a"), track("b")])
    assert main(replay(events, "--endpoint", f"{sandbox_server}/v1")) == 0
    ingested = httpx.get(f"{sandbox_server}/_sandbox/events").json()["data"]
    assert [event["idempotency_key"] for event in ingested] == ["a", "b"]


def test_replay_retries_real_server_fault(sandbox_server: str, tmp_path: Path) -> None:
    fault = {"status": 429, "retry_after": 0.05, "count": 1, "path": "/v1/ingest"}
    httpx.post(f"{sandbox_server}/_sandbox/faults", json=fault).raise_for_status()
    events = write(tmp_path / "ok.jsonl", [track("a")])
    assert main(replay(events, "--endpoint", f"{sandbox_server}/v1")) == 0
    statuses = [
        r["status"]
        for r in httpx.get(f"{sandbox_server}/_sandbox/requests").json()["data"]
    ]
    assert statuses == [429, 200]


def test_replay_wrong_key_against_real_server(
    sandbox_server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps({"apiKey": "wrong_key", "externalCustomerIdField": "userId"})
    )
    events = write(tmp_path / "ok.jsonl", [track("a")])
    code = main(
        [
            "replay",
            events,
            "--destination",
            "orb",
            "--settings",
            str(settings),
            "--endpoint",
            f"{sandbox_server}/v1",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "failed       HTTP 401 invalid API key" in out
    assert "wrong_key" not in out


def test_replay_report_snapshot(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    snapshot: SnapshotAssertion,
) -> None:
    monkeypatch.chdir(ORB_EXAMPLES)
    main(
        [
            "replay",
            "events.jsonl",
            "--destination",
            "orb",
            "--settings",
            "settings.json",
        ]
    )
    assert capsys.readouterr().out == snapshot
