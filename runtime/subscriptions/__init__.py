"""Segment's destination subscription language (FQL trigger queries).

``parse_subscription('type = "track" and event = "Order Completed"')`` reads a
query exactly as ``@segment/destination-subscriptions`` 3.37.0 does, quirks
included, and lists in ``warnings`` every place where that reading is likely
not what the author meant.
"""

from .subscription import Subscription, matches, parse_subscription

__all__ = ["Subscription", "matches", "parse_subscription"]
