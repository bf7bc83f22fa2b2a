"""``segment-emulator retry`` and the option parsing of ``segment-emulator serve``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from runtime.cli.main import main
from runtime.cli.serve import parse_duration
from runtime.outcomes import Outcome, OutcomeKind
from runtime.server.records import NewEvent
from runtime.server.store import EventStore


def dead_letter(store: EventStore, message_id: str) -> None:
    event = {"type": "track", "userId": "u", "event": "e", "messageId": message_id}
    store.add_events(
        "backend",
        [NewEvent(message_id, "track", event, event)],
        ["orb", "other"],
        now=100.0,
        received_at="2026-12-04T16:00:00.000Z",
        dedupe_window=60.0,
    )
    event_id = store.events_by_message_id(message_id)[0].event_id
    failed = Outcome(message_id, "track", "orb", OutcomeKind.FAILED, "gave up")
    store.record_outcomes("orb", [(event_id, failed)], now=101.0)


def states(store: EventStore, message_id: str) -> dict[str, str]:
    event = store.events_by_message_id(message_id)[0]
    return {d.destination: str(d.state) for d in event.deliveries}


def test_retry_message_id_requeues_dead_letter(
    store: EventStore, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_letter(store, "dead-1")
    dead_letter(store, "dead-2")

    code = main(["retry", "--database", str(database), "--message-id", "dead-1"])

    assert code == 0
    assert "queued 1 dead-lettered delivery again" in capsys.readouterr().out
    assert states(store, "dead-1") == {"orb": "pending", "other": "pending"}
    assert states(store, "dead-2")["orb"] == "dead-lettered"


def test_retry_all_requeues_every_dead_letter(
    store: EventStore, database: Path
) -> None:
    dead_letter(store, "dead-1")
    dead_letter(store, "dead-2")

    assert main(["retry", "--database", str(database), "--all"]) == 0
    assert states(store, "dead-1")["orb"] == "pending"
    assert states(store, "dead-2")["orb"] == "pending"


def test_retry_all_with_nothing_dead_lettered(
    store: EventStore, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_letter(store, "dead-1")
    args = ["retry", "--database", str(database), "--all", "--destination", "other"]

    assert main(args) == 0
    assert "queued 0 dead-lettered deliveries to destination 'other' again" in (
        capsys.readouterr().out
    )


def test_retry_unknown_destination_named(
    store: EventStore, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_letter(store, "dead-1")
    args = ["retry", "--database", str(database), "--all", "--destination", "nope"]

    assert main(args) == 2
    assert "no deliveries to destination 'nope'" in capsys.readouterr().err


def test_retry_unknown_message_id_fails(
    store: EventStore, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead_letter(store, "dead-1")
    args = ["retry", "--database", str(database), "--message-id", "nope"]

    assert main(args) == 1
    assert "no dead-lettered delivery for messageId 'nope'" in capsys.readouterr().err


def test_retry_missing_database_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.sqlite3"

    assert main(["retry", "--database", str(missing), "--all"]) == 2
    assert "serve creates the file when it first starts" in capsys.readouterr().err
    assert not missing.exists()


def test_retry_needs_message_id_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["retry"])
    assert exited.value.code == 2
    assert "--message-id" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("90s", 90.0),
        ("30m", 1800.0),
        ("24h", 86400.0),
        ("1.5d", 129600.0),
    ],
)
def test_parse_duration_reads_units(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5s", "5w"])
def test_parse_duration_rejects_invalid_text(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration(text)


def test_listener_connections_use_nodelay() -> None:
    """Keep-alive responses must not wait for delayed ACKs (40 ms each)."""
    import asyncio
    import socket

    from runtime.cli.serve import _listen

    async def main() -> int:
        listener = _listen("127.0.0.1", 0)
        seen: list[int] = []

        async def handle(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            connection = writer.get_extra_info("socket")
            seen.append(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=listener)
        async with server:
            port = listener.getsockname()[1]
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(100):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()
            await writer.wait_closed()
        return seen[0]

    assert asyncio.run(main()) != 0
