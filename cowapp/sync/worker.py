"""The background sync worker: one thread that runs the engine whenever there is reason to.

Thread contract: `SyncWorker.start`, `wake` and `stop` may be called from any thread (the GUI
calls them from its own); everything else happens on the worker thread, which opens its own HTTP
client through the factory and uses the shared database engine with its own sessions. Status is
published as an immutable `SyncStatus` to the ``on_status`` callback, on the worker thread: a GUI
wraps it in a Qt signal to get it onto the GUI thread (the worker knows nothing about Qt).

It wakes on `wake` (a new outbox row, "sync now"), when the next retry is due, and every probe
interval while offline or paused, when it asks the central service itself whether it is back
(online state comes from probing the service, not from the OS). While offline it does one cheap
probe per interval and nothing else. `stop` returns within the timeout; a request still in
flight is abandoned, and its item, marked ``sending``, is looked up before any retry.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from cowapp.storage.outbox_store import OutboxStore
from cowapp.sync.connectors.base import AuthError
from cowapp.sync.engine import RunSummary, SyncEngine
from cowapp.sync.status import Connection, SyncStatus

log = logging.getLogger(__name__)


class EngineParts(Protocol):
    """What the factory returns: an engine and something to close (its HTTP client)."""

    engine: SyncEngine

    def close(self) -> None:
        """Release the HTTP client."""


class SyncWorker:
    """Runs `SyncEngine` on a background thread.

    Args:
        open_engine: builds the engine and its HTTP client; called on the worker thread.
            It may raise (no credentials yet): the worker then reports PAUSED and retries.
        outbox: for the queue summary in each status.
        on_status: called with each new `SyncStatus` (on the worker thread).
        clock: returns the current UTC time.
        probe_interval: seconds between checks while offline or paused.
        readback_interval: seconds between status read-backs while online.
        idle_poll: seconds between cheap looks at the outbox while online, so rows written by
            another process (``cowapp issue add``) go out without a `wake`.
        concurrency: how many issues are sent at the same time (each issue's items in order).
    """

    def __init__(
        self,
        open_engine: Callable[[], EngineParts],
        outbox: OutboxStore,
        on_status: Callable[[SyncStatus], None],
        clock: Callable[[], datetime],
        probe_interval: float = 30.0,
        readback_interval: float = 300.0,
        idle_poll: float = 5.0,
        concurrency: int = 1,
    ) -> None:
        self._open_engine, self._outbox, self._on_status = open_engine, outbox, on_status
        self._clock, self._probe_interval = clock, probe_interval
        self._readback_interval, self._idle_poll = readback_interval, idle_poll
        self._wake, self._stopping = threading.Event(), threading.Event()
        self._fan_out = ThreadFanOut(concurrency)
        self._thread = threading.Thread(target=self._run, name="cowapp-sync", daemon=True)
        self._connection = Connection.STARTING
        self._last_sync: datetime | None = None
        self._last_error: str | None = None
        self._last_readback: datetime | None = None

    def start(self) -> None:
        """Start the thread (once)."""
        self._thread.start()

    def wake(self) -> None:
        """Ask for a cycle now (new outbox rows, or the technician pressed "sync now")."""
        self._wake.set()

    def stop(self, timeout: float = 3.0) -> bool:
        """Stop and wait up to ``timeout`` seconds; False if a request was still in flight."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- worker thread --------------------------------------------------------------------------

    def _run(self) -> None:
        parts: EngineParts | None = None
        try:
            while not self._stopping.is_set():
                if parts is None:
                    parts = self._try_open()
                delay = self._cycle(parts.engine) if parts else self._probe_interval
                if parts is not None and self._connection is Connection.PAUSED:
                    parts.close()  # re-open next time: credentials may have been stored again
                    parts = None
                self._publish()
                self._wake.wait(delay)
                self._wake.clear()
        except Exception:  # a bug must not kill sync silently: log, report, keep the queue
            log.exception("sync worker stopped by an unexpected error")
            self._connection, self._last_error = Connection.OFFLINE, "internal error (see log)"
            self._publish()
        finally:
            if parts is not None:
                parts.close()

    def _try_open(self) -> EngineParts | None:
        try:
            return self._open_engine()
        except Exception as error:  # no credentials or no config: a technician must act
            self._connection, self._last_error = Connection.PAUSED, str(error)
            return None

    def _cycle(self, engine: SyncEngine) -> float:
        if self._connection in (Connection.OFFLINE, Connection.PAUSED, Connection.STARTING):
            problem = engine.probe()
            if problem is not None:
                paused = isinstance(problem, AuthError)
                self._connection = Connection.PAUSED if paused else Connection.OFFLINE
                self._last_error = str(problem)
                return self._probe_interval
            engine.recover()  # back: what failed during the outage goes now, not after backoff
        summary = engine.run_once(
            read_back=self._readback_due(), fan_out=self._fan_out, stopping=self._stopping.is_set
        )
        self._note(summary)
        if self._connection is not Connection.ONLINE:
            return self._probe_interval
        return self._until_next_due()

    def _readback_due(self) -> bool:
        now = self._clock()
        if self._last_readback and now - self._last_readback < timedelta(
            seconds=self._readback_interval
        ):
            return False
        self._last_readback = now
        return True

    def _note(self, summary: RunSummary) -> None:
        if summary.paused:
            self._connection = Connection.PAUSED
        elif not summary.online:
            self._connection = Connection.OFFLINE
        else:
            self._connection, self._last_sync = Connection.ONLINE, self._clock()
        self._last_error = summary.last_error if summary.errors else self._last_error
        if self._connection is Connection.ONLINE and not summary.errors:
            self._last_error = None

    def _until_next_due(self) -> float:
        upcoming = self._outbox.next_attempt_at(self._clock())
        longest = min(self._idle_poll, self._readback_interval)
        if upcoming is None:
            return longest
        return min(max((upcoming - self._clock()).total_seconds(), 0.05), longest)

    def _publish(self) -> None:
        queue = self._outbox.summary(self._clock())
        status = SyncStatus(
            connection=self._connection, pending=queue.pending,
            needs_attention=queue.needs_attention, oldest_pending_at=queue.oldest_pending_at,
            last_sync=self._last_sync, last_error=self._last_error, checked_at=self._clock(),
        )  # fmt: skip
        try:
            self._on_status(status)
        except Exception:
            log.exception("a sync status listener failed")


class ThreadFanOut:
    """Runs the engine's lanes at once, one daemon thread each, and waits for all of them.

    Daemon threads, so a request still in flight cannot hold the process open at exit (its item
    is marked ``sending`` and looked up before any retry).

    Args:
        width: how many lanes (issues sent at the same time).
    """

    def __init__(self, width: int) -> None:
        self.width = width

    def __call__(self, tasks: Sequence[Callable[[], None]]) -> None:
        """Run every task on its own thread; return when all have finished."""
        if len(tasks) <= 1:
            for task in tasks:
                task()
            return
        threads = [
            threading.Thread(target=_logged(task), name=f"cowapp-sync-lane-{n}", daemon=True)
            for n, task in enumerate(tasks)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _logged(task: Callable[[], None]) -> Callable[[], None]:
    """``task``, with an unexpected error logged instead of lost with its thread."""

    def run() -> None:
        try:
            task()
        except Exception:
            log.exception("a sync lane stopped by an unexpected error")

    return run
