"""The event delivery page in headless Chromium: live list, event page, tester.

Needs the ``playwright`` package and Debian's ``chromium`` at /usr/bin/chromium
(Playwright's own browser download is not used).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from runtime.registry import Registry
from runtime.server import ServerState, create_app
from runtime.server.store import EventStore
from tests.conftest import import_or_missing, missing_tool
from tests.server.server_harness import (
    ServerThread,
    all_settled,
    basic_auth,
    build_config,
    wait_until_sync,
)

sync_api = import_or_missing(
    "playwright.sync_api", "playwright is not installed; pip install playwright"
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT = "<script>window.injected = 1</script>"


@pytest.fixture
def server(store: EventStore, registry: Registry) -> Iterator[ServerThread]:
    state = ServerState(build_config(registry=registry), store, poll_interval=0.05)
    with ServerThread(create_app(state)) as running:
        yield running


@pytest.fixture
def page(server: ServerThread) -> Iterator[Any]:
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        missing_tool("Chromium is not installed; apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            opened = browser.new_page(viewport={"width": 1280, "height": 900})
            opened.set_default_timeout(10_000)
            yield opened
        finally:
            browser.close()


def send_track(server: ServerThread, message_id: str, **properties: Any) -> None:
    event = {
        "type": "track",
        "userId": "acct_42",
        "event": "api_call",
        "messageId": message_id,
        "properties": {"tokens": 12, **properties},
    }
    response = httpx.post(
        f"{server.base_url}/v1/batch", json={"batch": [event]}, headers=basic_auth()
    )
    assert response.status_code == 200


def test_browser_live_event_and_details(
    server: ServerThread, page: Any, reader: EventStore, tmp_path: Path
) -> None:
    page.goto(server.base_url)
    assert page.locator("#events").inner_text().count("No events yet") == 1

    send_track(server, "browser-1", note=SCRIPT)
    wait_until_sync(all_settled(reader, ["browser-1"]), what="delivery")
    row = page.locator("#events tbody tr", has_text="browser-1")
    row.wait_for()
    page.locator('[data-destination="orb"] [data-count="delivered"]').filter(
        has_text="1"
    ).wait_for()
    assert "orb: delivered" in row.inner_text()
    assert page.evaluate("window.injected") is None

    row.get_by_role("link", name="browser-1").click()
    page.wait_for_url("**/events/*")
    assert SCRIPT in page.locator("#raw-event").inner_text()
    assert page.evaluate("window.injected") is None
    assert "HTTP 200" in page.locator(".delivery").inner_text()
    assert "[REDACTED]" in page.locator(".delivery .request").first.inner_text()
    page.screenshot(path=str(tmp_path / "event.png"), full_page=True)
    assert (tmp_path / "event.png").stat().st_size > 0


def test_browser_tester_maps_event(server: ServerThread, page: Any) -> None:
    page.goto(f"{server.base_url}/tester")
    event = {
        "type": "track",
        "userId": "acct_42",
        "event": "api_call",
        "messageId": "tester-1",
        "properties": {"tokens": 5, "note": SCRIPT},
    }
    page.select_option("#tester-destination", "orb")
    page.fill("#tester-event", json.dumps(event, indent=2))
    page.click("#tester-submit")
    result = page.locator("#tester-result")
    result.wait_for()

    text = result.inner_text()
    assert "dry-run" in text
    assert '"idempotency_key": "tester-1"' in text
    assert "/v1/ingest" in text
    assert page.evaluate("window.injected") is None

    page.fill("#tester-event", '{"type": "track", "event": "api_call"}')
    page.click("#tester-submit")
    page.locator("#tester-result .reason").first.wait_for()
    assert "missing both userId and anonymousId" in page.inner_text("#tester-result")


def test_browser_retry_button_redelivers(
    server: ServerThread, page: Any, reader: EventStore
) -> None:
    state: ServerState = server.app.state.server
    sandbox = state.connections["orb"].target.sandbox.state.sandbox
    sandbox.add_fault(500, count=3, path="/v1/ingest")
    send_track(server, "retry-1")
    wait_until_sync(all_settled(reader, ["retry-1"]), what="dead letter")

    event_id = reader.events_by_message_id("retry-1")[0].event_id
    page.goto(f"{server.base_url}/events/{event_id}")
    assert "dead-lettered" in page.inner_text(".delivery")
    page.click("text=Send again")
    page.wait_for_url(f"**/events/{event_id}")
    wait_until_sync(all_settled(reader, ["retry-1"]), what="redelivery")
    page.reload()
    assert "delivered" in page.inner_text(".delivery h2")
    assert [event.idempotency_key for event in sandbox.events] == ["retry-1"]
