"""Targets for a destination's requests: its in-process sandbox, or a given endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from runtime.clock import Clock
from runtime.definitions import Definition
from runtime.errors import Problem, SettingsError

__all__ = ["Target", "open_target", "sandbox_base_url"]

DEFAULT_TIMEOUT = 10.0


@dataclass
class Target:
    """An HTTP client and the settings it goes with (the endpoint filled in)."""

    client: httpx.AsyncClient
    settings: dict[str, Any]
    description: str
    sandbox: Any = None

    @property
    def via(self) -> str:
        """The sandbox's name when it responds in place of the URLs' hosts."""
        return self.description if self.sandbox is not None else ""


def sandbox_base_url(definition: Definition) -> str:
    """Return the sandbox URL: the real endpoint's path on a host that never resolves."""
    path = urlsplit(definition.default_endpoint or "").path.rstrip("/")
    return f"http://{definition.slug}.sandbox.invalid{path}"


def open_target(
    definition: Definition,
    settings: dict[str, Any],
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    clock: Clock | None = None,
) -> Target:
    """Build the client for ``endpoint`` when given, else for the in-process sandbox.

    The default never reaches the network: a destination without a sandbox needs
    an explicit endpoint.
    """
    if endpoint is not None:
        client = httpx.AsyncClient(timeout=timeout)
        filled = {**settings, definition.endpoint_setting: endpoint.rstrip("/")}
        return Target(client, filled, f"endpoint {endpoint}")
    if definition.sandbox is None:
        raise SettingsError(
            f"destination {definition.slug!r} has no sandbox",
            [Problem("--endpoint", "missing; pass the partner API's base URL")],
        )
    app = definition.sandbox(settings, clock)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), timeout=timeout)
    filled = dict(settings)
    if definition.default_endpoint is not None:
        filled[definition.endpoint_setting] = sandbox_base_url(definition)
    return Target(client, filled, f"the in-process {definition.name} sandbox", app)
