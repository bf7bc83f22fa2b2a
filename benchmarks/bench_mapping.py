"""Measure how fast a compiled mapping maps events, against compiling per event.

Run from the project root:

    .venv/bin/python benchmarks/bench_mapping.py --events 100000

The mapping resembles an ecommerce "Order Completed" action: paths, fallbacks,
a template, case and replace, an array of products and a JSON-encoded field.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable

from runtime.mapping import apply_mapping, compile_mapping

MAPPING: dict[str, object] = {
    "user_id": {
        "@if": {
            "exists": {"@path": "$.userId"},
            "then": {"@path": "$.userId"},
            "else": {"@path": "$.anonymousId"},
        }
    },
    "event_type": {"@path": "$.event"},
    "time": {"@path": "$.timestamp"},
    "ip": {"@path": "$.context.ip"},
    "library": {"@template": "{{context.library.name}}/{{context.library.version}}"},
    "currency": {
        "@case": {"operator": "upper", "value": {"@path": "$.properties.currency"}}
    },
    "order_id": {
        "@replace": {
            "pattern": "-",
            "replacement": "",
            "value": {"@path": "$.properties.order_id"},
        }
    },
    "revenue": {"@path": "$.properties.revenue"},
    "coupon": {"@excludeWhenNull": {"@path": "$.properties.coupon"}},
    "products": {
        "@arrayPath": [
            "$.properties.products",
            {
                "id": {"@path": "$.product_id"},
                "name": {"@path": "$.name"},
                "price": {"@path": "$.price"},
                "quantity": {"@path": "$.quantity"},
            },
        ]
    },
    "user_properties": {
        "@merge": {
            "direction": "right",
            "objects": [
                {"@path": "$.context.traits"},
                {"plan": {"@path": "$.properties.plan"}},
            ],
        }
    },
    "extra": {"@json": {"mode": "encode", "value": {"@path": "$.properties.tags"}}},
    "session_id": {"@path": "$.integrations.Actions Amplitude.session_id"},
}


def make_events(count: int, seed: int = 7) -> list[dict[str, object]]:
    """Build ``count`` varied track events (deterministic for a given seed)."""
    generator = random.Random(seed)
    events: list[dict[str, object]] = []
    for index in range(count):
        products = [
            {
                "product_id": f"p{generator.randrange(1000)}",
                "name": generator.choice(["Shoe", "Sock", "Hat"]),
                "price": round(generator.uniform(1, 100), 2),
                "quantity": generator.randrange(1, 5),
            }
            for _ in range(generator.randrange(1, 4))
        ]
        events.append(
            {
                "type": "track",
                "event": "Order Completed",
                "userId": f"user-{index}" if generator.random() < 0.7 else None,
                "anonymousId": f"anon-{index}",
                "timestamp": "2024-05-01T12:00:00.000Z",
                "properties": {
                    "order_id": f"o-{index}-x",
                    "revenue": round(generator.uniform(1, 500), 2),
                    "currency": generator.choice(["usd", "eur"]),
                    "coupon": generator.choice([None, "SPRING"]),
                    "products": products,
                    "tags": ["a", "b"],
                    "plan": generator.choice(["pro", "free"]),
                },
                "context": {
                    "ip": "203.0.113.7",
                    "library": {"name": "analytics.js", "version": "2.11.1"},
                    "traits": {"email": f"u{index}@example.com", "plan": "free"},
                },
                "integrations": {"Actions Amplitude": {"session_id": 1714564800000}},
            }
        )
    return events


def measure(
    count: int, events: list[dict[str, object]], run: Callable[[object], object]
) -> float:
    """Map ``count`` events with ``run`` and return events per second."""
    started = time.perf_counter()
    for index in range(count):
        run(events[index % len(events)])
    elapsed = time.perf_counter() - started
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events",
        type=int,
        default=100_000,
        help="events to map with the compiled mapping",
    )
    parser.add_argument(
        "--recompile-events",
        type=int,
        default=10_000,
        help="events to map when compiling the mapping for every event",
    )
    arguments = parser.parse_args()
    events = make_events(1000)

    compiled = compile_mapping(MAPPING)
    compiled_rate = measure(arguments.events, events, compiled.apply)
    recompiled_rate = measure(
        arguments.recompile_events, events, lambda event: apply_mapping(MAPPING, event)
    )

    print(f"python {sys.version.split()[0]}, {len(MAPPING)} mapped fields")
    print(
        f"compiled once:      {compiled_rate:>10,.0f} events/s "
        f"({arguments.events:,} events)"
    )
    print(
        f"compiled per event: {recompiled_rate:>10,.0f} events/s "
        f"({arguments.recompile_events:,} events)"
    )
    print(f"speedup:            {compiled_rate / recompiled_rate:>10.1f}x")


if __name__ == "__main__":
    main()
