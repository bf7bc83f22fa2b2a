"""A local stand-in for Segment: the Tracking API, durable delivery, a delivery page.

Real Segment client libraries send to it unchanged. Every acknowledged event is
committed to SQLite first, then delivered to the configured destinations by one
worker per destination, with retries, dead letters and a record of each attempt.
"""

from runtime.server.app import create_app
from runtime.server.config import (
    DestinationConfig,
    ServerConfig,
    SourceConfig,
    default_config,
    load_config,
)
from runtime.server.records import DeliveryState
from runtime.server.state import ServerState
from runtime.server.store import EventStore

__all__ = [
    "DeliveryState",
    "DestinationConfig",
    "EventStore",
    "ServerConfig",
    "ServerState",
    "SourceConfig",
    "create_app",
    "default_config",
    "load_config",
]
