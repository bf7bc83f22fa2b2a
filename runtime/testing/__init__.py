"""A harness for destination authors: run events through a definition deterministically.

``run_destination`` replays events into the destination's sandbox (or any httpx
transport) with a fixed clock and counting ids, and records every outgoing HTTP
request with secrets redacted, ready for a syrupy snapshot. The pytest plugin in
``runtime.testing.plugin`` exposes it as fixtures.
"""

from runtime.testing.harness import (
    DEFAULT_NOW,
    HarnessResult,
    RecordingTransport,
    run_destination,
)

__all__ = ["DEFAULT_NOW", "HarnessResult", "RecordingTransport", "run_destination"]
