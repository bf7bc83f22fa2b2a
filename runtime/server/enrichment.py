"""Segment's server-side enrichment of the events its Tracking API receives.

Segment's "Spec: Common Fields" page defines the timestamps: ``receivedAt`` is the
server's clock on arrival, ``originalTimestamp`` is the client's time of the call
"or the ``timestamp`` value manually passed in through server-side libraries", and
``timestamp`` is corrected for client clock skew as
``receivedAt - (sentAt - originalTimestamp)``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from runtime.clock import IdSource
from runtime.timestamps import format_utc, parse_timestamp

__all__ = ["WRITE_KEY_FIELD", "enrich_event"]

WRITE_KEY_FIELD = "writeKey"


def enrich_event(
    event: Mapping[str, Any], *, received_at: datetime, ids: IdSource
) -> dict[str, Any]:
    """Return a copy of ``event`` with Segment's server-side fields filled in.

    Sets ``receivedAt``, generates a missing ``messageId``, removes ``writeKey``
    and corrects ``timestamp`` for clock skew. Invalid timestamps are left as
    they are, so that validation rejects the event and names them.
    """
    enriched = copy.deepcopy(dict(event))
    enriched.pop(WRITE_KEY_FIELD, None)
    enriched["receivedAt"] = format_utc(received_at)
    if enriched.get("messageId") in (None, ""):
        enriched["messageId"] = ids.new_id()
    _correct_timestamp(enriched, received_at)
    return enriched


def _correct_timestamp(event: dict[str, Any], received_at: datetime) -> None:
    """Apply the skew rule, or keep a server library's ``timestamp`` as given.

    The rule runs only when both ``sentAt`` and ``originalTimestamp`` are present.
    Server libraries (analytics-python 2.x, @segment/analytics-node 3.x) send
    ``timestamp`` and ``sentAt`` but no ``originalTimestamp``. Segment's docs count
    such a ``timestamp`` as manually set, so it is copied to ``originalTimestamp``
    and kept, which keeps imported historical times intact.
    """
    original = _moment(event.get("originalTimestamp"))
    sent = _moment(event.get("sentAt"))
    if original is not None and sent is not None:
        event["timestamp"] = format_utc(received_at - (sent - original))
        return
    if "originalTimestamp" not in event and _moment(event.get("timestamp")):
        event["originalTimestamp"] = event["timestamp"]


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        return None
