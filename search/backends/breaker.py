"""A circuit breaker in front of an external search engine (docs/search.md, "Degrading").

closed    every request goes to the engine.
open      after one failure (connection refused, timeout, 5xx from the cluster): requests
          do not touch the engine for `cooldown` seconds; callers answer from the database.
half-open the cool-down is over: ONE request at a time (the probe) tries the engine, the
          others keep using the database. The probe's success closes the breaker, its
          failure opens it for another cool-down.

The state lives in the process (one breaker per backend instance, and backends are shared
per process): each gunicorn worker learns that the engine is down from one failed request
of its own, so no shared store is needed. Thread-safe; the clock is injectable so the
state machine is tested without sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .base import BackendUnavailable

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half-open"


class BreakerOpen(BackendUnavailable):
    """The breaker is open (or another request is probing): the engine was not asked."""


class CircuitBreaker:
    def __init__(self, cooldown: float, clock: Callable[[], float] = time.monotonic):
        self.cooldown = float(cooldown)
        self.clock = clock
        self._lock = threading.Lock()
        self._opened_at: float | None = None  # None while closed
        self._probing = False
        self.last_error = ""

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return CLOSED
        if self.clock() - self._opened_at < self.cooldown:
            return OPEN
        return HALF_OPEN

    def _enter(self) -> bool:
        """May this request ask the engine? True when closed, or when it becomes the probe."""
        with self._lock:
            state = self._state()
            if state == CLOSED:
                return False
            if state == HALF_OPEN and not self._probing:
                self._probing = True
                return True
            raise BreakerOpen(f"search engine skipped for now (breaker {state}): {self.last_error}")

    def record_success(self) -> None:
        with self._lock:
            self._opened_at = None
            self._probing = False
            self.last_error = ""

    def record_failure(self, error: BaseException | str) -> None:
        with self._lock:
            self._opened_at = self.clock()
            self._probing = False
            self.last_error = str(error)[:500]

    def _release(self, probe: bool) -> None:
        """The request failed for a reason that says nothing about the engine's health
        (a bug, a bad request): free the probe slot, leave the state as it is."""
        if probe:
            with self._lock:
                self._probing = False

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run one engine request through the breaker.

        Raises `BreakerOpen` (a `BackendUnavailable`) at once when the engine must not be
        asked; a `BackendUnavailable` from the request opens the breaker; success closes it.
        """
        probe = self._enter()
        try:
            yield
        except BreakerOpen:
            self._release(probe)
            raise
        except BackendUnavailable as exc:
            self.record_failure(exc)
            raise
        except BaseException:
            self._release(probe)
            raise
        else:
            if probe or self._opened_at is not None:
                self.record_success()
