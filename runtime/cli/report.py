"""Printing outcomes: a line per event and a summary, or JSON for scripts."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO

from runtime.outcomes import Outcome, OutcomeKind

__all__ = ["Report"]


class Report:
    def __init__(self, stream: IO[str], output: str, show_requests: bool) -> None:
        self._stream = stream
        self._output = output
        self._show_requests = show_requests
        self.counts: Counter[OutcomeKind] = Counter()

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome.kind] += 1
        if self._output == "json":
            print(
                json.dumps(outcome.as_dict(detail=False), sort_keys=True),
                file=self._stream,
            )
            return
        reason = f"  {outcome.reason}" if outcome.reason else ""
        tries = len(outcome.attempts)
        if tries > 1:
            reason += f" (after {tries} attempts)"
        line = f"{outcome.message_id}  {outcome.event_type:<8}  {outcome.kind.value:<11}{reason}"
        print(line.rstrip(), file=self._stream)
        if self._show_requests:
            self._print_requests(outcome)

    def _print_requests(self, outcome: Outcome) -> None:
        for request in outcome.requests:
            text = json.dumps(request, indent=2, sort_keys=True)
            for line in text.splitlines():
                print(f"    {line}", file=self._stream)

    def summary(self) -> str:
        total = sum(self.counts.values())
        parts = [
            f"{self.counts[kind]} {kind.value}"
            for kind in OutcomeKind
            if self.counts[kind]
        ]
        noun = "event" if total == 1 else "events"
        return f"{total} {noun}: " + (", ".join(parts) if parts else "none")

    @property
    def has_errors(self) -> bool:
        return any(kind.is_error and count for kind, count in self.counts.items())
