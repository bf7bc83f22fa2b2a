"""Sending a request until it is delivered, rejected, or out of attempts."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

import httpx

from runtime.clock import Clock, SystemClock
from runtime.delivery.classify import (
    Classification,
    Verdict,
    classify_error,
    classify_response,
)
from runtime.delivery.retry import RetryPolicy, parse_retry_after
from runtime.delivery.transport import send_once
from runtime.errors import DeliveryError, InvalidRequest
from runtime.outcomes import Attempt
from runtime.requests import Request, Response
from runtime.settings import Redactor

__all__ = ["AttemptHook", "Sender", "Sent", "Sleep"]

logger = logging.getLogger("segment_emulator.delivery")

Sleep = Callable[[float], Awaitable[None]]
# Called after every try with the messageIds it carried, so a long-running
# caller can show progress.
AttemptHook = Callable[[Attempt, Sequence[str]], None]


@dataclass(frozen=True)
class Sent:
    """The final classification of a request, its last response and every attempt."""

    classification: Classification
    response: Response | None
    attempts: tuple[Attempt, ...]


class Sender:
    def __init__(
        self,
        client: httpx.AsyncClient,
        redactor: Redactor,
        *,
        destination: str,
        policy: RetryPolicy | None = None,
        responses: Mapping[int, str] | None = None,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        on_attempt: AttemptHook | None = None,
        via: str = "",
    ) -> None:
        self._client = client
        # Where requests really go when that is not the URL's host, for the log.
        self._via = f" via {via}" if via else ""
        self._on_attempt = on_attempt
        self._redactor = redactor
        self._destination = destination
        self._policy = policy or RetryPolicy()
        self._responses = responses or {}
        self._clock = clock or SystemClock()
        self._sleep = sleep

    async def send(self, request: Request, message_ids: Sequence[str] = ()) -> Sent:
        """Send with retries; the result is never RETRY unless attempts ran out."""
        attempts: list[Attempt] = []
        while True:
            classification, response = await self._attempt(
                request, attempts, message_ids
            )
            if classification.verdict is not Verdict.RETRY:
                return Sent(classification, response, tuple(attempts))
            if len(attempts) >= self._policy.max_attempts:
                noun = "attempt" if len(attempts) == 1 else "attempts"
                reason = (
                    f"gave up after {len(attempts)} {noun}: {classification.reason}"
                )
                return Sent(
                    Classification(Verdict.FAILED, reason), response, tuple(attempts)
                )
            retry_after = parse_retry_after(
                response.headers.get("retry-after") if response else None,
                self._clock.now(),
            )
            wait = self._policy.delay(len(attempts), retry_after)
            logger.info(
                "retrying %s %s in %.2fs (attempt %d of %d): %s",
                request.method,
                self._redactor.text(request.url),
                wait,
                len(attempts) + 1,
                self._policy.max_attempts,
                classification.reason,
            )
            await self._sleep(wait)

    async def _attempt(
        self, request: Request, attempts: list[Attempt], message_ids: Sequence[str]
    ) -> tuple[Classification, Response | None]:
        started = time.perf_counter()
        response: Response | None = None
        try:
            response = await send_once(self._client, request)
            classification = classify_response(response, self._responses)
        except InvalidRequest as exc:
            classification = Classification(Verdict.FAILED, str(exc))
        except DeliveryError as exc:
            classification = classify_error(str(exc))
        duration_ms = (time.perf_counter() - started) * 1000
        attempt = self._record(request, response, classification, duration_ms)
        attempts.append(attempt)
        if self._on_attempt is not None:
            self._on_attempt(attempt, message_ids)
        logger.debug("request %s -> response %s", attempt.request, attempt.response)
        logger.info(
            "%s %s %s%s -> %s in %.0fms messageId=%s",
            self._destination,
            request.method,
            self._redactor.text(request.url),
            self._via,
            response.status if response else classification.reason,
            duration_ms,
            ",".join(message_ids),
        )
        return classification, response

    def _record(
        self,
        request: Request,
        response: Response | None,
        classification: Classification,
        duration_ms: float,
    ) -> Attempt:
        error = None if response else classification.reason
        return Attempt(
            request=self._redactor.data(request.as_dict()),
            status=response.status if response else None,
            response=self._redactor.data(response.as_dict()["body"])
            if response
            else None,
            duration_ms=duration_ms,
            error=error,
        )
